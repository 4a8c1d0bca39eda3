import * as tf from '@tensorflow/tfjs-core';
import { colsOf, constant, PAD_LOGIT, rowsOf } from './shared';

/**
 * Orders of documents within each list, built from pairwise comparisons instead of a sort: an
 * [nLists, L, L] precedence matrix is a handful of element-wise ops that every backend has, keeps
 * fixed shapes on WebGPU/WebGL, and gives ties an explicit rule. The O(L²) memory is the same as the
 * pairwise losses already need.
 */

/** [L, L] with entry [i, j] = 1 when j < i: the last tie-breaker, slot order. */
function earlierSlot(listSize: number): tf.Tensor2D {
  const idx = tf.range(0, listSize, 1, 'int32');
  return tf.cast(tf.less(tf.expandDims(idx, 0), tf.expandDims(idx, 1)), 'float32') as tf.Tensor2D;
}

/**
 * [nLists, L, L] with entry [b, i, j] = 1 when document j comes before document i in the order that
 * sorts list b by `primary` descending, ties by `secondary` descending (when given), remaining ties by
 * slot index; all pads come after all real documents (among themselves by slot). A constant of the
 * tape: orders are piecewise constant in the scores.
 */
export function precedence(primary: tf.Tensor2D, secondary: tf.Tensor2D | null, mask: tf.Tensor2D): tf.Tensor3D {
  const inputs = secondary ? [primary, secondary, mask] : [primary, mask];
  return constant(inputs, () => {
    const greaterThan = (x: tf.Tensor2D) => tf.cast(tf.greater(colsOf(x), rowsOf(x)), 'float32');
    const tied = (x: tf.Tensor2D) => tf.cast(tf.equal(colsOf(x), rowsOf(x)), 'float32');
    const bySlot = earlierSlot(primary.shape[1]);
    // The comparisons are exclusive (greater, or equal and then the next key), so OR is a sum.
    let before: tf.Tensor = bySlot;
    if (secondary) before = tf.add(greaterThan(secondary), tf.mul(tied(secondary), before));
    before = tf.add(greaterThan(primary), tf.mul(tied(primary), before));
    const realI = rowsOf(mask);
    const realJ = colsOf(mask);
    const padI = tf.sub(1, realI);
    const padJ = tf.sub(1, realJ);
    return tf.addN([
      tf.mul(tf.mul(realJ, realI), before),
      tf.mul(realJ, padI),
      tf.mul(tf.mul(padJ, padI), bySlot),
    ]) as tf.Tensor3D;
  });
}

/** 0-based rank of each document (rank 0 = first) under a precedence matrix. */
export function ranksOf(before: tf.Tensor3D): tf.Tensor2D {
  return tf.sum(before, 2);
}

/**
 * Plackett–Luce log-likelihood of the order given by `before`, per list (Cao et al. 2007 ListNet;
 * Xia et al. 2008 ListMLE): Σ over real documents i of s_i − log Σ_{k real, k not before i} exp(s_k).
 * Written per document (the set of documents at or after i) rather than on a sorted copy, so the
 * gradient reaches the scores without a gather by sort indices.
 */
export function plackettLuceLogLikelihood(scores: tf.Tensor2D, before: tf.Tensor3D, mask: tf.Tensor2D): tf.Tensor1D {
  const remaining = tf.mul(tf.sub(1, before), colsOf(mask));
  const logits = tf.add(colsOf(scores), tf.mul(tf.sub(1, remaining), PAD_LOGIT));
  const logNormaliser = tf.logSumExp(logits, 2);
  return tf.sum(tf.mul(tf.sub(scores, logNormaliser), mask), 1);
}
