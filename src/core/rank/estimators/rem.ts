import * as tf from '@tensorflow/tfjs-core';
import {
  checkBatchWidth,
  checkOptions,
  clickTargets,
  maskedSigmoidCrossEntropy,
  relativeToFirst,
  stopGradient,
  uniqueVariableName,
} from './common';
import type { ClickBatch, Estimator, EstimatorOptions } from './types';

/**
 * Regression EM (Wang et al. WSDM 2018, "Position Bias Estimation for Unbiased Learning to Rank in
 * Personal Search"), in the online form of Cappé & Moulines 2009 that ULTRA's regression_EM.py uses.
 * Position-based model: C = E·R with P(E=1) = θ_rank and P(R=1) = γ = sigmoid(score + b).
 *
 * E-step per shown slot: a click means E=1, R=1; a non-click splits into
 *   P(E=1, R=0 | C=0) = θ(1−γ)/(1−θγ),  P(E=0, R=1 | C=0) = (1−θ)γ/(1−θγ).
 * M-step: θ_r ← (1−α)·θ_r + α·mean over the batch's impressions at rank r of P(E=1 | ·) (afterStep,
 * closed form, α = emStepSize, 0.05 as in ULTRA); the ranker regresses on P(R=1 | ·) with pointwise
 * sigmoid cross-entropy (summed over slots, averaged over sessions, as ULTRA).
 *
 * Matches ULTRA: θ starts at 0.9 everywhere; the ranker's logits get a trainable scalar offset b
 * (ULTRA's sigmoid_prob_b, here this estimator's `variables`) so a ranker without a bias can still
 * calibrate γ; the E-step uses the current θ and γ.
 * Differences:
 * - ULTRA trains on Bernoulli samples of P(R=1 | ·); we use the posterior itself as a soft label.
 *   Sigmoid cross-entropy is linear in its label, so the expected gradient is the same, with less noise
 *   and no random draws (runs stay reproducible without a stream for it).
 * - The M-step mean is over shown slots only, and a rank with no impression in the batch keeps its θ
 *   (ULTRA's lists are always full).
 * - afterStep reads batch.scores as the trainer passes them (ULTRA's M-step uses the same forward pass
 *   as the gradient step; a recomputed post-step score differs by one small step).
 * - The configured LossFn is not used: REM's M-step for relevance is a pointwise regression.
 */
const INITIAL_EXAMINATION = 0.9;
const DEFAULT_STEP = 0.05;
/** Keeps 1 − θγ away from 0 when γ rounds to 1 in float32 (a non-click there has probability ≈ 0). */
const MIN_DENOMINATOR = 1e-7;

interface Posteriors {
  /** P(E=1 | C, θ, γ): 1 on a click, θ(1−γ)/(1−θγ) otherwise. */
  examined: tf.Tensor2D;
  /** P(R=1 | C, θ, γ): 1 on a click, (1−θ)γ/(1−θγ) otherwise. */
  relevant: tf.Tensor2D;
}

/** The E-step, [nSessions, k]; clicks in {0, 1}, theta [k], gamma in (0, 1). Exported for tests. */
export function remPosteriors(clicks: tf.Tensor2D, theta: tf.Tensor1D, gamma: tf.Tensor2D): Posteriors {
  return tf.tidy(() => {
    const t = tf.reshape(theta, [1, -1]);
    const denominator = tf.maximum(tf.sub(1, tf.mul(t, gamma)), MIN_DENOMINATOR);
    const examinedNotRelevant = tf.div(tf.mul(t, tf.sub(1, gamma)), denominator);
    const relevantNotExamined = tf.div(tf.mul(tf.sub(1, t), gamma), denominator);
    const notClicked = tf.sub(1, clicks);
    return {
      examined: tf.add(clicks, tf.mul(notClicked, examinedNotRelevant)) as tf.Tensor2D,
      relevant: tf.add(clicks, tf.mul(notClicked, relevantNotExamined)) as tf.Tensor2D,
    };
  });
}

export interface RemEstimator extends Estimator {
  /** The current θ_1..θ_k itself (not relative to rank 1), for diagnostics and checkpoints. */
  examination(): Promise<number[]>;
  /** Restores θ (a checkpoint). */
  setExamination(theta: number[]): void;
}

export function createRem(options: EstimatorOptions): RemEstimator {
  checkOptions('rem', options);
  const { k } = options;
  const step = options.emStepSize ?? DEFAULT_STEP;
  const theta = tf.tidy(() =>
    tf.variable(tf.fill([k], INITIAL_EXAMINATION) as tf.Tensor1D, false, uniqueVariableName('rem_examination')),
  );
  const bias = tf.tidy(() => tf.variable(tf.scalar(0), true, uniqueVariableName('rem_logit_offset')));

  const logitsOf = (batch: ClickBatch): tf.Tensor2D => tf.add(batch.scores, bias) as tf.Tensor2D;

  return {
    name: 'rem',
    variables: [bias],
    stateVariables: [theta],
    loss(batch: ClickBatch): tf.Scalar {
      checkBatchWidth('rem', batch, k);
      return tf.tidy(() => {
        const logits = logitsOf(batch);
        const gamma = tf.sigmoid(stopGradient(logits)) as tf.Tensor2D;
        const { relevant } = remPosteriors(clickTargets(batch), theta, gamma);
        return maskedSigmoidCrossEntropy(logits, relevant, batch.mask);
      });
    },
    afterStep(batch: ClickBatch): void {
      checkBatchWidth('rem', batch, k);
      tf.tidy(() => {
        const gamma = tf.sigmoid(logitsOf(batch)) as tf.Tensor2D;
        const { examined } = remPosteriors(clickTargets(batch), theta, gamma);
        const impressions = tf.sum(batch.mask, 0);
        const batchMean = tf.div(tf.sum(tf.mul(examined, batch.mask), 0), tf.maximum(impressions, 1));
        const blended = tf.add(tf.mul(theta, 1 - step), tf.mul(batchMean, step));
        theta.assign(tf.where(tf.greater(impressions, 0), blended, theta) as tf.Tensor1D);
      });
    },
    propensities: () => relativeToFirst(theta),
    examination: async () => Array.from(await theta.data()),
    setExamination(values: number[]): void {
      if (values.length !== k || !values.every((t) => t > 0 && t <= 1)) {
        throw new Error(`rem: examination must be ${k} probabilities in (0, 1]`);
      }
      tf.tidy(() => theta.assign(tf.tensor1d(values)));
    },
    dispose(): void {
      theta.dispose();
      bias.dispose();
    },
  };
}
