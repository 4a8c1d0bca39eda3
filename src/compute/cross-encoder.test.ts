import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useCpuBackend } from '../test-support/cpu-backend';
import { encodePair, loadTokenizer } from '../core/text/model/encode';
import { weightsToParams } from '../core/text/model/params';
import { scorePairs } from '../core/text/model/rerank';
import { buildRandomCrossEncoder, TINY_SHAPE, type RandomModel } from '../core/text/rerank/random-model';
import { BERT_INPUTS, onnxWithSignature, sumOfIdsTwoLabelOnnx } from '../core/text/rerank/test-onnx';
import type { CrossEncoderScorer, ModelSource, QueryPassagePair } from '../core/text/rerank/types';
import { clearModelCache, loadCrossEncoder, modelCacheSize } from './cross-encoder';

// The Node path: onnxruntime-web's wasm build, one thread, files from disk, picked files or HTTP.
const model: RandomModel = buildRandomCrossEncoder(TINY_SHAPE, 5);
const MAX_LENGTH = 48;

const dir = mkdtempSync(path.join(tmpdir(), 'rankplay-ce-'));
function writeFolder(name: string, files: Map<string, Uint8Array>): string {
  const root = path.join(dir, name);
  for (const [file, bytes] of files) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), bytes);
  }
  return root;
}
writeFolder('tiny', model.files);

const picked = (files: Map<string, Uint8Array>, prefix = ''): ModelSource => ({ kind: 'files', files: new Map([...files].map(([p, b]) => [prefix + p, new Blob([b as Uint8Array<ArrayBuffer>])])) });
const without = (file: string) => new Map([...model.files].filter(([p]) => p !== file));
const withFile = (file: string, bytes: Uint8Array | string) => new Map([...model.files, [file, typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes]]);

const pairs: QueryPassagePair[] = [
  { query: 'how do bees make honey', passage: 'Honey bees collect nectar and fan it with their wings until the water evaporates.' },
  { query: 'what causes tides', passage: 'The gravity of the moon pulls on the oceans.' },
  { query: 'violin strings', passage: 'A violin has four strings tuned in fifths.' },
  { query: 'sky blue', passage: 'Sunlight is scattered by the molecules of the air, and blue light is scattered more than red light. '.repeat(4) },
  { query: 'moons of saturn and jupiter', passage: '' },
  { query: 'Café naïve', passage: 'zebra quokka axolotl (unknown words)' },
  { query: 'boiling point mountain', passage: 'Water boils at a lower temperature where the air pressure is lower.' },
  { query: 'vaccines', passage: 'A vaccine shows the immune system a harmless piece of a pathogen.' },
  { query: 'who painted the sistine chapel ceiling', passage: 'Michelangelo painted the ceiling between 1508 and 1512.' },
];

/** The tfjs model (src/core/text/model) on the cpu backend: the reference the ONNX export must match. */
async function tfjsScores(ps: readonly QueryPassagePair[]): Promise<Float32Array> {
  const params = weightsToParams(model.config, model.weights);
  try {
    return await scorePairs(model.config, params, loadTokenizer(model.tokenizer.json, model.tokenizer.config), ps, MAX_LENGTH, 4);
  } finally {
    tf.dispose([...params.values()]);
  }
}

/** Serves the folder; /cut/ sends the ONNX file's headers and half its bytes, then drops the connection. */
let server: Server;
let base = '';
beforeAll(async () => {
  await useCpuBackend();
  server = createServer((req, res) => {
    const url = req.url ?? '';
    const file = url.replace(/^\/(tiny|cut)\//, '');
    const bytes = model.files.get(file);
    if (!bytes) return void res.writeHead(404).end('Entry not found');
    res.writeHead(200, { 'content-length': String(bytes.length), 'content-type': 'application/octet-stream' });
    if (url.startsWith('/cut/') && file.endsWith('.onnx')) {
      res.write(bytes.subarray(0, 40_000), () => setTimeout(() => res.destroy(), 20));
      return;
    }
    res.end(bytes);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function withScorer<T>(source: ModelSource, f: (s: CrossEncoderScorer) => Promise<T>, backend: 'wasm' | 'webgpu' | 'auto' = 'wasm', maxLength = MAX_LENGTH): Promise<T> {
  const scorer = await loadCrossEncoder(source, { backend, maxLength });
  try {
    return await f(scorer);
  } finally {
    await scorer.dispose();
  }
}

const maxDiff = (a: Float32Array, b: Float32Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

describe('cross-encoder on onnxruntime-web wasm in Node', () => {
  it('scores as the tfjs model does (1e-4), from picked files', async () => {
    const expected = await tfjsScores(pairs);
    const got = await withScorer(picked(model.files, 'tiny/'), (s) => {
      expect(s.info).toMatchObject({ name: 'rankplay-random-cross-encoder', backend: 'wasm', backendReason: 'wasm was asked for', maxLength: MAX_LENGTH, onnxFile: 'onnx/model.onnx' });
      expect(s.info.parameters).toBeGreaterThan(10_000);
      return s.score(pairs);
    });
    expect(maxDiff(got, expected)).toBeLessThan(1e-4);
    // Scores that differ, so the comparison means something.
    expect(Math.max(...got) - Math.min(...got)).toBeGreaterThan(0.05);
    // tokenizer_config.json is optional: the tokenizer.json alone encodes the same pairs.
    expect(maxDiff(await withScorer(picked(without('tokenizer_config.json')), (s) => s.score(pairs)), got)).toBeLessThan(1e-6);
  });

  it("gives each pair the same score whatever the batch size or the pairs' order", async () => {
    await withScorer(picked(model.files), async (s) => {
      const reference = await s.score(pairs, { batchSize: 1 });
      for (const batchSize of [2, 3, 16, 64]) expect(maxDiff(await s.score(pairs, { batchSize }), reference)).toBeLessThan(1e-5);
      const order = [4, 8, 0, 2, 6, 1, 3, 7, 5];
      const shuffled = await s.score(order.map((i) => pairs[i]), { batchSize: 4 });
      expect(maxDiff(Float32Array.from(order, (i) => reference[i]), shuffled)).toBeLessThan(1e-5);
      // Progress ends at the total; concurrent calls are queued, not interleaved in one session.
      const progress: number[] = [];
      const [a, b] = await Promise.all([s.score(pairs, { batchSize: 2, onProgress: (d) => progress.push(d) }), s.score(pairs.slice(0, 2))]);
      expect(maxDiff(a, reference)).toBeLessThan(1e-5);
      expect(maxDiff(b, reference.subarray(0, 2))).toBeLessThan(1e-5);
      expect(progress[progress.length - 1]).toBe(pairs.length);
      expect((await s.score([])).length).toBe(0);
    });
  });

  it('downloads from a URL base with progress, and falls back to wasm where WebGPU cannot start', async () => {
    const progress = new Map<string, [number, number | null]>();
    const scorer = await loadCrossEncoder({ kind: 'url', base: `${base}/tiny/` }, { backend: 'webgpu', onProgress: (f, l, t) => progress.set(f, [l, t]) });
    try {
      expect(scorer.info.backend).toBe('wasm');
      expect(scorer.info.backendReason).toBe('Node has no WebGPU; using wasm');
      expect(scorer.info.maxLength).toBe(TINY_SHAPE.maxPositions);
      const onnx = model.files.get('onnx/model.onnx')!.length;
      expect(progress.get('onnx/model.onnx')).toEqual([onnx, onnx]);
      expect(scorer.info.bytes).toBeGreaterThan(onnx);
      expect([...progress.keys()]).toEqual(['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model.onnx']);
    } finally {
      await scorer.dispose();
    }
    // No Cache Storage in Node: nothing kept, nothing to clear.
    expect(await modelCacheSize()).toBe(0);
    await clearModelCache();
  });

  it('reports a download cut off midway with the file, the place and how far it got', async () => {
    await expect(loadCrossEncoder({ kind: 'url', base: `${base}/cut/` }, { backend: 'wasm' })).rejects.toThrow(
      new RegExp(`^downloading onnx/model.onnx from ${base}/cut/ failed after 40.0 kB: `),
    );
    await expect(loadCrossEncoder({ kind: 'url', base: 'http://127.0.0.1:9/nothing/' }, { backend: 'wasm' })).rejects.toThrow(/^downloading config.json from http:\/\/127.0.0.1:9\/nothing\/ failed: /);
  });

  it('says which file a folder lacks', async () => {
    await expect(loadCrossEncoder(picked(without('tokenizer.json')), { backend: 'wasm' })).rejects.toThrow(/^the model folder has no tokenizer.json \(.*\) \(looked in the picked folder\)$/);
    await expect(loadCrossEncoder(picked(without('config.json')), { backend: 'wasm' })).rejects.toThrow(/^the model folder has no config.json/);
    await expect(loadCrossEncoder(picked(model.files), { backend: 'wasm', onnxFile: 'onnx/model_quantized.onnx' })).rejects.toThrow(/^the model folder has no onnx\/model_quantized.onnx; it has onnx\/model.onnx: choose one/);
    await expect(loadCrossEncoder({ kind: 'url', base: `${base}/tiny/` }, { backend: 'wasm', onnxFile: 'onnx/model_fp16.onnx' })).rejects.toThrow(
      `the model folder has no onnx/model_fp16.onnx; export one with \`optimum-cli export onnx --task text-classification\` (looked in ${base}/tiny/)`,
    );
  });

  it('scores a two-label DistilBERT-style model by logit[1] − logit[0], feeding only the inputs it takes', async () => {
    const config = JSON.stringify({ model_type: 'distilbert', architectures: ['DistilBertForSequenceClassification'], id2label: { 0: 'irrelevant', 1: 'relevant' }, vocab_size: 200, max_position_embeddings: 64 });
    const files = new Map([...withFile('config.json', config), ['onnx/model.onnx', sumOfIdsTwoLabelOnnx()]]);
    const tokenizer = loadTokenizer(model.tokenizer.json, model.tokenizer.config);
    const expected = pairs.map((p) => 2 * encodePair(tokenizer, p.query, p.passage, 32).ids.reduce((a, b) => a + b, 0));
    const got = await withScorer(picked(files), (s) => s.score(pairs, { batchSize: 4 }), 'wasm', 32);
    expect(Array.from(got)).toEqual(expected);
  });

  it('refuses an unsupported tokenizer, a wrong config and a model that is not a cross-encoder', async () => {
    const bpe = JSON.stringify({ version: '1.0', model: { type: 'BPE', vocab: { a: 0 }, merges: [] } });
    await expect(loadCrossEncoder(picked(withFile('tokenizer.json', bpe)), { backend: 'wasm' })).rejects.toThrow(/^tokenizer.json: a BPE tokenizer \(RoBERTa\/GPT style\) is not supported/);
    await expect(loadCrossEncoder(picked(withFile('config.json', '{"model_type": "roberta"}')), { backend: 'wasm' })).rejects.toThrow(/model_type 'roberta' is not supported/);
    await expect(loadCrossEncoder(picked(withFile('config.json', '{oops')), { backend: 'wasm' })).rejects.toThrow(/^config.json is not valid JSON/);
    const embedder = onnxWithSignature(BERT_INPUTS, [{ name: 'last_hidden_state', type: 1, dims: ['batch_size', 'sequence_length', 32] }]);
    await expect(loadCrossEncoder(picked(withFile('onnx/model.onnx', embedder)), { backend: 'wasm' })).rejects.toThrow(/outputs last_hidden_state \[batch_size, sequence_length, 32\]: a feature-extraction \(embedding\) model/);
    await expect(loadCrossEncoder(picked(withFile('onnx/model.onnx', '<html>404</html>')), { backend: 'wasm' })).rejects.toThrow(/^not an ONNX model/);
    await expect(loadCrossEncoder(picked(model.files), { backend: 'wasm', maxLength: 100 })).rejects.toThrow(/maxLength 100 is longer than the model's position table/);
  });
});
