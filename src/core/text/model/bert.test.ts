import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { beforeAll, describe, expect, it } from 'vitest';
import { useCpuBackend } from '../../../test-support/cpu-backend';
import { createRng } from '../../experiment/rng';
import { bertLogits, embeddingLookup, scoreBatch, type PairBatch } from './bert';
import type { BertConfig } from './config';
import { bertParamSpecs, countParams, initBertWeights, weightsToParams, type BertWeights } from './params';
import { batchOf, randomWeights, tinyConfig } from './test-helpers';

beforeAll(async () => {
  await useCpuBackend();
});

/** erf to ~1e-15 by its Maclaurin series (|x| ≤ 3) or continued fraction: independent of tf.erf's approximation. */
function erf(x: number): number {
  const ax = Math.abs(x);
  if (ax > 3) {
    // Laplace continued fraction for erfc, 60 terms.
    let f = 0;
    for (let k = 60; k >= 1; k--) f = (k / 2) / (ax + f);
    const erfc = Math.exp(-ax * ax) / Math.sqrt(Math.PI) / (ax + f);
    return Math.sign(x) * (1 - erfc);
  }
  let term = x;
  let sum = x;
  for (let n = 1; n < 100; n++) {
    term *= (-x * x) / n;
    sum += term / (2 * n + 1);
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
}

type Vec = number[];

/**
 * BertForSequenceClassification for one sequence, written from the definition with plain loops
 * over the named weights (W is [out, in]): the reference the tfjs graph must reproduce.
 */
function referenceLogit(c: BertConfig, w: BertWeights, ids: number[], types: number[]): number {
  const get = (name: string) => Array.from(w.get(name)!.data);
  const H = c.hidden_size;
  const S = ids.length;
  const linear = (name: string, x: Vec): Vec => {
    const W = get(`${name}.weight`);
    const b = get(`${name}.bias`);
    const out = b.length;
    return Array.from({ length: out }, (_, o) => b[o] + x.reduce((s, xi, i) => s + W[o * x.length + i] * xi, 0));
  };
  const layerNorm = (name: string, x: Vec): Vec => {
    const g = get(`${name}.weight`);
    const b = get(`${name}.bias`);
    const mean = x.reduce((s, v) => s + v, 0) / x.length;
    const variance = x.reduce((s, v) => s + (v - mean) ** 2, 0) / x.length;
    return x.map((v, i) => ((v - mean) / Math.sqrt(variance + c.layer_norm_eps)) * g[i] + b[i]);
  };
  const row = (name: string, r: number): Vec => get(name).slice(r * H, (r + 1) * H);
  let x: Vec[] = ids.map((id, t) => {
    const e = row('bert.embeddings.word_embeddings.weight', id);
    const p = row('bert.embeddings.position_embeddings.weight', t);
    const ty = row('bert.embeddings.token_type_embeddings.weight', types[t]);
    return layerNorm('bert.embeddings.LayerNorm', e.map((v, i) => v + p[i] + ty[i]));
  });
  const heads = c.num_attention_heads;
  const d = H / heads;
  for (let l = 0; l < c.num_hidden_layers; l++) {
    const p = `bert.encoder.layer.${l}`;
    const q = x.map((v) => linear(`${p}.attention.self.query`, v));
    const k = x.map((v) => linear(`${p}.attention.self.key`, v));
    const v = x.map((u) => linear(`${p}.attention.self.value`, u));
    const context: Vec[] = x.map(() => new Array(H).fill(0));
    for (let h = 0; h < heads; h++) {
      for (let i = 0; i < S; i++) {
        const scores = k.map((kj) => {
          let s = 0;
          for (let e = h * d; e < (h + 1) * d; e++) s += q[i][e] * kj[e];
          return s / Math.sqrt(d);
        });
        const max = Math.max(...scores);
        const exps = scores.map((s) => Math.exp(s - max));
        const total = exps.reduce((a, b) => a + b, 0);
        for (let j = 0; j < S; j++) for (let e = h * d; e < (h + 1) * d; e++) context[i][e] += (exps[j] / total) * v[j][e];
      }
    }
    const attended = context.map((ctx, i) => layerNorm(`${p}.attention.output.LayerNorm`, linear(`${p}.attention.output.dense`, ctx).map((o, e) => o + x[i][e])));
    x = attended.map((a) => {
      const inner = linear(`${p}.intermediate.dense`, a).map((z) => 0.5 * z * (1 + erf(z / Math.SQRT2)));
      return layerNorm(`${p}.output.LayerNorm`, linear(`${p}.output.dense`, inner).map((o, e) => o + a[e]));
    });
  }
  const pooled = linear('bert.pooler.dense', x[0]).map(Math.tanh);
  return linear('classifier', pooled)[0];
}

const rows = [
  { ids: [2, 7, 8, 3, 9, 10, 11, 3], types: [0, 0, 0, 0, 1, 1, 1, 1] },
  { ids: [2, 5, 3, 12, 3], types: [0, 0, 0, 1, 1] },
];

describe('BERT cross-encoder forward', () => {
  it('names and shapes parameters as the HF state dict', () => {
    const c = tinyConfig({ num_hidden_layers: 1 });
    const specs = bertParamSpecs(c);
    const byName = new Map(specs.map((s) => [s.name, s.shape]));
    expect(byName.get('bert.embeddings.word_embeddings.weight')).toEqual([30, 8]);
    expect(byName.get('bert.encoder.layer.0.attention.self.query.weight')).toEqual([8, 8]);
    expect(byName.get('bert.encoder.layer.0.intermediate.dense.weight')).toEqual([12, 8]);
    expect(byName.get('bert.encoder.layer.0.output.dense.weight')).toEqual([8, 12]);
    expect(byName.get('bert.encoder.layer.0.output.LayerNorm.bias')).toEqual([8]);
    expect(byName.get('classifier.weight')).toEqual([1, 8]);
    expect(byName.get('classifier.bias')).toEqual([1]);
    expect(specs.length).toBe(5 + 16 + 4);
    expect(countParams(c)).toBe(specs.reduce((n, s) => n + s.shape.reduce((p, d) => p * d, 1), 0));
  });

  it('matches a plain-JS reference on a hand-checkable config (1 layer, hidden 4)', async () => {
    const c = tinyConfig({ hidden_size: 4, num_hidden_layers: 1, num_attention_heads: 2, intermediate_size: 6 });
    const w = randomWeights(c, 3);
    const params = weightsToParams(c, w);
    const got = await scoreBatch(c, params, batchOf(rows));
    tf.dispose([...params.values()]);
    rows.forEach((r, i) => expect(got[i]).toBeCloseTo(referenceLogit(c, w, r.ids, r.types), 5));
  });

  it('matches the reference with 2 layers and 2 heads', async () => {
    const c = tinyConfig();
    const w = randomWeights(c, 4);
    const params = weightsToParams(c, w);
    const got = await scoreBatch(c, params, batchOf(rows));
    tf.dispose([...params.values()]);
    rows.forEach((r, i) => expect(got[i]).toBeCloseTo(referenceLogit(c, w, r.ids, r.types), 5));
  });

  it('ignores padding: a pair scores the same alone, padded, and whatever the padding holds', async () => {
    const c = tinyConfig();
    const params = weightsToParams(c, randomWeights(c, 5));
    const alone = await scoreBatch(c, params, batchOf([rows[1]]));
    const padded = batchOf(rows);
    const inBatch = await scoreBatch(c, params, padded);
    // Garbage in the padded slots (ids, token types) must not leak through the mask.
    for (let t = rows[1].ids.length; t < padded.seqLen; t++) {
      padded.inputIds[padded.seqLen + t] = 20 + t;
      padded.tokenTypeIds[padded.seqLen + t] = 1;
    }
    const garbage = await scoreBatch(c, params, padded);
    tf.dispose([...params.values()]);
    expect(inBatch[1]).toBeCloseTo(alone[0], 5);
    expect(garbage[1]).toBeCloseTo(alone[0], 5);
    expect(garbage[0]).toBeCloseTo(inBatch[0], 6);
  });

  it('initialises deterministically from the seed, HF-style', () => {
    const c = tinyConfig();
    const a = initBertWeights(c, createRng(9));
    const b = initBertWeights(c, createRng(9));
    const other = initBertWeights(c, createRng(10));
    for (const [name, w] of a) expect(Array.from(w.data)).toEqual(Array.from(b.get(name)!.data));
    expect(Array.from(a.get('classifier.weight')!.data)).not.toEqual(Array.from(other.get('classifier.weight')!.data));
    expect(Array.from(a.get('bert.embeddings.LayerNorm.weight')!.data)).toEqual(new Array(8).fill(1));
    expect(Array.from(a.get('bert.pooler.dense.bias')!.data)).toEqual(new Array(8).fill(0));
    // The [PAD] row of the word embeddings is zero, as nn.Embedding(padding_idx=0) leaves it.
    expect(Array.from(a.get('bert.embeddings.word_embeddings.weight')!.data.slice(0, 8))).toEqual(new Array(8).fill(0));
    const q = a.get('bert.encoder.layer.1.attention.self.query.weight')!.data;
    const std = Math.sqrt(q.reduce((s, v) => s + v * v, 0) / q.length);
    expect(std).toBeGreaterThan(0.01);
    expect(std).toBeLessThan(0.03);
  });

  it('embedding gradients sum over repeated ids (the scatter-add that replaces gather’s gradient)', () => {
    const table = tf.tensor2d([[1, 2], [3, 4], [5, 6]]);
    const ids = tf.tensor1d([2, 0, 2], 'int32');
    const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(embeddingLookup(t, ids), tf.tensor2d([[1, 10], [100, 1000], [2, 20]]))))(table);
    expect(g.arraySync()).toEqual([[100, 1000], [0, 0], [3, 30]]);
    tf.dispose([table, ids, g]);
  });

  it('trains without leaking tensors, gradients reaching every parameter', () => {
    const c = tinyConfig();
    const params = weightsToParams(c, randomWeights(c, 6), () => true) as Map<string, tf.Variable>;
    const vars = [...params.values()] as tf.Variable[];
    const b: PairBatch = batchOf(rows);
    const before = tf.memory().numTensors;
    const rng = createRng(1);
    const { value, grads } = tf.variableGrads(
      () => tf.sum(bertLogits(c, params, b, { dropout: { hidden: 0.1, attention: 0.1, seed: () => rng.int(1 << 30) } })) as tf.Scalar,
      vars,
    );
    for (const [name, v] of params) {
      const g = grads[v.name];
      expect(g, name).toBeDefined();
      expect(g.shape).toEqual(v.shape);
    }
    // Every parameter that any token touches gets a non-zero gradient.
    const keyGrad = grads[params.get('bert.encoder.layer.0.attention.self.key.weight')!.name];
    expect(tf.tidy(() => tf.any(tf.notEqual(keyGrad, 0)).dataSync()[0])).toBe(1);
    tf.dispose([value, ...Object.values(grads)]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose(vars);
  });

  it('scoreBatch leaves no tensor behind', async () => {
    const c = tinyConfig();
    const params = weightsToParams(c, randomWeights(c, 7));
    const before = tf.memory().numTensors;
    await scoreBatch(c, params, batchOf(rows));
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([...params.values()]);
  });
});
