/**
 * Small float64 linear algebra in plain JavaScript for what the LoRA variants and RankMe need:
 * a symmetric eigendecomposition, singular values, a truncated SVD and a numerical rank.
 * Matrices are row-major arrays with their sizes passed alongside (as WeightData holds them).
 *
 * The SVD goes through the Gram matrix of the smaller side (MᵀM or MMᵀ, at most 384×384 for
 * MiniLM's 384×1536 weights) and a full symmetric eigendecomposition of it: Householder
 * tridiagonalisation plus implicit QL (the EISPACK tred2/tql2 pair, as in JAMA). That is O(n³)
 * once with a small constant, where cyclic Jacobi would take ~10 sweeps of 4n³ each. Squaring the
 * matrix costs half the digits of the small singular values (relative error ~√ε·σ_max ≈ 1e-8·σ_max
 * in float64), which is still well below the float32 precision of the weights themselves.
 */

export interface SymmetricEigen {
  /** Eigenvalues, largest first. */
  values: Float64Array;
  /** n×n row-major; column k is the unit eigenvector of values[k]. */
  vectors: Float64Array;
}

/** Eigenvalues and eigenvectors of a symmetric n×n matrix (only its lower triangle is read). */
export function symmetricEigen(a: ArrayLike<number>, n: number): SymmetricEigen {
  if (!(Number.isInteger(n) && n > 0) || a.length !== n * n) throw new Error(`symmetricEigen: expected ${n}×${n} values, got ${a.length}`);
  const V = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) V[i * n + j] = V[j * n + i] = a[i * n + j];
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  tred2(V, d, e, n);
  tql2(V, d, e, n);
  // tql2 leaves them unordered; sort largest first, moving the vector columns along.
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => d[y] - d[x]);
  const values = new Float64Array(n);
  const vectors = new Float64Array(n * n);
  order.forEach((src, k) => {
    values[k] = d[src];
    for (let i = 0; i < n; i++) vectors[i * n + k] = V[i * n + src];
  });
  return { values, vectors };
}

/** Householder reduction of V (symmetric, in place) to tridiagonal form: diagonal d, sub-diagonal e; V becomes the transform. */
function tred2(V: Float64Array, d: Float64Array, e: Float64Array, n: number): void {
  for (let j = 0; j < n; j++) d[j] = V[(n - 1) * n + j];
  for (let i = n - 1; i > 0; i--) {
    let scale = 0;
    let h = 0;
    for (let k = 0; k < i; k++) scale += Math.abs(d[k]);
    if (scale === 0) {
      e[i] = d[i - 1];
      for (let j = 0; j < i; j++) {
        d[j] = V[(i - 1) * n + j];
        V[i * n + j] = 0;
        V[j * n + i] = 0;
      }
    } else {
      for (let k = 0; k < i; k++) {
        d[k] /= scale;
        h += d[k] * d[k];
      }
      let f = d[i - 1];
      let g = Math.sqrt(h);
      if (f > 0) g = -g;
      e[i] = scale * g;
      h -= f * g;
      d[i - 1] = f - g;
      for (let j = 0; j < i; j++) e[j] = 0;
      for (let j = 0; j < i; j++) {
        f = d[j];
        V[j * n + i] = f;
        g = e[j] + V[j * n + j] * f;
        for (let k = j + 1; k <= i - 1; k++) {
          g += V[k * n + j] * d[k];
          e[k] += V[k * n + j] * f;
        }
        e[j] = g;
      }
      f = 0;
      for (let j = 0; j < i; j++) {
        e[j] /= h;
        f += e[j] * d[j];
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) e[j] -= hh * d[j];
      for (let j = 0; j < i; j++) {
        f = d[j];
        g = e[j];
        for (let k = j; k <= i - 1; k++) V[k * n + j] -= f * e[k] + g * d[k];
        d[j] = V[(i - 1) * n + j];
        V[i * n + j] = 0;
      }
    }
    d[i] = h;
  }
  // Accumulate the transformations.
  for (let i = 0; i < n - 1; i++) {
    V[(n - 1) * n + i] = V[i * n + i];
    V[i * n + i] = 1;
    const h = d[i + 1];
    if (h !== 0) {
      for (let k = 0; k <= i; k++) d[k] = V[k * n + i + 1] / h;
      for (let j = 0; j <= i; j++) {
        let g = 0;
        for (let k = 0; k <= i; k++) g += V[k * n + i + 1] * V[k * n + j];
        for (let k = 0; k <= i; k++) V[k * n + j] -= g * d[k];
      }
    }
    for (let k = 0; k <= i; k++) V[k * n + i + 1] = 0;
  }
  for (let j = 0; j < n; j++) {
    d[j] = V[(n - 1) * n + j];
    V[(n - 1) * n + j] = 0;
  }
  V[n * n - 1] = 1;
  e[0] = 0;
}

/** Implicit QL iterations on the tridiagonal (d, e), rotating V's columns into eigenvectors. */
function tql2(V: Float64Array, d: Float64Array, e: Float64Array, n: number): void {
  for (let i = 1; i < n; i++) e[i - 1] = e[i];
  e[n - 1] = 0;
  let f = 0;
  let tst1 = 0;
  const eps = 2 ** -52;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]));
    let m = l;
    while (m < n && Math.abs(e[m]) > eps * tst1) m++;
    if (m > l) {
      let iter = 0;
      do {
        if (++iter > 100) throw new Error('symmetricEigen: QL iteration did not converge');
        let g = d[l];
        let p = (d[l + 1] - g) / (2 * e[l]);
        let r = Math.hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l] / (p + r);
        d[l + 1] = e[l] * (p + r);
        const dl1 = d[l + 1];
        let h = g - d[l];
        for (let i = l + 2; i < n; i++) d[i] -= h;
        f += h;
        p = d[m];
        let c = 1;
        let c2 = c;
        let c3 = c;
        const el1 = e[l + 1];
        let s = 0;
        let s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i];
          h = c * p;
          r = Math.hypot(p, e[i]);
          e[i + 1] = s * r;
          s = e[i] / r;
          c = p / r;
          p = c * d[i] - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]);
          for (let k = 0; k < n; k++) {
            const vk = k * n;
            h = V[vk + i + 1];
            V[vk + i + 1] = s * V[vk + i] + c * h;
            V[vk + i] = c * V[vk + i] - s * h;
          }
        }
        p = (-s * s2 * c3 * el1 * e[l]) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(e[l]) > eps * tst1);
    }
    d[l] += f;
    e[l] = 0;
  }
}

function checkMatrix(m: ArrayLike<number>, rows: number, cols: number, what: string): void {
  if (!(Number.isInteger(rows) && rows > 0 && Number.isInteger(cols) && cols > 0) || m.length !== rows * cols) {
    throw new Error(`${what}: expected a ${rows}×${cols} matrix, got ${m.length} values`);
  }
}

/** MᵀM [cols×cols] when `side` is 'cols', MMᵀ [rows×rows] when 'rows'; symmetric, float64. */
function gram(m: ArrayLike<number>, rows: number, cols: number, side: 'rows' | 'cols'): Float64Array {
  const x = Float64Array.from(m as ArrayLike<number>);
  if (side === 'rows') {
    const g = new Float64Array(rows * rows);
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j <= i; j++) {
        let s = 0;
        for (let k = 0; k < cols; k++) s += x[i * cols + k] * x[j * cols + k];
        g[i * rows + j] = g[j * rows + i] = s;
      }
    }
    return g;
  }
  // Accumulate row by row (outer products) so the inner loop walks memory contiguously.
  const g = new Float64Array(cols * cols);
  for (let k = 0; k < rows; k++) {
    const o = k * cols;
    for (let i = 0; i < cols; i++) {
      const xi = x[o + i];
      if (xi === 0) continue;
      const gi = i * cols;
      for (let j = 0; j <= i; j++) g[gi + j] += xi * x[o + j];
    }
  }
  for (let i = 0; i < cols; i++) for (let j = 0; j < i; j++) g[j * cols + i] = g[i * cols + j];
  return g;
}

/** All min(rows, cols) singular values, largest first. */
export function singularValues(m: ArrayLike<number>, rows: number, cols: number): Float64Array {
  checkMatrix(m, rows, cols, 'singularValues');
  const side = cols <= rows ? 'cols' : 'rows';
  const n = Math.min(rows, cols);
  // Rounding can leave tiny negative eigenvalues of a PSD Gram matrix; they are zeros.
  return symmetricEigen(gram(m, rows, cols, side), n).values.map((v) => Math.sqrt(Math.max(v, 0)));
}

export interface TruncatedSvd {
  k: number;
  /** [rows×k] row-major, orthonormal columns. */
  u: Float64Array;
  s: Float64Array;
  /** [cols×k] row-major, orthonormal columns. */
  v: Float64Array;
}

/**
 * The top-k singular triplets M ≈ U·diag(s)·Vᵀ. Where a singular value is (numerically) zero the
 * other side's vector cannot be recovered from M·v/σ and is left as zeros: such a component
 * contributes nothing to M and is kept only so the shapes stay k wide.
 */
export function topSvd(m: ArrayLike<number>, rows: number, cols: number, k: number): TruncatedSvd {
  checkMatrix(m, rows, cols, 'topSvd');
  const n = Math.min(rows, cols);
  if (!(Number.isInteger(k) && k > 0 && k <= n)) throw new Error(`topSvd: k must be in 1..${n}, got ${k}`);
  const colSide = cols <= rows;
  const { values, vectors } = symmetricEigen(gram(m, rows, cols, colSide ? 'cols' : 'rows'), n);
  const s = new Float64Array(k);
  const u = new Float64Array(rows * k);
  const v = new Float64Array(cols * k);
  const tiny = Math.sqrt(Math.max(values[0], 0)) * 1e-12;
  for (let q = 0; q < k; q++) {
    const sigma = Math.sqrt(Math.max(values[q], 0));
    s[q] = sigma;
    // The eigenvector is one side; the other is M·v/σ (or Mᵀ·u/σ).
    const [known, knownLen, other, otherLen] = colSide ? [v, cols, u, rows] : [u, rows, v, cols];
    for (let i = 0; i < knownLen; i++) known[i * k + q] = vectors[i * n + q];
    if (!(sigma > tiny)) continue;
    for (let i = 0; i < otherLen; i++) {
      let acc = 0;
      if (colSide) for (let j = 0; j < cols; j++) acc += m[i * cols + j] * vectors[j * n + q];
      else for (let j = 0; j < rows; j++) acc += m[j * cols + i] * vectors[j * n + q];
      other[i * k + q] = acc / sigma;
    }
  }
  return { k, u, s, v };
}

/**
 * Numerical rank: singular values above `tol`, by default max(rows, cols)·σ_max·2⁻²³ (float32's
 * epsilon, since every matrix here comes from float32 weights or activations).
 */
export function matrixRank(m: ArrayLike<number>, rows: number, cols: number, tol?: number): number {
  const s = singularValues(m, rows, cols);
  const t = tol ?? Math.max(rows, cols) * s[0] * 2 ** -23;
  return s.reduce((n, v) => n + (v > t ? 1 : 0), 0);
}

/** A [n×k] · B [k×m], row-major, in float64 (for merges and tests). */
export function matMul64(a: ArrayLike<number>, b: ArrayLike<number>, n: number, k: number, m: number): Float64Array {
  if (a.length !== n * k || b.length !== k * m) throw new Error(`matMul64: [${n}×${k}]·[${k}×${m}] does not fit ${a.length} and ${b.length} values`);
  const out = new Float64Array(n * m);
  for (let i = 0; i < n; i++) {
    for (let q = 0; q < k; q++) {
      const aiq = a[i * k + q];
      if (aiq === 0) continue;
      for (let j = 0; j < m; j++) out[i * m + j] += aiq * b[q * m + j];
    }
  }
  return out;
}
