import type { ClickLog } from '../log';
import { fitCascade } from './cascade';
import { DEFAULT_PRIOR, indexTrainingLog, mean, pairCounts, type ClickModelName, type Prior } from './common';
import { drain } from '../simulate/drive';
import { fitDbnSteps } from './dbn';
import { fitDcm } from './dcm';
import type { EmOptions, EmProgress, EmResult } from './em';
import type { FittedClickModel, UnseenPolicy } from './model';
import { fitPbmSteps } from './pbm';
import { fitUbmSteps } from './ubm';
import { validateClickLog } from './validate';

export interface FitOptions {
  /** EM iterations at most (default 100). */
  maxIterations?: number;
  /** EM stops when the training log-likelihood per impression moves by less (default 1e-7). */
  tolerance?: number;
  /** Beta pseudo-counts of every estimate (default a = b = 1, see `Prior`). */
  prior?: Prior;
  /** What unseen (query, document) pairs get at prediction time (default 'prior': 0.5). */
  unseen?: UnseenPolicy;
  /** The log's name (file) in error messages. */
  name?: string;
  onIteration?: (iteration: number, trainLogLikelihood: number) => void;
}

export const DEFAULT_MAX_ITERATIONS = 100;
export const DEFAULT_TOLERANCE = 1e-7;

function checkOptions(opts: FitOptions): { maxIterations: number; tolerance: number; prior: Prior } {
  const maxIterations = opts.maxIterations ?? DEFAULT_MAX_ITERATIONS;
  const tolerance = opts.tolerance ?? DEFAULT_TOLERANCE;
  const prior = opts.prior ?? DEFAULT_PRIOR;
  if (!Number.isInteger(maxIterations) || maxIterations < 1) throw new RangeError(`maxIterations must be a positive integer, got ${maxIterations}`);
  if (!(tolerance >= 0)) throw new RangeError(`tolerance must be ≥ 0, got ${tolerance}`);
  if (!(prior.a >= 0 && prior.b >= 0 && Number.isFinite(prior.a + prior.b))) throw new RangeError(`prior pseudo-counts must be finite and ≥ 0, got a=${prior.a} b=${prior.b}`);
  return { maxIterations, tolerance, prior };
}

/**
 * Fits a click model to a log: closed-form maximum likelihood for cascade and DCM, EM for PBM,
 * UBM and DBN (see each model's file for the estimator, its assumptions and its starting values).
 * Throws a DataError naming the session and rank when the log is malformed.
 */
export function fitClickModel(log: ClickLog, model: ClickModelName, opts: FitOptions = {}): FittedClickModel {
  return drain(fitClickModelSteps(log, model, opts));
}

/**
 * `fitClickModel` as steps: an EmProgress after each EM iteration (none for the closed forms), so
 * a caller can report progress and stop between iterations (simulate/drive.ts). Same result.
 */
export function* fitClickModelSteps(log: ClickLog, model: ClickModelName, opts: FitOptions = {}): Generator<EmProgress, FittedClickModel, void> {
  const { maxIterations, tolerance, prior } = checkOptions(opts);
  validateClickLog(log, opts.name);
  const t0 = performance.now();
  const { data, pairs } = indexTrainingLog(log);
  const nPairs = pairs.size;
  const emOpts: EmOptions = { maxIterations, tolerance, prior, onIteration: opts.onIteration };
  const counts = model === 'cascade' || model === 'dcm' ? null : pairCounts(data, nPairs);
  let attractiveness: Float64Array;
  let satisfaction: Float64Array | null = null;
  let examination: Float64Array | null = null;
  let lambda: Float64Array | null = null;
  let gamma: number | null = null;
  let em: EmResult | null = null;
  if (model === 'cascade') ({ attractiveness } = fitCascade(data, nPairs, prior));
  else if (model === 'dcm') ({ attractiveness, lambda } = fitDcm(data, nPairs, prior));
  else if (model === 'pbm') ({ attractiveness, examination, em } = yield* fitPbmSteps(data, nPairs, counts!.impressions, emOpts));
  else if (model === 'ubm') ({ attractiveness, examination, em } = yield* fitUbmSteps(data, nPairs, counts!.impressions, emOpts));
  else ({ attractiveness, satisfaction, gamma, em } = yield* fitDbnSteps(data, nPairs, counts!.impressions, counts!.clicks, emOpts));

  const priorMean = prior.a + prior.b > 0 ? prior.a / (prior.a + prior.b) : 0.5;
  const policy = opts.unseen ?? 'prior';
  return {
    model,
    k: log.k,
    pairs,
    queryIds: log.queryIds,
    docIds: log.docIds,
    attractiveness,
    satisfaction,
    examination,
    lambda,
    gamma,
    defaults: {
      attractiveness: policy === 'mean' && nPairs ? mean(attractiveness) : priorMean,
      satisfaction: policy === 'mean' && satisfaction && nPairs ? mean(satisfaction) : priorMean,
      rank: priorMean,
      policy,
    },
    fit: {
      method: em ? 'em' : 'mle',
      iterations: em ? em.iterations : 0,
      converged: em ? em.converged : true,
      trainLogLikelihood: em ? em.trainLogLikelihood : null,
      trainSessions: data.sessions,
      seconds: (performance.now() - t0) / 1000,
      secondsPerIteration: em ? em.seconds / em.iterations : null,
      prior,
      tolerance,
      maxIterations,
    },
  };
}

/** α of a (query, document) pair, in the training log's indices; the unseen default if it was never shown. */
export function attractivenessOf(m: FittedClickModel, query: number, doc: number): number {
  const p = m.pairs.get(query, doc);
  return p >= 0 ? m.attractiveness[p] : m.defaults.attractiveness;
}

export interface PairParamSummary {
  /** Pairs with a fitted value. */
  pairs: number;
  /** Unweighted mean over those pairs. */
  mean: number | null;
  /** The value unseen pairs get. */
  default: number;
}

const pairSummary = (v: Float64Array, def: number): PairParamSummary => ({ pairs: v.length, mean: v.length ? mean(v) : null, default: def });

/**
 * The fitted parameters as JSON, shaped per model:
 *   pbm:     examination[r−1] = P(E_r), examinationRelative = ÷ rank 1 (the identified shape), attractiveness;
 *   cascade: attractiveness;
 *   dcm:     lambda[r−1] = P(go on | click at r), attractiveness;
 *   dbn:     gamma, attractiveness, satisfaction;
 *   ubm:     examination[r−1][d−1] = P(E_r | previous click d ranks above; d = r: no click above), attractiveness.
 * Per-pair parameters are summarised (count, mean, default); read single values with attractivenessOf.
 */
export function clickModelParams(m: FittedClickModel): Record<string, unknown> {
  const attractiveness = pairSummary(m.attractiveness, m.defaults.attractiveness);
  const arr = (a: Float64Array) => Array.from(a);
  switch (m.model) {
    case 'pbm': {
      const e = m.examination!;
      return { examination: arr(e), examinationRelative: arr(e).map((v) => v / e[0]), attractiveness };
    }
    case 'cascade':
      return { attractiveness };
    case 'dcm':
      return { lambda: arr(m.lambda!), attractiveness };
    case 'dbn':
      return { gamma: m.gamma, attractiveness, satisfaction: pairSummary(m.satisfaction!, m.defaults.satisfaction) };
    case 'ubm': {
      const g = m.examination!;
      const rows: number[][] = [];
      for (let r = 0; r < m.k; r++) rows.push(arr(g.subarray(r * m.k, r * m.k + r + 1)));
      return { examination: rows, attractiveness };
    }
  }
}
