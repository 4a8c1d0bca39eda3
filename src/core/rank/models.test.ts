import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useCpuBackend } from '../../test-support/cpu-backend';
import { createRng } from '../experiment/rng';
import type { ModelSpec } from '../experiment/config';
import { createModel, modelParameterCount, type ScoringModel } from './models';

beforeAll(async () => {
  await useCpuBackend();
});

const values = (m: ScoringModel): number[][] => m.variables.map((v) => Array.from(v.dataSync()));
const X = [
  [0.5, -1.0, 2.0],
  [1.5, 0.25, -0.75],
  [0.0, 0.0, 0.0],
  [-2.0, 1.0, 0.5],
];

function score(m: ScoringModel, x: number[][]): number[] {
  return tf.tidy(() => Array.from(m.score(tf.tensor2d(x)).dataSync()));
}

describe('createModel', () => {
  it('linear: score = x·w + b, computed by hand from its variables', () => {
    const m = createModel({ kind: 'linear' }, 3, createRng(1));
    expect(m.variables.map((v) => v.shape)).toEqual([[3, 1], [1]]);
    // Biases start at 0; set one so the test sees it.
    m.variables[1].assign(tf.tensor1d([0.3]));
    const [w, b] = values(m);
    const expected = X.map((row) => row[0] * w[0] + row[1] * w[1] + row[2] * w[2] + b[0]);
    const got = score(m, X);
    expect(got).toHaveLength(4);
    got.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 5));
    // The all-zero row scores exactly the bias.
    expect(got[2]).toBeCloseTo(0.3, 6);
    m.dispose();
  });

  it('mlp: score = W2ᵀ·act(W1ᵀx + b1) + b2, computed by hand (elu, relu, tanh)', () => {
    const acts = {
      elu: (v: number) => (v > 0 ? v : Math.exp(v) - 1),
      relu: (v: number) => Math.max(0, v),
      tanh: Math.tanh,
    };
    for (const activation of ['elu', 'relu', 'tanh'] as const) {
      const m = createModel({ kind: 'mlp', hidden: [4, 2], activation }, 3, createRng(9));
      expect(m.variables.map((v) => v.shape)).toEqual([[3, 4], [4], [4, 2], [2], [2, 1], [1]]);
      m.variables[1].assign(tf.tensor1d([0.1, -0.2, 0.3, -0.4]));
      m.variables[3].assign(tf.tensor1d([0.05, -0.05]));
      m.variables[5].assign(tf.tensor1d([0.7]));
      const [w0, b0, w1, b1, w2, b2] = values(m);
      const act = acts[activation];
      const layer = (x: number[], w: number[], b: number[], nOut: number, f: (v: number) => number) =>
        Array.from({ length: nOut }, (_, j) => f(x.reduce((s, xi, i) => s + xi * w[i * nOut + j], 0) + b[j]));
      const expected = X.map((row) => {
        const h1 = layer(row, w0, b0, 4, act);
        const h2 = layer(h1, w1, b1, 2, act);
        return layer(h2, w2, b2, 1, (v) => v)[0]; // no activation on the output
      });
      score(m, X).forEach((v, i) => expect(v, activation).toBeCloseTo(expected[i], 5));
      m.dispose();
    }
  });

  it('the same rng seed gives identical initial weights; a different seed does not', () => {
    for (const spec of [{ kind: 'linear' as const }, { kind: 'mlp' as const, hidden: [8, 4], activation: 'elu' as const }]) {
      const a = createModel(spec, 5, createRng(123).fork('init'));
      const b = createModel(spec, 5, createRng(123).fork('init'));
      const c = createModel(spec, 5, createRng(124).fork('init'));
      expect(values(a)).toEqual(values(b));
      expect(values(a)).not.toEqual(values(c));
      // Variable names are unique, so two models can coexist.
      expect(new Set([...a.variables, ...b.variables].map((v) => v.name)).size).toBe(2 * a.variables.length);
      [a, b, c].forEach((m) => m.dispose());
    }
  });

  it('initial weights are Glorot-normal scaled and biases zero', () => {
    // 64 × 64 weights, std √(2/128) = 0.125.
    const m = createModel({ kind: 'mlp', hidden: [64], activation: 'relu' }, 64, createRng(5));
    const w = Array.from(m.variables[0].dataSync());
    const mean = w.reduce((s, v) => s + v, 0) / w.length;
    const std = Math.sqrt(w.reduce((s, v) => s + (v - mean) ** 2, 0) / w.length);
    expect(Math.abs(std - 0.125)).toBeLessThan(0.01);
    expect(Array.from(m.variables[1].dataSync()).every((v) => v === 0)).toBe(true);
    m.dispose();
  });

  it('dispose frees its variables', () => {
    const before = tf.memory().numTensors;
    const m = createModel({ kind: 'mlp', hidden: [3], activation: 'tanh' }, 2, createRng(1));
    score(m, [[1, 2]]);
    m.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('scoreLists on a per-document model is score on the flattened lists, reshaped', () => {
    const m = createModel({ kind: 'mlp', hidden: [4], activation: 'relu' }, 3, createRng(2));
    const [lists, flat] = tf.tidy(() => {
      const x = tf.tensor3d([X.slice(0, 2), X.slice(2, 4)]);
      const mask = tf.tensor2d([[1, 1], [1, 0]]);
      return [m.scoreLists(x, mask).arraySync(), m.score(tf.tensor2d(X)).arraySync()];
    });
    expect(m.listwise).toBe(false);
    expect(lists).toEqual([flat.slice(0, 2), flat.slice(2, 4)]);
    m.dispose();
  });
});

describe('modelParameterCount', () => {
  const specs: ModelSpec[] = [
    { kind: 'linear' },
    { kind: 'mlp', hidden: [4, 2], activation: 'elu' },
    { kind: 'mlp', hidden: [5, 3], activation: 'tanh', layerNorm: true, dropout: 0.2 },
    { kind: 'attention', dModel: 8, heads: 2, layers: 2, ffHidden: 12, dropout: 0 },
    { kind: 'attention', dModel: 6, heads: 3, layers: 1, ffHidden: 5, dropout: 0.1 },
  ];

  it('equals the total size of the variables createModel makes', () => {
    for (const spec of specs) {
      const m = createModel(spec, 7, createRng(1));
      expect(modelParameterCount(spec, 7), spec.kind).toBe(m.variables.reduce((s, v) => s + v.size, 0));
      m.dispose();
    }
  });

  it("counts ULTRA's 136-feature 512-256-128 MLP by hand", () => {
    const spec: ModelSpec = { kind: 'mlp', hidden: [512, 256, 128], activation: 'elu' };
    const plain = 136 * 512 + 512 + 512 * 256 + 256 + 256 * 128 + 128 + 128 + 1;
    expect(modelParameterCount(spec, 136)).toBe(plain);
    // Layer norm drops each hidden bias and adds a gain and a bias per unit.
    expect(modelParameterCount({ ...spec, layerNorm: true }, 136)).toBe(plain + 512 + 256 + 128);
    expect(modelParameterCount({ kind: 'linear' }, 136)).toBe(137);
  });
});
