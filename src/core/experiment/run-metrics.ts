import type { ClickLog } from '../clicks/log';
import type { RankingDataset } from '../data/dataset';
import { evaluateLists } from '../metrics/list-eval';
import { formatListMeasure, type ListMeasure } from '../metrics/measures';
import type { ExperimentConfig } from './config';

/**
 * What the charts and the final table show for a split: nDCG@1/3/5/10, ERR@10 and nDCG at the
 * config's cutoff (the headline number), keyed as `formatListMeasure` spells them.
 */
export function runMeasures(config: ExperimentConfig): ListMeasure[] {
  const measures: ListMeasure[] = [1, 3, 5, 10].map((k) => ({ name: 'ndcg', k }));
  if (![1, 3, 5, 10].includes(config.eval.k)) measures.push({ name: 'ndcg', k: config.eval.k });
  measures.push({ name: 'err', k: 10 });
  return measures;
}

export function headlineKey(config: ExperimentConfig): string {
  return formatListMeasure({ name: 'ndcg', k: config.eval.k });
}

/** Means of the run's measures for one split scored by one ranker. */
export function evaluateSplit(scores: ArrayLike<number>, ds: RankingDataset, config: ExperimentConfig): Record<string, number> {
  return evaluateLists(scores, ds.labels, ds.qidOffsets, runMeasures(config), {
    gain: config.eval.gain,
    noRelevant: config.eval.noRelevant,
  }).mean;
}

/**
 * Validation by clicks, for when labels are hidden: nDCG@k of each logged session's shown list
 * re-ranked by the ranker, with the clicks as gains (sessions without a click are dropped). Biased
 * by position like any click metric, but it needs nothing the user would not have.
 */
export function clickNdcg(scoresByRow: ArrayLike<number>, log: ClickLog, config: ExperimentConfig): number {
  const k = log.k;
  const scores: number[] = [];
  const gains: number[] = [];
  const offsets: number[] = [0];
  for (let s = 0; s < log.query.length; s++) {
    for (let r = 0; r < k; r++) {
      const row = log.shown[s * k + r];
      if (row < 0) break;
      scores.push(scoresByRow[row]);
      gains.push(log.clicks[s * k + r]);
    }
    offsets.push(scores.length);
  }
  const m: ListMeasure = { name: 'ndcg', k: config.eval.k };
  return evaluateLists(scores, gains, Int32Array.from(offsets), [m], { gain: 'linear', noRelevant: 'drop' }).mean[formatListMeasure(m)];
}
