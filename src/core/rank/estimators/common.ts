import * as tf from '@tensorflow/tfjs-core';
import type { ClickBatch, EstimatorOptions } from './types';

/**
 * Helpers the estimator modules share. ULTRA computes its cross weights (DLA's propensity and
 * relevance weights, REM's posteriors) in graphs whose gradients only reach one set of variables;
 * here one optimizer differentiates one total loss, so those weights must be cut out of the tape.
 */

/**
 * Identity in the forward pass, invisible to the gradient tape (tf.stop_gradient, which tfjs-core
 * lacks). The custom op takes no tensor input, so the tape has no path from any variable through it:
 * a zero gradient is not enough, because the shared losses apply ops without a gradient (greater,
 * cast) to their labels, and the tape refuses any such op that lies on a path to a variable.
 */
export function stopGradient<T extends tf.Tensor>(x: T): T {
  const detached = tf.customGrad<T>(() => ({ value: tf.clone(x), gradFunc: () => [] }));
  return detached();
}

let variableCounter = 0;

/** tfjs variable names must be unique for the life of the process; estimators are created per run. */
export function uniqueVariableName(prefix: string): string {
  variableCounter += 1;
  return `estimator_${prefix}_${variableCounter}`;
}

/** Clicks as 0/1 targets on shown slots: counts above 1 and anything on a pad are cut away. */
export function clickTargets(batch: ClickBatch): tf.Tensor2D {
  return tf.tidy(() => tf.mul(tf.clipByValue(batch.clicks, 0, 1), batch.mask) as tf.Tensor2D);
}

/**
 * Pointwise sigmoid cross-entropy summed over shown slots and averaged over sessions: ULTRA's
 * sigmoid_loss_on_list convention (reduce_mean over lists of reduce_sum over slots). Stable form
 * max(x, 0) − x·z + log(1 + e^−|x|).
 */
export function maskedSigmoidCrossEntropy(logits: tf.Tensor2D, targets: tf.Tensor2D, mask: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => {
    const perSlot = tf.add(
      tf.sub(tf.relu(logits), tf.mul(logits, targets)),
      tf.log1p(tf.exp(tf.neg(tf.abs(logits)))),
    );
    const nSessions = logits.shape[0];
    return tf.div(tf.sum(tf.mul(perSlot, mask)), Math.max(nSessions, 1)) as tf.Scalar;
  });
}

/** Reads a per-rank tensor and returns it relative to rank 1 (θ_k / θ_1), for the propensity chart. */
export async function relativeToFirst(values: tf.Tensor1D): Promise<number[]> {
  const data = Array.from(await values.data());
  const first = data[0];
  return data.map((v) => v / first);
}

/** Validates what every estimator relies on; a config error should say what to change. */
export function checkOptions(name: string, options: EstimatorOptions): void {
  if (!Number.isInteger(options.k) || options.k < 1) {
    throw new Error(`${name}: k (results shown per session) must be a positive integer, got ${options.k}`);
  }
  const clip = options.clip ?? 0;
  if (!(clip >= 0 && clip <= 1)) {
    throw new Error(`${name}: clip must be in [0, 1] (a relative propensity), got ${options.clip}`);
  }
  const step = options.emStepSize;
  if (step !== undefined && !(step > 0 && step <= 1)) {
    throw new Error(`${name}: emStepSize must be in (0, 1], got ${step}`);
  }
}

/** Checks the batch has the k columns the estimator's per-rank parameters were built for. */
export function checkBatchWidth(name: string, batch: ClickBatch, k: number): void {
  const width = batch.scores.shape[1];
  if (width !== k) {
    throw new Error(`${name}: batch has ${width} ranks per session but the estimator was built for k = ${k}`);
  }
}
