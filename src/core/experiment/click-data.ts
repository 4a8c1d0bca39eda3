import type { ClickLog } from '../clicks/log';
import { estimatePropensities, type PropensityEstimates } from '../clicks/interventions/estimate';
import { compileClickModel } from '../clicks/models/semantics';
import { buildPolicy } from '../clicks/policies/config';
import { simulateClicks } from '../clicks/simulate/simulate';
import { queryCount, type RankingDataset } from '../data/dataset';
import type { ExperimentConfig } from './config';
import { createRng } from './rng';

/** The clicks a run trains its click-based rankers on, and what the estimators may know about them. */
export interface RunClickData {
  /** Sessions on the training queries (shown = rows of the training split). */
  train: ClickLog;
  /** Sessions on the validation queries, for early stopping by clicks; null without a validation split. */
  validation: ClickLog | null;
  /** The click model's examination θ_r per rank (θ_r^η; what IPS with true propensities divides by). */
  trueExamination: number[];
  /** θ_r/θ_1 estimated from a separate randomised log; null unless a ranker asks for estimated propensities. */
  estimated: PropensityEstimates | null;
  k: number;
}

/** Sessions of the validation log: as many per query as the training log has on average. */
function validationSessions(config: ExperimentConfig, train: RankingDataset, validation: RankingDataset): number {
  const perQuery = config.clicks.sessions / Math.max(1, queryCount(train));
  return Math.max(10, Math.round(perQuery * queryCount(validation)));
}

/**
 * Simulates the run's click logs: the logging policy ranks each sampled query's documents, the
 * click model clicks on the top k. Every log takes its own seed forked from the config's seed, so
 * e.g. asking for estimated propensities never changes the training clicks.
 */
export function buildRunClickData(config: ExperimentConfig, train: RankingDataset, validation: RankingDataset | null): RunClickData {
  const spec = config.clicks;
  const root = createRng(config.seed).fork('clicks');
  const seedFor = (label: string) => root.fork(label).int(0x7fffffff);
  const model = compileClickModel(spec.model);
  const k = model.k;
  const simulate = (ds: RankingDataset, label: string, sessions: number, intervention?: typeof spec.estimation.intervention) => {
    const seed = seedFor(label);
    const policy = buildPolicy(ds, spec.policy, k, seed);
    return simulateClicks(ds, policy, model, { sessions, seed, intervention });
  };

  const trainLog = simulate(train, 'train', spec.sessions).log;
  const validationLog = validation && queryCount(validation) > 0 ? simulate(validation, 'validation', validationSessions(config, train, validation)).log : null;
  const wantsEstimate = config.rankers.some((r) => r.estimator === 'ips' && r.propensities === 'estimated');
  const estimated = wantsEstimate ? estimatePropensities(simulate(train, 'estimation', spec.estimation.sessions, spec.estimation.intervention)) : null;
  return { train: trainLog, validation: validationLog, trueExamination: Array.from(model.examination), estimated, k };
}

/**
 * Propensities θ_r/θ_1 an IPS ranker divides by: the true ones, or the estimates (ranks the
 * intervention did not reach, or estimates that are not positive, fall back to the last good value).
 */
export function ipsPropensities(data: RunClickData, which: 'true' | 'estimated'): number[] {
  if (which === 'true' || !data.estimated) {
    const t1 = data.trueExamination[0] || 1;
    return data.trueExamination.map((t) => t / t1);
  }
  const out: number[] = [];
  let last = 1;
  for (let r = 0; r < data.k; r++) {
    const e = data.estimated.ranks[r]?.propensity;
    if (e !== undefined && Number.isFinite(e) && e > 0) last = e;
    out.push(last);
  }
  return out;
}
