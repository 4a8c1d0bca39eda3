import * as tf from '@tensorflow/tfjs-core';
import { exp2Gains, idealDcg, rankDiscounts } from './ndcg';
import { precedence, ranksOf } from './ordering';
import {
  colsOf,
  constant,
  maskedScores,
  meanOverLists,
  pairwiseDifferences,
  preferencePairs,
  relevance,
  rowsOf,
  TINY,
} from './shared';
import type { LossFn, LossInput } from './types';

/**
 * NDCG-weighted pairwise logistic losses. Both take the pairs y_i > y_j of RankNet and weight each by
 * how much the pair matters to nDCG under the current ranking (the documents sorted by score; ties by
 * slot, pads last). The weights are constants of the tape (stop-gradient), as in LambdaRank's λs and
 * in TF-Ranking/allRank. Gains are exp2, 2^y − 1, normalised by the list's ideal DCG.
 *
 * Reduction: the weighted pair losses are summed within a list (the weights already carry nDCG's
 * scale; LambdaLoss's bound on the metric is a sum), then averaged over lists with at least one
 * pair. allRank sums over the batch as well; the mean keeps the step size independent of batch size.
 */

interface PairTerms {
  /** [nLists, L, L]: 1 for pairs y_i > y_j of real documents. */
  pairs: tf.Tensor3D;
  /** [nLists, L, L]: |G_i − G_j| with G = (2^y − 1) / IDCG. */
  gainGaps: tf.Tensor3D;
  /** [nLists, L, L]: |1/log2(1 + rank_i) − 1/log2(1 + rank_j)| under the current ranking. */
  discountGaps: tf.Tensor3D;
  /** [nLists, L, L]: |rank_i − rank_j| under the current ranking. */
  rankGaps: tf.Tensor3D;
  /** [nLists, L, L]: s_i − s_j. */
  scoreGaps: tf.Tensor3D;
  /** [nLists]: 1 for lists with at least one pair. */
  valid: tf.Tensor1D;
}

/** [nLists, L, L] with entry [b, i, j] = |x_i − x_j|. */
function absoluteGaps(x: tf.Tensor2D): tf.Tensor3D {
  return tf.abs(tf.sub(rowsOf(x), colsOf(x))) as tf.Tensor3D;
}

function pairTerms({ scores, labels, mask }: LossInput): PairTerms {
  const y = relevance(labels, mask);
  const s = maskedScores(scores, mask);
  const pairs = preferencePairs(y, mask);
  const gains = constant([y, mask], () => tf.div(exp2Gains(y), tf.expandDims(tf.maximum(idealDcg(y, mask), TINY), 1)));
  const ranks = constant([s, mask], () => ranksOf(precedence(s, null, mask)));
  const gainGaps = constant([gains], () => absoluteGaps(gains as tf.Tensor2D));
  const discountGaps = constant([ranks], () => absoluteGaps(rankDiscounts(ranks) as tf.Tensor2D));
  const rankGaps = constant([ranks], () => absoluteGaps(ranks));
  const valid = constant([pairs], () => tf.cast(tf.greater(tf.sum(pairs, [1, 2]), 0), 'float32')) as tf.Tensor1D;
  return { pairs, gainGaps, discountGaps, rankGaps, scoreGaps: pairwiseDifferences(s), valid };
}

/**
 * LambdaRank as a loss (Burges 2010, "From RankNet to LambdaRank to LambdaMART"; TF-Ranking's
 * DCGLambdaWeight with the pairwise logistic loss; LiPO-λ, Liu et al. 2024): each RankNet pair weighted
 * by |ΔNDCG|, the change in nDCG from swapping i and j in the current ranking,
 * |G_i − G_j| · |1/log2(1 + rank_i) − 1/log2(1 + rank_j)|. Its gradient for document i is LambdaRank's
 * λ_i = −Σ_j |ΔNDCG_ij| σ(−(s_i − s_j)) over the pairs i is in (with the sign of the pair).
 */
export function lambdaRankLoss(input: LossInput): tf.Scalar {
  return tf.tidy(() => {
    const t = pairTerms(input);
    const weights = tf.mul(tf.mul(t.pairs, t.gainGaps), t.discountGaps);
    const perList = tf.sum(tf.mul(weights, tf.softplus(tf.neg(t.scoreGaps))), [1, 2]);
    return meanOverLists(perList as tf.Tensor1D, t.valid);
  });
}

export interface LambdaLossOptions {
  /** Weight of the NDCG-Loss2 term (allRank's mu, 10). */
  mu?: number;
  /** Scale of the score difference inside the sigmoid (allRank's sigma, 1). */
  sigma?: number;
}

/**
 * LambdaLoss with the NDCG-Loss2++ weighting (Wang et al. CIKM 2018, "The LambdaLoss Framework for
 * Ranking Metric Optimization"), as allRank's lambdaLoss(weighing_scheme="ndcgLoss2PP_scheme",
 * mu=10, sigma=1, k=None, reduction_log="binary"): per pair y_i > y_j,
 *   −w_ij · log2 σ(sigma (s_i − s_j)),   w_ij = |G_i − G_j| · (mu · δ_|rank_i − rank_j| + |D_i⁻¹ − D_j⁻¹|),
 * with D_r = log2(1 + r) and δ_d = 1/log2(1 + d) − 1/log2(2 + d) (NDCG-Loss2's weight for documents d
 * ranks apart). Differences from allRank: the log-sigmoid is computed as −softplus(−x) instead of
 * log2 of a sigmoid clamped at 1e-10, so very wrong pairs keep their gradient; reduction as above.
 */
export function createLambdaLoss(options: LambdaLossOptions = {}): LossFn {
  const mu = options.mu ?? 10;
  const sigma = options.sigma ?? 1;
  return (input: LossInput) =>
    tf.tidy(() => {
      const t = pairTerms(input);
      const weights = constant([t.pairs, t.gainGaps, t.discountGaps, t.rankGaps], () => {
        // Pairs are never on the diagonal (y_i > y_j), but δ_0 is infinite: keep d ≥ 1 so 0 · ∞ never happens.
        const d = tf.maximum(t.rankGaps, 1);
        const delta = tf.sub(tf.div(Math.LN2, tf.log1p(d)), tf.div(Math.LN2, tf.log(tf.add(d, 2))));
        return tf.mul(tf.mul(t.pairs, t.gainGaps), tf.add(tf.mul(delta, mu), t.discountGaps));
      });
      const negLog2Sigmoid = tf.div(tf.softplus(tf.mul(t.scoreGaps, -sigma)), Math.LN2);
      const perList = tf.sum(tf.mul(weights, negLog2Sigmoid), [1, 2]);
      return meanOverLists(perList as tf.Tensor1D, t.valid);
    });
}

export const lambdaLoss: LossFn = createLambdaLoss();
