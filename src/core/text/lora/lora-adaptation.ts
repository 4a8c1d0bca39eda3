import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../../experiment/rng';
import type { BertConfig } from '../model/config';
import type { BertParams, BertWeights } from '../model/params';
import type { Adaptation, AdaptationConfig, AdaptationFactory, StepContext } from './adaptation';
import { createLoraAdapters, disposeLoraAdapters, loraParameterCount, loraVariables, type LoraAdapter, type LoraAdapters } from './lora';
import { mergeLoraWeights } from './merge';
import { exportPeftAdapter } from './peft';
import { adapterInput } from './variants/common';

/**
 * Plain LoRA as an Adaptation: h = x·Wᵀ + (α/r)·(dropout(x)·Aᵀ)·Bᵀ, PEFT's forward (dropout on the
 * adapter's input only, while training). Also wraps adapters read from a PEFT file.
 */
export function loraAdaptation(ac: AdaptationConfig, l: LoraAdapters, c: BertConfig): Adaptation {
  const byModule = new Map<string, LoraAdapter>(l.adapters.map((ad) => [ad.module, ad]));
  return {
    config: ac,
    variables: loraVariables(l),
    count: loraParameterCount(l.config, c),
    forward(base: BertParams, ctx: StepContext) {
      return {
        params: base,
        linearDelta: (module, x) => {
          const ad = byModule.get(module);
          if (!ad) return null;
          const xd = adapterInput(x, l.config.dropout, ctx);
          return tf.mul(tf.matMul(tf.matMul(xd, ad.a, false, true), ad.b, false, true), l.scale) as tf.Tensor2D;
        },
      };
    },
    merge: async (base: BertWeights) => mergeLoraWeights(base, l),
    exportPeft: (opts) => exportPeftAdapter(l, opts),
    report: async () => ({}),
    dispose: () => disposeLoraAdapters(l),
  };
}

export const loraFactory: AdaptationFactory = {
  kind: 'lora',
  label: 'LoRA',
  summary: 'Trains A [r, in] and B [out, r] per targeted layer; W + (α/r)·B·A, B starts at zero.',
  count: (ac: AdaptationConfig, c: BertConfig) => loraParameterCount(ac, c),
  create: async (ac: AdaptationConfig, c: BertConfig, _base: BertParams, rng: Rng) => {
    return loraAdaptation(ac, createLoraAdapters(ac, c, rng), c);
  },
};
