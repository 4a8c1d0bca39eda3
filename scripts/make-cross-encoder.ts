/**
 * Writes a random-weight cross-encoder folder (Hugging Face layout, built by RankPlay's own ONNX
 * exporter and WordPiece trainer) and, for the tiny shape, expected.json: a set of query–passage
 * pairs with their scores from onnxruntime-web wasm in Node and from the tfjs model, which the
 * browser parity test (e2e/cross-encoder.spec.ts) holds WebGPU and wasm in Chromium to.
 *
 *   SCRIPT=make-cross-encoder vite build --config vite.scripts.config.ts
 *   node node_modules/.cache/rankplay-scripts/make-cross-encoder.cjs [--shape tiny|minilm] [--out DIR] [--seed N]
 *
 * Defaults: --shape tiny --out e2e/fixtures/tiny-cross-encoder --seed 5 (deterministic: re-running
 * reproduces the committed files). --shape minilm writes the benchmark's MiniLM-L6-shaped model
 * (about 90 MB; bench/results/ is not committed).
 */
import * as tf from '@tensorflow/tfjs-core';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startNodeBackend } from '../src/cli/headless';
import { loadCrossEncoder } from '../src/compute/cross-encoder';
import { loadTokenizer } from '../src/core/text/model/encode';
import { weightsToParams } from '../src/core/text/model/params';
import { scorePairs } from '../src/core/text/model/rerank';
import { buildRandomCrossEncoder, MINILM_L6_SHAPE, TINY_SHAPE } from '../src/core/text/rerank/random-model';
import type { QueryPassagePair } from '../src/core/text/rerank/types';

/** Pairs of every kind the browser must encode as Node does: short, truncated, empty, accents, unknown words. */
export const FIXTURE_PAIRS: QueryPassagePair[] = [
  { query: 'how do bees make honey', passage: 'Honey bees collect nectar and fan it with their wings until the water evaporates.' },
  { query: 'what causes tides', passage: 'The gravity of the moon pulls on the oceans, which rise and fall twice a day.' },
  { query: 'violin strings', passage: 'A violin has four strings tuned in fifths: G, D, A and E.' },
  { query: 'why is the sky blue', passage: 'Sunlight is scattered by the molecules of the air, and blue light is scattered more than red light. '.repeat(5) },
  { query: 'moons of saturn', passage: '' },
  { query: 'Café crème naïve', passage: 'zebra quokka axolotl: words the vocabulary has never seen' },
  { query: 'boiling point on a mountain', passage: 'Water boils at a lower temperature where the air pressure is lower.' },
  { query: 'vaccines immune system', passage: 'A vaccine shows the immune system a harmless piece of a pathogen so that it remembers how to fight it.' },
  { query: 'who painted the sistine chapel ceiling', passage: 'Michelangelo painted the ceiling between 1508 and 1512.' },
  { query: 'refrigerator', passage: 'A refrigerant evaporates inside the coils, absorbing heat.' },
  { query: 'first humans in the americas', passage: 'Archaeologists date the first settlements to at least fifteen thousand years ago.' },
  { query: 'a', passage: 'b' },
];

function parseArgs(argv: string[]): { shape: 'tiny' | 'minilm'; out: string | null; seed: number } {
  const args: { shape: 'tiny' | 'minilm'; out: string | null; seed: number } = { shape: 'tiny', out: null, seed: 5 };
  for (let i = 0; i < argv.length; i++) {
    const v = argv[i + 1];
    if (argv[i] === '--shape' && (v === 'tiny' || v === 'minilm')) args.shape = v;
    else if (argv[i] === '--out' && v) args.out = v;
    else if (argv[i] === '--seed' && v && Number.isInteger(Number(v))) args.seed = Number(v);
    else throw new Error(`usage: make-cross-encoder [--shape tiny|minilm] [--out DIR] [--seed N] (bad '${argv[i]}')`);
    i++;
  }
  return args;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const tiny = args.shape === 'tiny';
  const out = args.out ?? (tiny ? 'e2e/fixtures/tiny-cross-encoder' : 'bench/results/minilm-l6-random');
  const name = tiny ? 'rankplay-tiny-cross-encoder (random weights, e2e fixture)' : 'rankplay MiniLM-L6-shaped cross-encoder (random weights, benchmark)';
  // No model.safetensors: the loader reads ONNX only, and the folders stay small.
  const model = buildRandomCrossEncoder(tiny ? TINY_SHAPE : MINILM_L6_SHAPE, args.seed, { name, safetensors: false });
  for (const [file, bytes] of model.files) {
    mkdirSync(path.dirname(path.join(out, file)), { recursive: true });
    writeFileSync(path.join(out, file), bytes);
  }
  const total = [...model.files.values()].reduce((s, b) => s + b.length, 0);
  process.stdout.write(`wrote ${out} (${(total / 1e6).toFixed(2)} MB)\n`);
  if (!tiny) return;

  const files = new Map([...model.files].map(([p, b]) => [p, new Blob([b as Uint8Array<ArrayBuffer>])]));
  const maxLength = 48;
  const scorer = await loadCrossEncoder({ kind: 'files', files }, { backend: 'wasm', maxLength });
  const onnx = await scorer.score(FIXTURE_PAIRS, { batchSize: 5 });
  await scorer.dispose();
  await startNodeBackend('cpu');
  const params = weightsToParams(model.config, model.weights);
  const tfjs = await scorePairs(model.config, params, loadTokenizer(model.tokenizer.json, model.tokenizer.config), FIXTURE_PAIRS, maxLength);
  tf.dispose([...params.values()]);
  const diff = onnx.reduce((m, v, i) => Math.max(m, Math.abs(v - tfjs[i])), 0);
  if (diff > 1e-4) throw new Error(`onnxruntime wasm and tfjs differ by ${diff} (> 1e-4)`);
  const round = (v: number) => Number(v.toPrecision(8));
  const expected = {
    note: 'Written by scripts/make-cross-encoder.ts. Scores: onnxruntime-web wasm in Node and the tfjs model (cpu), maxLength 48.',
    seed: args.seed,
    maxLength,
    pairs: FIXTURE_PAIRS,
    scores: { onnxWasmNode: Array.from(onnx, round), tfjsCpu: Array.from(tfjs, round) },
    maxAbsDiffOnnxVsTfjs: diff,
  };
  writeFileSync(path.join(out, 'expected.json'), JSON.stringify(expected, null, 2) + '\n');
  process.stdout.write(`expected.json: ${FIXTURE_PAIRS.length} pairs, |onnx − tfjs| ≤ ${diff.toExponential(2)}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`make-cross-encoder: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
