import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../experiment/rng';

/** The building blocks shared by the per-document models (models.ts) and the attention scorer (attention.ts). */

export type Activation = 'elu' | 'relu' | 'tanh';

/** PyTorch's and TF's default; small enough not to bias unit-variance activations. */
export const LAYER_NORM_EPS = 1e-5;

let modelCounter = 0;

/**
 * Creates a model's variables under one unique prefix (tfjs variable names must be unique for
 * the backend's lifetime) and remembers them in creation order, which is the order of `variables`.
 */
export class VariableFactory {
  readonly variables: tf.Variable[] = [];
  private readonly prefix = `m${++modelCounter}`;

  constructor(private readonly rng: Rng) {}

  /**
   * Weights are drawn from our seeded RNG in JavaScript, not from tf.random*, so initial
   * weights are identical on every backend and only arithmetic differs between devices.
   */
  glorotNormal(rows: number, cols: number, name: string): tf.Variable {
    const std = Math.sqrt(2 / (rows + cols));
    const values = Float32Array.from({ length: rows * cols }, () => this.rng.normal() * std);
    // tidy disposes the initial-value tensor (the variable keeps its own reference to the data);
    // without it every model leaked one tensor per weight and bias.
    return this.keep(tf.tidy(() => tf.variable(tf.tensor2d(values, [rows, cols]), true, `${this.prefix}/${name}`)));
  }

  filled(n: number, value: 0 | 1, name: string): tf.Variable {
    return this.keep(tf.tidy(() => tf.variable(tf.fill([n], value), true, `${this.prefix}/${name}`)));
  }

  private keep(v: tf.Variable): tf.Variable {
    this.variables.push(v);
    return v;
  }
}

export function activate<T extends tf.Tensor>(x: T, kind: Activation): T {
  if (kind === 'elu') return tf.elu(x);
  if (kind === 'relu') return tf.relu(x);
  return tf.tanh(x);
}

/** x·W (+ b) on the last axis, for inputs of any rank: tfjs's matMul wants matching ranks, so fold the leading axes. */
export function dense<T extends tf.Tensor>(x: T, w: tf.Variable, b: tf.Variable | null): T {
  const inDim = x.shape[x.shape.length - 1];
  const outDim = w.shape[w.shape.length - 1];
  const flat = tf.matMul(tf.reshape(x, [-1, inDim]) as tf.Tensor2D, w as tf.Tensor2D);
  const biased = b ? tf.add(flat, b) : flat;
  return tf.reshape(biased, [...x.shape.slice(0, -1), outDim]) as T;
}

export interface LayerNormParams {
  gain: tf.Variable;
  bias: tf.Variable;
}

export function createLayerNorm(vars: VariableFactory, size: number, name: string): LayerNormParams {
  return { gain: vars.filled(size, 1, `${name}/gain`), bias: vars.filled(size, 0, `${name}/bias`) };
}

/**
 * Layer normalisation over the last axis (Ba et al., 2016): the biased variance, as PyTorch's
 * nn.LayerNorm, so weights and outputs can be compared with it.
 */
export function layerNorm<T extends tf.Tensor>(x: T, p: LayerNormParams): T {
  const mean = tf.mean(x, -1, true);
  const centered = tf.sub(x, mean);
  const variance = tf.mean(tf.square(centered), -1, true);
  const normed = tf.mul(centered, tf.rsqrt(tf.add(variance, LAYER_NORM_EPS)));
  return tf.add(tf.mul(normed, p.gain), p.bias) as T;
}

/** How a forward pass is run: evaluation by default; training turns dropout on. */
export interface ScoreOptions {
  training?: boolean;
  /**
   * Required when training with dropout > 0: an integer the caller draws from its seeded Rng once
   * per step. The same seed gives the same dropout masks on every backend.
   */
  seed?: number;
}

/**
 * Inverted dropout whose mask is reproducible: tf.randomUniform in tfjs-core 4.22 draws its values
 * in JavaScript (seedrandom's alea, seeded by the string we give) and uploads them, so a given
 * seed yields the same mask on cpu, wasm, webgl and webgpu. A mask computed on the device (a hash
 * of element indices) would avoid the upload but not be bit-identical across backends, since
 * WebGL has no true 32-bit integers. Each call site passes its own `site` so layers draw
 * independent masks from one per-step seed.
 */
export function dropout<T extends tf.Tensor>(x: T, rate: number, opts: ScoreOptions | undefined, site: string): T {
  if (!opts?.training || rate <= 0) return x;
  if (opts.seed === undefined || !Number.isInteger(opts.seed)) {
    throw new Error('training with dropout needs an integer seed per step (ScoreOptions.seed), so runs are reproducible');
  }
  const uniform = tf.randomUniform(x.shape, 0, 1, 'float32', `${opts.seed}/${site}`);
  const keep = tf.cast(tf.greaterEqual(uniform, rate), 'float32');
  return tf.mul(x, tf.div(keep, 1 - rate)) as T;
}
