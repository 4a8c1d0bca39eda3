import { describe, expect, it } from 'vitest';
import { createRng, type Rng } from '../../experiment/rng';
import { matMul64, matrixRank, singularValues, symmetricEigen, topSvd } from './linalg';
import { rankMe } from './rankme';

/** A random n×k matrix with orthonormal columns (Gram–Schmidt on normals). */
function orthonormal(n: number, k: number, rng: Rng): Float64Array {
  const q = new Float64Array(n * k);
  for (let c = 0; c < k; c++) {
    const v = Array.from({ length: n }, () => rng.normal());
    for (let p = 0; p < c; p++) {
      let dot = 0;
      for (let i = 0; i < n; i++) dot += v[i] * q[i * k + p];
      for (let i = 0; i < n; i++) v[i] -= dot * q[i * k + p];
    }
    const norm = Math.hypot(...v);
    for (let i = 0; i < n; i++) q[i * k + c] = v[i] / norm;
  }
  return q;
}

const transpose = (m: ArrayLike<number>, rows: number, cols: number) => {
  const t = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) t[j * rows + i] = m[i * cols + j];
  return t;
};

/** U·diag(s)·Vᵀ for known U [rows×k], V [cols×k]. */
function withSingularValues(rows: number, cols: number, s: number[], seed: number) {
  const rng = createRng(seed);
  const k = s.length;
  const u = orthonormal(rows, k, rng);
  const v = orthonormal(cols, k, rng);
  const us = u.map((x, i) => x * s[i % k]);
  return { m: matMul64(us, transpose(v, cols, k), rows, k, cols), u, v };
}

describe('symmetricEigen', () => {
  it('diagonalises a random symmetric matrix: A·v = λ·v, orthonormal vectors, sorted', () => {
    const rng = createRng(1);
    const n = 9;
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) a[i * n + j] = a[j * n + i] = rng.normal();
    const { values, vectors } = symmetricEigen(a, n);
    for (let k = 1; k < n; k++) expect(values[k]).toBeLessThanOrEqual(values[k - 1]);
    for (let k = 0; k < n; k++) {
      for (let i = 0; i < n; i++) {
        let av = 0;
        for (let j = 0; j < n; j++) av += a[i * n + j] * vectors[j * n + k];
        expect(av).toBeCloseTo(values[k] * vectors[i * n + k], 10);
      }
      for (let l = 0; l < n; l++) {
        let dot = 0;
        for (let i = 0; i < n; i++) dot += vectors[i * n + k] * vectors[i * n + l];
        expect(dot).toBeCloseTo(k === l ? 1 : 0, 10);
      }
    }
    expect(values.reduce((x, y) => x + y, 0)).toBeCloseTo(Array.from({ length: n }, (_, i) => a[i * n + i]).reduce((x, y) => x + y, 0), 10);
  });

  it('handles 1×1, diagonal and repeated eigenvalues', () => {
    expect(Array.from(symmetricEigen([5], 1).values)).toEqual([5]);
    expect(Array.from(symmetricEigen([1, 0, 0, 0, 3, 0, 0, 0, 2], 3).values)).toEqual([3, 2, 1]);
    const id = symmetricEigen([2, 0, 0, 2], 2);
    expect(Array.from(id.values)).toEqual([2, 2]);
  });
});

describe('singular values and truncated SVD', () => {
  it('recovers known singular values of tall, wide and rank-deficient matrices', () => {
    const s = [9, 4, 2.5, 1, 0.1];
    for (const [rows, cols] of [[12, 7], [7, 12], [5, 5]] as const) {
      const { m } = withSingularValues(rows, cols, s, rows * 31 + cols);
      const got = singularValues(m, rows, cols);
      expect(got).toHaveLength(Math.min(rows, cols));
      s.forEach((v, i) => expect(got[i]).toBeCloseTo(v, 8));
      for (let i = s.length; i < got.length; i++) expect(got[i]).toBeLessThan(1e-6);
      expect(matrixRank(m, rows, cols)).toBe(5);
    }
    const { m } = withSingularValues(10, 8, [3, 2], 4);
    expect(matrixRank(m, 10, 8)).toBe(2);
    expect(matrixRank(new Float64Array(6), 2, 3)).toBe(0);
  });

  it('topSvd reconstructs the matrix from its top-k triplets and matches the constructed vectors up to sign', () => {
    const s = [5, 3, 2, 0.5];
    for (const [rows, cols] of [[10, 6], [6, 10]] as const) {
      const { m, u, v } = withSingularValues(rows, cols, s, 7 + rows);
      const svd = topSvd(m, rows, cols, 4);
      s.forEach((x, i) => expect(svd.s[i]).toBeCloseTo(x, 9));
      const rec = matMul64(svd.u.map((x, i) => x * svd.s[i % 4]), transpose(svd.v, cols, 4), rows, 4, cols);
      rec.forEach((x, i) => expect(x).toBeCloseTo(m[i], 9));
      for (let q = 0; q < 4; q++) {
        let dotU = 0;
        let dotV = 0;
        for (let i = 0; i < rows; i++) dotU += u[i * 4 + q] * svd.u[i * 4 + q];
        for (let i = 0; i < cols; i++) dotV += v[i * 4 + q] * svd.v[i * 4 + q];
        expect(Math.abs(dotU)).toBeCloseTo(1, 8);
        expect(dotU * dotV).toBeCloseTo(1, 8); // the same sign on both sides
      }
      // Top-2 only: M − U₂Σ₂V₂ᵀ has the remaining singular values.
      const two = topSvd(m, rows, cols, 2);
      const rest = Float64Array.from(m);
      const low = matMul64(two.u.map((x, i) => x * two.s[i % 2]), transpose(two.v, cols, 2), rows, 2, cols);
      rest.forEach((x, i) => (rest[i] = x - low[i]));
      const sv = singularValues(rest, rows, cols);
      expect(sv[0]).toBeCloseTo(2, 8);
      expect(sv[1]).toBeCloseTo(0.5, 8);
    }
    expect(() => topSvd(new Float64Array(6), 2, 3, 3)).toThrow(/k must be/);
  });

  it('is fast enough for a MiniLM-sized 384×1536 weight', () => {
    const rng = createRng(3);
    const m = Float32Array.from({ length: 384 * 1536 }, () => rng.normal());
    const t0 = performance.now();
    const svd = topSvd(m, 1536, 384, 8);
    expect(performance.now() - t0).toBeLessThan(10_000);
    // A 1536×384 Gaussian matrix has singular values near √1536 ± √384 (Marchenko–Pastur edge).
    expect(svd.s[0]).toBeGreaterThan(Math.sqrt(1536));
    expect(svd.s[0]).toBeLessThan(Math.sqrt(1536) + Math.sqrt(384) + 3);
  });
});

describe('rankMe', () => {
  const embed = (rows: number[][]) => Float32Array.from(rows.flat());

  it('is ≈1 for rank-one embeddings', () => {
    const rng = createRng(5);
    const dir = Array.from({ length: 6 }, () => rng.normal());
    const z = Array.from({ length: 20 }, () => {
      const c = rng.normal();
      return dir.map((d) => c * d);
    });
    expect(rankMe(embed(z), 20, 6)).toBeCloseTo(1, 3);
  });

  it('is ≈k for equal spread along k orthonormal directions, whatever the scale', () => {
    const rng = createRng(6);
    const dim = 10;
    for (const k of [2, 3, 5]) {
      const q = orthonormal(dim, k, rng); // columns are the directions
      // Rows: each direction once, so Z = Qᵀ and all k singular values are 1.
      const z = Array.from({ length: k }, (_, c) => Array.from({ length: dim }, (_, i) => q[i * k + c]));
      const r = rankMe(embed(z), k, dim);
      expect(r).toBeCloseTo(k, 3);
      expect(rankMe(embed(z.map((row) => row.map((x) => x * 37))), k, dim)).toBeCloseTo(r, 5);
    }
  });

  it('lies between 1 and min(n, dim) for random data and refuses bad sizes', () => {
    const rng = createRng(7);
    const z = Float32Array.from({ length: 30 * 8 }, () => rng.normal());
    const r = rankMe(z, 30, 8);
    expect(r).toBeGreaterThan(5);
    expect(r).toBeLessThanOrEqual(8);
    expect(rankMe(new Float32Array(12), 3, 4)).toBe(1);
    expect(() => rankMe(z, 30, 7)).toThrow(/expected/);
  });
});
