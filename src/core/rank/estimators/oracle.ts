import * as tf from '@tensorflow/tfjs-core';
import { checkOptions } from './common';
import type { ClickBatch, Estimator, EstimatorOptions } from './types';

/**
 * Oracle: the configured ranking loss on the true relevance labels of the shown documents, ignoring
 * clicks. It is the upper bound the click-based estimators are measured against (ULTRA evaluates
 * the same thing by training on labels instead of simulated clicks). Pads are masked by the loss.
 */
export function createOracle(options: EstimatorOptions): Estimator {
  checkOptions('oracle', options);
  return {
    name: 'oracle',
    variables: [],
    loss(batch: ClickBatch): tf.Scalar {
      return tf.tidy(() =>
        options.loss({ scores: batch.scores, labels: batch.labels, mask: batch.mask, uniforms: batch.uniforms }),
      );
    },
    propensities: () => Promise.resolve(null),
    dispose: () => undefined,
  };
}
