import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { beforeAll, describe, expect, it } from 'vitest';
import { startBackend } from '../compute/backends';
import { locateWasmInNode } from '../compute/wasm-paths.node';
import { installWasmTrainingKernels } from './wasm-kernels';

/** Values from a fixed integer sequence, so the test needs no RNG and every backend sees the same input. */
function matrix(rows: number, cols: number, salt: number): tf.Tensor2D {
  return tf.tensor2d(Float32Array.from({ length: rows * cols }, (_, i) => (((i * 7919 + salt * 104729) % 1009) - 504) / 97), [rows, cols]);
}

// Each case runs with tfjs's own wasm kernels, then with the replacements, on the same inputs.
const cases: [string, () => tf.Tensor][] = [
  ['aᵀ·b (transposeA, a larger)', () => tf.matMul(matrix(300, 70, 1), matrix(300, 40, 2), true, false)],
  ['aᵀ·b (transposeA, b larger)', () => tf.matMul(matrix(300, 20, 3), matrix(300, 90, 4), true, false)],
  ['aᵀ·b with b one column (stock path)', () => tf.matMul(matrix(300, 70, 5), matrix(300, 1, 6), true, false)],
  ['a·bᵀ (transposeB)', () => tf.matMul(matrix(50, 60, 7), matrix(40, 60, 8), false, true)],
  ['aᵀ·bᵀ', () => tf.matMul(matrix(60, 50, 9), matrix(40, 60, 10), true, true)],
  ['a·b (untouched)', () => tf.matMul(matrix(50, 60, 11), matrix(60, 40, 12))],
  ['row gather', () => tf.gather(matrix(500, 13, 13), tf.tensor1d([4, 499, 0, 4, 250], 'int32'))],
  ['gather on axis 1 (stock path)', () => tf.gather(matrix(20, 13, 14), tf.tensor1d([3, 0, 12], 'int32'), 1)],
  ['column sums', () => tf.sum(matrix(333, 17, 15), 0)],
  ['column sums, kept dims', () => tf.sum(matrix(333, 17, 16), 0, true)],
  ['row sums (stock path)', () => tf.sum(matrix(33, 17, 17), 1)],
  ['clone', () => tf.clone(matrix(33, 17, 18))],
  ['gradients of a dense layer', () => tf.tidy(() => {
    const x = matrix(200, 30, 19);
    const w = matrix(30, 20, 20);
    const g = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.elu(tf.matMul(a, b))))([x, w]);
    return tf.concat([tf.reshape(g[0], [-1]), tf.reshape(g[1], [-1])]);
  })],
];

describe('replaced wasm kernels', () => {
  let stock: { shape: number[]; values: Float32Array }[];

  beforeAll(async () => {
    tf.env().set('PROD', true);
    // Stock kernels first (the run installs ours unless asked not to), then ours on the same inputs.
    const status = await startBackend({ requested: 'wasm', locateWasm: locateWasmInNode, stockWasmKernels: true });
    expect(status.active).toBe('wasm');
    stock = cases.map(([, f]) => {
      const t = tf.tidy(f);
      const r = { shape: t.shape, values: t.dataSync() as Float32Array };
      t.dispose();
      return r;
    });
    const names = ['BatchMatMul', 'GatherV2', 'Identity', 'Sum'];
    const stockFuncs = names.map((n) => tf.getKernel(n, 'wasm')?.kernelFunc);
    installWasmTrainingKernels();
    names.forEach((n, i) => expect(tf.getKernel(n, 'wasm')?.kernelFunc, n).not.toBe(stockFuncs[i]));
  });

  // Buffers the backend holds: catches a temporary the replacement forgot to free.
  const dataIds = () => (tf.backend() as unknown as { numDataIds(): number }).numDataIds();

  it.each(cases.map(([name], i) => [name, i] as const))('%s: same result as the stock kernels', (_, i) => {
    const before = dataIds();
    const t = tf.tidy(cases[i][1]);
    expect(t.shape).toEqual(stock[i].shape);
    const values = t.dataSync();
    const scale = Math.max(1, ...Array.from(stock[i].values, Math.abs));
    for (let j = 0; j < values.length; j++) expect(Math.abs(values[j] - stock[i].values[j])).toBeLessThanOrEqual(1e-5 * scale);
    t.dispose();
    expect(dataIds()).toBe(before);
  });

  it('rejects an out-of-range row as the stock gather does', () => {
    expect(() => tf.gather(matrix(5, 3, 21), tf.tensor1d([5], 'int32'))).toThrow(/index value 5/);
  });

  it('a cloned tensor outlives its source', () => {
    const x = matrix(4, 3, 22);
    const expected = Array.from(x.dataSync());
    const y = tf.clone(x);
    x.dispose();
    expect(Array.from(y.dataSync())).toEqual(expected);
    y.dispose();
  });
});
