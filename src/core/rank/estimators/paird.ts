import * as tf from '@tensorflow/tfjs-core';
import { checkBatchWidth, checkOptions, clickTargets, relativeToFirst, uniqueVariableName } from './common';
import type { ClickBatch, Estimator, EstimatorOptions } from './types';

/**
 * Pairwise debiasing (Hu et al. WWW 2019, "Unbiased LambdaMART: An Unbiased Pairwise Learning-to-Rank
 * Algorithm"), in the gradient-descent form of ULTRA's pairwise_debias.py. Clicks are biased both ways:
 * a click at rank i is over-represented by t⁺_i (position bias on clicks) and a non-click at rank j by
 * t⁻_j (position bias on non-clicks). Each pair (clicked i, non-clicked j) of a session contributes its
 * logistic loss L_ij = log(1 + e^(s_j − s_i)) divided by t⁺_rank(i)·t⁻_rank(j); after each step both
 * ratios are re-estimated in closed form (the paper's Eq. for the minimiser under an L_p regulariser):
 *   t⁺_i ∝ (Σ_j L_ij / t⁻_j)^(1/(p+1)),  t⁻_j ∝ (Σ_i L_ij / t⁺_i)^(1/(p+1)),  normalised so rank 1 is 1,
 * and blended into a running value: t ← (1−α)·t + α·estimate (α = emStepSize, 0.05; p = regularization, 1).
 *
 * Matches ULTRA: pairs are (i, j) with min(1, relu(c_i − c_j)) > 0, the pair loss is the two-way
 * softmax cross-entropy (= logistic loss), t⁺ and t⁻ start at 1, the update uses the t of the previous
 * step, ranks with no pair in the batch are pulled toward 0 exactly as ULTRA's running mean does.
 * Differences:
 * - The loss is averaged over sessions (ULTRA sums over the batch), so the learning rate does not
 *   depend on the batch size.
 * - When the batch has no pair at rank 1 (no click on top for t⁺, no skipped top result for t⁻) the
 *   corresponding update is skipped; ULTRA would divide by zero and write NaN.
 * - Pads form no pair. afterStep reads batch.scores as the trainer passes them.
 * - The configured LossFn is not used: the method is defined on the pairwise logistic loss.
 */
const DEFAULT_STEP = 0.05;
const DEFAULT_REGULARIZATION = 1;

/**
 * Per session and rank pair (i, j): the pair indicator times the logistic loss, [nSessions, k, k].
 * Exported for tests.
 */
export function pairLosses(scores: tf.Tensor2D, clicks: tf.Tensor2D, mask: tf.Tensor2D): tf.Tensor3D {
  return tf.tidy(() => {
    const [n, k] = scores.shape;
    const column = (x: tf.Tensor2D) => tf.reshape(x, [n, k, 1]);
    const row = (x: tf.Tensor2D) => tf.reshape(x, [n, 1, k]);
    const logistic = tf.softplus(tf.sub(row(scores), column(scores)));
    const valid = tf.mul(
      tf.minimum(tf.relu(tf.sub(column(clicks), row(clicks))), 1),
      tf.mul(column(mask), row(mask)),
    );
    return tf.mul(valid, logistic) as tf.Tensor3D;
  });
}

export interface PairdEstimator extends Estimator {
  /** Current t⁺ and t⁻ per rank, for diagnostics and checkpoints. */
  ratios(): Promise<{ plus: number[]; minus: number[] }>;
  /** Restores t⁺ and t⁻ (a checkpoint; tests that need given ratios). */
  setRatios(plus: number[], minus: number[]): void;
}

export function createPaird(options: EstimatorOptions): PairdEstimator {
  checkOptions('paird', options);
  const { k } = options;
  const step = options.emStepSize ?? DEFAULT_STEP;
  const p = options.regularization ?? DEFAULT_REGULARIZATION;
  if (!(p >= 0)) throw new Error(`paird: regularization must be ≥ 0, got ${options.regularization}`);
  const tPlus = tf.tidy(() => tf.variable(tf.ones([k]) as tf.Tensor1D, false, uniqueVariableName('paird_t_plus')));
  const tMinus = tf.tidy(() => tf.variable(tf.ones([k]) as tf.Tensor1D, false, uniqueVariableName('paird_t_minus')));

  /** Blends the normalised batch estimate into t unless rank 1 has no mass in this batch. */
  const update = (t: tf.Variable, sums: tf.Tensor1D): void => {
    const first = tf.slice(sums, [0], [1]);
    const estimate = tf.pow(tf.div(sums, tf.maximum(first, 1e-30)), 1 / (p + 1));
    const blended = tf.add(tf.mul(t, 1 - step), tf.mul(estimate, step));
    t.assign(tf.where(tf.greater(tf.tile(first, [k]), 0), blended, t));
  };

  return {
    name: 'paird',
    variables: [],
    stateVariables: [tPlus, tMinus],
    loss(batch: ClickBatch): tf.Scalar {
      checkBatchWidth('paird', batch, k);
      return tf.tidy(() => {
        const losses = pairLosses(batch.scores, clickTargets(batch), batch.mask);
        const weights = tf.div(1, tf.mul(tf.reshape(tPlus, [1, k, 1]), tf.reshape(tMinus, [1, 1, k])));
        return tf.div(tf.sum(tf.mul(losses, weights)), Math.max(batch.scores.shape[0], 1)) as tf.Scalar;
      });
    },
    afterStep(batch: ClickBatch): void {
      checkBatchWidth('paird', batch, k);
      tf.tidy(() => {
        const byRankPair = tf.sum(pairLosses(batch.scores, clickTargets(batch), batch.mask), 0); // [k, k]
        // Both sums use the ratios of the previous step, as ULTRA's graph does.
        const plusSums = tf.sum(tf.div(byRankPair, tf.reshape(tMinus, [1, k])), 1) as tf.Tensor1D;
        const minusSums = tf.sum(tf.div(byRankPair, tf.reshape(tPlus, [k, 1])), 0) as tf.Tensor1D;
        update(tPlus, plusSums);
        update(tMinus, minusSums);
      });
    },
    propensities: () => relativeToFirst(tPlus),
    ratios: async () => ({ plus: Array.from(await tPlus.data()), minus: Array.from(await tMinus.data()) }),
    setRatios(plus: number[], minus: number[]): void {
      if (plus.length !== k || minus.length !== k || ![...plus, ...minus].every((t) => t > 0)) {
        throw new Error(`paird: ratios must be ${k} positive numbers each`);
      }
      tf.tidy(() => {
        tPlus.assign(tf.tensor1d(plus));
        tMinus.assign(tf.tensor1d(minus));
      });
    },
    dispose(): void {
      tPlus.dispose();
      tMinus.dispose();
    },
  };
}
