import type { ClickLog } from '../log';
import { shownCounts } from './common';
import type { FittedClickModel } from './model';
import { predictScratch, predictSession } from './predict';

/**
 * A fitted model's per-rank curves on a (held-out) log, in the same terms for all five models so
 * they can be drawn next to each other and next to the simulating model's truth:
 *   predictedCtr[r − 1] = mean over the sessions showing rank r of the predicted P(C_r = 1)
 *     (from the parameters alone, as in the click perplexity);
 *   examination[r − 1]  = mean over those impressions of P(C_r = 1) ÷ α(q, d): the probability the
 *     model gives to examining rank r, which is PBM's γ_r itself and, for the cascade family and
 *     UBM, depends on the documents above (as the truth's does).
 * Pairs the model never saw get its defaults (as in evaluateClickModel). The log must share the
 * training log's query and document tables (a split of one log), or name them by id.
 */
export interface FittedCurves {
  predictedCtr: number[];
  examination: number[];
}

function translation(ids: string[] | undefined, trainIds: string[] | undefined): Int32Array | null {
  if (!ids || !trainIds || ids === trainIds) return null;
  const byId = new Map<string, number>();
  trainIds.forEach((id, i) => byId.set(id, i));
  return Int32Array.from(ids, (id) => byId.get(id) ?? -1);
}

export function fittedCurves(m: FittedClickModel, log: ClickLog): FittedCurves {
  const k = log.k;
  const n = shownCounts(log);
  const qMap = translation(log.queryIds, m.queryIds);
  const dMap = translation(log.docIds, m.docIds);
  const pair = new Int32Array(log.shown.length).fill(-1);
  for (let s = 0; s < n.length; s++) {
    const q = qMap ? qMap[log.query[s]] : log.query[s];
    for (let r = 0; r < n[s]; r++) {
      const d0 = log.shown[s * k + r];
      const d = dMap ? dMap[d0] : d0;
      pair[s * k + r] = q >= 0 && d >= 0 ? m.pairs.get(q, d) : -1;
    }
  }
  const cond = new Float64Array(k);
  const marg = new Float64Array(k);
  const scratch = predictScratch(k);
  const ctrSum = new Float64Array(k);
  const examSum = new Float64Array(k);
  const impressions = new Float64Array(k);
  const examCount = new Float64Array(k);
  for (let s = 0; s < n.length; s++) {
    if (n[s] === 0) continue;
    const base = s * k;
    predictSession(m, pair, log.clicks, base, n[s], cond, marg, scratch);
    for (let r = 0; r < n[s]; r++) {
      // predictSession leaves the session's attractiveness in scratch.a.
      const a = scratch.a[r];
      ctrSum[r] += marg[r];
      impressions[r]++;
      if (a > 0) {
        examSum[r] += marg[r] / a;
        examCount[r]++;
      }
    }
  }
  return {
    predictedCtr: Array.from(ctrSum, (v, r) => (impressions[r] ? v / impressions[r] : 0)),
    examination: Array.from(examSum, (v, r) => (examCount[r] ? v / examCount[r] : 0)),
  };
}
