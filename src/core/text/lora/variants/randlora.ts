import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../../../experiment/rng';
import type { BertConfig } from '../../model/config';
import type { BertParams, BertWeights } from '../../model/params';
import type { Adaptation, AdaptationConfig, AdaptationFactory } from '../adaptation';
import { loraModuleSpecs, type LoraModuleSpec } from '../lora';
import { mergeFactors, readValues, trainableCount } from './common';

/**
 * RandLoRA (Albert et al. 2025, ICLR, "RandLoRA: Full-rank parameter-efficient fine-tuning of
 * large models"): the update is a sum of n low-rank terms built from fixed random bases, with only
 * diagonal scalings trained (the paper's ΔW = Σᵢ Bᵢ·Λᵢ·A·Γᵢ, as PEFT's RandLora layer computes it):
 *   ΔW = Σ_{i=1..n} Bᵢ · diag(λᵢ) · A · diag(γᵢ)   (on the layer's smaller side, see below)
 * with A [r, min] shared by the n terms, Bᵢ [max, r] one per term, both random and frozen, and
 * λᵢ [r], γᵢ [min] trainable. Each term has rank ≤ r but n = ⌈min(in, out)/r⌉ terms reach full
 * rank, at n·(r + min) parameters per layer. As in PEFT, A and γ sit on the smaller of in/out
 * (fewer parameters); when out < in the whole product is transposed.
 *
 * The bases are drawn from N(0, 1) (PEFT's Kaiming draw normalised to unit std) from a fork of
 * the run's Rng named after the module: they are regenerated from the seed, never checkpointed,
 * and are not variables. λ starts at 0 (ΔW = 0, the base model exactly) while γ starts nonzero so
 * λ gets gradients from the first step. Our config ignores α for RandLoRA, so there is no α/r
 * factor; instead γ starts at 1/√max rather than PEFT's 1/max, which makes one step on λ move ΔW
 * by about as much as one step on LoRA's B does (a unit-std basis sum over min terms gives
 * √min·γ ≈ √(min/max) per entry).
 */

interface RandModule {
  spec: LoraModuleSpec;
  /** The input is the small side: ΔW = Bcat·S; otherwise ΔW = (Bcat·S)ᵀ. */
  inIsMin: boolean;
  n: number;
  /** Frozen A [r, min]. */
  a: tf.Tensor2D;
  /** Frozen [B₁ … Bₙ] side by side, [max, n·r]: column (i, k) is Bᵢ's column k. */
  bCat: tf.Tensor2D;
  lambda: tf.Variable; // [n, r]
  gamma: tf.Variable; // [n, min]
}

export function randloraBases(ac: AdaptationConfig, spec: { in: number; out: number }): number {
  return ac.randloraBases > 0 ? ac.randloraBases : Math.ceil(Math.min(spec.in, spec.out) / ac.r);
}

/** S [n·r, min]: row (i, k) is λᵢ[k]·A[k, :]⊙γᵢ — the scaled copies of A stacked. Inside a tape or tidy. */
function scaledA(m: RandModule): tf.Tensor2D {
  const [r, min] = m.a.shape;
  const s = tf.mul(tf.mul(tf.reshape(m.lambda, [m.n, r, 1]), tf.reshape(m.a, [1, r, min])), tf.reshape(m.gamma, [m.n, 1, min]));
  return tf.reshape(s, [m.n * r, min]) as tf.Tensor2D;
}

export function randloraAdaptation(ac: AdaptationConfig, c: BertConfig, rng: Rng): Adaptation {
  const r = ac.r;
  const modules: RandModule[] = loraModuleSpecs(ac, c).map((spec) => {
    const min = Math.min(spec.in, spec.out);
    const max = Math.max(spec.in, spec.out);
    const n = randloraBases(ac, spec);
    const g = rng.fork(`randlora.${spec.module}`);
    const a = Float32Array.from({ length: r * min }, () => g.normal());
    const bCat = Float32Array.from({ length: max * n * r }, () => g.normal());
    return {
      spec,
      inIsMin: spec.in <= spec.out,
      n,
      a: tf.tensor2d(a, [r, min]),
      bCat: tf.tensor2d(bCat, [max, n * r]),
      lambda: tf.tidy(() => tf.variable(tf.zeros([n, r]), true)),
      gamma: tf.tidy(() => tf.variable(tf.fill([n, min], 1 / Math.sqrt(max)), true)),
    };
  });
  const byModule = new Map(modules.map((m) => [m.spec.module, m]));

  return {
    config: ac,
    variables: modules.flatMap((m) => [m.lambda, m.gamma]),
    count: randloraCount(ac, c),
    forward(base: BertParams) {
      return {
        params: base,
        linearDelta: (module, x) => {
          const m = byModule.get(module);
          if (!m) return null;
          const s = scaledA(m);
          // x·ΔWᵀ without forming ΔW [out, in]: two thin products through the n·r-wide middle.
          return m.inIsMin
            ? (tf.matMul(tf.matMul(x, s, false, true), m.bCat, false, true) as tf.Tensor2D)
            : (tf.matMul(tf.matMul(x, m.bCat), s) as tf.Tensor2D);
        },
      };
    },
    async merge(base: BertWeights) {
      const updates = await Promise.all(
        modules.map(async (m) => {
          const sT = tf.tidy(() => scaledA(m));
          const s = await readValues(sT);
          sT.dispose();
          const bCat = await readValues(m.bCat);
          const k = m.n * r;
          const min = Math.min(m.spec.in, m.spec.out);
          const max = Math.max(m.spec.in, m.spec.out);
          if (m.inIsMin) return { module: m.spec.module, k, left: bCat, right: s, scale: 1 };
          // ΔW = Sᵀ·Bcatᵀ: left [min = out, k], right [k, max = in].
          const left = new Float32Array(min * k);
          for (let q = 0; q < k; q++) for (let j = 0; j < min; j++) left[j * k + q] = s[q * min + j];
          const right = new Float32Array(k * max);
          for (let i = 0; i < max; i++) for (let q = 0; q < k; q++) right[q * max + i] = bCat[i * k + q];
          return { module: m.spec.module, k, left, right, scale: 1 };
        }),
      );
      return mergeFactors(base, updates);
    },
    report: async () => ({}),
    dispose() {
      tf.dispose(modules.flatMap((m) => [m.a, m.bCat, m.lambda, m.gamma]));
    },
  };
}

/** n·(r + min(in, out)) per module: λ and γ. */
export function randloraCount(ac: AdaptationConfig, c: BertConfig) {
  return trainableCount(
    loraModuleSpecs(ac, c).reduce((t, s) => t + randloraBases(ac, s) * (ac.r + Math.min(s.in, s.out)), 0),
    c,
  );
}

export const randloraFactory: AdaptationFactory = {
  kind: 'randlora',
  label: 'RandLoRA',
  summary: 'A full-rank update from fixed random low-rank bases; only a diagonal scaling on each side of each basis is trained.',
  count: randloraCount,
  create: async (ac: AdaptationConfig, c: BertConfig, _base: BertParams, rng: Rng) => randloraAdaptation(ac, c, rng),
};
