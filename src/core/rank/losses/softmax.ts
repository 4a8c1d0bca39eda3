import * as tf from '@tensorflow/tfjs-core';
import { hasPositive, maskedScores, meanOverLists, PAD_LOGIT, relevance, TINY } from './shared';
import type { LossInput } from './types';

/**
 * Listwise softmax cross-entropy (ListNet's top-one form, Cao et al. ICML 2007; TF-Ranking's
 * SoftmaxLoss): per list, the labels normalised to a distribution p, the loss −Σ p_i log softmax(s)_i.
 * Its minimiser is s_i = log p_i + c, calibrated scores rather than ever larger gaps: with graded
 * labels, an order-perfect list whose scores are spread far apart can lose more than a reversed one
 * (see softmax.test.ts). Lists whose labels are all zero carry no signal and are left out of the
 * mean. Padded slots take no probability mass.
 */
export function softmaxLoss({ scores, labels, mask }: LossInput): tf.Scalar {
  return tf.tidy(() => {
    const logProbs = tf.logSoftmax(tf.add(maskedScores(scores, mask), tf.mul(tf.sub(1, mask), PAD_LOGIT)));
    const y = relevance(labels, mask);
    const target = tf.div(y, tf.maximum(tf.sum(y, 1, true), TINY));
    const perList = tf.neg(tf.sum(tf.mul(tf.mul(target, logProbs), mask), 1));
    return meanOverLists(perList as tf.Tensor1D, hasPositive(y));
  });
}
