// Backend first: see dylora.test.ts (gradient registrations must not load tfjs-core before its main entry).
import { useCpuBackend } from '../../../../test-support/cpu-backend';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '../../../experiment/rng';
import { adaptationFactory } from '../adaptations';
import { singularValues } from '../linalg';
import { loraModuleSpecs } from '../lora';
import { svfitFactory } from './svfit';
import { acOf, cfg, checkCount, checkGradients, checkMerge, checkNoLeak, checkStartsAtBase, fixture, type Fixture } from './test-helpers';

let fx: Fixture;
beforeAll(async () => {
  await useCpuBackend();
  fx = fixture();
});
afterAll(() => fx.dispose());

const ac = acOf('svfit', { r: 3 });

describe('SVFit', () => {
  it('is registered and starts σ′ at the weights’ top singular values', async () => {
    expect(adaptationFactory('svfit')).toBe(svfitFactory);
    const ad = await svfitFactory.create(ac, cfg, fx.base, createRng(1));
    const w = fx.weights.get('bert.encoder.layer.0.attention.self.query.weight')!.data;
    const s = singularValues(w, 8, 8);
    Array.from(ad.variables[0].dataSync()).forEach((v, i) => expect(v).toBeCloseTo(s[i], 4));
    ad.dispose();
  });

  it('with σ′ = σ is the base model exactly', async () => {
    await checkStartsAtBase(svfitFactory, ac, fx);
  });

  it('gives gradients to every σ′', async () => {
    await checkGradients(svfitFactory, ac, fx);
  });

  it('counts min(r, in, out) per module', async () => {
    await checkCount(svfitFactory, ac, fx, 12 * 3);
    await checkCount(svfitFactory, { ...ac, r: 10 }, fx, 12 * 8);
  });

  it('merges U·diag(σ′ − σ)·Vᵀ: merged model = adapted forward', async () => {
    await checkMerge(svfitFactory, ac, fx);
  });

  it('with σ′ = 0 removes the top-r components: the merged weight keeps only the smaller singular values', async () => {
    const ad = await svfitFactory.create(ac, cfg, fx.base, createRng(1));
    for (const v of ad.variables) {
      const z = tf.zerosLike(v);
      v.assign(z);
      z.dispose();
    }
    const merged = await ad.merge(fx.weights);
    for (const s of loraModuleSpecs(ac, cfg)) {
      const before = singularValues(fx.weights.get(`${s.module}.weight`)!.data, s.out, s.in);
      const after = singularValues(merged.get(`${s.module}.weight`)!.data, s.out, s.in);
      const n = Math.min(s.in, s.out);
      for (let i = 0; i < n - 3; i++) expect(Math.abs(after[i] - before[i + 3]), s.module).toBeLessThan(1e-4);
      for (let i = n - 3; i < n; i++) expect(after[i]).toBeLessThan(1e-4);
    }
    ad.dispose();
  });

  it('refuses a model without the targeted weight', async () => {
    const partial = new Map(fx.base);
    partial.delete('bert.encoder.layer.1.output.dense.weight');
    await expect(svfitFactory.create(ac, cfg, partial, createRng(1))).rejects.toThrow(/layer\.1\.output\.dense\.weight/);
  });

  it('frees every tensor it made', async () => {
    await checkNoLeak(svfitFactory, ac, fx);
  });
});
