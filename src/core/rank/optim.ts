import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { learningRateAt, type ScheduleSpec } from './schedule';

export type OptimizerKind = 'adam' | 'adagrad' | 'sgd';

/** A tfjs optimizer whose learning rate a schedule can change between steps. */
export type SchedulableOptimizer = tf.Optimizer & { setLearningRate(learningRate: number): void };

/*
 * In tfjs-core 4.22 `learningRate` is a protected field, and setting it is not enough everywhere:
 * Adam and Adagrad read it on every step, but SGD (and Momentum) bake −lr into a cached scalar
 * `c` that only SGDOptimizer.setLearningRate refreshes. So SGD keeps its own public method and
 * Adam/Adagrad get a subclass that can write the protected field without a cast.
 */
class ScheduledAdam extends tf.AdamOptimizer {
  setLearningRate(learningRate: number): void {
    this.learningRate = learningRate;
  }
}

class ScheduledAdagrad extends tf.AdagradOptimizer {
  setLearningRate(learningRate: number): void {
    this.learningRate = learningRate;
  }
}

/** Same hyperparameters as tf.train.adam / adagrad / sgd with only a learning rate given. */
export function createOptimizer(kind: OptimizerKind, learningRate: number): SchedulableOptimizer {
  if (kind === 'adam') return new ScheduledAdam(learningRate, 0.9, 0.999);
  if (kind === 'adagrad') return new ScheduledAdagrad(learningRate, 0.1);
  return tf.train.sgd(learningRate);
}

/**
 * Duck-typed on purpose: tfjs's Optimizer defines a static Symbol.hasInstance that calls anything
 * with minimize/computeGradients/applyGradients an instance, so `x instanceof tf.SGDOptimizer` (or
 * of our subclasses) is true for every optimizer and cannot tell them apart.
 */
function isSchedulable(optimizer: tf.Optimizer): optimizer is SchedulableOptimizer {
  return typeof (optimizer as Partial<SchedulableOptimizer>).setLearningRate === 'function';
}

/** Sets the rate for the next steps of an optimizer made by createOptimizer (or any tfjs SGD/Momentum). */
export function setLearningRate(optimizer: tf.Optimizer, learningRate: number): void {
  if (isSchedulable(optimizer)) {
    optimizer.setLearningRate(learningRate);
    return;
  }
  throw new Error(`cannot schedule the learning rate of a ${optimizer.getClassName()} optimizer; create it with createOptimizer`);
}

/**
 * Sets the scheduled rate for update number `step` (0-based) before that update runs, and returns
 * it for reporting. Setting it every step, rather than on changes only, keeps a resumed run
 * correct with no state beyond the step count.
 */
export function applySchedule(optimizer: tf.Optimizer, peak: number, schedule: ScheduleSpec, step: number, totalSteps: number): number {
  const learningRate = learningRateAt(step, peak, totalSteps, schedule);
  setLearningRate(optimizer, learningRate);
  return learningRate;
}

export interface ClippedGradients {
  /** New tensors, owned by the caller (clones when nothing was clipped). */
  grads: tf.NamedTensorMap;
  /** The global norm before clipping, √Σ‖g‖², left on the device so reporting it costs no sync. */
  norm: tf.Scalar;
}

const clippingOff = (maxNorm: number): boolean => !(maxNorm > 0) || !Number.isFinite(maxNorm);

/**
 * Clips by global norm, as tf.clip_by_global_norm and torch.nn.utils.clip_grad_norm_: every
 * gradient is scaled by maxNorm / max(norm, maxNorm), so the direction of the whole update is
 * kept and only its length is capped. maxNorm ≤ 0 or ∞ means no clipping (the config's 0 = off).
 */
export function clipByGlobalNorm(grads: tf.NamedTensorMap, maxNorm: number): ClippedGradients {
  return tf.tidy(() => {
    const names = Object.keys(grads);
    const squares = names.map((name) => tf.sum(tf.square(grads[name])));
    const norm = tf.sqrt(squares.length > 0 ? tf.addN(squares) : tf.scalar(0)) as tf.Scalar;
    const clipped: tf.NamedTensorMap = {};
    if (clippingOff(maxNorm)) {
      for (const name of names) clipped[name] = tf.clone(grads[name]);
    } else {
      // The scale stays on the device: deciding "clip or not" in JavaScript would sync every step.
      const scale = tf.div(maxNorm, tf.maximum(norm, maxNorm));
      for (const name of names) clipped[name] = tf.mul(grads[name], scale);
    }
    return { grads: clipped, norm };
  });
}

export interface StepResult {
  loss: tf.Scalar;
  /** The gradient's global norm before clipping, for charts and divergence checks. */
  norm: tf.Scalar;
}

/**
 * One optimisation step with global-norm clipping; with clipping off it performs exactly
 * optimizer.minimize(lossFn, true, variables). The caller owns (and disposes) both returned scalars.
 */
export function clippedStep(
  optimizer: tf.Optimizer,
  lossFn: () => tf.Scalar,
  variables: tf.Variable[],
  maxNorm: number,
): StepResult {
  const { value, grads } = tf.variableGrads(lossFn, variables);
  const clipped = clipByGlobalNorm(grads, maxNorm);
  // An array in `variables` order, as minimize passes it: Adam and Adagrad keep their per-variable
  // state by position in this list, so the order must be the same on every step.
  optimizer.applyGradients(variables.map((v) => ({ name: v.name, tensor: clipped.grads[v.name] })));
  tf.dispose(grads);
  tf.dispose(clipped.grads);
  return { loss: value, norm: clipped.norm };
}
