import type { RankingDataset } from '../../data/dataset';
import { queryCount } from '../../data/dataset';

/**
 * A logging policy: what the simulated user is shown for a query. Deterministic policies rank
 * once per query (a top-k table reused by every session of that query); stochastic ones sample
 * a ranking per session inside the simulator, from its own seeded stream.
 */
export type LoggingPolicy = DeterministicPolicy | PlackettLucePolicy | RandomPolicy;

export interface DeterministicPolicy {
  kind: 'deterministic';
  /** What produced the ranking ('production', 'scores', 'run'), echoed in summaries. */
  name: string;
  k: number;
  /** Query q's top k dataset rows at q·k .. q·k + k − 1, best first; −1 pads lists shorter than k. */
  ranked: Int32Array;
}

/**
 * Plackett–Luce over scores s with temperature T: the document at each rank is drawn from the
 * remaining ones with probability ∝ exp(s/T). Sampled per session with the Gumbel-top-k trick
 * (the top k of s/T + Gumbel noise is an exact PL sample of the top k).
 */
export interface PlackettLucePolicy {
  kind: 'plackett-luce';
  name: string;
  k: number;
  /** Per dataset row. */
  scores: ArrayLike<number>;
  temperature: number;
}

/** A uniformly random permutation of the query's list per session (its top k shown). */
export interface RandomPolicy {
  kind: 'random';
  name: string;
  k: number;
}

function checkScores(ds: RankingDataset, scores: ArrayLike<number>, what: string): void {
  const n = ds.labels.length;
  if (scores.length !== n) throw new Error(`${what}: ${scores.length} scores for ${n} documents (one score per document, in file order)`);
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(scores[i])) {
      const q = queryOfRow(ds, i);
      throw new Error(`${what}: the score of document ${i - ds.qidOffsets[q]} of query '${ds.queryIds[q]}' (row ${i}) is NaN`);
    }
  }
}

/** The query a dataset row belongs to (binary search over the CSR offsets). */
export function queryOfRow(ds: RankingDataset, row: number): number {
  let lo = 0;
  let hi = queryCount(ds) - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (ds.qidOffsets[mid] <= row) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * The top k rows of each query by score, descending; ties keep the list (file) order, so a
 * ranking is a pure function of the scores.
 */
export function rankTopK(ds: RankingDataset, scores: ArrayLike<number>, k: number): Int32Array {
  const nQ = queryCount(ds);
  const ranked = new Int32Array(nQ * k).fill(-1);
  let idx = new Int32Array(0);
  const byScore = (a: number, b: number) => {
    const sa = scores[a];
    const sb = scores[b];
    return sa > sb ? -1 : sa < sb ? 1 : a - b;
  };
  for (let q = 0; q < nQ; q++) {
    const from = ds.qidOffsets[q];
    const n = ds.qidOffsets[q + 1] - from;
    if (idx.length < n) idx = new Int32Array(n);
    const list = idx.subarray(0, n);
    for (let i = 0; i < n; i++) list[i] = from + i;
    list.sort(byScore);
    ranked.set(list.subarray(0, Math.min(n, k)), q * k);
  }
  return ranked;
}

/** The deterministic policy ranking by the given per-document scores (a score column, a model's output). */
export function scoresPolicy(ds: RankingDataset, scores: ArrayLike<number>, k: number, name = 'scores'): DeterministicPolicy {
  checkScores(ds, scores, name);
  return { kind: 'deterministic', name, k, ranked: rankTopK(ds, scores, k) };
}

export function plackettLucePolicy(ds: RankingDataset, scores: ArrayLike<number>, temperature: number, k: number, name = 'plackett-luce'): PlackettLucePolicy {
  if (!(temperature > 0) || !Number.isFinite(temperature)) {
    throw new Error(`temperature must be > 0 (and finite), got ${temperature}; a deterministic ranking is the 'production' or 'scores' policy`);
  }
  checkScores(ds, scores, name);
  for (let i = 0; i < scores.length; i++) {
    if (!Number.isFinite(scores[i])) throw new Error(`${name}: score of row ${i} is ${scores[i]}; Plackett–Luce needs finite scores`);
  }
  return { kind: 'plackett-luce', name, k, scores, temperature };
}

export function randomPolicy(k: number): RandomPolicy {
  return { kind: 'random', name: 'random', k };
}

/** One feature column as scores (1-based index, as LETOR files number features; e.g. MSLR's BM25). */
export function featureScores(ds: RankingDataset, feature: number): Float32Array {
  if (!Number.isInteger(feature) || feature < 1 || feature > ds.nFeatures) {
    throw new Error(`feature must be an integer in 1..${ds.nFeatures} (the data's features), got ${feature}`);
  }
  const n = ds.labels.length;
  const out = new Float32Array(n);
  for (let row = 0; row < n; row++) out[row] = ds.features[row * ds.nFeatures + feature - 1];
  return out;
}
