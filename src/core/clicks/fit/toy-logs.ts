import { createRng } from '../../experiment/rng';
import type { ClickLog } from '../log';
import type { ClickModelName } from './common';

/**
 * Small, hand-written click-log generators with known parameters, for the fitting tests and the
 * fitting benchmark: enough to check that a fit recovers what generated the data. (The app's click
 * simulator, on real rankings, lives in clicks/simulate.)
 */
export interface ToyTruth {
  model: ClickModelName;
  /** α per document (global document index = query · docsPerQuery + j). */
  attractiveness: Float64Array;
  /** DBN: σ per document. */
  satisfaction?: Float64Array;
  /** PBM: P(E_r), k values. UBM: k × k, [r·k + d − 1] as in FittedClickModel. */
  examination?: Float64Array;
  /** DCM: λ_r. */
  lambda?: Float64Array;
  /** DBN: γ. */
  gamma?: number;
}

export interface ToyLogOptions {
  sessions: number;
  queries: number;
  docsPerQuery: number;
  k: number;
  seed: number;
  truth: ToyTruth;
}

/** PBM examination (1/r)^η for r = 1..k. */
export function powerExamination(k: number, eta: number): Float64Array {
  return Float64Array.from({ length: k }, (_, r) => (1 / (r + 1)) ** eta);
}

/**
 * Sessions over random queries; each shows k of its query's documents in a random order (so every
 * document is seen at many ranks, which is what identifies examination from attractiveness), and
 * clicks drawn from the truth's model.
 */
export function toyLog(o: ToyLogOptions): ClickLog {
  const { sessions, queries, docsPerQuery, k, truth } = o;
  if (k > docsPerQuery) throw new RangeError('k must not exceed docsPerQuery');
  const rng = createRng(o.seed);
  const query = new Int32Array(sessions);
  const shown = new Int32Array(sessions * k);
  const clicks = new Uint8Array(sessions * k);
  const perm = new Int32Array(docsPerQuery);
  const A = truth.attractiveness;
  for (let s = 0; s < sessions; s++) {
    const q = rng.int(queries);
    query[s] = q;
    for (let j = 0; j < docsPerQuery; j++) perm[j] = j;
    const base = s * k;
    for (let r = 0; r < k; r++) {
      const j = r + rng.int(docsPerQuery - r);
      const t = perm[r];
      perm[r] = perm[j];
      perm[j] = t;
      shown[base + r] = q * docsPerQuery + perm[r];
    }
    switch (truth.model) {
      case 'pbm':
        for (let r = 0; r < k; r++) clicks[base + r] = rng.next() < truth.examination![r] && rng.next() < A[shown[base + r]] ? 1 : 0;
        break;
      case 'ubm': {
        let prev = -1;
        for (let r = 0; r < k; r++) {
          const e = truth.examination![r * k + r - prev - 1];
          if (rng.next() < e && rng.next() < A[shown[base + r]]) {
            clicks[base + r] = 1;
            prev = r;
          }
        }
        break;
      }
      case 'cascade':
        for (let r = 0; r < k; r++) {
          if (rng.next() < A[shown[base + r]]) {
            clicks[base + r] = 1;
            break;
          }
        }
        break;
      case 'dcm':
        for (let r = 0; r < k; r++) {
          if (rng.next() < A[shown[base + r]]) {
            clicks[base + r] = 1;
            if (rng.next() >= truth.lambda![r]) break;
          }
        }
        break;
      case 'dbn':
        for (let r = 0; r < k; r++) {
          const d = shown[base + r];
          if (rng.next() < A[d]) {
            clicks[base + r] = 1;
            if (rng.next() < truth.satisfaction![d]) break;
          }
          if (rng.next() >= truth.gamma!) break;
        }
        break;
    }
  }
  return { k, query, shown, clicks, queryIds: Array.from({ length: queries }, (_, q) => `q${q}`) };
}

/** Per-document parameters drawn uniformly from [lo, hi). */
export function uniformParams(n: number, seed: number, lo: number, hi: number): Float64Array {
  const rng = createRng(seed);
  return Float64Array.from({ length: n }, () => lo + (hi - lo) * rng.next());
}

/** A hand-written log: per session [query, [doc, click]...]; ids q<i>, d<j>. */
export function handLog(k: number, sessions: [number, [number, number][]][], withDocIds = true): ClickLog {
  const n = sessions.length;
  const log: ClickLog = {
    k,
    query: new Int32Array(n),
    shown: new Int32Array(n * k).fill(-1),
    clicks: new Uint8Array(n * k),
    queryIds: Array.from({ length: 1 + Math.max(0, ...sessions.map((s) => s[0])) }, (_, i) => `q${i}`),
  };
  let maxDoc = 0;
  sessions.forEach(([q, slots], s) => {
    log.query[s] = q;
    slots.forEach(([d, c], r) => {
      log.shown[s * k + r] = d;
      log.clicks[s * k + r] = c;
      maxDoc = Math.max(maxDoc, d);
    });
  });
  if (withDocIds) log.docIds = Array.from({ length: maxDoc + 1 }, (_, i) => `d${i}`);
  return log;
}
