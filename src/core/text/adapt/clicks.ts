import type { Rng } from '../../experiment/rng';
import { gradeMap } from './data';
import type { AdaptQuery } from './types';

/**
 * Simulated click sessions on the first stage's ranking, position-based model:
 * P(E_r) = (1/r)^η, P(C | E, y) = ε− + (ε+ − ε−)(2^y − 1)/(2^ymax − 1).
 *
 * Why not clicks/simulate: it simulates on a columnar RankingDataset through a logging policy
 * over feature rows; here the logged ranking is a fixed per-query candidate list of corpus indices,
 * so using it would mean building a fake feature dataset per run. This is the same PBM in a few
 * lines, drawing from our seeded Rng.
 *
 * Sessions without a click are kept, as clicks/simulate and rank/sessions.ts keep them: the
 * estimators skip lists with no positive target themselves (the losses leave them out of the mean),
 * and dropping them would change how often each query is sampled.
 */

export interface ClickSessions {
  k: number;
  /** Per session, the index of its query in the training queries. */
  query: Int32Array;
  /** [nSessions × k], 0/1; slots beyond a short list are 0 (and masked by the trainer). */
  clicks: Uint8Array;
  /** Shown passages per training query (its first-stage top-k), with their grades. */
  shown: { passages: number[]; labels: number[] }[];
}

export interface PbmSettings {
  topK: number;
  eta: number;
  epsilonMinus: number;
  epsilonPlus: number;
  sessionsPerQuery: number;
}

/** θ_r = (1/r)^η for r = 1..k: the true examination probabilities (what IPS is given). */
export const pbmPropensities = (k: number, eta: number): number[] => Array.from({ length: k }, (_, r) => (1 / (r + 1)) ** eta);

export function clickProbability(label: number, ymax: number, epsilonMinus: number, epsilonPlus: number): number {
  const y = Math.max(0, Math.min(label, ymax));
  return epsilonMinus + ((epsilonPlus - epsilonMinus) * (2 ** y - 1)) / (2 ** ymax - 1);
}

/** `sessionsPerQuery` sessions for every training query with candidates (none for the others), in query order. */
export function simulatePbmSessions(queries: readonly AdaptQuery[], s: PbmSettings, ymax: number, rng: Rng): ClickSessions {
  const k = s.topK;
  const theta = pbmPropensities(k, s.eta);
  const shown = queries.map((q) => {
    const grades = gradeMap(q);
    const passages = q.candidates.slice(0, k);
    return { passages, labels: passages.map((p) => grades.get(p) ?? 0) };
  });
  const active = queries.map((q, i) => (q.candidates.length > 0 ? i : -1)).filter((i) => i >= 0);
  const n = active.length * s.sessionsPerQuery;
  const query = new Int32Array(n);
  const clicks = new Uint8Array(n * k);
  let i = 0;
  for (const qi of active) {
    const probs = shown[qi].labels.map((y, r) => theta[r] * clickProbability(y, ymax, s.epsilonMinus, s.epsilonPlus));
    for (let t = 0; t < s.sessionsPerQuery; t++, i++) {
      query[i] = qi;
      for (let r = 0; r < probs.length; r++) clicks[i * k + r] = rng.next() < probs[r] ? 1 : 0;
    }
  }
  return { k, query, clicks, shown };
}
