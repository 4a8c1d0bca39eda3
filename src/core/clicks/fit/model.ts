import type { ClickModelName, Prior } from './common';
import type { PairIndex } from './pairs';

/**
 * A click model fitted to a log. Per-pair parameters are Float64Arrays indexed by the pair ids
 * of `pairs` (over the training log's query and document indices); per-rank parameters are
 * indexed by 0-based rank. Only the fields of the fitted model are non-null.
 */
export interface FittedClickModel {
  model: ClickModelName;
  /** Ranks the model was fitted on (the training log's k). */
  k: number;
  pairs: PairIndex;
  /** The training log's id tables, so that a separately parsed test log can be matched by id. */
  queryIds: string[];
  docIds?: string[];
  /** α per pair: P(click | examined) (all models). */
  attractiveness: Float64Array;
  /** σ per pair: P(satisfied | click) (DBN). */
  satisfaction: Float64Array | null;
  /**
   * Examination. PBM: k values, P(E_r = 1). UBM: k × k, row-major: [r·k + d − 1] is
   * P(E_r = 1 | the previous click was d ranks above r), with d = r + 1 (0-based r) when there was
   * no previous click: the book's γ_{r r'} with r' = r − d (1-based r, r' = 0 for "no click").
   */
  examination: Float64Array | null;
  /** DCM: λ_r, P(the user goes on after a click at rank r), k values. */
  lambda: Float64Array | null;
  /** DBN: γ, P(the user goes on to rank r + 1 after examining rank r unsatisfied). */
  gamma: number | null;
  /**
   * Values used where the training log has no estimate: `pair` for (query, document) pairs it
   * never showed (attractiveness and satisfaction), `rank` for ranks beyond its k.
   */
  defaults: { attractiveness: number; satisfaction: number; rank: number; policy: UnseenPolicy };
  fit: FitReport;
}

/**
 * What an unseen pair gets: 'prior' is the prior mean a/(a + b) (0.5 by default, what a fresh
 * parameter reads in PyClick and in the book's experiments); 'mean' is the mean fitted value
 * over the training pairs (usually better perplexity on real logs, where many pairs are new).
 */
export type UnseenPolicy = 'prior' | 'mean';

export interface FitReport {
  /** 'mle' for the closed forms (cascade, DCM), 'em' for the others. */
  method: 'mle' | 'em';
  iterations: number;
  /** EM stopped because the training log-likelihood changed by less than the tolerance. */
  converged: boolean;
  /** Mean log-likelihood per impression of the training log at the last E-step (EM only). */
  trainLogLikelihood: number | null;
  trainSessions: number;
  seconds: number;
  /** EM wall time ÷ iterations (index building excluded); null for the closed forms. */
  secondsPerIteration: number | null;
  prior: Prior;
  tolerance: number;
  maxIterations: number;
}
