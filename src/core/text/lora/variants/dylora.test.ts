// The backend (and with it tfjs-core's main entry) must load before the gradient registrations: a
// test that uses `tf` only as a type has that import erased, and gradients loaded first would
// create tfjs's engine from a second copy of tfjs-core whose tensors cannot clone (Cast's gradient).
import { useCpuBackend } from '../../../../test-support/cpu-backend';
import type * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '../../../experiment/rng';
import { loraModuleSpecs, makeAdapter, type LoraAdapters } from '../lora';
import { loraAdaptation } from '../lora-adaptation';
import { adaptationFactory } from '../adaptations';
import { dyloraFactory } from './dylora';
import {
  acOf,
  adaptedScores,
  cfg,
  checkCount,
  checkGradients,
  checkMerge,
  checkNoLeak,
  checkPeftRoundTrip,
  checkStartsAtBase,
  expectClose,
  fixture,
  maxDiff,
  perturb,
  type Fixture,
} from './test-helpers';

let fx: Fixture;
beforeAll(async () => {
  await useCpuBackend();
  fx = fixture();
});
afterAll(() => fx.dispose());

const ac = acOf('dylora', { r: 4, alpha: 8 });

/** A plain LoRA of rank b from the first b components of `ad`'s A and B. */
function truncatedLora(a: tf.Variable[], b: number): LoraAdapters {
  const adapters = [];
  for (let i = 0; i < a.length; i += 2) {
    const [A, B] = [a[i], a[i + 1]];
    const [out, r] = B.shape as [number, number];
    const inp = A.shape[1] as number;
    const aData = A.dataSync().slice(0, b * inp) as Float32Array;
    const bFull = B.dataSync();
    const bData = new Float32Array(out * b).map((_, j) => bFull[Math.floor(j / b) * r + (j % b)]);
    adapters.push(makeAdapter(`m${i}`, { shape: [b, inp], data: aData }, { shape: [out, b], data: bData }));
  }
  return { config: { r: b, alpha: ac.alpha, dropout: 0, targetModules: ac.targetModules }, scale: ac.alpha / b, adapters };
}

describe('DyLoRA', () => {
  it('is registered', () => {
    expect(adaptationFactory('dylora')).toBe(dyloraFactory);
  });

  it('starts at the base model exactly', async () => {
    await checkStartsAtBase(dyloraFactory, ac, fx);
  });

  it('gives gradients to every A and B', async () => {
    await checkGradients(dyloraFactory, ac, fx);
  });

  it('counts LoRA of rank r: r·(in + out) per module', async () => {
    // Per layer with H = 8, I = 12: 4 square modules 4·(8+8) each, intermediate and output 4·(8+12) each = 256 + 160.
    await checkCount(dyloraFactory, ac, fx, 2 * (4 * 4 * 16 + 2 * 4 * 20));
  });

  it('at inference rank b equals a plain LoRA of rank b with scale α/b', async () => {
    const ad = await dyloraFactory.create(ac, cfg, fx.base, createRng(1));
    perturb(ad, 2);
    const byRank: Float32Array[] = [];
    for (const b of [1, 2, 3, 4]) {
      ad.setInferenceRank!(b);
      const l = truncatedLora(ad.variables, b);
      // The real module names, in DyLoRA's (state-dict) order, so loraAdaptation's hook finds them.
      const specs = loraModuleSpecs(ac, cfg);
      l.adapters.forEach((x, i) => (x.module = specs[i].module));
      const plain = loraAdaptation({ ...ac, kind: 'lora', r: b }, l, cfg);
      const got = adaptedScores(ad, fx.base);
      expectClose(got, adaptedScores(plain, fx.base), 1e-6);
      plain.dispose();
      byRank.push(got);
    }
    // The ranks really differ, and null means r.
    expect(maxDiff(byRank[0], byRank[3])).toBeGreaterThan(1e-3);
    ad.setInferenceRank!(null);
    expect(Array.from(adaptedScores(ad, fx.base))).toEqual(Array.from(byRank[3]));
    expect(() => ad.setInferenceRank!(0)).toThrow(/1\.\.4/);
    expect(() => ad.setInferenceRank!(5)).toThrow(/1\.\.4/);
    expect(await ad.report()).toEqual({ inferenceRanks: [1, 2, 3, 4] });
    ad.dispose();
  });

  it('while training samples one rank b per step from the step Rng and uses it for every module', async () => {
    const ad = await dyloraFactory.create(ac, cfg, fx.base, createRng(1));
    perturb(ad, 3);
    const seen = new Set<number>();
    for (let seed = 0; seed < 12; seed++) {
      const b = 1 + createRng(seed).int(ac.r);
      seen.add(b);
      const training = adaptedScores(ad, fx.base, { training: true, rng: createRng(seed) });
      ad.setInferenceRank!(b);
      expect(Array.from(training)).toEqual(Array.from(adaptedScores(ad, fx.base)));
    }
    expect(seen.size).toBeGreaterThan(2);
    ad.dispose();
  });

  it('merges at the inference rank: merged model = adapted forward', async () => {
    await checkMerge(dyloraFactory, ac, fx, (ad) => ad.setInferenceRank!(2));
    await checkMerge(dyloraFactory, ac, fx);
  });

  it('exports a plain PEFT LoRA at the inference rank (r = b, lora_alpha = α) that loads back and scores the same', async () => {
    const ad = await dyloraFactory.create(ac, cfg, fx.base, createRng(1));
    perturb(ad, 4);
    ad.setInferenceRank!(3);
    const files = await ad.exportPeft!();
    expect(files.config).toMatchObject({ peft_type: 'LORA', r: 3, lora_alpha: 8 });
    await checkPeftRoundTrip(ad, fx);
    ad.setInferenceRank!(null);
    await checkPeftRoundTrip(ad, fx);
    ad.dispose();
  });

  it('frees every tensor it made', async () => {
    await checkNoLeak(dyloraFactory, { ...ac, dropout: 0.1 }, fx, async (ad) => {
      ad.setInferenceRank!(1);
      await ad.merge(fx.weights);
      await ad.exportPeft!();
    });
  });
});
