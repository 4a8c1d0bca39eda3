import * as tf from '@tensorflow/tfjs-core';
import { exp2Gains, idealDcg } from './ndcg';
import { colsOf, constant, hasPositive, maskedScores, meanOverLists, relevance, rowsOf, TINY } from './shared';
import type { LossFn, LossInput } from './types';

export interface ApproxNdcgOptions {
  /** Sharpness of the sigmoid that replaces the rank indicator (TF-Ranking's 1/temperature, 10). */
  alpha?: number;
}

/**
 * ApproxNDCG (Qin, Liu & Li, Information Retrieval 2010, "A general approximation framework for
 * direct optimization of information retrieval measures"; TF-Ranking's ApproxNDCGLoss with
 * temperature 0.1): the rank of document i is replaced by the smooth
 *   r̂_i = 1 + Σ_{j ≠ i, j real} σ(alpha (s_j − s_i)),
 * and the loss is −Σ_i (2^y_i − 1) / log2(1 + r̂_i) / IDCG, minus an nDCG over the whole list (no
 * cutoff, as allRank's approxNDCGLoss). Pads neither take a rank nor push others down. Reduction:
 * mean over lists with a positive label (IDCG > 0).
 */
export function createApproxNdcgLoss(options: ApproxNdcgOptions = {}): LossFn {
  const alpha = options.alpha ?? 10;
  return ({ scores, labels, mask }: LossInput) =>
    tf.tidy(() => {
      const y = relevance(labels, mask);
      const s = maskedScores(scores, mask);
      const listSize = s.shape[1];
      const others = constant([mask], () =>
        tf.mul(tf.mul(rowsOf(mask), colsOf(mask)), tf.expandDims(tf.sub(1, tf.eye(listSize)), 0)),
      );
      // Entry [b, i, j]: the soft indicator that j is ranked above i.
      const above = tf.sigmoid(tf.mul(tf.sub(colsOf(s), rowsOf(s)), alpha));
      const approxRanks = tf.add(1, tf.sum(tf.mul(above, others), 2));
      const gains = exp2Gains(y);
      const dcg = tf.sum(tf.div(tf.mul(gains, mask), tf.div(tf.log1p(approxRanks), Math.LN2)), 1);
      const perList = tf.neg(tf.div(dcg, tf.maximum(idealDcg(y, mask), TINY)));
      return meanOverLists(perList as tf.Tensor1D, hasPositive(y));
    });
}

export const approxNdcgLoss: LossFn = createApproxNdcgLoss();
