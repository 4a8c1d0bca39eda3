import * as tf from '@tensorflow/tfjs-core';

/**
 * Building blocks every ranking loss here shares: constants of the tape, label and pad handling, the
 * per-list mean. Tensors are [nLists, listSize] unless a comment says otherwise.
 */

/**
 * Logit given to padded slots so that softmax-style sums give them no mass. Finite on purpose: with
 * −Infinity, masking by multiplication turns 0 · ∞ into NaN in the forward or the backward pass.
 */
export const PAD_LOGIT = -1e9;

/** Guards divisions by an ideal DCG or a count that is zero exactly when a list is left out anyway. */
export const TINY = 1e-12;

/**
 * Evaluates `compute` as a constant of the gradient tape: the value flows forward, the gradient with
 * respect to every tensor in `inputs` is zero (TensorFlow's stop_gradient, which tfjs-core lacks).
 * tf.customGrad runs its forward function with the tape off, so the comparisons and casts inside
 * (Greater, Equal: no registered gradient) are never recorded; outside such a scope tf.grad would
 * fail with "gradient function not found for Greater" as soon as a score reaches a comparison.
 * `inputs` must list every tensor `compute` reads that may depend on a trained variable.
 */
export function constant<T extends tf.Tensor>(inputs: tf.Tensor[], compute: () => T): T {
  const op = tf.customGrad(() => ({
    value: compute(),
    gradFunc: () => inputs.map((x) => tf.zerosLike(x)),
  }));
  return op(...inputs) as T;
}

/** Labels as non-negative relevance on real documents, 0 on pads. */
export function relevance(labels: tf.Tensor2D, mask: tf.Tensor2D): tf.Tensor2D {
  return tf.mul(tf.relu(labels), mask);
}

/** 1 for lists with a positive label on a real document (the lists that carry signal), else 0. */
export function hasPositive(y: tf.Tensor2D): tf.Tensor1D {
  return constant([y], () => tf.cast(tf.greater(tf.sum(y, 1), 0), 'float32') as tf.Tensor1D);
}

/**
 * Mean of per-list losses over the lists that carry signal; 0, not NaN, when none does. Each list
 * weighs the same whatever its length, as in TF-Ranking's and allRank's listwise reductions.
 * `perList` must be finite on left-out lists too (the product with 0 keeps NaN otherwise).
 */
export function meanOverLists(perList: tf.Tensor1D, valid: tf.Tensor1D): tf.Scalar {
  return tf.div(tf.sum(tf.mul(perList, valid)), tf.maximum(tf.sum(valid), 1));
}

/** [nLists, L, 1]: the value of document i along rows. */
export function rowsOf(x: tf.Tensor2D): tf.Tensor3D {
  return tf.expandDims(x, 2);
}

/** [nLists, 1, L]: the value of document j along columns. */
export function colsOf(x: tf.Tensor2D): tf.Tensor3D {
  return tf.expandDims(x, 1);
}

/** [nLists, L, L] with entry [b, i, j] = s_i − s_j. */
export function pairwiseDifferences(s: tf.Tensor2D): tf.Tensor3D {
  return tf.sub(rowsOf(s), colsOf(s));
}

/**
 * [nLists, L, L] with entry [b, i, j] = 1 when i and j are real documents and y_i > y_j: the pairs
 * of TF-Ranking's pairwise losses (one per ordered pair, ties form none).
 */
export function preferencePairs(y: tf.Tensor2D, mask: tf.Tensor2D): tf.Tensor3D {
  return constant([y, mask], () =>
    tf.mul(tf.mul(rowsOf(mask), colsOf(mask)), tf.cast(tf.greater(rowsOf(y), colsOf(y)), 'float32')),
  );
}

/**
 * Real documents masked to score 0, so that a pad's arbitrary (even huge) score never meets an exp
 * or a product; pads then get a zero gradient.
 */
export function maskedScores(scores: tf.Tensor2D, mask: tf.Tensor2D): tf.Tensor2D {
  return tf.mul(scores, mask);
}

/**
 * Checks that `uniforms` is [nSamples, nLists, listSize] for these scores; the message names the shape
 * the caller should draw.
 */
export function checkUniforms(loss: string, uniforms: tf.Tensor3D, scores: tf.Tensor2D): void {
  const [, nLists, listSize] = uniforms.shape;
  if (nLists !== scores.shape[0] || listSize !== scores.shape[1] || uniforms.shape[0] < 1) {
    throw new Error(
      `${loss}: uniforms must be [nSamples ≥ 1, ${scores.shape[0]}, ${scores.shape[1]}] to match the scores, got [${uniforms.shape.join(', ')}]`,
    );
  }
}

/** Gumbel(0, 1) noise −log(−log u) from uniforms in (0, 1), clamped away from 0 and 1 so it stays finite. */
export function gumbel(uniforms: tf.Tensor): tf.Tensor {
  const u = tf.clipByValue(uniforms, 1e-7, 1 - 1e-7);
  return tf.neg(tf.log(tf.neg(tf.log(u))));
}
