import * as tf from '@tensorflow/tfjs-core';
import { constant } from './shared';
import { precedence, ranksOf } from './ordering';

/**
 * nDCG pieces in tensor form, with the conventions of core/metrics (exp2 gain 2^y − 1, discount
 * 1/log2(i + 1) for 1-based rank i) so that a loss's nDCG agrees with the evaluation's.
 */

/** Labels above this give the same gain: 2^64 keeps sums of gains far below float32's 2^128. */
const MAX_GAIN_EXPONENT = 64;

/**
 * exp2 gain 2^y − 1, via expm1 for accuracy at small y (IPS labels, probabilities). Saturates at
 * y = 64 so an IPS weight from a near-zero propensity gives a huge gain rather than Infinity and NaN.
 */
export function exp2Gains(y: tf.Tensor2D): tf.Tensor2D {
  return tf.expm1(tf.mul(tf.minimum(y, MAX_GAIN_EXPONENT), Math.LN2)) as tf.Tensor2D;
}

/** 1 / log2(2 + r) for 0-based rank r, i.e. 1/log2(i + 1) for 1-based rank i. */
export function rankDiscounts(ranks0: tf.Tensor): tf.Tensor {
  return tf.div(Math.LN2, tf.log(tf.add(ranks0, 2)));
}

/** DCG of each list when its documents sit at the given 0-based ranks; pads add nothing. */
export function dcgAt(gains: tf.Tensor2D, ranks0: tf.Tensor2D, mask: tf.Tensor2D): tf.Tensor1D {
  return tf.sum(tf.mul(tf.mul(gains, rankDiscounts(ranks0)), mask), 1);
}

/** Ideal DCG per list (real documents sorted by label), a constant of the tape; 0 for lists without a positive label. */
export function idealDcg(y: tf.Tensor2D, mask: tf.Tensor2D): tf.Tensor1D {
  return constant([y, mask], () => dcgAt(exp2Gains(y), ranksOf(precedence(y, null, mask)), mask));
}
