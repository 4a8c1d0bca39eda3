import type { ClickLog } from '../log';
import { clickProbabilities, type CompiledClickModel } from '../models/semantics';
import { PROB_MIN } from '../fit/common';

/**
 * What the simulating click model says about a simulated log, for comparing fitted models and
 * estimates with the truth. All per rank (index r − 1), over the sessions of `log`, whose shown
 * rows index `labels` (the dataset's grades).
 */
export interface TruthByRank {
  /** Mean attractiveness a(r, y) of the documents shown at rank r: CTR without position bias. */
  relevanceCtr: number[];
  /**
   * The probability of examining rank r, averaged over the sessions: θ_r = (1/r)^η (or table^η) for
   * PBM; for the cascade family and UBM, P(C_r) ÷ a(r, y_r) from the exact click probabilities of
   * each shown list (it depends on the documents above), over impressions with a(r, y_r) > 0.
   */
  examination: number[];
}

export function truthByRank(labels: ArrayLike<number>, log: ClickLog, m: CompiledClickModel): TruthByRank {
  const k = log.k;
  const impressions = new Float64Array(k);
  const attrSum = new Float64Array(k);
  const examSum = new Float64Array(k);
  const examCount = new Float64Array(k);
  const grades = new Int32Array(k);
  const S = log.query.length;
  for (let s = 0; s < S; s++) {
    const n = sessionGrades(labels, log, s, grades);
    const probs = m.model === 'pbm' ? null : clickProbabilities(m, grades.subarray(0, n));
    for (let r = 0; r < n; r++) {
      const a = m.attractiveness[r * m.grades + grades[r]];
      impressions[r]++;
      attrSum[r] += a;
      if (probs && a > 0) {
        examSum[r] += probs[r] / a;
        examCount[r]++;
      }
    }
  }
  return {
    relevanceCtr: Array.from(attrSum, (v, r) => (impressions[r] ? v / impressions[r] : 0)),
    examination: m.model === 'pbm' ? Array.from(m.examination) : Array.from(examSum, (v, r) => (examCount[r] ? v / examCount[r] : 0)),
  };
}

/** Grades of session s's shown documents into `out`; returns how many slots were filled. */
function sessionGrades(labels: ArrayLike<number>, log: ClickLog, s: number, out: Int32Array): number {
  const base = s * log.k;
  let n = 0;
  while (n < log.k && log.shown[base + n] >= 0) {
    out[n] = labels[log.shown[base + n]];
    n++;
  }
  return n;
}

export interface TruePerplexity {
  perplexity: number;
  perplexityAtRank: (number | null)[];
}

/**
 * The click perplexity of the simulating model itself on `log`, with the conventions of
 * fit/evaluate.ts (P(C_r = 1) from the parameters alone, floored at PROB_MIN; overall = mean over
 * the ranks shown): the floor a fitted model can approach on the same sessions, short of luck.
 */
export function truePerplexity(labels: ArrayLike<number>, log: ClickLog, m: CompiledClickModel): TruePerplexity {
  const k = log.k;
  const log2Sum = new Float64Array(k);
  const atRank = new Float64Array(k);
  const grades = new Int32Array(k);
  for (let s = 0; s < log.query.length; s++) {
    const n = sessionGrades(labels, log, s, grades);
    const p = clickProbabilities(m, grades.subarray(0, n));
    for (let r = 0; r < n; r++) {
      const pc = log.clicks[s * k + r] ? p[r] : 1 - p[r];
      log2Sum[r] += Math.log2(Math.max(pc, PROB_MIN));
      atRank[r]++;
    }
  }
  const perplexityAtRank = Array.from(log2Sum, (v, r) => (atRank[r] ? 2 ** (-v / atRank[r]) : null));
  const shown = perplexityAtRank.filter((x): x is number => x !== null);
  return { perplexity: shown.length ? shown.reduce((a, b) => a + b, 0) / shown.length : Number.NaN, perplexityAtRank };
}
