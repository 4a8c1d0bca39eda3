import * as tf from '@tensorflow/tfjs-core';
import { checkBatchWidth, checkOptions, clickTargets, stopGradient, uniqueVariableName } from './common';
import type { ClickBatch, Estimator, EstimatorOptions } from './types';

/**
 * Dual Learning Algorithm (Ai et al. SIGIR 2018, "Unbiased Learning to Rank with Unbiased Propensity
 * Estimation"). Ranking and propensity estimation are dual problems: a click at rank r on document d
 * needs both examination θ_r and relevance γ_d, so the ranker is trained on clicks weighted by
 * inverse propensities θ̂_1/θ̂_r and the propensity model on the same clicks weighted by inverse
 * relevances γ̂_1/γ̂_r, each side's weights taken from the other side's current estimate.
 *
 * Matches ULTRA's dla.py (softmax logits_to_prob, click_weighted_softmax_cross_entropy):
 * - θ̂ = softmax over ranks of the propensity logits; weights θ̂_1/θ̂_r, and relevance weights
 *   p_1/p_r from the softmax of the ranker's scores in each session, both clipped at
 *   max_propensity_weight (here 1/clip when clip > 0, applied to both as ULTRA does);
 * - the propensity loss is ULTRA's click-weighted softmax cross-entropy of the propensity logits:
 *   −Σ target·log softmax / Σ target over the whole batch, i.e. each list weighted by its summed
 *   weighted clicks. That pooling is what makes the optimum θ̂_r ∝ E[c_r·γ_1/γ_r] ∝ θ_r.
 * - total = ranker loss + propensity loss (ranker_loss_weight 1).
 * Differences:
 * - ULTRA has two optimizers, one per loss; here one optimizer minimises the sum, with each side's
 *   weights cut from the tape (stopGradient) so each loss still reaches only its own variables.
 * - The propensity model is one logit per rank, initialised to 0 (uniform θ̂); ULTRA's is a one-hot
 *   rank → linear → ELU network with random initialisation, which has the same expressiveness.
 * - The ranker side uses the configured LossFn on labels = clicks·weights (the shared losses average
 *   lists equally; ULTRA's softmax weights them by summed weighted clicks).
 * - Pads take no probability mass in the propensity softmax (ULTRA's lists are all full length).
 * - A weight is never above e^30 even without clipping, so a large score gap cannot overflow to ∞.
 */
const MAX_LOG_WEIGHT = 30;

/**
 * ULTRA's click-weighted softmax cross-entropy of one logit per rank, with pads masked out: per
 * session a softmax over its shown ranks, targets pooled over the batch,
 *   −Σ_n Σ_r T_nr·(l_r − log Σ_shown e^l) / Σ T.
 * The per-session log-partition is a [n, k]·[k] product, so the logits are never tiled to [n, k].
 * 0 when the batch has no click. logits [k]; targets and mask [nSessions, k].
 */
export function pooledSoftmaxCrossEntropy(logits: tf.Tensor1D, targets: tf.Tensor2D, mask: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => {
    const k = logits.shape[0];
    const maskedTargets = tf.mul(targets, mask);
    // Shift for a stable exp; the shift cancels, so no gradient needs to flow through it.
    const top = stopGradient(tf.max(logits));
    const shifted = tf.exp(tf.sub(logits, top));
    const partition = tf.reshape(tf.matMul(mask, tf.reshape(shifted, [k, 1])), [-1]);
    const logPartition = tf.add(tf.log(tf.maximum(partition, 1e-30)), top);
    const targetMass = tf.sum(maskedTargets, 1);
    const crossEntropy = tf.sub(
      tf.sum(tf.mul(targetMass, logPartition)),
      tf.sum(tf.mul(tf.sum(maskedTargets, 0), logits)),
    );
    return tf.div(crossEntropy, tf.maximum(tf.sum(targetMass), 1e-12)) as tf.Scalar;
  });
}

export function createDla(options: EstimatorOptions): Estimator {
  checkOptions('dla', options);
  const { k } = options;
  const clip = options.clip ?? 0;
  const maxLogWeight = clip > 0 ? Math.min(-Math.log(clip), MAX_LOG_WEIGHT) : MAX_LOG_WEIGHT;
  const logits = tf.tidy(() =>
    tf.variable(tf.zeros([k]) as tf.Tensor1D, true, uniqueVariableName('dla_propensity_logits')),
  );

  return {
    name: 'dla',
    variables: [logits],
    loss(batch: ClickBatch): tf.Scalar {
      checkBatchWidth('dla', batch, k);
      return tf.tidy(() => {
        const clicks = clickTargets(batch);
        const nSessions = batch.scores.shape[0];

        // Inverse propensity weights θ̂_1/θ̂_r = e^(l_1 − l_r): softmax normalisation cancels.
        const fixedLogits = stopGradient(logits);
        const logPropensityWeights = tf.sub(tf.slice(fixedLogits, [0], [1]), fixedLogits);
        const propensityWeights = tf.exp(tf.minimum(logPropensityWeights, maxLogWeight));
        const rankerLabels = tf.mul(clicks, tf.reshape(propensityWeights, [1, k])) as tf.Tensor2D;
        const rankerLoss = options.loss({
          scores: batch.scores,
          labels: rankerLabels,
          mask: batch.mask,
          uniforms: batch.uniforms,
        });

        // Inverse relevance weights p_1/p_r = e^(s_1 − s_r) per session; pads get 0 (they have no click).
        const fixedScores = stopGradient(batch.scores);
        const logRelevanceWeights = tf.sub(tf.slice(fixedScores, [0, 0], [nSessions, 1]), fixedScores);
        const relevanceWeights = tf.mul(tf.exp(tf.minimum(logRelevanceWeights, maxLogWeight)), batch.mask);
        const propensityLoss = pooledSoftmaxCrossEntropy(
          logits,
          tf.mul(clicks, relevanceWeights) as tf.Tensor2D,
          batch.mask,
        );
        return tf.add(rankerLoss, propensityLoss) as tf.Scalar;
      });
    },
    async propensities(): Promise<number[]> {
      const values = Array.from(await logits.data());
      return values.map((l) => Math.exp(l - values[0]));
    },
    dispose: () => logits.dispose(),
  };
}
