import * as tf from '@tensorflow/tfjs-core';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import * as ort from 'onnxruntime-web';
import { beforeAll, describe, expect, it } from 'vitest';
import { useCpuBackend } from '../../../test-support/cpu-backend';
import { scoreBatch } from './bert';
import { bertConfigFromJson } from './config';
import { encodePairs, loadTokenizer } from './encode';
import { checkBertWeights, weightsToParams } from './params';
import { readSafetensors } from './safetensors';

/** The shipped demo model (npm run make-demo-model): its files agree with each other and the ONNX graph with the weights. */
const DIR = path.resolve(__dirname, '../../../../public/models/rankplay-demo-cross-encoder');
const read = (file: string) => readFileSync(path.join(DIR, file));
const json = (file: string) => JSON.parse(read(file).toString('utf8')) as Record<string, unknown>;

beforeAll(async () => {
  await useCpuBackend();
  ort.env.wasm.numThreads = 1;
});

describe.skipIf(!existsSync(DIR))('the demo cross-encoder in public/models', () => {
  it('loads (config, safetensors, tokenizer) and its ONNX graph scores as the tfjs model does (1e-4)', async () => {
    const config = bertConfigFromJson(json('config.json'));
    const { tensors, metadata } = readSafetensors(read('model.safetensors'));
    expect(metadata.format).toBe('pt');
    checkBertWeights(config, tensors);
    const tokenizerJson = json('tokenizer.json') as { model: { vocab: Record<string, number> } };
    const tokenizer = loadTokenizer(tokenizerJson, json('tokenizer_config.json'));
    const vocabLines = read('vocab.txt').toString('utf8').split('\n').slice(0, -1);
    expect(vocabLines.length).toBe(config.vocab_size);
    vocabLines.forEach((t, i) => expect(tokenizerJson.model.vocab[t]).toBe(i));

    const batch = encodePairs(
      tokenizer,
      [
        { query: 'how long should I knead bread dough', passage: 'Kneading by hand usually takes about ten minutes for a basic white loaf.' },
        { query: 'how long should I knead bread dough', passage: 'The octopus has three hearts and blue blood.' },
        { query: 'what makes the sky blue', passage: 'Sunlight is scattered by air molecules, and blue light is scattered most.' },
      ],
      192,
    );
    const params = weightsToParams(config, tensors);
    const expected = await scoreBatch(config, params, batch);
    tf.dispose([...params.values()]);
    const session = await ort.InferenceSession.create(read('onnx/model.onnx'), { executionProviders: ['wasm'] });
    const int64 = (a: Int32Array) => new ort.Tensor('int64', BigInt64Array.from(a, (v) => BigInt(v)), [batch.batch, batch.seqLen]);
    try {
      const out = await session.run({ input_ids: int64(batch.inputIds), attention_mask: int64(batch.attentionMask), token_type_ids: int64(batch.tokenTypeIds) });
      const got = out.logits.data as Float32Array;
      for (let i = 0; i < batch.batch; i++) expect(Math.abs(got[i] - expected[i])).toBeLessThan(1e-4);
    } finally {
      await session.release();
    }
    // The on-topic passage outscores the off-topic one for the same query.
    expect(expected[0]).toBeGreaterThan(expected[1]);
  });
});
