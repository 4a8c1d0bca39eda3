import type { ClickLog } from '../core/clicks/log';
import type { ClickModelName } from '../core/clicks/models/config';
import type { CompiledClickModel } from '../core/clicks/models/semantics';
import { evaluateClickModel, fitClickModelSteps, splitSessions } from '../core/clicks/fit';
import { drain } from '../core/clicks/simulate/drive';
import { fittedCurves } from '../core/clicks/fit/curves';
import type { FittedClickModel } from '../core/clicks/fit/model';
import { truePerplexity } from '../core/clicks/simulate/truth';

/** A fitted parameter next to the value the log was simulated with (null where it has no counterpart). */
export interface ClickParamView {
  name: string;
  fitted: number;
  truth: number | null;
}

/** A per-rank fitted parameter (index r − 1) next to the simulating model's. */
export interface ClickRankParamView {
  name: string;
  fitted: number[];
  truth: number[] | null;
}

export interface ClickFitView {
  model: ClickModelName;
  /** The fitted model's examination per rank ÷ its rank-1 value (fit/curves.ts; PBM: γ_r/γ_1). */
  examination: number[];
  /** Predicted P(C_r = 1) per rank, averaged over the held-out sessions. */
  predictedCtr: number[];
  /** Held-out click perplexity (overall, per rank) and log-likelihood, as `rankplay fit-clicks` reports them. */
  perplexity: number;
  perplexityAtRank: (number | null)[];
  logLikelihood: number;
  /** The simulating model's own perplexity on the same held-out sessions: the floor to compare with. */
  truePerplexity: number;
  truePerplexityAtRank: (number | null)[];
  params: ClickParamView[];
  rankParams: ClickRankParamView[];
  iterations: number;
  converged: boolean;
  /** Held-out impressions of (query, document) pairs the training part never showed (they got defaults). */
  unseenImpressions: number;
  trainSessions: number;
  testSessions: number;
}

/** Σ w_p v(p) / Σ w_p over the fitted pairs. */
function weightedMean(weights: Float64Array, value: (p: number) => number): number {
  let sum = 0;
  let total = 0;
  for (let p = 0; p < weights.length; p++) {
    sum += weights[p] * value(p);
    total += weights[p];
  }
  return total > 0 ? sum / total : Number.NaN;
}

/** Impressions and clicks of each fitted pair in the training log. */
function pairWeights(fit: FittedClickModel, train: ClickLog): { impressions: Float64Array; clicks: Float64Array } {
  const impressions = new Float64Array(fit.pairs.size);
  const clicks = new Float64Array(fit.pairs.size);
  const k = train.k;
  for (let s = 0; s < train.query.length; s++) {
    for (let r = 0; r < k; r++) {
      const d = train.shown[s * k + r];
      if (d < 0) break;
      const p = fit.pairs.get(train.query[s], d);
      impressions[p]++;
      clicks[p] += train.clicks[s * k + r];
    }
  }
  return { impressions, clicks };
}

/**
 * Scalar and per-rank parameters of the fitted model, each beside the simulating model's value when
 * the same model simulated the log. Per-pair parameters are summarised by a weighted mean over the
 * fitted pairs (α by impressions, σ by clicks, the observations each is estimated from), the truth
 * by the same weighted mean of its per-grade values: a plain mean would be dominated by rarely
 * seen pairs, which the prior holds near ½. PBM's and UBM's attractiveness share a scale factor with
 * their examination (only the product is identified), so their α has no truth to compare with.
 */
function parameterViews(fit: FittedClickModel, train: ClickLog, truth: CompiledClickModel, labels: ArrayLike<number>, trustBias: boolean): Pick<ClickFitView, 'params' | 'rankParams'> {
  const same = fit.model === truth.model;
  const k = fit.k;
  const w = pairWeights(fit, train);
  const grade = (p: number) => labels[fit.pairs.doc[p]];
  const params: ClickParamView[] = [];
  const rankParams: ClickRankParamView[] = [];
  const alphaIdentified = fit.model === 'cascade' || fit.model === 'dcm' || fit.model === 'dbn';
  // With trust bias a(r, y) depends on the rank, so no single α per document is the truth.
  const alphaTruth = same && alphaIdentified && !trustBias ? weightedMean(w.impressions, (p) => truth.attractiveness[grade(p)]) : null;
  params.push({ name: 'attractiveness α (mean over pairs, by impressions)', fitted: weightedMean(w.impressions, (p) => fit.attractiveness[p]), truth: alphaTruth });
  if (fit.model === 'dbn') {
    params.push({ name: 'continuation γ', fitted: fit.gamma!, truth: same ? truth.continuation : null });
    params.push({
      name: 'satisfaction σ (mean over pairs, by clicks)',
      fitted: weightedMean(w.clicks, (p) => fit.satisfaction![p]),
      truth: same ? weightedMean(w.clicks, (p) => truth.satisfaction[grade(p)]) : null,
    });
  }
  if (fit.model === 'dcm') {
    rankParams.push({ name: 'λ_r: go on after a click', fitted: Array.from(fit.lambda!), truth: same ? Array.from(truth.lambda) : null });
  }
  if (fit.model === 'ubm') {
    const G = fit.examination!;
    const diag = (g: ArrayLike<number>) => Array.from({ length: k }, (_, r) => g[r * k + r]);
    const afterClick = (g: ArrayLike<number>) => Array.from({ length: k }, (_, r) => (r === 0 ? Number.NaN : g[r * k]));
    rankParams.push({ name: 'γ_r (no click above)', fitted: diag(G), truth: same ? diag(truth.ubmGamma) : null });
    rankParams.push({ name: 'γ_r (click right above)', fitted: afterClick(G), truth: same ? afterClick(truth.ubmGamma) : null });
  }
  return { params, rankParams };
}

/**
 * Fits `model` on 75% of the simulated sessions and evaluates it on the other 25%, next to the
 * simulating model's perplexity on the same sessions.
 */
export function fitSimulatedLog(log: ClickLog, truth: CompiledClickModel, labels: ArrayLike<number>, model: ClickModelName, seed: number, trustBias: boolean): ClickFitView {
  return drain(fitSimulatedLogSteps(log, truth, labels, model, seed, trustBias));
}

/** Progress of the fit: EM iterations done of at most `total` (0 of 0 while splitting, and for the closed forms). */
export interface ClickFitStep {
  phase: 'fit';
  model: ClickModelName;
  done: number;
  total: number;
}

/** `fitSimulatedLog` as steps: one after each EM iteration (see core/clicks/simulate/drive.ts). */
export function* fitSimulatedLogSteps(log: ClickLog, truth: CompiledClickModel, labels: ArrayLike<number>, model: ClickModelName, seed: number, trustBias: boolean): Generator<ClickFitStep, ClickFitView, void> {
  yield { phase: 'fit', model, done: 0, total: 0 };
  const { train, test } = splitSessions(log, 0.25, seed);
  const steps = fitClickModelSteps(train, model);
  let fit: FittedClickModel;
  for (;;) {
    const r = steps.next();
    if (r.done) {
      fit = r.value;
      break;
    }
    yield { phase: 'fit', model, done: r.value.iteration, total: r.value.maxIterations };
  }
  const evaluation = evaluateClickModel(fit, test);
  const curves = fittedCurves(fit, test);
  const first = curves.examination[0];
  const reference = truePerplexity(labels, test, truth);
  return {
    model,
    examination: curves.examination.map((v) => (first > 0 ? v / first : Number.NaN)),
    predictedCtr: curves.predictedCtr,
    perplexity: evaluation.perplexity,
    perplexityAtRank: evaluation.perplexityAtRank,
    logLikelihood: evaluation.logLikelihood,
    truePerplexity: reference.perplexity,
    truePerplexityAtRank: reference.perplexityAtRank,
    ...parameterViews(fit, train, truth, labels, trustBias),
    iterations: fit.fit.iterations,
    converged: fit.fit.converged,
    unseenImpressions: evaluation.unseenImpressions,
    trainSessions: train.query.length,
    testSessions: test.query.length,
  };
}
