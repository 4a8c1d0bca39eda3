import type { RankingDataset } from '../../data/dataset';
import { queryCount } from '../../data/dataset';
import { createRng } from '../../experiment/rng';
import { rankTopK, type DeterministicPolicy } from './policy';

/**
 * The 'production' logging ranker of ULTR simulations (ULTRA: a ranker trained on 1% of the
 * labelled training queries, so it is decent but far from perfect): here a linear scorer fitted by
 * ridge-regularised least squares on the grades of a seeded random fraction of the queries, in
 * plain TypeScript (Float64, Cholesky). No tfjs, no backend: it runs the same in the worker, the
 * CLI and tests, in milliseconds even on MSLR-WEB30K's 136 features.
 *
 * Features are standardised on the sample (mean 0, s.d. 1; a constant feature gets weight 0) and
 * the fit minimises Σ (y − ȳ − z·w)² / m + ridge · |w|², m = sampled documents.
 */
export interface ProductionRankerOptions {
  /** Fraction of the queries whose labels the ranker sees; at least one query is used. */
  fraction?: number;
  /** Ridge strength in units of the standardised features' variance. */
  ridge?: number;
  seed: number;
}

export interface LinearScorer {
  /** Weight per feature on the raw (unstandardised) scale, and the offset. */
  weights: Float64Array;
  bias: number;
  /** Queries the fit saw (indices into the dataset). */
  trainQueries: Int32Array;
}

/** Solves A x = b in place for a symmetric positive-definite A (n × n, row-major). */
function choleskySolve(A: Float64Array, b: Float64Array, n: number): Float64Array {
  const L = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = A[i * n + j];
      for (let p = 0; p < j; p++) s -= L[i * n + p] * L[j * n + p];
      if (i === j) L[i * n + i] = Math.sqrt(Math.max(s, 1e-300));
      else L[i * n + j] = s / L[j * n + j];
    }
  }
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = b[i];
    for (let p = 0; p < i; p++) s -= L[i * n + p] * y[p];
    y[i] = s / L[i * n + i];
  }
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i];
    for (let p = i + 1; p < n; p++) s -= L[p * n + i] * x[p];
    x[i] = s / L[i * n + i];
  }
  return x;
}

export function fitLinearScorer(ds: RankingDataset, opts: ProductionRankerOptions): LinearScorer {
  const fraction = opts.fraction ?? 0.01;
  const ridge = opts.ridge ?? 0.1;
  if (!(fraction > 0 && fraction <= 1)) throw new Error(`production ranker: fraction must be in (0, 1], got ${fraction}`);
  if (!(ridge > 0) || !Number.isFinite(ridge)) throw new Error(`production ranker: ridge must be > 0, got ${ridge}`);
  const nQ = queryCount(ds);
  if (nQ === 0) throw new Error('production ranker: the data set has no queries');
  const take = Math.max(1, Math.round(fraction * nQ));
  // A seeded partial Fisher–Yates: the first `take` entries are a uniform sample of queries.
  const rng = createRng(opts.seed).fork('clicks/production-ranker');
  const order = new Int32Array(nQ);
  for (let q = 0; q < nQ; q++) order[q] = q;
  for (let i = 0; i < take; i++) {
    const j = i + rng.int(nQ - i);
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
  const trainQueries = order.slice(0, take).sort();

  const d = ds.nFeatures;
  const X = ds.features;
  const mean = new Float64Array(d);
  const sq = new Float64Array(d);
  let m = 0;
  let yMean = 0;
  for (const q of trainQueries) {
    for (let row = ds.qidOffsets[q]; row < ds.qidOffsets[q + 1]; row++) {
      m++;
      yMean += ds.labels[row];
      for (let j = 0; j < d; j++) {
        const v = X[row * d + j];
        mean[j] += v;
        sq[j] += v * v;
      }
    }
  }
  const weights = new Float64Array(d);
  if (m === 0) return { weights, bias: 0, trainQueries };
  yMean /= m;
  const scale = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    mean[j] /= m;
    const variance = sq[j] / m - mean[j] * mean[j];
    scale[j] = variance > 1e-12 * (1 + mean[j] * mean[j]) ? 1 / Math.sqrt(variance) : 0;
  }
  const gram = new Float64Array(d * d);
  const rhs = new Float64Array(d);
  const z = new Float64Array(d);
  for (const q of trainQueries) {
    for (let row = ds.qidOffsets[q]; row < ds.qidOffsets[q + 1]; row++) {
      for (let j = 0; j < d; j++) z[j] = (X[row * d + j] - mean[j]) * scale[j];
      const y = ds.labels[row] - yMean;
      for (let i = 0; i < d; i++) {
        const zi = z[i];
        if (zi === 0) continue;
        rhs[i] += zi * y;
        for (let j = 0; j <= i; j++) gram[i * d + j] += zi * z[j];
      }
    }
  }
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < i; j++) gram[j * d + i] = gram[i * d + j] /= m;
    gram[i * d + i] = gram[i * d + i] / m + ridge;
    rhs[i] /= m;
  }
  const w = choleskySolve(gram, rhs, d);
  let bias = yMean;
  for (let j = 0; j < d; j++) {
    weights[j] = w[j] * scale[j];
    bias -= weights[j] * mean[j];
  }
  return { weights, bias, trainQueries };
}

/** Scores every row of the dataset with a linear scorer (Float64, so ties are real ties). */
export function scoreRows(ds: RankingDataset, scorer: Pick<LinearScorer, 'weights' | 'bias'>): Float64Array {
  const d = ds.nFeatures;
  const n = ds.labels.length;
  const out = new Float64Array(n);
  const w = scorer.weights;
  for (let row = 0; row < n; row++) {
    let s = scorer.bias;
    const o = row * d;
    for (let j = 0; j < d; j++) s += w[j] * ds.features[o + j];
    out[row] = s;
  }
  return out;
}

/** The production logging policy: the least-squares ranker's top k per query, plus the scorer. */
export function productionPolicy(ds: RankingDataset, k: number, opts: ProductionRankerOptions): DeterministicPolicy & { scorer: LinearScorer; scores: Float64Array } {
  const scorer = fitLinearScorer(ds, opts);
  const scores = scoreRows(ds, scorer);
  return { kind: 'deterministic', name: 'production', k, ranked: rankTopK(ds, scores, k), scorer, scores };
}
