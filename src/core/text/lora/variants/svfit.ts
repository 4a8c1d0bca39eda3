import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../../../experiment/rng';
import type { BertConfig } from '../../model/config';
import type { BertParams, BertWeights } from '../../model/params';
import type { Adaptation, AdaptationConfig, AdaptationFactory } from '../adaptation';
import { topSvd } from '../linalg';
import { loraModuleSpecs, type LoraModuleSpec } from '../lora';
import { mergeFactors, readValues, trainableCount } from './common';

/**
 * SVFit: fine-tune only the top-r singular values of each targeted pretrained weight. At create,
 * W = U·Σ·Vᵀ is computed once in float64 (linalg.ts); U_r, V_r and σ_r are frozen and σ' (init σ_r)
 * trains. The update ΔW = U_r·diag(σ' − σ_r)·V_rᵀ is applied as ((x·V_r)⊙(σ' − σ_r))·U_rᵀ, so the
 * rank-r subspaces the model already uses most are re-weighted, never rotated: r parameters per
 * layer. σ' = σ_r gives ΔW = 0 exactly (the base model); σ' = 0 removes those components.
 */

interface SvModule {
  spec: LoraModuleSpec;
  k: number;
  u: tf.Tensor2D; // [out, k]
  v: tf.Tensor2D; // [in, k]
  sigma: tf.Tensor1D; // [k], frozen σ_r
  trained: tf.Variable; // [k], σ'
}

const rankOf = (ac: AdaptationConfig, s: { in: number; out: number }) => Math.min(ac.r, s.in, s.out);

export async function svfitAdaptation(ac: AdaptationConfig, c: BertConfig, base: BertParams): Promise<Adaptation> {
  const specs = loraModuleSpecs(ac, c);
  // Every SVD before any tensor is created, so a missing weight leaks nothing.
  const svds = await Promise.all(
    specs.map(async (spec) => {
      const w = base.get(`${spec.module}.weight`);
      if (!w || w.shape.length !== 2 || w.shape[0] !== spec.out || w.shape[1] !== spec.in) {
        throw new Error(`SVFit: the model has no [${spec.out}, ${spec.in}] '${spec.module}.weight'`);
      }
      return { spec, svd: topSvd(await w.data(), spec.out, spec.in, rankOf(ac, spec)) };
    }),
  );
  const modules: SvModule[] = svds.map(({ spec, svd }) => {
    const sigma = Float32Array.from(svd.s);
    return {
      spec,
      k: svd.k,
      u: tf.tensor2d(Float32Array.from(svd.u), [spec.out, svd.k]),
      v: tf.tensor2d(Float32Array.from(svd.v), [spec.in, svd.k]),
      sigma: tf.tensor1d(sigma),
      // The same float32 values as `sigma`, so σ' − σ is exactly 0 before training.
      trained: tf.tidy(() => tf.variable(tf.tensor1d(sigma), true)),
    };
  });
  const byModule = new Map(modules.map((m) => [m.spec.module, m]));

  return {
    config: ac,
    variables: modules.map((m) => m.trained),
    count: svfitCount(ac, c),
    forward(b: BertParams) {
      return {
        params: b,
        linearDelta: (module, x) => {
          const m = byModule.get(module);
          if (!m) return null;
          return tf.matMul(tf.mul(tf.matMul(x, m.v), tf.sub(m.trained, m.sigma)), m.u, false, true) as tf.Tensor2D;
        },
      };
    },
    async merge(weights: BertWeights) {
      const updates = await Promise.all(
        modules.map(async (m) => {
          const u = await readValues(m.u);
          const v = await readValues(m.v);
          const s = await readValues(m.sigma);
          const t = await readValues(m.trained);
          const { out, in: inp } = m.spec;
          const k = m.k;
          const left = new Float64Array(out * k);
          for (let o = 0; o < out; o++) for (let q = 0; q < k; q++) left[o * k + q] = u[o * k + q] * (t[q] - s[q]);
          const right = new Float64Array(k * inp);
          for (let i = 0; i < inp; i++) for (let q = 0; q < k; q++) right[q * inp + i] = v[i * k + q];
          return { module: m.spec.module, k, left, right, scale: 1 };
        }),
      );
      return mergeFactors(weights, updates);
    },
    report: async () => ({}),
    dispose() {
      tf.dispose(modules.flatMap((m) => [m.u, m.v, m.sigma, m.trained]));
    },
  };
}

/** min(r, in, out) singular values per module. */
export function svfitCount(ac: AdaptationConfig, c: BertConfig) {
  return trainableCount(
    loraModuleSpecs(ac, c).reduce((n, s) => n + rankOf(ac, s), 0),
    c,
  );
}

export const svfitFactory: AdaptationFactory = {
  kind: 'svfit',
  label: 'SVFit',
  summary: 'Trains only the top-r singular values of each targeted pretrained weight (its SVD taken once at the start).',
  count: svfitCount,
  create: async (ac: AdaptationConfig, c: BertConfig, base: BertParams, _rng: Rng) => svfitAdaptation(ac, c, base),
};
