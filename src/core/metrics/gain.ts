/** Gain conventions: `exp2` (2^y − 1, the LTR convention) and `linear` (y, trec_eval's ndcg_cut). */
export type GainKind = 'exp2' | 'linear';

export function gain(label: number, kind: GainKind): number {
  if (label <= 0) return 0;
  return kind === 'exp2' ? 2 ** label - 1 : label;
}

/** 1 / log2(i + 1) for 1-based rank i. */
export function discount(rank: number): number {
  return 1 / Math.log2(rank + 1);
}
