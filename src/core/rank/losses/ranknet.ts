import * as tf from '@tensorflow/tfjs-core';
import { constant, maskedScores, meanOverLists, pairwiseDifferences, preferencePairs, relevance } from './shared';
import type { LossInput } from './types';

/**
 * RankNet (Burges et al. ICML 2005), TF-Ranking's PairwiseLogisticLoss: for every pair of real
 * documents with y_i > y_j, log(1 + exp(−(s_i − s_j))), each pair weighing 1.
 *
 * Only the label order enters, as in TF-Ranking: a pair of labels (3, 0) counts the same as (1, 0).
 * With IPS-weighted clicks as labels this means the weights decide which pairs exist (two clicked
 * documents with different weights form a pair) but not how much a pair counts; TF-Ranking passes
 * IPS as separate per-item weights, which LossInput does not carry. LambdaRank below does use label
 * magnitudes, through the gains.
 *
 * Reduction: mean over the pairs of a list, then mean over lists that have at least one pair (lists
 * with no positive label, or with all labels equal, have none).
 */
export function rankNetLoss({ scores, labels, mask }: LossInput): tf.Scalar {
  return tf.tidy(() => {
    const y = relevance(labels, mask);
    const pairs = preferencePairs(y, mask);
    const pairLosses = tf.softplus(tf.neg(pairwiseDifferences(maskedScores(scores, mask))));
    const nPairs = tf.sum(pairs, [1, 2]);
    const perList = tf.div(tf.sum(tf.mul(pairs, pairLosses), [1, 2]), tf.maximum(nPairs, 1));
    const valid = constant([nPairs], () => tf.cast(tf.greater(nPairs, 0), 'float32'));
    return meanOverLists(perList as tf.Tensor1D, valid as tf.Tensor1D);
  });
}
