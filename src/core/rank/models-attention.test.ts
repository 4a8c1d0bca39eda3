import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { useCpuBackend } from '../../test-support/cpu-backend';
import { createRng, type Rng } from '../experiment/rng';
import type { AttentionSpec } from './attention';
import { createModel, type ScoringModel } from './models';

beforeAll(async () => {
  await useCpuBackend();
});

const spec = (over: Partial<AttentionSpec> = {}): AttentionSpec => ({
  kind: 'attention',
  dModel: 8,
  heads: 2,
  layers: 2,
  ffHidden: 6,
  dropout: 0,
  ...over,
});

const randomMatrix = (rows: number, cols: number, rng: Rng, scale = 1): number[][] =>
  Array.from({ length: rows }, () => Array.from({ length: cols }, () => rng.normal() * scale));

/** Zero biases and unit gains would hide mistakes in how they are applied; randomise every variable. */
function randomiseVariables(m: ScoringModel, seed: number): void {
  const rng = createRng(seed);
  for (const v of m.variables) v.assign(tf.tidy(() => tf.tensor(Array.from({ length: v.size }, () => rng.normal() * 0.5), v.shape)));
}

function scoreLists(m: ScoringModel, x: number[][][], mask: number[][]): number[][] {
  return tf.tidy(() => m.scoreLists(tf.tensor3d(x), tf.tensor2d(mask)).arraySync());
}

/** Plain-JavaScript forward pass, written from the definition with explicit loops; reads the model's variables by name. */
function referenceScores(m: ScoringModel, s: AttentionSpec, list: number[][], mask: number[]): number[] {
  const vars = new Map(m.variables.map((v) => [v.name.slice(v.name.indexOf('/') + 1), { data: Array.from(v.dataSync()), shape: v.shape }]));
  const get = (name: string) => {
    const v = vars.get(name);
    if (!v) throw new Error(`no variable ${name}`);
    return v;
  };
  const linear = (x: number[], name: string): number[] => {
    const w = get(`${name}/w`);
    const b = get(`${name}/b`).data;
    const nOut = b.length;
    return Array.from({ length: nOut }, (_, j) => x.reduce((acc, xi, i) => acc + xi * w.data[i * nOut + j], b[j]));
  };
  const norm = (x: number[], name: string): number[] => {
    const g = get(`${name}/gain`).data;
    const b = get(`${name}/bias`).data;
    const mean = x.reduce((a, v) => a + v, 0) / x.length;
    const variance = x.reduce((a, v) => a + (v - mean) ** 2, 0) / x.length;
    return x.map((v, i) => ((v - mean) / Math.sqrt(variance + 1e-5)) * g[i] + b[i]);
  };
  const dk = s.dModel / s.heads;
  let h = list.map((x) => linear(x, 'in'));
  for (let l = 0; l < s.layers; l++) {
    const a = h.map((x) => norm(x, `enc${l}/ln1`));
    const q = a.map((x) => linear(x, `enc${l}/q`));
    const k = a.map((x) => linear(x, `enc${l}/k`));
    const v = a.map((x) => linear(x, `enc${l}/v`));
    const merged = h.map((_, i) =>
      Array.from({ length: s.dModel }, (_, c) => {
        const head = Math.floor(c / dk);
        const cols = Array.from({ length: dk }, (_, t) => head * dk + t);
        // Only real documents are keys.
        const logits = h.map((_, j) => (mask[j] ? cols.reduce((acc, col) => acc + q[i][col] * k[j][col], 0) / Math.sqrt(dk) : -Infinity));
        const max = Math.max(...logits);
        const e = logits.map((z) => Math.exp(z - max));
        const total = e.reduce((acc, z) => acc + z, 0);
        return e.reduce((acc, z, j) => acc + (z / total) * v[j][c], 0);
      }),
    );
    h = h.map((x, i) => linear(merged[i], `enc${l}/o`).map((o, c) => x[c] + o));
    h = h.map((x) => {
      const ff = linear(linear(norm(x, `enc${l}/ln2`), `enc${l}/ff1`).map((z) => Math.max(0, z)), `enc${l}/ff2`);
      return x.map((xc, c) => xc + ff[c]);
    });
  }
  return h.map((x) => linear(norm(x, 'ln'), 'out')[0]);
}

describe('attention scorer', () => {
  it('one head, one block: matches the forward pass computed by hand, pads excluded from the keys', () => {
    // dModel 3, not 2: layer norm over two numbers can only output ±(1, −1)·gain + bias, so a
    // pad could look exactly like a real document and hide a missing mask.
    const s = spec({ dModel: 3, heads: 1, layers: 1, ffHidden: 3 });
    const m = createModel(s, 2, createRng(1));
    expect(m.listwise).toBe(true);
    randomiseVariables(m, 10);
    const list = [[0.5, -1], [1.5, 0.25], [9, -9], [-2, 1]];
    const mask = [1, 1, 0, 1];
    const got = scoreLists(m, [list], [mask])[0];
    const expected = referenceScores(m, s, list, mask);
    [0, 1, 3].forEach((i) => expect(got[i]).toBeCloseTo(expected[i], 4));
    m.dispose();
  });

  it('several heads and blocks: matches the reference too', () => {
    const s = spec({ dModel: 6, heads: 3, layers: 2, ffHidden: 4 });
    const m = createModel(s, 3, createRng(2));
    randomiseVariables(m, 20);
    const lists = [randomMatrix(5, 3, createRng(3)), randomMatrix(5, 3, createRng(4))];
    const masks = [[1, 1, 1, 1, 1], [1, 1, 1, 0, 0]];
    const got = scoreLists(m, lists, masks);
    lists.forEach((list, b) => {
      const expected = referenceScores(m, s, list, masks[b]);
      masks[b].forEach((real, i) => real && expect(got[b][i]).toBeCloseTo(expected[i], 4));
    });
    m.dispose();
  });

  it('is permutation-equivariant: permuting a list permutes its scores', () => {
    const m = createModel(spec(), 4, createRng(5));
    randomiseVariables(m, 30);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e6 }), (seed) => {
        const rng = createRng(seed);
        const L = 6;
        const list = randomMatrix(L, 4, rng);
        const mask = Array.from({ length: L }, (_, i) => (i < 4 ? 1 : 0));
        const perm = Array.from({ length: L }, (_, i) => i);
        for (let i = L - 1; i > 0; i--) {
          const j = rng.int(i + 1);
          [perm[i], perm[j]] = [perm[j], perm[i]];
        }
        const base = scoreLists(m, [list], [mask])[0];
        const permuted = scoreLists(m, [perm.map((p) => list[p])], [perm.map((p) => mask[p])])[0];
        perm.forEach((p, i) => mask[p] && expect(permuted[i]).toBeCloseTo(base[p], 4));
      }),
      { numRuns: 15 },
    );
    m.dispose();
  });

  it('is pad-invariant and list-independent: pads and other lists never change a real document’s score', () => {
    const m = createModel(spec(), 4, createRng(6));
    randomiseVariables(m, 40);
    const rng = createRng(7);
    const real = randomMatrix(3, 4, rng);
    const alone = scoreLists(m, [real], [[1, 1, 1]])[0];
    // Pads at the front, middle and end, with wild features; a second list in the same batch.
    const pad = () => randomMatrix(1, 4, rng, 50)[0];
    const padded = [pad(), real[0], real[1], pad(), real[2], pad()];
    const other = randomMatrix(6, 4, rng);
    const [got] = scoreLists(m, [padded, other], [[0, 1, 1, 0, 1, 0], [1, 1, 1, 1, 1, 1]]);
    [1, 2, 4].forEach((slot, i) => expect(got[slot]).toBeCloseTo(alone[i], 5));
    // A whole list of pads scores without NaN (its scores are ignored, but must not poison a loss).
    const allPads = scoreLists(m, [other], [[0, 0, 0, 0, 0, 0]])[0];
    expect(allPads.every(Number.isFinite)).toBe(true);
    m.dispose();
  });

  it('score on a matrix treats the rows as one list', () => {
    const m = createModel(spec(), 4, createRng(8));
    randomiseVariables(m, 50);
    const list = randomMatrix(5, 4, createRng(9));
    const asList = scoreLists(m, [list], [[1, 1, 1, 1, 1]])[0];
    const flat = tf.tidy(() => Array.from(m.score(tf.tensor2d(list)).dataSync()));
    flat.forEach((v, i) => expect(v).toBeCloseTo(asList[i], 6));
    m.dispose();
  });

  it('initial weights are deterministic for a seed: Glorot weights, zero biases, unit gains', () => {
    const a = createModel(spec(), 4, createRng(123).fork('init'));
    const b = createModel(spec(), 4, createRng(123).fork('init'));
    const c = createModel(spec(), 4, createRng(124).fork('init'));
    const values = (m: ScoringModel) => m.variables.map((v) => Array.from(v.dataSync()));
    expect(values(a)).toEqual(values(b));
    expect(values(a)).not.toEqual(values(c));
    for (const v of a.variables) {
      const data = Array.from(v.dataSync());
      if (v.name.endsWith('/gain')) expect(data.every((x) => x === 1)).toBe(true);
      else if (v.name.endsWith('/b') || v.name.endsWith('/bias')) expect(data.every((x) => x === 0)).toBe(true);
      else expect(data.some((x) => x !== 0)).toBe(true);
    }
    [a, b, c].forEach((m) => m.dispose());
  });

  it('dropout: identity in evaluation, reproducible per seed in training', () => {
    const m = createModel(spec({ dropout: 0.3 }), 4, createRng(10));
    const noDrop = createModel(spec(), 4, createRng(10));
    const list = randomMatrix(5, 4, createRng(11));
    const mask = [[1, 1, 1, 1, 0]];
    const run = (model: ScoringModel, opts?: { training: boolean; seed: number }) =>
      tf.tidy(() => model.scoreLists(tf.tensor3d([list]), tf.tensor2d(mask), opts).arraySync());
    expect(run(m)).toEqual(run(noDrop));
    expect(run(m, { training: true, seed: 1 })).toEqual(run(m, { training: true, seed: 1 }));
    expect(run(m, { training: true, seed: 1 })).not.toEqual(run(m, { training: true, seed: 2 }));
    [m, noDrop].forEach((model) => model.dispose());
  });

  it('every variable gets a finite gradient, and nothing leaks', () => {
    const m = createModel(spec({ dropout: 0.1 }), 4, createRng(12));
    const x = tf.tensor3d([randomMatrix(5, 4, createRng(13)), randomMatrix(5, 4, createRng(14))]);
    const mask = tf.tensor2d([[1, 1, 1, 0, 0], [1, 1, 1, 1, 1]]);
    const target = tf.tensor2d([[1, 0, 2, 0, 0], [0, 1, 0, 0, 3]]);
    const x2 = tf.reshape(x, [10, 4]) as tf.Tensor2D;
    const before = tf.memory().numTensors;
    m.score(x2).dispose();
    m.scoreLists(x, mask, { training: true, seed: 4 }).dispose();
    expect(tf.memory().numTensors).toBe(before);
    const { value, grads } = tf.variableGrads(
      () => tf.sum(tf.mul(tf.square(tf.sub(m.scoreLists(x, mask, { training: true, seed: 4 }), target)), mask)) as tf.Scalar,
      m.variables,
    );
    expect(Object.keys(grads)).toHaveLength(m.variables.length);
    for (const [name, g] of Object.entries(grads)) {
      const data = Array.from(g.dataSync());
      expect(data.every(Number.isFinite), name).toBe(true);
    }
    // The output weights and the input projection certainly move the loss.
    const outName = m.variables[m.variables.length - 2].name;
    expect(Array.from(grads[outName].dataSync()).some((v) => v !== 0)).toBe(true);
    tf.dispose([value, ...Object.values(grads)]);
    expect(tf.memory().numTensors).toBe(before);
    m.dispose();
    tf.dispose([x, x2, mask, target]);
  });

  it('rejects a model width that the heads cannot split', () => {
    expect(() => createModel(spec({ dModel: 10, heads: 3 }), 4, createRng(1))).toThrow(/multiple of heads/);
  });
});
