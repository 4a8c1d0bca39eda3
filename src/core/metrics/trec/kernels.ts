import type { RankedQuery } from './ranking';
import { IN_POOL_UNJUDGED, NOT_IN_POOL } from './ranking';

/*
 * The per-query computations trec_eval has and ../kernels.ts lacks, each following the arithmetic
 * of its trec_eval source file step for step (same operations, same order), so that the doubles
 * come out bit-identical and the fourth printed decimal agrees.
 */

/**
 * DCG over the top k retrieved documents with trec_eval's gains: the grade itself (m_ndcg_cut.c;
 * m_ndcg.c's default gains are the same), non-positive codes add nothing.
 * trec_eval divides by log2(rank + 1); ../kernels.ts multiplies by its reciprocal, which can
 * differ in the last bit, hence this copy.
 */
export function trecDcg(rel: ArrayLike<number>, k: number): number {
  let sum = 0;
  const n = Math.min(k, rel.length);
  for (let i = 0; i < n; i++) {
    const gain = rel[i];
    if (gain > 0) sum += gain / Math.log2(i + 2);
  }
  return sum;
}

/**
 * Ideal DCG over the first k places of the ideal ranking: every judged document with a positive
 * grade, highest grade first, whether retrieved or not (trec_eval builds it from rel_levels, i.e.
 * from all the qrels of the query).
 */
export function trecIdealDcg(levels: readonly number[], k: number): number {
  let sum = 0;
  let rank = 0;
  for (let grade = levels.length - 1; grade > 0; grade--) {
    for (let c = 0; c < levels[grade]; c++) {
      if (rank >= k) return sum;
      sum += grade / Math.log2(rank + 2);
      rank++;
    }
  }
  return sum;
}

/** nDCG@k as m_ndcg_cut.c computes it (k = Infinity: m_ndcg.c with default gains); 0 when no document has a positive grade. */
export function trecNdcg(q: RankedQuery, k: number): number {
  const dcg = trecDcg(q.rel, k);
  const ideal = trecIdealDcg(q.levels, k);
  return ideal > 0 ? dcg / ideal : 0;
}

/**
 * bpref (m_bpref.c): for each judged relevant document retrieved, 1 − (judged non-relevant
 * documents above it, capped at R) ÷ min(judged non-relevant, R), averaged over R = numRel.
 * Unjudged documents, in the pool (negative grade) or not, are skipped, not counted non-relevant.
 */
export function bpref(q: RankedQuery): number {
  let numNonrel = 0;
  for (let g = 0; g < q.relevanceLevel; g++) numNonrel += q.levels[g] ?? 0;
  let nonrelSoFar = 0;
  let value = 0;
  for (let i = 0; i < q.rel.length; i++) {
    const code = q.rel[i];
    if (code === NOT_IN_POOL || code === IN_POOL_UNJUDGED) continue;
    if (code >= 0 && code < q.relevanceLevel) nonrelSoFar++;
    else if (nonrelSoFar > 0) value += 1 - Math.min(nonrelSoFar, q.numRel) / Math.min(numNonrel, q.numRel);
    else value += 1;
  }
  if (q.numRel) value /= q.numRel;
  return value;
}

/**
 * Interpolated precision at recall points (m_iprec_at_recall.c; m_11pt_avg.c averages the same
 * values). A recall fraction p becomes the cutoff ⌊p·R + 0.9⌋ relevant documents; the precision at
 * a cutoff is the best precision at or below that rank. `fractions` in the order given, as
 * trec_eval walks them (it sorts iprec_at_recall's but not 11pt_avg's).
 */
export function interpolatedPrecision(q: RankedQuery, fractions: readonly number[]): number[] {
  const out = new Array<number>(fractions.length).fill(0);
  const cutoffs = fractions.map((p) => Math.trunc(p * q.numRel + 0.9));
  let current = cutoffs.length - 1;
  while (current >= 0 && cutoffs[current] > q.numRelRet) current--;
  // Walk up from the bottom of the ranking so that the running maximum is the interpolation.
  let interpolated = q.numRelRet / q.numRet;
  let relSoFar = q.numRelRet;
  for (let i = q.numRet; i > 0 && relSoFar > 0; i--) {
    const precision = relSoFar / i;
    if (interpolated < precision) interpolated = precision;
    if (q.rel[i - 1] >= q.relevanceLevel) {
      while (current >= 0 && relSoFar === cutoffs[current]) out[current--] = interpolated;
      relSoFar--;
    }
  }
  while (current >= 0) out[current--] = interpolated;
  return out;
}
