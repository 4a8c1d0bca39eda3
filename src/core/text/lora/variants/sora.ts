import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../../../experiment/rng';
import type { BertConfig } from '../../model/config';
import type { BertParams, BertWeights } from '../../model/params';
import type { Adaptation, AdaptationConfig, AdaptationFactory, StepContext } from '../adaptation';
import { createLoraAdapters, disposeLoraAdapters, loraModuleSpecs, type LoraAdapter } from '../lora';
import { adapterInput, exportLoraFactors, mergeFactors, readValues, trainableCount } from './common';

/**
 * SoRA (Ding et al. 2023, "Sparse Low-rank Adaptation of Pre-trained Language Models"): LoRA with
 * a gate vector g [r] between the factors, h = W x + (α/r)·B·diag(g)·A x. The gates start at 1
 * and after every optimiser step take a proximal L1 step g ← sign(g)·max(|g| − lr·λ, 0), which
 * sets weak gates exactly to zero; a zero gate removes that rank component, so each module ends
 * with its own rank (the count of nonzero gates). A is Kaiming-uniform and B = 0 as in LoRA, so an
 * untrained adapter is exactly the base model.
 */

interface SoraModule {
  adapter: LoraAdapter;
  /** [r], trainable. */
  gate: tf.Variable;
}

/** Per module: a nonzero-gate count and the values needed to prune/merge. */
async function readModule(m: SoraModule) {
  const [out, r] = m.adapter.b.shape as [number, number];
  const inp = m.adapter.a.shape[1] as number;
  const g = await readValues(m.gate);
  return { module: m.adapter.module, out, inp, r, a: await readValues(m.adapter.a), b: await readValues(m.adapter.b), g };
}

export function soraAdaptation(ac: AdaptationConfig, c: BertConfig, rng: Rng): Adaptation {
  const l = createLoraAdapters(ac, c, rng);
  // tf.variable keeps its initial tensor alive; the tidy frees it (as weightsToParams does).
  const modules: SoraModule[] = l.adapters.map((adapter) => ({ adapter, gate: tf.tidy(() => tf.variable(tf.ones([ac.r]), true)) }));
  const byModule = new Map(modules.map((m) => [m.adapter.module, m]));
  const scale = ac.alpha / ac.r;

  return {
    config: ac,
    variables: modules.flatMap((m) => [m.adapter.a, m.adapter.b, m.gate]),
    count: soraCount(ac, c),
    forward(base: BertParams, ctx: StepContext) {
      return {
        params: base,
        linearDelta: (module, x) => {
          const m = byModule.get(module);
          if (!m) return null;
          const xd = adapterInput(x, ac.dropout, ctx);
          // (x·Aᵀ)⊙g broadcasts the gate over rows: the same as B·diag(g)·A without forming it.
          const gated = tf.mul(tf.matMul(xd, m.adapter.a, false, true), m.gate);
          return tf.mul(tf.matMul(gated, m.adapter.b, false, true), scale) as tf.Tensor2D;
        },
      };
    },
    afterStep(learningRate: number) {
      const t = learningRate * ac.soraLambda;
      if (!(t > 0)) return;
      for (const m of modules) {
        // Outside any tape: the proximal step is not part of the gradient, it replaces the value.
        const next = tf.tidy(() => tf.mul(tf.sign(m.gate), tf.relu(tf.sub(tf.abs(m.gate), t))));
        m.gate.assign(next);
        next.dispose();
      }
    },
    async merge(base: BertWeights) {
      const mods = await Promise.all(modules.map(readModule));
      return mergeFactors(
        base,
        mods.map((m) => {
          // B·diag(g): column q of B times g[q].
          const left = new Float64Array(m.out * m.r);
          for (let o = 0; o < m.out; o++) for (let q = 0; q < m.r; q++) left[o * m.r + q] = m.b[o * m.r + q] * m.g[q];
          return { module: m.module, k: m.r, left, right: m.a, scale };
        }),
      );
    },
    async exportPeft(opts) {
      // Pruned: only the components with a nonzero gate, with g and the scale folded into B
      // (lora_alpha = r', scale 1). peft.ts writes one rank for all modules (no rank_pattern), so
      // every module is exported at r' = the largest kept rank and modules that kept fewer are
      // zero-padded: their extra A rows and B columns are zero and add nothing.
      const mods = await Promise.all(modules.map(readModule));
      const kept = mods.map((m) => Array.from(m.g.keys()).filter((q) => m.g[q] !== 0));
      const rOut = Math.max(1, ...kept.map((k) => k.length));
      const files = mods.map((m, i) => {
        const a = new Float32Array(rOut * m.inp);
        const b = new Float32Array(m.out * rOut);
        kept[i].forEach((q, j) => {
          a.set(m.a.subarray(q * m.inp, (q + 1) * m.inp), j * m.inp);
          for (let o = 0; o < m.out; o++) b[o * rOut + j] = m.b[o * m.r + q] * m.g[q] * scale;
        });
        return { module: m.module, a: { shape: [rOut, m.inp], data: a }, b: { shape: [m.out, rOut], data: b } };
      });
      return exportLoraFactors({ r: rOut, alpha: rOut, dropout: ac.dropout, targetModules: [...ac.targetModules] }, files, opts);
    },
    async report() {
      const ranks = await Promise.all(
        modules.map(async (m) => ({ module: m.adapter.module, rank: (await readValues(m.gate)).reduce((n, v) => n + (v !== 0 ? 1 : 0), 0), of: ac.r })),
      );
      return { ranks };
    },
    dispose() {
      disposeLoraAdapters(l);
      tf.dispose(modules.map((m) => m.gate));
    },
  };
}

/** LoRA's r·(in + out) plus r gates per module. */
export function soraCount(ac: AdaptationConfig, c: BertConfig) {
  return trainableCount(
    loraModuleSpecs(ac, c).reduce((n, s) => n + ac.r * (s.in + s.out + 1), 0),
    c,
  );
}

export const soraFactory: AdaptationFactory = {
  kind: 'sora',
  label: 'SoRA',
  summary: 'LoRA with a gate per rank component, sparsified by an L1 proximal step, so each layer keeps only the ranks it needs.',
  count: soraCount,
  create: async (ac: AdaptationConfig, c: BertConfig, _base: BertParams, rng: Rng) => soraAdaptation(ac, c, rng),
};
