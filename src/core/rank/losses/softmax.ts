import * as tf from '@tensorflow/tfjs-core';
import { hasPositive, maskedScores, PAD_LOGIT, relevance, TINY } from './shared';
import type { LossInput } from './types';

/**
 * Listwise softmax cross-entropy (ListNet's top-one form, Cao et al. ICML 2007; TF-Ranking's
 * SoftmaxLoss): per list, the labels normalised to a distribution p, the loss −Σ p_i log softmax(s)_i.
 * Its minimiser is s_i = log p_i + c, calibrated scores rather than ever larger gaps: with graded
 * labels, an order-perfect list whose scores are spread far apart can lose more than a reversed one
 * (see softmax.test.ts). Padded slots take no probability mass.
 *
 * Lists are averaged weighted by their label sums, Σ_l w_l·CE_l / Σ_l w_l with w_l = Σ_i y_li, as
 * ULTRA's softmax_loss and TF-Ranking's SoftmaxLoss reduce. This matters for IPS and DLA: their
 * labels are clicks ÷ propensity, and normalising each list to a distribution would erase the weight
 * of a single click, so a session whose only click was at rank 8 would count like one at rank 1.
 * Lists whose labels are all zero have weight 0, so they drop out (0, not NaN, when all do).
 */
export function softmaxLoss({ scores, labels, mask }: LossInput): tf.Scalar {
  return tf.tidy(() => {
    const logProbs = tf.logSoftmax(tf.add(maskedScores(scores, mask), tf.mul(tf.sub(1, mask), PAD_LOGIT)));
    const y = relevance(labels, mask);
    const target = tf.div(y, tf.maximum(tf.sum(y, 1, true), TINY));
    const perList = tf.neg(tf.sum(tf.mul(tf.mul(target, logProbs), mask), 1));
    const weights = tf.mul(tf.sum(y, 1), hasPositive(y));
    return tf.div(tf.sum(tf.mul(perList, weights)), tf.maximum(tf.sum(weights), TINY)) as tf.Scalar;
  });
}
