import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../../../experiment/rng';
import type { BertConfig } from '../../model/config';
import type { BertParams, BertWeights } from '../../model/params';
import type { Adaptation, AdaptationConfig, AdaptationFactory } from '../adaptation';
import { createLoraAdapters, disposeLoraAdapters, loraParameterCount, loraVariables, type LoraAdapter } from '../lora';
import { mergeLoraWeights } from '../merge';
import { exportPeftAdapter } from '../peft';

/**
 * ALLoRA (Huang & Balestriero 2024, "ALLoRA: Adaptive Learning Rate Mitigates LoRA Fatal Flaws"):
 * LoRA without dropout and without the α/r scaling (h = W x + B·A x), whose gradients are rescaled
 * by a coefficient inversely proportional to the parameters' ℓ2 norm. The abstract says "per
 * parameter"; we could not confirm the exact grouping from the paper text available here, so the
 * norm is taken per row (each row of A is one rank component's input direction, each row of B
 * one output unit's mixing weights) and the coefficient is
 *   c_row = (1/η) / √(‖θ_row‖² + 1/η²) = 1 / √(1 + η²‖θ_row‖²),
 * i.e. the paper's 1/√(‖θ‖² + 1/η²) normalised so c = 1 at θ = 0: rows still at zero (B at the
 * start) move at the full learning rate, which is how ALLoRA escapes LoRA's slow start, and rows
 * whose norm has grown are slowed down, which replaces dropout and the α/r factor as the brake.
 * η = config.alloraEta.
 */

/** The per-row coefficient for one gradient, given its variable's current value (both [rows, cols]). */
export function alloraScaledGradient(grad: tf.Tensor, value: tf.Tensor, eta: number): tf.Tensor {
  return tf.tidy(() => {
    const norm2 = tf.sum(tf.square(value), -1, true);
    return tf.mul(grad, tf.rsqrt(tf.add(tf.mul(norm2, eta * eta), 1)));
  });
}

export function alloraAdaptation(ac: AdaptationConfig, c: BertConfig, rng: Rng): Adaptation {
  // No dropout and scale 1 regardless of the config's dropout and α.
  const l = createLoraAdapters({ ...ac, dropout: 0, alpha: ac.r }, c, rng);
  const byModule = new Map<string, LoraAdapter>(l.adapters.map((ad) => [ad.module, ad]));
  const variables = loraVariables(l);
  const byName = new Map(variables.map((v) => [v.name, v]));

  return {
    config: ac,
    variables,
    count: loraParameterCount(ac, c),
    forward(base: BertParams) {
      return {
        params: base,
        linearDelta: (module, x) => {
          const ad = byModule.get(module);
          if (!ad) return null;
          return tf.matMul(tf.matMul(x, ad.a, false, true), ad.b, false, true) as tf.Tensor2D;
        },
      };
    },
    transformGradients(grads: tf.NamedTensorMap) {
      const out: tf.NamedTensorMap = {};
      for (const [name, g] of Object.entries(grads)) {
        const v = byName.get(name);
        // Not ours: a copy, so the caller may dispose the input and the output maps independently.
        out[name] = v ? alloraScaledGradient(g, v, ac.alloraEta) : tf.clone(g);
      }
      return out;
    },
    merge: async (base: BertWeights) => mergeLoraWeights(base, l),
    // lora_alpha = r makes PEFT's scale α/r equal to ALLoRA's 1.
    exportPeft: (opts) => exportPeftAdapter(l, opts),
    report: async () => ({}),
    dispose: () => disposeLoraAdapters(l),
  };
}

export const alloraFactory: AdaptationFactory = {
  kind: 'allora',
  label: 'ALLoRA',
  summary: 'LoRA without dropout or α/r scaling; each row’s gradient is scaled by 1/√(1 + η²‖row‖²).',
  count: (ac: AdaptationConfig, c: BertConfig) => loraParameterCount(ac, c),
  create: async (ac: AdaptationConfig, c: BertConfig, _base: BertParams, rng: Rng) => alloraAdaptation(ac, c, rng),
};
