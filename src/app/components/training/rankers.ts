import type { ExperimentConfig, ModelSpec, RankerSpec } from '../../../core/experiment/config';
import { ESTIMATOR_NAMES, type EstimatorName } from '../../../core/rank/estimators/types';
import { LOSS_NAMES, type LossName } from '../../../core/rank/losses/types';
import type { SelectOption } from '../fields';

/** The config's limit; the add button stops there rather than letting the schema refuse. */
export const MAX_RANKERS = 6;

/** Short names: they sit in a narrow sidebar select and a table column; the hints say more. */
export const ESTIMATOR_OPTIONS: readonly SelectOption<EstimatorName>[] = [
  { value: 'oracle', label: 'Oracle' },
  { value: 'naive', label: 'Naive' },
  { value: 'ips', label: 'IPS' },
  { value: 'dla', label: 'DLA' },
  { value: 'rem', label: 'REM' },
  { value: 'paird', label: 'PairD' },
  { value: 'pal', label: 'PAL' },
];

/** Short hover text per estimator: what it does, in one breath. */
export const ESTIMATOR_HINTS: Record<EstimatorName, string> = {
  oracle: 'Oracle: learns from the true relevance labels: the upper bound click-based learners chase.',
  naive: 'Naive: treats every click as relevant and every skip as not: learns position bias along with relevance.',
  ips: 'IPS (inverse propensity scoring): weights each click by 1 / examination probability of its rank (true or estimated propensities).',
  dla: 'DLA (dual learning algorithm): learns the ranker and a propensity model together, each debiasing the other.',
  rem: 'REM (regression EM): alternates estimating examination and relevance from the clicks.',
  paird: 'PairD (pairwise debiasing): a RankNet-style loss with per-rank bias ratios for clicks and skips.',
  pal: 'PAL (position-bias-aware learning, two-tower): an additive bias tower models position during training and is dropped at inference.',
};

const LOSS_LABELS: Record<LossName, string> = {
  pointwise: 'Pointwise',
  ranknet: 'RankNet',
  softmax: 'Softmax',
  listmle: 'ListMLE',
  lambdarank: 'LambdaRank',
  lambdaloss: 'LambdaLoss',
  approxndcg: 'ApproxNDCG',
  neuralsort: 'NeuralSort',
  pgrank: 'PG-Rank',
};

/** What each loss is, for hover text (the select shows the short name). */
export const LOSS_HINT =
  'Pointwise: sigmoid cross-entropy per document. RankNet: pairwise logistic. Softmax: listwise softmax cross-entropy (ListNet). ListMLE: Plackett–Luce likelihood. ' +
  'LambdaRank / LambdaLoss: nDCG-weighted pairs. ApproxNDCG: a smooth nDCG. NeuralSort: differentiable sorting. PG-Rank: Plackett–Luce policy gradient with an nDCG reward.';

export const LOSS_OPTIONS: readonly SelectOption<LossName>[] = LOSS_NAMES.map((value) => ({ value, label: LOSS_LABELS[value] }));

export function lossLabel(loss: LossName): string {
  return LOSS_LABELS[loss];
}

export function estimatorLabel(estimator: EstimatorName): string {
  return ESTIMATOR_OPTIONS.find((o) => o.value === estimator)?.label ?? estimator;
}

/**
 * An id that names the estimator ('ips'; 'ips-2' when 'ips' is taken), so the legend says what a
 * line is. `except` is the ranker being renamed, whose own id does not count as taken.
 */
export function rankerIdFor(estimator: EstimatorName, rankers: readonly RankerSpec[], except?: number): string {
  const taken = new Set(rankers.filter((_, i) => i !== except).map((r) => r.id));
  if (!taken.has(estimator)) return estimator;
  for (let n = 2; ; n++) {
    const id = `${estimator}-${n}`;
    if (!taken.has(id)) return id;
  }
}

/** The estimators a teacher most likely wants next, in the order the literature introduces them. */
const ADD_ORDER: readonly EstimatorName[] = ['naive', 'ips', 'dla', 'oracle', 'rem', 'paird', 'pal'];

/** A new ranker: the next estimator not yet in the run, with the last ranker's model and loss for a fair comparison. */
export function newRanker(rankers: readonly RankerSpec[]): RankerSpec {
  const used = new Set(rankers.map((r) => r.estimator));
  const estimator = ADD_ORDER.find((e) => !used.has(e)) ?? ESTIMATOR_NAMES[0];
  const last = rankers[rankers.length - 1];
  return {
    id: rankerIdFor(estimator, rankers),
    estimator,
    model: last ? structuredClone(last.model) : { kind: 'linear' },
    loss: last?.loss,
    propensities: 'true',
    clip: 0,
  };
}

export type ModelKind = ModelSpec['kind'];

/** Switching kind keeps the experiment's MLP shape when another ranker already has one. */
export function modelOfKind(kind: ModelKind, config: ExperimentConfig): ModelSpec {
  const existing = config.rankers.find((r) => r.model.kind === kind)?.model;
  if (existing) return structuredClone(existing);
  if (kind === 'linear') return { kind: 'linear' };
  if (kind === 'mlp') return { kind: 'mlp', hidden: [32, 16], activation: 'elu' };
  return { kind: 'attention', dModel: 32, heads: 2, layers: 2, ffHidden: 64, dropout: 0 };
}

export function describeModel(model: ModelSpec | undefined): string {
  if (!model) return '—';
  if (model.kind === 'linear') return 'linear';
  if (model.kind === 'mlp') return `MLP ${model.hidden.join('×')} (${model.activation})`;
  return `attention d=${model.dModel}, ${model.heads} heads × ${model.layers} layers`;
}

/** Whether any ranker learns from clicks (everything but the oracle does). */
export function usesClicks(config: ExperimentConfig): boolean {
  return config.rankers.some((r) => r.estimator !== 'oracle');
}

/** Whether IPS runs on propensities estimated from an intervention log (which then needs its settings). */
export function usesEstimatedPropensities(config: ExperimentConfig): boolean {
  return config.rankers.some((r) => r.estimator === 'ips' && r.propensities === 'estimated');
}
