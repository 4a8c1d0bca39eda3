import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../../../experiment/rng';
import type { BertConfig } from '../../model/config';
import type { BertParams, BertWeights } from '../../model/params';
import type { Adaptation, AdaptationConfig, AdaptationFactory, StepContext } from '../adaptation';
import { createLoraAdapters, disposeLoraAdapters, loraParameterCount, loraVariables, type LoraAdapter } from '../lora';
import { adapterInput, exportLoraFactors, leadingColumns, mergeFactors, readValues } from './common';

/**
 * DyLoRA (Valipour et al. 2023, "DyLoRA: Parameter-Efficient Tuning of Pre-trained Models using
 * Dynamic Search-Free Low-Rank Adaptation"): LoRA factors A [r, in], B [out, r] trained so that
 * every truncation to rank b ≤ r works on its own. Each training step samples b uniformly from
 * 1..r and uses A[:b], B[:, :b] with scale α/b; the same b for every module of that step (one
 * model of rank b per step, as in the paper). At inference any b can be chosen afterwards
 * without retraining; merge and PEFT export use that inference rank.
 */

export function dyloraAdaptation(ac: AdaptationConfig, c: BertConfig, rng: Rng): Adaptation {
  const l = createLoraAdapters(ac, c, rng);
  const r = ac.r;
  const byModule = new Map<string, LoraAdapter>(l.adapters.map((ad) => [ad.module, ad]));
  let inferenceRank = r;

  /** A[:b], B[:, :b] of every module as plain data (for merge and export). */
  const truncated = async (b: number) =>
    Promise.all(
      l.adapters.map(async (ad) => {
        const [out, inp] = [ad.b.shape[0] as number, ad.a.shape[1] as number];
        const a = (await readValues(ad.a)).slice(0, b * inp);
        const bCols = leadingColumns(await readValues(ad.b), out, r, b);
        return { module: ad.module, out, inp, a, b: bCols };
      }),
    );

  return {
    config: ac,
    variables: loraVariables(l),
    count: loraParameterCount(ac, c),
    forward(base: BertParams, ctx: StepContext) {
      // Sampled once here, not per module: the step trains one rank-b model.
      const b = ctx.training ? 1 + ctx.rng.int(r) : inferenceRank;
      const scale = ac.alpha / b;
      return {
        params: base,
        linearDelta: (module, x) => {
          const ad = byModule.get(module);
          if (!ad) return null;
          const a = b === r ? ad.a : tf.slice(ad.a, [0, 0], [b, ad.a.shape[1] as number]);
          const bb = b === r ? ad.b : tf.slice(ad.b, [0, 0], [ad.b.shape[0] as number, b]);
          const xd = adapterInput(x, ac.dropout, ctx);
          return tf.mul(tf.matMul(tf.matMul(xd, a, false, true), bb, false, true), scale) as tf.Tensor2D;
        },
      };
    },
    setInferenceRank(rank: number | null) {
      const b = rank ?? r;
      if (!(Number.isInteger(b) && b >= 1 && b <= r)) throw new Error(`DyLoRA: the inference rank must be in 1..${r}, got ${String(rank)}`);
      inferenceRank = b;
    },
    async merge(base: BertWeights) {
      const b = inferenceRank;
      const mods = await truncated(b);
      return mergeFactors(
        base,
        mods.map((m) => ({ module: m.module, k: b, left: m.b, right: m.a, scale: ac.alpha / b })),
      );
    },
    async exportPeft(opts) {
      // A plain LoRA file of rank b: lora_alpha = α keeps PEFT's scale α/b equal to ours.
      const b = inferenceRank;
      const mods = await truncated(b);
      return exportLoraFactors(
        { r: b, alpha: ac.alpha, dropout: ac.dropout, targetModules: [...ac.targetModules] },
        mods.map((m) => ({ module: m.module, a: { shape: [b, m.inp], data: m.a }, b: { shape: [m.out, b], data: m.b } })),
        opts,
      );
    },
    report: async () => ({ inferenceRanks: Array.from({ length: r }, (_, i) => i + 1) }),
    dispose: () => disposeLoraAdapters(l),
  };
}

export const dyloraFactory: AdaptationFactory = {
  kind: 'dylora',
  label: 'DyLoRA',
  summary: 'LoRA trained at a random rank b ≤ r each step (scale α/b), so any rank 1..r can be chosen after training.',
  // The same A and B as LoRA of rank r: truncation adds no parameters.
  count: (ac: AdaptationConfig, c: BertConfig) => loraParameterCount(ac, c),
  create: async (ac: AdaptationConfig, c: BertConfig, _base: BertParams, rng: Rng) => dyloraAdaptation(ac, c, rng),
};
