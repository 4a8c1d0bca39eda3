import * as tf from '@tensorflow/tfjs-core';
import { plackettLuceLogLikelihood, precedence } from './ordering';
import { checkUniforms, hasPositive, maskedScores, meanOverLists, relevance } from './shared';
import type { LossInput } from './types';

/**
 * ListMLE (Xia et al. ICML 2008): the negative Plackett–Luce log-likelihood of the ideal ranking,
 * the real documents sorted by label, −Σ_i [s_π(i) − log Σ_{k ≥ i} exp s_π(k)], summed over the list
 * (allRank's listMLE) and averaged over lists with a positive label.
 *
 * Ties in the labels have no single ideal ranking. allRank shuffles them at random each step; here,
 * when `uniforms` are given, the first sample breaks ties the same way (larger uniform first), so a
 * caller that wants allRank's behaviour draws one sample. Without uniforms, tied documents are ordered
 * by their current scores (then slot): the most likely of the ideal rankings, so the loss is
 * −max over ideal rankings of log P. A slot-order rule was rejected: with clicks, slots follow the
 * logging ranker, and the loss would teach the model to reproduce the logged order among the
 * documents a label cannot tell apart (position bias), where the score rule only asks it to keep its
 * own order. The tie order is a constant of the tape.
 */
export function listMleLoss({ scores, labels, mask, uniforms }: LossInput): tf.Scalar {
  return tf.tidy(() => {
    const y = relevance(labels, mask);
    const s = maskedScores(scores, mask);
    let tieBreak: tf.Tensor2D = s;
    if (uniforms) {
      checkUniforms('listmle', uniforms, scores);
      const [, nLists, listSize] = uniforms.shape;
      tieBreak = tf.reshape(tf.slice(uniforms, [0, 0, 0], [1, nLists, listSize]), [nLists, listSize]);
    }
    const perList = tf.neg(plackettLuceLogLikelihood(s, precedence(y, tieBreak, mask), mask));
    return meanOverLists(perList, hasPositive(y));
  });
}
