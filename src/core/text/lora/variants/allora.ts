import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../../../experiment/rng';
import type { BertConfig } from '../../model/config';
import type { BertParams } from '../../model/params';
import type { Adaptation, AdaptationConfig, AdaptationFactory } from '../adaptation';
import { createLoraAdapters, loraParameterCount } from '../lora';
import { loraAdaptation } from '../lora-adaptation';

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
  // Plain LoRA with no dropout and α = r (scale 1, whatever the config says); PEFT export with
  // lora_alpha = r then scales by α/r = 1 too. Only the gradient transform is ALLoRA's own.
  const l = createLoraAdapters({ ...ac, dropout: 0, alpha: ac.r }, c, rng);
  const lora = loraAdaptation(ac, l, c);
  const byName = new Map(lora.variables.map((v) => [v.name, v]));
  return {
    ...lora,
    transformGradients(grads: tf.NamedTensorMap) {
      const out: tf.NamedTensorMap = {};
      for (const [name, g] of Object.entries(grads)) {
        const v = byName.get(name);
        // Not ours: a copy, so the caller may dispose the input and the output maps independently.
        out[name] = v ? alloraScaledGradient(g, v, ac.alloraEta) : tf.clone(g);
      }
      return out;
    },
  };
}

export const alloraFactory: AdaptationFactory = {
  kind: 'allora',
  label: 'ALLoRA',
  summary: 'LoRA without dropout or α/r scaling; each row’s gradient is scaled by 1/√(1 + η²‖row‖²).',
  count: (ac: AdaptationConfig, c: BertConfig) => loraParameterCount(ac, c),
  create: async (ac: AdaptationConfig, c: BertConfig, _base: BertParams, rng: Rng) => alloraAdaptation(ac, c, rng),
};
