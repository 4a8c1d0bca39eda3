// Backend first: see dylora.test.ts (gradient registrations must not load tfjs-core before its main entry).
import { useCpuBackend } from '../../../../test-support/cpu-backend';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '../../../experiment/rng';
import { adaptationFactory } from '../adaptations';
import type { LoraAdapter } from '../lora';
import { loraAdaptation } from '../lora-adaptation';
import { alloraFactory } from './allora';
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
  perturb,
  type Fixture,
} from './test-helpers';

let fx: Fixture;
beforeAll(async () => {
  await useCpuBackend();
  fx = fixture();
});
afterAll(() => fx.dispose());

// α and dropout set on purpose: ALLoRA must ignore both.
const ac = acOf('allora', { r: 2, alpha: 16, dropout: 0.5, alloraEta: 0.5 });

describe('ALLoRA', () => {
  it('is registered', () => {
    expect(adaptationFactory('allora')).toBe(alloraFactory);
  });

  it('starts at the base model exactly', async () => {
    await checkStartsAtBase(alloraFactory, ac, fx);
  });

  it('gives gradients to every A and B', async () => {
    await checkGradients(alloraFactory, ac, fx);
  });

  it('counts LoRA of rank r', async () => {
    await checkCount(alloraFactory, ac, fx, 2 * (4 * 2 * 16 + 2 * 2 * 20));
  });

  it('merges: merged model = adapted forward', async () => {
    await checkMerge(alloraFactory, ac, fx);
  });

  it('is LoRA with scale 1 and no dropout, even while training', async () => {
    const ad = await alloraFactory.create(ac, cfg, fx.base, createRng(1));
    perturb(ad, 2);
    const adapters: LoraAdapter[] = [];
    const modules = ['query', 'key', 'value', 'attention.output.dense', 'intermediate.dense', 'output.dense'].map((t) =>
      t === 'query' || t === 'key' || t === 'value' ? `attention.self.${t}` : t,
    );
    for (let i = 0; i < ad.variables.length; i += 2) {
      adapters.push({ module: `bert.encoder.layer.${Math.floor(i / 12)}.${modules[(i / 2) % 6]}`, a: ad.variables[i], b: ad.variables[i + 1] });
    }
    // Shares ALLoRA's variables: not disposed here.
    const plain = loraAdaptation({ ...ac, kind: 'lora', alpha: 2, dropout: 0 }, { config: { r: 2, alpha: 2, dropout: 0, targetModules: ac.targetModules }, scale: 1, adapters }, cfg);
    const evalScores = adaptedScores(ad, fx.base);
    expectClose(evalScores, adaptedScores(plain, fx.base), 1e-6);
    expect(Array.from(adaptedScores(ad, fx.base, { training: true, rng: createRng(3) }))).toEqual(Array.from(evalScores));
    ad.dispose();
  });

  it('scales each row’s gradient by 1/√(1 + η²‖row‖²): 1 at zero, smaller as the row grows', async () => {
    const ad = await alloraFactory.create({ ...ac, targetModules: ['query'] }, cfg, fx.base, createRng(1));
    const [a0, b0] = ad.variables;
    const aVal = new Float32Array(2 * 8);
    aVal.set([3, 4], 0); // row 0: norm 5; row 1: zero
    const t = tf.tensor2d(aVal, [2, 8]);
    a0.assign(t);
    t.dispose();
    const gA = tf.ones([2, 8]);
    const gB = tf.fill([8, 2], 2);
    const other = tf.tensor1d([7, 8]);
    const out = ad.transformGradients!({ [a0.name]: gA, [b0.name]: gB, other });
    const eta = 0.5;
    const c0 = 1 / Math.sqrt(1 + eta * eta * 25);
    const rows = out[a0.name].arraySync() as number[][];
    rows[0].forEach((v) => expect(v).toBeCloseTo(c0, 6));
    expect(rows[1]).toEqual(new Array(8).fill(1));
    // B is still zero: its rows move at the full rate.
    expect(Array.from(out[b0.name].dataSync())).toEqual(new Array(16).fill(2));
    // Not ours: the same values in a separate tensor; the inputs are left alone.
    expect(Array.from(out.other.dataSync())).toEqual([7, 8]);
    expect(out.other).not.toBe(other);
    for (const g of [gA, gB, other]) expect(g.isDisposed).toBe(false);
    expect(Array.from(gA.dataSync())).toEqual(new Array(16).fill(1));
    tf.dispose([gA, gB, other, ...Object.values(out)]);
    ad.dispose();
  });

  it('exports a PEFT LoRA with lora_alpha = r (scale 1) that loads back and scores the same', async () => {
    const ad = await alloraFactory.create(ac, cfg, fx.base, createRng(1));
    perturb(ad, 4);
    const files = await ad.exportPeft!();
    expect(files.config).toMatchObject({ peft_type: 'LORA', r: 2, lora_alpha: 2, lora_dropout: 0 });
    await checkPeftRoundTrip(ad, fx);
    ad.dispose();
  });

  it('frees every tensor it made', async () => {
    await checkNoLeak(alloraFactory, ac, fx, async (ad) => {
      const grads = Object.fromEntries(ad.variables.map((v) => [v.name, tf.onesLike(v)]));
      const out = ad.transformGradients!(grads);
      tf.dispose([...Object.values(grads), ...Object.values(out)]);
    });
  });
});
