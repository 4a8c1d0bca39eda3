import { discount, gain, type GainKind } from './gain';

/**
 * Per-list measures over relevance labels already in rank order (rank 1 first). Both evaluation
 * modes use these: list mode (labels of the candidate list) and trec_eval mode (qrels grades of
 * the retrieved documents, unjudged = 0), so a measure is written once.
 * `rel[i]` is the label at rank i + 1; a label ≥ `threshold` (default 1) is relevant.
 */
export type RankedLabels = ArrayLike<number>;

/** DCG@k = Σ_{i ≤ k} g(y_i) / log2(i + 1). */
export function dcgAt(rel: RankedLabels, k: number, kind: GainKind): number {
  let dcg = 0;
  const n = Math.min(k, rel.length);
  for (let i = 0; i < n; i++) dcg += gain(rel[i], kind) * discount(i + 1);
  return dcg;
}

/** DCG@k of the ideal order of `labels` (any order): the labels sorted descending. */
export function idealDcgAt(labels: ArrayLike<number>, k: number, kind: GainKind): number {
  return dcgAt(Array.from(labels).sort((a, b) => b - a), k, kind);
}

/**
 * ERR@k (Chapelle et al. 2009): Σ_r (1/r) R_r Π_{i<r} (1 − R_i), with R = (2^y − 1) / 2^ymax.
 */
export function errAt(rel: RankedLabels, k: number, ymax: number): number {
  let err = 0;
  let notStopped = 1;
  const scale = 2 ** ymax;
  const n = Math.min(k, rel.length);
  for (let i = 0; i < n; i++) {
    const y = Math.max(0, Math.min(rel[i], ymax));
    const r = (2 ** y - 1) / scale;
    err += (notStopped * r) / (i + 1);
    notStopped *= 1 - r;
  }
  return err;
}

/** Relevant documents in the top k. */
export function hitsAt(rel: RankedLabels, k: number, threshold = 1): number {
  let hits = 0;
  const n = Math.min(k, rel.length);
  for (let i = 0; i < n; i++) if (rel[i] >= threshold) hits++;
  return hits;
}

/** P@k = relevant in the top k ÷ k (k, not the list length: trec_eval's P_k). */
export function precisionAt(rel: RankedLabels, k: number, threshold = 1): number {
  return hitsAt(rel, k, threshold) / k;
}

/** R@k = relevant in the top k ÷ all relevant (numRelevant from the judgements); 0 when none. */
export function recallAt(rel: RankedLabels, k: number, numRelevant: number, threshold = 1): number {
  return numRelevant > 0 ? hitsAt(rel, k, threshold) / numRelevant : 0;
}

/** AP = Σ_{relevant at rank r} P@r ÷ numRelevant; relevant documents never retrieved add 0. */
export function averagePrecision(rel: RankedLabels, numRelevant: number, threshold = 1): number {
  if (numRelevant <= 0) return 0;
  let hits = 0;
  let sum = 0;
  for (let i = 0; i < rel.length; i++) {
    if (rel[i] >= threshold) {
      hits++;
      sum += hits / (i + 1);
    }
  }
  return sum / numRelevant;
}

/** 1 / rank of the first relevant document; 0 when none is retrieved. */
export function reciprocalRank(rel: RankedLabels, threshold = 1): number {
  for (let i = 0; i < rel.length; i++) if (rel[i] >= threshold) return 1 / (i + 1);
  return 0;
}
