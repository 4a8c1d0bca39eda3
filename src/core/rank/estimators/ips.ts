import * as tf from '@tensorflow/tfjs-core';
import { checkBatchWidth, checkOptions, clickTargets } from './common';
import type { ClickBatch, Estimator, EstimatorOptions } from './types';

/**
 * Inverse propensity scoring (Wang et al. SIGIR 2016; Joachims et al. WSDM 2017): each click at rank r
 * is weighted by 1/θ_r, which makes the expected weighted click equal to relevance under a
 * position-based model, and the weighted clicks go into the configured loss as labels.
 *
 * Matches ULTRA's ipw_rank.py with its propensity estimator: weights are θ_1/θ_r (propensities
 * normalised by rank 1, so a click at the top weighs 1) and non-clicks weigh 0.
 * Differences: clipping is stated on the relative propensity, θ_r/θ_1 ≥ clip, i.e. every weight is at
 * most 1/clip (ULTRA's max_propensity_weight); ULTRA's softmax loss weights each list by its summed
 * weighted clicks, while the shared LossFn averages lists with any positive label equally.
 */
export function createIps(options: EstimatorOptions): Estimator {
  checkOptions('ips', options);
  const { k } = options;
  const given = options.propensities;
  if (!given || given.length < k) {
    throw new Error(`ips: needs a propensity for each of the ${k} ranks, got ${given ? given.length : 'none'}`);
  }
  const raw = given.slice(0, k);
  if (!raw.every((p) => Number.isFinite(p) && p > 0)) {
    throw new Error(`ips: propensities must be positive numbers, got [${raw.join(', ')}]`);
  }
  const clip = options.clip ?? 0;
  const relative = raw.map((p) => Math.max(p / raw[0], clip));
  // tf.keep: the trainer may build estimators inside a tidy scope; these weights live until dispose().
  const weights = tf.keep(tf.tensor2d(relative.map((p) => 1 / p), [1, k]));

  return {
    name: 'ips',
    variables: [],
    loss(batch: ClickBatch): tf.Scalar {
      checkBatchWidth('ips', batch, k);
      return tf.tidy(() => {
        const labels = tf.mul(clickTargets(batch), weights) as tf.Tensor2D;
        return options.loss({ scores: batch.scores, labels, mask: batch.mask, uniforms: batch.uniforms });
      });
    },
    propensities: () => Promise.resolve(relative.slice()),
    dispose: () => weights.dispose(),
  };
}
