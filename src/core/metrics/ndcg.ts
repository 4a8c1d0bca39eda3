import { discount, gain, type GainKind } from './gain';

/** What a query with no relevant document (IDCG = 0) contributes to the average. */
export type NoRelevantPolicy = 'drop' | 'zero' | 'one';

export interface NdcgOptions {
  k: number;
  gain: GainKind;
  noRelevant: NoRelevantPolicy;
}

/**
 * Ranks documents [from, to) by descending score. Ties keep document order (stable), so a
 * constant scorer is evaluated on the list's given order; synthetic lists are unordered.
 */
function rankedIndices(scores: ArrayLike<number>, from: number, to: number): Int32Array {
  const idx = Int32Array.from({ length: to - from }, (_, i) => from + i);
  return idx.sort((a, b) => scores[b] - scores[a] || a - b);
}

function dcgOfOrder(order: ArrayLike<number>, labels: ArrayLike<number>, k: number, kind: GainKind): number {
  let dcg = 0;
  const n = Math.min(k, order.length);
  for (let i = 0; i < n; i++) dcg += gain(labels[order[i]], kind) * discount(i + 1);
  return dcg;
}

/** Ideal DCG@k of the documents [from, to): their labels sorted descending. */
export function idealDcg(labels: ArrayLike<number>, from: number, to: number, k: number, kind: GainKind): number {
  const sorted = Array.from({ length: to - from }, (_, i) => labels[from + i]).sort((a, b) => b - a);
  let dcg = 0;
  const n = Math.min(k, sorted.length);
  for (let i = 0; i < n; i++) dcg += gain(sorted[i], kind) * discount(i + 1);
  return dcg;
}

/** DCG@k of the documents [from, to) ranked by `scores`. */
export function dcgAtK(scores: ArrayLike<number>, labels: ArrayLike<number>, from: number, to: number, k: number, kind: GainKind): number {
  return dcgOfOrder(rankedIndices(scores, from, to), labels, k, kind);
}

/**
 * nDCG@k per query (list mode: the ideal ranking comes from the candidate list itself).
 * NaN marks a query with no relevant document; `meanNdcg` applies the policy.
 */
export function ndcgPerQuery(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  qidOffsets: Int32Array,
  k: number,
  kind: GainKind,
): Float64Array {
  const nQ = qidOffsets.length - 1;
  const out = new Float64Array(nQ);
  for (let q = 0; q < nQ; q++) {
    const from = qidOffsets[q];
    const to = qidOffsets[q + 1];
    const ideal = idealDcg(labels, from, to, k, kind);
    out[q] = ideal > 0 ? dcgAtK(scores, labels, from, to, k, kind) / ideal : Number.NaN;
  }
  return out;
}

/** Mean over queries, with queries lacking any relevant document dropped or counted as 0 or 1. */
export function meanNdcg(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  qidOffsets: Int32Array,
  opts: NdcgOptions,
): number {
  const perQuery = ndcgPerQuery(scores, labels, qidOffsets, opts.k, opts.gain);
  let sum = 0;
  let count = 0;
  for (const v of perQuery) {
    if (Number.isNaN(v)) {
      if (opts.noRelevant === 'drop') continue;
      sum += opts.noRelevant === 'one' ? 1 : 0;
    } else {
      sum += v;
    }
    count++;
  }
  return count === 0 ? 0 : sum / count;
}
