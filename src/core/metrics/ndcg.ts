import type { GainKind } from './gain';
import { idealDcgAt } from './kernels';
import { evaluateLists, type NoRelevantPolicy } from './list-eval';
import { formatListMeasure } from './measures';

export type { NoRelevantPolicy } from './list-eval';

export interface NdcgOptions {
  k: number;
  gain: GainKind;
  noRelevant: NoRelevantPolicy;
}

/*
 * nDCG in list mode, as the app's charts and the CLI read it. These are thin wrappers over
 * `evaluateLists` so that the training charts, the CLI and any other list-mode evaluation share
 * one ranking (ties in document order) and one set of kernels.
 */

/** Ideal DCG@k of the documents [from, to): their labels sorted descending. */
export function idealDcg(labels: ArrayLike<number>, from: number, to: number, k: number, kind: GainKind): number {
  return idealDcgAt(Array.prototype.slice.call(labels, from, to) as number[], k, kind);
}

/** DCG@k of the documents [from, to) ranked by `scores` (ties in document order). */
export function dcgAtK(scores: ArrayLike<number>, labels: ArrayLike<number>, from: number, to: number, k: number, kind: GainKind): number {
  const r = evaluateLists(scores, labels, Int32Array.of(from, to), [{ name: 'dcg', k }], { gain: kind, noRelevant: 'zero' });
  return r.perQuery[formatListMeasure({ name: 'dcg', k })][0];
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
  return evaluateLists(scores, labels, qidOffsets, [{ name: 'ndcg', k }], { gain: kind, noRelevant: 'drop' }).perQuery[formatListMeasure({ name: 'ndcg', k })];
}

/** Mean over queries, with queries lacking any relevant document dropped or counted as 0 or 1. */
export function meanNdcg(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  qidOffsets: Int32Array,
  opts: NdcgOptions,
): number {
  return evaluateLists(scores, labels, qidOffsets, [{ name: 'ndcg', k: opts.k }], opts).mean[formatListMeasure({ name: 'ndcg', k: opts.k })];
}
