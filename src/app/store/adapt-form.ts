import { defaultAdaptForm, type AdaptForm } from '../../core/share/panel-forms';
import type { AdaptTrainConfig, TextEstimator } from '../../core/text/adapt/types';
import { DEFAULT_ADAPTATION, type AdaptationConfig } from '../../core/text/lora/adaptation';

/**
 * The "Adapt the reranker" settings as typed, and the training config they make. The form's
 * schema, type and defaults live in core (share links carry them); numbers stay as typed (NaN for
 * an unreadable field) so the form can say what is wrong beside the field.
 */
export type { AdaptForm };
export { defaultAdaptForm };

/** Fixed for the demo: list shapes, lengths and validation depth that fit a 2-core laptop. */
const FIXED = {
  listsPerStep: 4,
  listSize: 8,
  warmupSteps: 5,
  clipNorm: 1,
  maxLength: 128,
  rerankDepth: 30,
  rankMePairs: 64,
  topK: 10,
  epsilonMinus: 0.1,
  epsilonPlus: 1,
  clip: 0,
} as const;

export type AdaptFormErrors = Partial<Record<keyof AdaptForm, string>>;

const whole = (v: number, min: number, max = Infinity) => Number.isInteger(v) && v >= min && v <= max;

/** What is wrong with each field, in words, for the message beside it. */
export function adaptFormErrors(f: AdaptForm): AdaptFormErrors {
  const e: AdaptFormErrors = {};
  const lowRank = f.kind !== 'head' && f.kind !== 'full';
  if (lowRank && !whole(f.r, 1, 256)) e.r = 'r must be a whole number from 1 to 256';
  if (lowRank && !(Number.isFinite(f.alpha) && f.alpha > 0)) e.alpha = 'α must be a positive number';
  if (lowRank && !(Number.isFinite(f.dropout) && f.dropout >= 0 && f.dropout < 1)) e.dropout = 'dropout must be at least 0 and below 1';
  if (lowRank && f.targets.length === 0) e.targets = 'target at least one layer';
  if (f.signal === 'clicks') {
    if (!whole(f.sessionsPerQuery, 1, 100_000)) e.sessionsPerQuery = 'sessions per query must be a whole number from 1 to 100,000';
    if (!(Number.isFinite(f.eta) && f.eta >= 0 && f.eta <= 10)) e.eta = 'η must be a number from 0 to 10';
  }
  if (!whole(f.skipTopUnlabelled, 0, 100)) e.skipTopUnlabelled = 'a whole number from 0 to 100';
  if (!whole(f.steps, 1, 100_000)) e.steps = 'steps must be a whole number from 1 to 100,000';
  if (!(Number.isFinite(f.learningRate) && f.learningRate > 0 && f.learningRate <= 1)) e.learningRate = 'the learning rate must be above 0 and at most 1';
  if (!whole(f.evalEvery, 1, 100_000)) e.evalEvery = 'a whole number of steps, at least 1';
  if (!whole(f.patience, 0, 1000)) e.patience = 'a whole number of validations (0 = never stop early)';
  if (!whole(f.seed, 0, 2 ** 31 - 1)) e.seed = 'the seed must be a whole number ≥ 0';
  return e;
}

export function adaptationOf(f: AdaptForm): AdaptationConfig {
  return { ...DEFAULT_ADAPTATION, kind: f.kind, r: f.r, alpha: f.alpha, dropout: f.dropout, targetModules: [...f.targets] };
}

export function adaptTrainConfig(f: AdaptForm): AdaptTrainConfig {
  return {
    seed: f.seed,
    adaptation: adaptationOf(f),
    signal:
      f.signal === 'labels'
        ? { kind: 'labels' }
        : { kind: 'clicks', estimator: f.estimator, sessionsPerQuery: f.sessionsPerQuery, topK: FIXED.topK, eta: f.eta, epsilonMinus: FIXED.epsilonMinus, epsilonPlus: FIXED.epsilonPlus, clip: FIXED.clip },
    loss: f.loss,
    negatives: { kind: f.negatives, skipTopUnlabelled: f.skipTopUnlabelled },
    steps: f.steps,
    listsPerStep: FIXED.listsPerStep,
    listSize: FIXED.listSize,
    learningRate: f.learningRate,
    warmupSteps: Math.min(FIXED.warmupSteps, Math.floor(f.steps / 4)),
    clipNorm: FIXED.clipNorm,
    maxLength: FIXED.maxLength,
    evalEvery: f.evalEvery,
    patience: f.patience,
    rerankDepth: FIXED.rerankDepth,
    rankMePairs: FIXED.rankMePairs,
  };
}

const ESTIMATOR_LABEL: Record<TextEstimator, string> = { naive: 'naive', ips: 'IPS', dla: 'DLA' };

/** The run's name in legends: method, rank, signal. */
export function adaptRunLabel(f: AdaptForm, methodLabel: string): string {
  const rank = f.kind === 'head' || f.kind === 'full' ? '' : ` r=${f.r}`;
  const signal = f.signal === 'labels' ? 'labels' : `clicks ${ESTIMATOR_LABEL[f.estimator]}`;
  return `${methodLabel}${rank} · ${signal}`;
}

/** The form a saved run was trained with, so a resumed run's settings show what it is. */
export function formOfConfig(cfg: AdaptTrainConfig): AdaptForm {
  const a = cfg.adaptation;
  const s = cfg.signal;
  return {
    kind: a.kind,
    r: a.r,
    alpha: a.alpha,
    dropout: a.dropout,
    targets: [...a.targetModules],
    signal: s.kind,
    estimator: s.kind === 'clicks' ? s.estimator : defaultAdaptForm.estimator,
    sessionsPerQuery: s.kind === 'clicks' ? s.sessionsPerQuery : defaultAdaptForm.sessionsPerQuery,
    eta: s.kind === 'clicks' ? s.eta : defaultAdaptForm.eta,
    loss: cfg.loss,
    negatives: cfg.negatives.kind,
    skipTopUnlabelled: cfg.negatives.skipTopUnlabelled,
    steps: cfg.steps,
    learningRate: cfg.learningRate,
    evalEvery: cfg.evalEvery,
    patience: cfg.patience,
    seed: cfg.seed,
  };
}
