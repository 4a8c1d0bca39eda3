import type { ClickLog } from '../log';
import { mean, type ClickModelName, type Prior } from './common';
import { evaluateClickModel, type ClickModelEvaluation } from './evaluate';
import { clickModelParams, fitClickModel, type FitOptions, type PairParamSummary } from './fit';
import type { FittedClickModel, UnseenPolicy } from './model';

/**
 * Fit on one log, evaluate on another: the click-model literature's held-out comparison, shared by
 * `rankplay fit-clicks` and the app's click-log panel so both report the same numbers.
 */

export interface HeldOutFit {
  fitted: FittedClickModel;
  evaluation: ClickModelEvaluation;
  /** Caveats a person should read next to the numbers. */
  notes: string[];
}

export function fitHeldOut(train: ClickLog, test: ClickLog, model: ClickModelName, opts: FitOptions & { testName?: string } = {}): HeldOutFit {
  return scoreHeldOut(fitClickModel(train, model, opts), test, opts);
}

/** The held-out half of `fitHeldOut`, for a model fitted elsewhere (e.g. stepped with a cancel: fitClickModelSteps). */
export function scoreHeldOut(fitted: FittedClickModel, test: ClickLog, opts: { testName?: string } = {}): HeldOutFit {
  const evaluation = evaluateClickModel(fitted, test, { name: opts.testName });
  const notes: string[] = [];
  if (evaluation.ranksBeyondFit) {
    notes.push(`the test log shows ${evaluation.ranksBeyondFit} rank(s) beyond the training log's ${fitted.k}; rank parameters there are the prior mean ${fitted.defaults.rank}`);
  }
  return { fitted, evaluation, notes };
}

/** A held-out fit as JSON; the first five keys are `fit-clicks --json`'s documented interface. */
export interface HeldOutReport {
  model: ClickModelName;
  logLikelihood: number;
  perplexity: number;
  perplexityAtRank: (number | null)[];
  params: Record<string, unknown>;
  conditionalPerplexity: number;
  conditionalPerplexityAtRank: (number | null)[];
  trainSessions: number;
  testSessions: number;
  testImpressions: number;
  unseenPairs: number;
  unseenImpressions: number;
  unseenQueries: number;
  defaults: { attractiveness: number; satisfaction?: number; policy: UnseenPolicy };
  prior: Prior;
  method: 'mle' | 'em';
  iterations: number;
  converged: boolean;
  trainLogLikelihood: number | null;
  secondsPerIteration: number | null;
  fitSeconds: number;
}

export function heldOutReport({ fitted, evaluation: e }: HeldOutFit): HeldOutReport {
  return {
    model: fitted.model,
    logLikelihood: e.logLikelihood,
    perplexity: e.perplexity,
    perplexityAtRank: e.perplexityAtRank,
    params: clickModelParams(fitted),
    conditionalPerplexity: e.conditionalPerplexity,
    conditionalPerplexityAtRank: e.conditionalPerplexityAtRank,
    trainSessions: fitted.fit.trainSessions,
    testSessions: e.sessions,
    testImpressions: e.impressions,
    unseenPairs: e.unseenPairs,
    unseenImpressions: e.unseenImpressions,
    unseenQueries: e.unseenQueries,
    defaults: {
      attractiveness: fitted.defaults.attractiveness,
      ...(fitted.model === 'dbn' ? { satisfaction: fitted.defaults.satisfaction } : {}),
      policy: fitted.defaults.policy,
    },
    prior: fitted.fit.prior,
    method: fitted.fit.method,
    iterations: fitted.fit.iterations,
    converged: fitted.fit.converged,
    trainLogLikelihood: fitted.fit.trainLogLikelihood,
    secondsPerIteration: fitted.fit.secondsPerIteration,
    fitSeconds: fitted.fit.seconds,
  };
}

/**
 * A fitted model's key parameters, typed and small, for charts and tables (clickModelParams is the
 * full JSON, shaped per model). Per-rank values are indexed by rank − 1.
 */
export interface ClickModelKeyParams {
  /**
   * PBM: P(E_r). UBM: P(E_r | no click above r), the first-look curve comparable to PBM's.
   * Null for the cascade family, whose examination depends on the clicks above.
   */
  examination: number[] | null;
  /** examination ÷ its rank-1 value: the part of the curve a log identifies (α and γ trade off by a constant). */
  examinationRelative: number[] | null;
  /** DCM: P(go on | click at r). */
  lambda: number[] | null;
  /** DBN: P(go on | examined, not satisfied). */
  gamma: number | null;
  attractiveness: PairParamSummary;
  /** DBN: P(satisfied | click), per pair. */
  satisfaction: PairParamSummary | null;
}

const summary = (v: Float64Array, def: number): PairParamSummary => ({ pairs: v.length, mean: v.length ? mean(v) : null, default: def });

export function clickModelKeyParams(m: FittedClickModel): ClickModelKeyParams {
  let examination: number[] | null = null;
  if (m.model === 'pbm') examination = Array.from(m.examination!);
  // UBM's row r holds P(E_r | last click d ranks above); d = r (1-based) means no click above.
  else if (m.model === 'ubm') examination = Array.from({ length: m.k }, (_, r) => m.examination![r * m.k + r]);
  const first = examination?.[0];
  return {
    examination,
    examinationRelative: examination && first ? examination.map((v) => v / first) : null,
    lambda: m.lambda ? Array.from(m.lambda) : null,
    gamma: m.gamma,
    attractiveness: summary(m.attractiveness, m.defaults.attractiveness),
    satisfaction: m.satisfaction ? summary(m.satisfaction, m.defaults.satisfaction) : null,
  };
}
