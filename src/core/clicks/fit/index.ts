/**
 * Click-model fitting: PBM, cascade, DCM, DBN and UBM fitted to a click log (simulated or real) by
 * maximum likelihood / EM, and evaluated on held-out sessions by log-likelihood and perplexity,
 * following Chuklin, Markov and de Rijke, "Click Models for Web Search" (2015), and PyClick.
 */
export { CLICK_MODEL_NAMES, isClickModelName, PROB_MIN, DEFAULT_PRIOR, type ClickModelName, type Prior } from './common';
export { fitClickModel, fitClickModelSteps, attractivenessOf, clickModelParams, DEFAULT_MAX_ITERATIONS, DEFAULT_TOLERANCE, type FitOptions, type PairParamSummary } from './fit';
export { evaluateClickModel, type ClickModelEvaluation } from './evaluate';
export { splitSessions, DEFAULT_SPLIT_SEED } from './split';
export { fitHeldOut, scoreHeldOut, heldOutReport, clickModelKeyParams, type HeldOutFit, type HeldOutReport, type ClickModelKeyParams } from './held-out';
export { validateClickLog } from './validate';
export { predictSession, predictScratch } from './predict';
export { PairIndex } from './pairs';
export type { FittedClickModel, FitReport, UnseenPolicy } from './model';
export type { EmProgress } from './em';
