import * as tf from '@tensorflow/tfjs-core';
import { hasPositive, maskedScores, meanOverLists, relevance } from './shared';
import type { LossInput } from './types';

/**
 * Pointwise sigmoid cross-entropy (TF-Ranking's SigmoidCrossEntropyLoss): each document is a binary
 * classification of its score, −t log σ(s) − (1 − t) log(1 − σ(s)), computed as softplus(s) − t·s.
 *
 * Targets t = clip(label, 0, 1). Clicks and probabilities in [0, 1] are used as they are, as in
 * TF-Ranking. Graded labels saturate: every grade ≥ 1 is a positive, the relevance threshold MRR and
 * MAP use here too; a caller that wants graded targets rescales them first, e.g.
 * (2^y − 1)/(2^ymax − 1). Normalising by the list's largest label was rejected: it gives the best
 * document of a weak list the same target as a perfect one elsewhere. IPS-weighted clicks above 1
 * also saturate, so with this loss IPS changes nothing for clicked documents; unclipped, a target
 * t > 1 would make the loss unbounded below ((t − 1)·log(1 − σ(s)) → −∞ as s grows), and training
 * would push such scores up without limit.
 *
 * Reduction: mean over the real documents of a list, then mean over lists with a positive label
 * (the shared convention; TF-Ranking would also count lists without one).
 */
export function pointwiseLoss({ scores, labels, mask }: LossInput): tf.Scalar {
  return tf.tidy(() => {
    const y = relevance(labels, mask);
    const t = tf.clipByValue(y, 0, 1);
    const s = maskedScores(scores, mask);
    const perDoc = tf.sub(tf.softplus(s), tf.mul(t, s));
    const perList = tf.div(tf.sum(tf.mul(perDoc, mask), 1), tf.maximum(tf.sum(mask, 1), 1));
    return meanOverLists(perList as tf.Tensor1D, hasPositive(y));
  });
}
