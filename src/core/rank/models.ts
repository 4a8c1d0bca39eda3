import * as tf from '@tensorflow/tfjs-core';
import type { ModelSpec } from '../experiment/config';
import type { Rng } from '../experiment/rng';

/** A scoring function f(x) → score, one score per document; its variables are what training updates. */
export interface ScoringModel {
  readonly variables: tf.Variable[];
  /** x: [nDocs, nFeatures] → [nDocs]. */
  score(x: tf.Tensor2D): tf.Tensor1D;
  dispose(): void;
}

/**
 * Weights are drawn from our seeded RNG in JavaScript, not from tf.random*, so initial
 * weights are identical on every backend and only arithmetic differs between devices.
 */
function glorotNormal(rows: number, cols: number, rng: Rng, name: string): tf.Variable {
  const std = Math.sqrt(2 / (rows + cols));
  const values = Float32Array.from({ length: rows * cols }, () => rng.normal() * std);
  // tidy disposes the initial-value tensor (the variable keeps its own reference to the data);
  // without it every model leaked one tensor per weight and bias.
  return tf.tidy(() => tf.variable(tf.tensor2d(values, [rows, cols]), true, name));
}

function zeros(n: number, name: string): tf.Variable {
  return tf.tidy(() => tf.variable(tf.zeros([n]), true, name));
}

function activate(x: tf.Tensor2D, kind: 'elu' | 'relu' | 'tanh'): tf.Tensor2D {
  if (kind === 'elu') return tf.elu(x);
  if (kind === 'relu') return tf.relu(x);
  return tf.tanh(x);
}

let modelCounter = 0;

export function createModel(spec: ModelSpec, nFeatures: number, rng: Rng): ScoringModel {
  // tfjs variable names must be unique per backend lifetime.
  const prefix = `m${++modelCounter}`;
  const layerSizes = spec.kind === 'linear' ? [nFeatures, 1] : [nFeatures, ...spec.hidden, 1];
  const weights: tf.Variable[] = [];
  const biases: tf.Variable[] = [];
  for (let l = 0; l + 1 < layerSizes.length; l++) {
    weights.push(glorotNormal(layerSizes[l], layerSizes[l + 1], rng, `${prefix}/w${l}`));
    biases.push(zeros(layerSizes[l + 1], `${prefix}/b${l}`));
  }
  const activation = spec.kind === 'mlp' ? spec.activation : 'elu';
  return {
    variables: weights.flatMap((w, l) => [w, biases[l]]),
    score(x: tf.Tensor2D): tf.Tensor1D {
      return tf.tidy(() => {
        let h: tf.Tensor2D = x;
        for (let l = 0; l < weights.length; l++) {
          h = tf.add(tf.matMul(h, weights[l] as tf.Tensor2D), biases[l]);
          if (l + 1 < weights.length) h = activate(h, activation);
        }
        return tf.reshape(h, [-1]) as tf.Tensor1D;
      });
    },
    dispose() {
      for (const v of [...weights, ...biases]) v.dispose();
    },
  };
}
