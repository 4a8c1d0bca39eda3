import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { beforeAll, describe, expect, it } from 'vitest';
import { useCpuBackend } from '../../test-support/cpu-backend';
import type { ModelSpec } from '../experiment/config';
import { createRng } from '../experiment/rng';
import { createModel, type ScoreOptions, type ScoringModel } from './models';
import { dropout } from './models-layers';

beforeAll(async () => {
  await useCpuBackend();
});

const X = [
  [0.5, -1.0, 2.0],
  [1.5, 0.25, -0.75],
  [0.0, 0.0, 0.0],
  [-2.0, 1.0, 0.5],
];

function score(m: ScoringModel, x: number[][], opts?: ScoreOptions): number[] {
  return tf.tidy(() => Array.from(m.score(tf.tensor2d(x), opts).dataSync()));
}

const names = (m: ScoringModel): string[] => m.variables.map((v) => v.name.slice(v.name.indexOf('/') + 1));

describe('MLP with layer norm', () => {
  it('normalises the summed inputs before the activation: a case worked by hand', () => {
    const m = createModel({ kind: 'mlp', hidden: [3], activation: 'tanh', layerNorm: true }, 2, createRng(1));
    // No hidden bias under layer norm: its own bias takes that role.
    expect(names(m)).toEqual(['w0', 'ln0/gain', 'ln0/bias', 'w1', 'b1']);
    const [w0, gain, bias, w1, b1] = m.variables;
    w0.assign(tf.tensor2d([[1, 2, 3], [0, 0, 0]]));
    w1.assign(tf.tensor2d([[1], [0], [0]]));
    b1.assign(tf.tensor1d([0.5]));
    // x = [1, 0] → z = [1, 2, 3]: mean 2, biased variance 2/3, so the first unit normalises to
    // −1/√(2/3 + 1e-5) ≈ −1.2247357; with gain 1, bias 0: score = tanh(−1.2247357) + 0.5.
    const first = -1 / Math.sqrt(2 / 3 + 1e-5);
    expect(first).toBeCloseTo(-1.2247357, 6);
    expect(score(m, [[1, 0]])[0]).toBeCloseTo(Math.tanh(first) + 0.5, 5);
    // Scaling x leaves a layer-normed unit (nearly) unchanged: the point of normalising.
    expect(score(m, [[100, 0]])[0]).toBeCloseTo(Math.tanh(first) + 0.5, 4);
    // Gain and bias act after the normalisation.
    gain.assign(tf.tensor1d([2, 1, 1]));
    bias.assign(tf.tensor1d([0.25, 0, 0]));
    expect(score(m, [[1, 0]])[0]).toBeCloseTo(Math.tanh(2 * first + 0.25) + 0.5, 5);
    m.dispose();
  });

  it('matches a JavaScript reference on a two-layer net with random gains and biases', () => {
    const m = createModel({ kind: 'mlp', hidden: [4, 3], activation: 'elu', layerNorm: true }, 3, createRng(3));
    const rng = createRng(77);
    for (const v of m.variables) v.assign(tf.tidy(() => tf.tensor(Array.from({ length: v.size }, () => rng.normal()), v.shape)));
    const [w0, g0, c0, w1, g1, c1, w2, b2] = m.variables.map((v) => Array.from(v.dataSync()));
    const elu = (v: number) => (v > 0 ? v : Math.exp(v) - 1);
    const layer = (x: number[], w: number[], g: number[], c: number[], nOut: number) => {
      const z = Array.from({ length: nOut }, (_, j) => x.reduce((s, xi, i) => s + xi * w[i * nOut + j], 0));
      const mean = z.reduce((s, v) => s + v, 0) / nOut;
      const variance = z.reduce((s, v) => s + (v - mean) ** 2, 0) / nOut;
      return z.map((v, j) => elu(((v - mean) / Math.sqrt(variance + 1e-5)) * g[j] + c[j]));
    };
    const expected = X.map((row) => {
      const h = layer(layer(row, w0, g0, c0, 4), w1, g1, c1, 3);
      return h.reduce((s, v, i) => s + v * w2[i], b2[0]);
    });
    score(m, X).forEach((v, i) => expect(v).toBeCloseTo(expected[i], 4));
    m.dispose();
  });
});

describe('MLP with dropout', () => {
  const spec: ModelSpec = { kind: 'mlp', hidden: [16, 8], activation: 'relu', dropout: 0.5 };

  it('is the identity in evaluation mode: same scores as the same weights without dropout', () => {
    const withDropout = createModel(spec, 3, createRng(4));
    const without = createModel({ ...spec, dropout: 0 }, 3, createRng(4));
    const reference = score(without, X);
    expect(score(withDropout, X)).toEqual(reference);
    expect(score(withDropout, X, { training: false, seed: 1 })).toEqual(reference);
    // A model without dropout needs no seed, even in training.
    expect(score(without, X, { training: true })).toEqual(reference);
    [withDropout, without].forEach((m) => m.dispose());
  });

  it('in training, the same seed gives the same masks and another seed different ones', () => {
    const m = createModel(spec, 3, createRng(4));
    const a = score(m, X, { training: true, seed: 11 });
    expect(score(m, X, { training: true, seed: 11 })).toEqual(a);
    expect(score(m, X, { training: true, seed: 12 })).not.toEqual(a);
    expect(a).not.toEqual(score(m, X));
    // A second model with the same weights and seed reproduces the run exactly.
    const twin = createModel(spec, 3, createRng(4));
    expect(score(twin, X, { training: true, seed: 11 })).toEqual(a);
    [m, twin].forEach((model) => model.dispose());
  });

  it('refuses to train with dropout but no seed, rather than draw an unreproducible mask', () => {
    const m = createModel(spec, 3, createRng(4));
    expect(() => score(m, X, { training: true })).toThrow(/seed/);
    m.dispose();
  });

  it('drops about `rate` of the units and scales the kept ones by 1/(1 − rate)', () => {
    const dropped = tf.tidy(() => dropout(tf.ones([200, 100]), 0.3, { training: true, seed: 5 }, 'test'));
    const out = Array.from(dropped.dataSync());
    dropped.dispose();
    const zeros = out.filter((v) => v === 0).length / out.length;
    const kept = new Set(out.filter((v) => v !== 0));
    expect(Math.abs(zeros - 0.3)).toBeLessThan(0.01);
    expect([...kept].map((v) => v.toFixed(5))).toEqual([(1 / 0.7).toFixed(5)]);
  });

  it('gradients flow through dropped layers, and a training step leaks no tensors', () => {
    const m = createModel({ ...spec, layerNorm: true }, 3, createRng(4));
    const before = tf.memory().numTensors;
    const { value, grads } = tf.variableGrads(
      () => tf.sum(m.score(tf.tensor2d(X), { training: true, seed: 3 })) as tf.Scalar,
      m.variables,
    );
    expect(Object.keys(grads)).toHaveLength(m.variables.length);
    for (const g of Object.values(grads)) expect(Array.from(g.dataSync()).every(Number.isFinite)).toBe(true);
    tf.dispose([value, ...Object.values(grads)]);
    expect(tf.memory().numTensors).toBe(before);
    m.dispose();
  });
});

describe('per-document models leak nothing', () => {
  it('score and scoreLists, in evaluation and training, leave the tensor count unchanged', () => {
    const m = createModel({ kind: 'mlp', hidden: [6, 4], activation: 'elu', layerNorm: true, dropout: 0.2 }, 3, createRng(8));
    const x2 = tf.tensor2d(X);
    const x3 = tf.tensor3d([X.slice(0, 2), X.slice(2, 4)]);
    const mask = tf.tensor2d([[1, 1], [1, 0]]);
    const before = tf.memory().numTensors;
    for (const opts of [undefined, { training: true, seed: 9 }]) {
      m.score(x2, opts).dispose();
      m.scoreLists(x3, mask, opts).dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
    m.dispose();
    tf.dispose([x2, x3, mask]);
  });
});
