import { DataError } from '../../data/parse/errors';
import type { ClickLog } from '../log';
import { PROB_MIN, shownCounts } from './common';
import type { FittedClickModel } from './model';
import { PairIndex } from './pairs';
import { predictScratch, predictSession } from './predict';
import { validateClickLog } from './validate';

export interface ClickModelEvaluation {
  /** Sessions evaluated (those showing at least one result). */
  sessions: number;
  impressions: number;
  /**
   * Mean over sessions of (1/n_s) Σ_r ln P(C_r = c_r | C_<r): the session's log-likelihood (natural
   * log, full click-vector probability by the chain rule) per rank shown; PyClick's LogLikelihood.
   */
  logLikelihood: number;
  /** Mean of perplexityAtRank over the ranks some session showed (the book §5.2). */
  perplexity: number;
  /**
   * Per rank (index r − 1): 2^(−(1/|S_r|) Σ_s log2 P(C_r = c_r)), with P(C_r = 1) predicted from the
   * parameters alone, not conditioned on the session's other clicks (the book's click perplexity,
   * §5.2; PyClick's Perplexity); S_r = sessions that showed rank r; null when none did. For PBM
   * P(C_r = 1) = γ_r α; for cascade-family models it is the marginal over where the user stopped.
   */
  perplexityAtRank: (number | null)[];
  /** The same with P(C_r = c_r | C_<r) (the book's conditional perplexity, §5.3; PyClick's PerplexityCond). */
  conditionalPerplexity: number;
  conditionalPerplexityAtRank: (number | null)[];
  /** Distinct (query, document) pairs of this log the training log never showed (they got the defaults). */
  unseenPairs: number;
  /** Impressions of those pairs. */
  unseenImpressions: number;
  /** Distinct queries of this log absent from the training log. */
  unseenQueries: number;
  /** Ranks this log shows beyond the fitted k (they got the rank default); 0 normally. */
  ranksBeyondFit: number;
}

/** Maps a log's query / document indices to the training log's, by id when the tables differ. */
function indexTranslation(ids: string[] | undefined, trainIds: string[] | undefined): Int32Array | null {
  if (!ids || !trainIds || ids === trainIds) return null;
  const byId = new Map<string, number>();
  for (let i = 0; i < trainIds.length; i++) byId.set(trainIds[i], i);
  const out = new Int32Array(ids.length);
  for (let i = 0; i < ids.length; i++) out[i] = byId.get(ids[i]) ?? -1;
  return out;
}

/**
 * Log-likelihood and perplexity (overall and per rank) of a log under a fitted model, the
 * click-model literature's held-out evaluation (Chuklin, Markov and de Rijke 2015, ch. 5). Pairs
 * the training log never showed get the model's defaults (`m.defaults`) and are counted.
 * A log parsed separately from the training log is matched to it by query and document ids.
 */
export function evaluateClickModel(m: FittedClickModel, log: ClickLog, opts: { name?: string } = {}): ClickModelEvaluation {
  const name = opts.name ?? 'click log';
  validateClickLog(log, name);
  if (!!log.docIds !== !!m.docIds) {
    throw new DataError({
      kind: 'value',
      file: name,
      reason: `documents cannot be matched to the training log's: one names them by id, the other by dataset row`,
    });
  }
  const qMap = indexTranslation(log.queryIds, m.queryIds);
  const dMap = indexTranslation(log.docIds, m.docIds);
  const k = log.k;
  const sessions = log.query.length;
  const n = shownCounts(log);
  const pair = new Int32Array(sessions * k).fill(-1);
  const unseen = new PairIndex(1024);
  const seenQueries = new Uint8Array(log.queryIds.length);
  let unseenImpressions = 0;
  for (let s = 0; s < sessions; s++) {
    const q0 = log.query[s];
    const q = qMap ? qMap[q0] : q0;
    seenQueries[q0] = 1;
    const base = s * k;
    for (let r = 0; r < n[s]; r++) {
      const d0 = log.shown[base + r];
      const d = dMap ? dMap[d0] : d0;
      const p = q >= 0 && d >= 0 ? m.pairs.get(q, d) : -1;
      pair[base + r] = p;
      if (p < 0) {
        unseenImpressions++;
        unseen.add(q0, d0);
      }
    }
  }
  // A query is unseen when no training session showed it (a split shares the id table, so being
  // in the table is not enough).
  const trained = new Uint8Array(m.queryIds.length);
  for (let p = 0; p < m.pairs.size; p++) trained[m.pairs.query[p]] = 1;
  let unseenQueries = 0;
  for (let q0 = 0; q0 < seenQueries.length; q0++) {
    if (!seenQueries[q0]) continue;
    const q = qMap ? qMap[q0] : q0;
    if (q < 0 || !trained[q]) unseenQueries++;
  }

  const cond = new Float64Array(k);
  const marg = new Float64Array(k);
  const scratch = predictScratch(k);
  const log2Marg = new Float64Array(k);
  const log2Cond = new Float64Array(k);
  const atRank = new Float64Array(k);
  let llSum = 0;
  let evaluated = 0;
  let impressions = 0;
  for (let s = 0; s < sessions; s++) {
    const m_ = n[s];
    if (m_ === 0) continue;
    const base = s * k;
    predictSession(m, pair, log.clicks, base, m_, cond, marg, scratch);
    let sessionLl = 0;
    for (let r = 0; r < m_; r++) {
      const pc = Math.max(cond[r], PROB_MIN);
      const pm = Math.max(log.clicks[base + r] ? marg[r] : 1 - marg[r], PROB_MIN);
      sessionLl += Math.log(pc);
      log2Cond[r] += Math.log2(pc);
      log2Marg[r] += Math.log2(pm);
      atRank[r]++;
    }
    llSum += sessionLl / m_;
    evaluated++;
    impressions += m_;
  }
  if (evaluated === 0) throw new DataError({ kind: 'value', file: name, reason: 'no session shows a result: nothing to evaluate' });
  const perRank = (sums: Float64Array) => Array.from(sums, (v, r) => (atRank[r] ? 2 ** (-v / atRank[r]) : null));
  const overall = (xs: (number | null)[]) => {
    const vals = xs.filter((x): x is number => x !== null);
    return vals.reduce((a, b) => a + b, 0) / vals.length;
  };
  const perplexityAtRank = perRank(log2Marg);
  const conditionalPerplexityAtRank = perRank(log2Cond);
  return {
    sessions: evaluated,
    impressions,
    logLikelihood: llSum / evaluated,
    perplexity: overall(perplexityAtRank),
    perplexityAtRank,
    conditionalPerplexity: overall(conditionalPerplexityAtRank),
    conditionalPerplexityAtRank,
    unseenPairs: unseen.size,
    unseenImpressions,
    unseenQueries,
    ranksBeyondFit: Math.max(0, n.reduce((a, b) => Math.max(a, b), 0) - m.k),
  };
}
