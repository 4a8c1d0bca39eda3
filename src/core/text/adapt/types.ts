import type { LossName } from '../../rank/losses/types';
import type { RngState } from '../../experiment/rng';
import type { OptimizerState, TensorValues } from '../../rank/optim-state';
import type { AdaptationConfig, AdaptationReport, TrainableCount } from '../lora/adaptation';

/**
 * Adapting the cross-encoder to a user's collection (issue 8): the contract between the trainer
 * (adapt/run.ts), the worker's AdaptService and the app. Plain data only: it crosses the worker
 * boundary and goes into checkpoints.
 */

/** Estimators usable on text (the rank issue's estimators: naive, IPS with the true propensities, DLA). */
export const TEXT_ESTIMATORS = ['naive', 'ips', 'dla'] as const;
export type TextEstimator = (typeof TEXT_ESTIMATORS)[number];

/**
 * Where the training signal comes from: the graded judgements, or clicks simulated on the first
 * stage's ranking (the logging policy) with a position-based model, θ_r = (1/r)^η, click
 * probability ε− for non-relevant and ε+ for relevant (graded: ε− + (ε+ − ε−)·(2^y − 1)/(2^ymax − 1)).
 */
export type AdaptSignal =
  | { kind: 'labels' }
  | {
      kind: 'clicks';
      estimator: TextEstimator;
      /** Logged sessions per training query. */
      sessionsPerQuery: number;
      /** Ranks shown per session (the first stage's top-k). */
      topK: number;
      eta: number;
      epsilonMinus: number;
      epsilonPlus: number;
      /** IPS/DLA: relative propensities clipped from below (0 = off). */
      clip: number;
    };

/** Negatives of a judged list (labels signal): sampled from the corpus, or from the first stage's top. */
export interface NegativeSampling {
  kind: 'random' | 'hard';
  /**
   * Hard negatives skip the first stage's top-N unlabelled passages: near the top, an unjudged
   * passage is often relevant but unjudged (a likely false negative). 0 = keep them.
   */
  skipTopUnlabelled: number;
}

export interface AdaptTrainConfig {
  seed: number;
  adaptation: AdaptationConfig;
  signal: AdaptSignal;
  loss: LossName;
  negatives: NegativeSampling;
  steps: number;
  /** Lists (labels: queries; clicks: sessions) per step. */
  listsPerStep: number;
  /** Passages per list for the labels signal (clicks: topK). */
  listSize: number;
  learningRate: number;
  warmupSteps: number;
  clipNorm: number;
  /** Pair length in tokens (passage cut first). */
  maxLength: number;
  /** Validate every N steps (and at step 0: the base model). */
  evalEvery: number;
  /** Stop after this many validations without a better nDCG@10 (0 = never); the best weights are kept. */
  patience: number;
  /** First-stage candidates of each validation query the model reranks. */
  rerankDepth: number;
  /** Held-out query–passage pairs whose [CLS] embeddings RankMe measures (0 = off). */
  rankMePairs: number;
  /**
   * Dropout inside the frozen model (hidden states and attention) while training; 0 or absent = off.
   * Off by default: the base was trained with it, and the adapter has its own dropout.
   */
  modelDropout?: number;
}

export interface AdaptQuery {
  id: string;
  query: string;
  /** The first stage's ranking (corpus indices, best first). */
  candidates: number[];
  /** Judged passages with their grades (unjudged passages count as 0). */
  judged: { passage: number; label: number }[];
}

export interface AdaptData {
  corpus: readonly string[];
  train: AdaptQuery[];
  validation: AdaptQuery[];
}

export interface AdaptStepReport {
  step: number;
  loss: number;
  learningRate: number;
  gradNorm: number;
  /** Wall time of the step, including reading the loss back. */
  stepMs: number;
  /** tf.memory().numBytes after the step: every live tensor on the backend. */
  tensorBytes: number;
}

export interface AdaptEvalReport {
  step: number;
  /** Mean nDCG@10 over the validation queries (trec_eval: gain = grade, unjudged = 0). */
  ndcg10: number;
  perQueryNdcg10: number[];
  /** exp(entropy) of the normalised singular values of held-out [CLS] embeddings (Garrido et al. 2023); null when off. */
  rankMe: number | null;
  /** Peak bytes of one training step measured with tf.profile (null when not measured at this eval). */
  peakStepBytes: number | null;
}

export interface AdaptSummary {
  count: TrainableCount;
  base: AdaptEvalReport;
  best: AdaptEvalReport;
  last: AdaptEvalReport;
  steps: number;
  /** Why training ended early (early stopping), or null. */
  stopped: string | null;
  report: AdaptationReport;
}

/**
 * Everything AdaptRun.resume needs to continue bit-identically (same config, data and backend):
 * plain data, so it can be posted from the worker or stored. The clicks are not stored: they are
 * simulated again from the seed, which gives the same log.
 */
export interface AdaptCheckpoint {
  format: 'rankplay-adapt-checkpoint';
  version: 1;
  step: number;
  /** The adaptation's variables, in adaptation.variables order. */
  variables: TensorValues[];
  /** The estimator's trainable variables (DLA's propensity model), then its stateVariables. */
  estimatorVariables: TensorValues[];
  estimatorState: TensorValues[];
  optimizer: OptimizerState;
  rng: { lists: RngState; step: RngState };
  /** Where the list/session order stands: the current epoch's order and how much of it is used. */
  order: { items: number[]; cursor: number };
  best: { eval: AdaptEvalReport; variables: TensorValues[] } | null;
  evalsSinceBest: number;
  stopped: string | null;
  history: { steps: AdaptStepReport[]; evals: AdaptEvalReport[] };
}
