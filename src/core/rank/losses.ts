import * as tf from '@tensorflow/tfjs-core';

/**
 * Listwise softmax cross-entropy (ListNet's top-one form, TF-Ranking's SoftmaxLoss): per list,
 * the labels normalised to a distribution p, the loss −Σ p_i log softmax(s)_i. Lists whose labels
 * are all zero carry no signal and are left out of the mean. Padded slots (mask 0) take no
 * probability mass.
 *
 * scores, labels, mask: [nLists, listSize].
 */
export function softmaxCrossEntropy(scores: tf.Tensor2D, labels: tf.Tensor2D, mask: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => {
    const padPenalty = tf.mul(tf.sub(1, mask), -1e9);
    const logProbs = tf.logSoftmax(tf.add(scores, padPenalty));
    const maskedLabels = tf.mul(labels, mask);
    const labelSums = tf.sum(maskedLabels, 1, true);
    const target = tf.div(maskedLabels, tf.maximum(labelSums, 1e-12));
    const perList = tf.neg(tf.sum(tf.mul(tf.mul(target, logProbs), mask), 1));
    const valid = tf.cast(tf.greater(tf.reshape(labelSums, [-1]), 0), 'float32');
    return tf.div(tf.sum(tf.mul(perList, valid)), tf.maximum(tf.sum(valid), 1)) as tf.Scalar;
  });
}
