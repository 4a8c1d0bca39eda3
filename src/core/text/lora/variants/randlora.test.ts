// Backend first: see dylora.test.ts (gradient registrations must not load tfjs-core before its main entry).
import { useCpuBackend } from '../../../../test-support/cpu-backend';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '../../../experiment/rng';
import { adaptationFactory } from '../adaptations';
import { matrixRank } from '../linalg';
import { loraModuleSpecs } from '../lora';
import { randloraFactory } from './randlora';
import {
  acOf,
  adaptedScores,
  cfg,
  checkCount,
  checkGradients,
  checkMerge,
  checkNoLeak,
  checkStartsAtBase,
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

const ac = acOf('randlora', { r: 2 });

/** Rank of merged − base for every targeted weight. */
async function updateRanks(bases: number): Promise<number[]> {
  const a = { ...ac, randloraBases: bases };
  const ad = await randloraFactory.create(a, cfg, fx.base, createRng(1));
  perturb(ad, 9, 0.5);
  const merged = await ad.merge(fx.weights);
  ad.dispose();
  return loraModuleSpecs(a, cfg).map((s) => {
    const w = fx.weights.get(`${s.module}.weight`)!.data;
    const m = merged.get(`${s.module}.weight`)!.data;
    return matrixRank(Float64Array.from(m, (v, i) => v - w[i]), s.out, s.in);
  });
}

describe('RandLoRA', () => {
  it('is registered and trains only λ and γ (the bases are not variables)', async () => {
    expect(adaptationFactory('randlora')).toBe(randloraFactory);
    const ad = await randloraFactory.create(ac, cfg, fx.base, createRng(1));
    expect(ad.variables).toHaveLength(2 * 12);
    // λ [n, r] starts at zero, γ [n, min] does not.
    expect(ad.variables[0].shape).toEqual([4, 2]);
    expect(ad.variables[1].shape).toEqual([4, 8]);
    expect(ad.variables[0].dataSync().every((v) => v === 0)).toBe(true);
    expect(ad.variables[1].dataSync().every((v) => v > 0)).toBe(true);
    ad.dispose();
  });

  it('starts at the base model exactly', async () => {
    await checkStartsAtBase(randloraFactory, ac, fx);
  });

  it('gives gradients to every λ and γ', async () => {
    await checkGradients(randloraFactory, ac, fx);
  });

  it('counts n·(r + min(in, out)) per module, n = ⌈min/r⌉ unless set', async () => {
    // Every tiny module has min(in, out) = 8: n = 4 bases of rank 2, 4·(2 + 8) = 40 each, 12 modules.
    await checkCount(randloraFactory, ac, fx, 12 * 40);
    await checkCount(randloraFactory, { ...ac, randloraBases: 3 }, fx, 12 * 3 * 10);
    await checkCount(randloraFactory, { ...ac, r: 3 }, fx, 12 * 3 * 11); // ⌈8/3⌉ = 3
  });

  it('merges (both orientations: in < out and in > out): merged model = adapted forward', async () => {
    await checkMerge(randloraFactory, ac, fx);
  });

  it('can make a full-rank update from rank-r bases; fewer bases cap the rank at n·r', async () => {
    expect(await updateRanks(0)).toEqual(new Array(12).fill(8));
    expect(await updateRanks(1)).toEqual(new Array(12).fill(2));
  });

  it('regenerates the same bases from the same seed, other bases from another', async () => {
    const scores = async (seed: number) => {
      const ad = await randloraFactory.create(ac, cfg, fx.base, createRng(seed));
      perturb(ad, 4);
      const s = adaptedScores(ad, fx.base);
      ad.dispose();
      return s;
    };
    const a = await scores(1);
    expect(Array.from(await scores(1))).toEqual(Array.from(a));
    expect(maxDiff(await scores(2), a)).toBeGreaterThan(1e-4);
  });

  it('frees every tensor it made', async () => {
    await checkNoLeak(randloraFactory, ac, fx);
  });
});
