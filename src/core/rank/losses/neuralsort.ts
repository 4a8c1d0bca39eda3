import * as tf from '@tensorflow/tfjs-core';
import { checkUniforms, colsOf, constant, gumbel, hasPositive, maskedScores, meanOverLists, PAD_LOGIT, relevance, rowsOf } from './shared';
import type { LossFn, LossInput } from './types';

export interface NeuralSortOptions {
  /** Temperature τ of the relaxation (Grover et al.'s τ; smaller is closer to a hard sort). */
  temperature?: number;
}

/**
 * NeuralSort (Grover, Wang, Zweig & Ermon, ICLR 2019, "Stochastic Optimization of Sorting Networks
 * via Continuous Relaxations"): the permutation matrix that sorts the scores in descending order is
 * relaxed, row by row, into
 *   P̂[r, :] = softmax(((n + 1 − 2r) s − A_s 1) / τ),   (A_s 1)_j = Σ_k |s_j − s_k|,
 * for 1-based rows r = 1..n over the n real documents of a list (pads take no mass, and no row). The
 * loss is the cross-entropy between P̂ and the true sort, averaged over the n rows: Grover et al.'s own
 * objective in their sorting experiments (row-wise cross-entropy against the true permutation
 * matrix), here with the true sort by label.
 *
 * Ties: labels tie far more often than in Grover et al.'s tasks (most clicks are 0), so row r's
 * target is uniform over the documents whose label is the r-th largest (each of the ideal rankings
 * equally): for a group of c tied documents at ranks a..a+c−1, each of those rows puts 1/c on each of
 * them. The loss is then the same for every ideal ranking and needs no tie rule.
 *
 * With `uniforms` ([nSamples, nLists, listSize]), each sample perturbs the scores with Gumbel noise
 * and the loss is averaged over samples: their stochastic NeuralSort (Plackett–Luce sampling by
 * Gumbel perturbation). Without, it is deterministic. Reduction: mean over lists with a positive label.
 */
export function createNeuralSortLoss(options: NeuralSortOptions = {}): LossFn {
  const temperature = options.temperature ?? 1;
  if (!(temperature > 0)) throw new Error(`neuralsort: temperature must be > 0, got ${temperature}`);
  return ({ scores, labels, mask, uniforms }: LossInput) =>
    tf.tidy(() => {
      const y = relevance(labels, mask);
      const s = maskedScores(scores, mask);
      if (!uniforms) return meanOverLists(relaxedSortLoss(s, y, mask, temperature), hasPositive(y));
      checkUniforms('neuralsort', uniforms, scores);
      const [nSamples, nLists, listSize] = uniforms.shape;
      const tile = (x: tf.Tensor2D) => tf.reshape(tf.tile(tf.expandDims(x, 0), [nSamples, 1, 1]), [nSamples * nLists, listSize]) as tf.Tensor2D;
      const noisy = tf.add(tile(s), tf.reshape(gumbel(uniforms), [nSamples * nLists, listSize])) as tf.Tensor2D;
      const perSample = relaxedSortLoss(noisy, tile(y), tile(mask), temperature);
      const perList = tf.mean(tf.reshape(perSample, [nSamples, nLists]), 0) as tf.Tensor1D;
      return meanOverLists(perList, hasPositive(y));
    });
}

/** Per-list cross-entropy between NeuralSort's P̂ of `s` and the tie-aware true sort by `y`. */
function relaxedSortLoss(s: tf.Tensor2D, y: tf.Tensor2D, mask: tf.Tensor2D, temperature: number): tf.Tensor1D {
  const listSize = s.shape[1];
  const n = tf.sum(mask, 1);
  // (A_s 1)_j over real k only, so pads neither add to nor take from a document's spread.
  const spread = tf.sum(tf.mul(tf.abs(tf.sub(rowsOf(s), colsOf(s))), colsOf(mask)), 2);
  const rows = tf.reshape(tf.range(1, listSize + 1, 1, 'float32'), [1, listSize, 1]);
  const rowScale = tf.sub(tf.add(tf.reshape(n, [-1, 1, 1]), 1), tf.mul(rows, 2));
  const logits = tf.div(tf.sub(tf.mul(rowScale, colsOf(s)), colsOf(spread as tf.Tensor2D)), temperature);
  const logP = tf.logSoftmax(tf.add(logits, tf.mul(tf.sub(1, colsOf(mask)), PAD_LOGIT)));
  const target = sortTarget(y, mask);
  return tf.div(tf.neg(tf.sum(tf.mul(target, logP), [1, 2])), tf.maximum(n, 1)) as tf.Tensor1D;
}

/**
 * [nLists, L, L] with entry [b, r, j] (0-based row r) = 1/c_j when document j's label group occupies
 * rank r of the ideal ranking: start_j ≤ r < start_j + c_j, with start_j the number of real documents
 * labelled above j and c_j the number labelled the same (j included). Rows past n are all zero.
 */
function sortTarget(y: tf.Tensor2D, mask: tf.Tensor2D): tf.Tensor3D {
  return constant([y, mask], () => {
    const listSize = y.shape[1];
    const realK = colsOf(mask);
    // Entries [b, j, k], reduced over k: how many real documents are above / level with document j.
    const start = tf.sum(tf.mul(tf.cast(tf.greater(colsOf(y), rowsOf(y)), 'float32'), realK), 2);
    const count = tf.sum(tf.mul(tf.cast(tf.equal(colsOf(y), rowsOf(y)), 'float32'), realK), 2);
    const r = tf.reshape(tf.range(0, listSize, 1, 'float32'), [1, listSize, 1]);
    const startJ = colsOf(start as tf.Tensor2D);
    const inGroup = tf.logicalAnd(tf.greaterEqual(r, startJ), tf.less(r, tf.add(startJ, colsOf(count as tf.Tensor2D))));
    return tf.div(tf.mul(tf.cast(inGroup, 'float32'), colsOf(mask)), colsOf(tf.maximum(count, 1) as tf.Tensor2D)) as tf.Tensor3D;
  });
}

export const neuralSortLoss: LossFn = createNeuralSortLoss();
