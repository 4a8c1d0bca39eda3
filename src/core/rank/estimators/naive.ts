import * as tf from '@tensorflow/tfjs-core';
import { checkOptions, clickTargets } from './common';
import type { ClickBatch, Estimator, EstimatorOptions } from './types';

/**
 * Naive: clicks taken as relevance labels, with no correction for position bias (ULTRA's
 * navie_algorithm.py, which trains its softmax loss on the raw clicks). Under a position-based model
 * it learns P(click) = θ_rank · P(relevant), so it inherits the logging ranker's ordering: the baseline
 * the unbiased estimators should beat.
 */
export function createNaive(options: EstimatorOptions): Estimator {
  checkOptions('naive', options);
  return {
    name: 'naive',
    variables: [],
    loss(batch: ClickBatch): tf.Scalar {
      return tf.tidy(() =>
        options.loss({ scores: batch.scores, labels: clickTargets(batch), mask: batch.mask, uniforms: batch.uniforms }),
      );
    },
    propensities: () => Promise.resolve(null),
    dispose: () => undefined,
  };
}
