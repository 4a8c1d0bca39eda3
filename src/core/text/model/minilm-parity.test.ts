import * as tf from '@tensorflow/tfjs-core';
import * as ort from 'onnxruntime-web';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useCpuBackend } from '../../../test-support/cpu-backend';
import { createRng } from '../../experiment/rng';
import { DEFAULT_ADAPTATION, type AdaptationConfig } from '../lora/adaptation';
import { createLoraAdapters } from '../lora/lora';
import { loraAdaptation } from '../lora/lora-adaptation';
import { bertLogits, type BertForwardOptions, type PairBatch } from './bert';
import type { BertConfig } from './config';
import { exportBertOnnx } from './onnx-export';
import { initBertWeights, weightsToParams, type BertParams, type BertWeights } from './params';
import { batchOf, tinyConfig } from './test-helpers';
import { ortScores } from './ort-test-helpers';

/**
 * Parity of the ONNX export with the tfjs model at the size of a real cross-encoder
 * (cross-encoder/ms-marco-MiniLM-L-6-v2's shape): the tiny configs of onnx-export.test.ts cannot
 * show errors that grow with depth, width or head count (accumulation order over 384 or 1536
 * terms, 12 heads of 32). The vocabulary is cut from 30,522 to 1,000: the embedding table is only
 * gathered from, so its size changes nothing the comparison checks, while the full table would
 * add 11.7 M parameters (47 MB more to draw, export and load: several seconds of the budget).
 */
const MINILM: BertConfig = tinyConfig({
  vocab_size: 1000,
  hidden_size: 384,
  num_hidden_layers: 6,
  num_attention_heads: 12,
  intermediate_size: 1536,
  max_position_embeddings: 512,
});

const TOLERANCE = 1e-4;

beforeAll(async () => {
  await useCpuBackend();
  ort.env.wasm.numThreads = 1;
});

/**
 * HF's initialisation at std 1/√hidden (so every Linear keeps unit scale through 6 layers), with
 * random biases and LayerNorm gains around 1: HF's zero biases and unit gains would hide a bias or
 * gain applied wrongly in the export.
 */
function minilmWeights(seed: number): BertWeights {
  const rng = createRng(seed);
  const weights = initBertWeights({ ...MINILM, initializer_range: 1 / Math.sqrt(MINILM.hidden_size) }, rng);
  for (const [name, w] of weights) {
    if (name.endsWith('.bias')) w.data.forEach((_, i, a) => (a[i] = rng.normal() * 0.1));
    else if (name.endsWith('LayerNorm.weight')) w.data.forEach((_, i, a) => (a[i] = 1 + rng.normal() * 0.1));
  }
  return weights;
}

/** [CLS] query [SEP] passage [SEP] rows of the given query/passage lengths, random ids (≥ 5: past the special tokens). */
function pairBatch(lengths: [number, number][], seed: number): PairBatch {
  const rng = createRng(seed);
  const word = () => 5 + rng.int(MINILM.vocab_size - 5);
  return batchOf(
    lengths.map(([q, p]) => ({
      ids: [2, ...Array.from({ length: q }, word), 3, ...Array.from({ length: p }, word), 3],
      types: [...new Array<number>(q + 2).fill(0), ...new Array<number>(p + 1).fill(1)],
    })),
  );
}

// Five pairs from 7 to 48 tokens: the longest sets the padded length, the others are padded.
const batch = pairBatch(
  [
    [4, 41],
    [2, 2],
    [6, 17],
    [3, 30],
    [9, 12],
  ],
  7,
);


function tfjsScores(params: BertParams, opts: BertForwardOptions = {}): Float32Array {
  const t = tf.tidy(() => bertLogits(MINILM, params, batch, opts));
  const v = t.dataSync().slice() as Float32Array;
  t.dispose();
  return v;
}

const maxAbsDiff = (a: Float32Array, b: Float32Array) => Math.max(...Array.from(a, (v, i) => Math.abs(v - b[i])));

/** Scores that differ by far more than the tolerance: a model that ignored its input would pass trivially. */
function expectDistinct(scores: Float32Array): void {
  const sorted = Array.from(scores).sort((x, y) => x - y);
  for (let i = 1; i < sorted.length; i++) expect(sorted[i] - sorted[i - 1]).toBeGreaterThan(100 * TOLERANCE);
}

describe('MiniLM-L6-shaped model: ONNX export vs tfjs', () => {
  const weights = minilmWeights(11);
  const base = weightsToParams(MINILM, weights);
  afterAll(() => tf.dispose([...base.values()]));
  // The base model's tfjs scores, computed once (a MiniLM-sized forward on tfjs cpu takes seconds).
  let baseScores: Float32Array | null = null;
  const baseTfjs = () => (baseScores ??= tfjsScores(base));

  it('scores a padded batch on onnxruntime-web wasm as tfjs cpu does (max |Δ| ≤ 1e-4)', async () => {
    const expected = baseTfjs();
    const got = await ortScores(exportBertOnnx(MINILM, weights), batch);
    expect(maxAbsDiff(got, expected)).toBeLessThanOrEqual(TOLERANCE);
    expectDistinct(expected);
  }, 30_000);

  it('keeps parity after a LoRA adaptation is merged (merged ONNX vs tfjs with linearDelta)', async () => {
    const ac: AdaptationConfig = { ...DEFAULT_ADAPTATION, r: 4, alpha: 8, dropout: 0, targetModules: ['query', 'key', 'value', 'attention.output.dense', 'intermediate.dense', 'output.dense'] };
    const l = createLoraAdapters(ac, MINILM, createRng(3));
    // B = 0 at creation would make the merge a no-op; random B gives ΔW about half of W's scale.
    const rng = createRng(5);
    for (const ad of l.adapters) ad.b.assign(tf.tensor2d(Float32Array.from({ length: ad.b.size }, () => rng.normal() * 0.2), ad.b.shape as [number, number]));
    const adaptation = loraAdaptation(ac, l, MINILM);
    try {
      const { params, linearDelta } = adaptation.forward(base, { training: false, rng: createRng(1) });
      const expected = tfjsScores(params, { linearDelta });
      const got = await ortScores(exportBertOnnx(MINILM, await adaptation.merge(weights)), batch);
      expect(maxAbsDiff(got, expected)).toBeLessThanOrEqual(TOLERANCE);
      expectDistinct(expected);
      // The adaptation changed the scores, so this is not the first test again.
      expect(maxAbsDiff(expected, baseTfjs())).toBeGreaterThan(1e-2);
    } finally {
      adaptation.dispose();
    }
  }, 30_000);
});
