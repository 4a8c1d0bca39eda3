import type * as tf from '@tensorflow/tfjs-core';
import type { LossFn } from '../losses/types';

/**
 * A batch of logged sessions for click-based training: what each session showed (top-k, in rank
 * order: column r is rank r + 1), what was clicked, and the true labels (used only by the oracle
 * and for evaluation). All [nSessions, k]; mask 0 marks an empty slot (a list shorter than k).
 */
export interface ClickBatch {
  /** The ranker's scores of the shown documents (computed by the trainer, differentiable). */
  scores: tf.Tensor2D;
  clicks: tf.Tensor2D;
  labels: tf.Tensor2D;
  mask: tf.Tensor2D;
  /** Uniforms for stochastic losses, see LossInput. */
  uniforms?: tf.Tensor3D;
}

export const ESTIMATOR_NAMES = ['oracle', 'naive', 'ips', 'dla', 'rem', 'paird', 'pal'] as const;
export type EstimatorName = (typeof ESTIMATOR_NAMES)[number];

export interface EstimatorOptions {
  /** Top-k shown per session. */
  k: number;
  /** The ranking loss the estimator feeds (where the estimator lets you choose it). */
  loss: LossFn;
  /** IPS: examination per rank θ_1..θ_k (true, or estimated by interventions). */
  propensities?: number[];
  /**
   * IPS/DLA: relative propensities θ_k/θ_1 are clipped from below at this value (0 = no clipping),
   * so no inverse-propensity weight exceeds 1/clip (ULTRA's max_propensity_weight = 1/clip).
   */
  clip?: number;
  /** REM/PairD: step size of the running closed-form update after each step (ULTRA's EM_step_size, 0.05). */
  emStepSize?: number;
  /** PairD: the regularisation exponent p of Hu et al. 2019, t ∝ (…)^(1/(p+1)) (ULTRA's regulation_p, 1). */
  regularization?: number;
}

/**
 * How clicks become a training signal. `loss` is called inside optimizer.minimize, so it must be
 * built from tf ops on the batch (the trainer differentiates it with respect to the ranker's
 * variables and the estimator's own `variables`). `afterStep` runs outside the gradient tape for
 * closed-form updates (REM's M-step for θ, PairD's ratios).
 */
export interface Estimator {
  readonly name: EstimatorName;
  /** Trainable variables of the estimator itself (DLA's propensity model, PAL's bias tower). */
  readonly variables: tf.Variable[];
  /**
   * Non-trainable variables the estimator updates itself in afterStep (REM's θ, PairD's t⁺ and t⁻):
   * with `variables`, everything a checkpoint must carry to resume it exactly.
   */
  readonly stateVariables?: tf.Variable[];
  loss(batch: ClickBatch): tf.Scalar;
  /**
   * Reads batch.scores, so they must still be alive: minimize() disposes the tensors made inside its
   * closure, so the trainer keeps the step's scores (tf.keep) or rescores the batch under tf.tidy.
   * Disposes everything it makes.
   */
  afterStep?(batch: ClickBatch): void;
  /** Current examination estimate θ_k / θ_1 per rank, for the propensity chart; null when it has none. */
  propensities(): Promise<number[] | null>;
  dispose(): void;
}
