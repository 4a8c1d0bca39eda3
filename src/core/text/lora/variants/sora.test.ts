// Backend first: see dylora.test.ts (gradient registrations must not load tfjs-core before its main entry).
import { useCpuBackend } from '../../../../test-support/cpu-backend';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '../../../experiment/rng';
import type { Adaptation } from '../adaptation';
import { adaptationFactory } from '../adaptations';
import { readSafetensors } from '../../model/safetensors';
import { soraFactory } from './sora';
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

const ac = acOf('sora', { r: 2, alpha: 4, soraLambda: 0.05 });
const gates = (ad: Adaptation) => ad.variables.filter((_, i) => i % 3 === 2);
const setGate = (g: tf.Variable, values: number[]) => {
  const t = tf.tensor1d(values);
  g.assign(t);
  t.dispose();
};

describe('SoRA', () => {
  it('is registered, with gates starting at 1', async () => {
    expect(adaptationFactory('sora')).toBe(soraFactory);
    const ad = await soraFactory.create(ac, cfg, fx.base, createRng(1));
    for (const g of gates(ad)) expect(Array.from(g.dataSync())).toEqual([1, 1]);
    ad.dispose();
  });

  it('starts at the base model exactly', async () => {
    await checkStartsAtBase(soraFactory, ac, fx);
  });

  it('gives gradients to A, B and the gates', async () => {
    await checkGradients(soraFactory, ac, fx);
  });

  it('counts r·(in + out + 1) per module', async () => {
    // Per layer: 4 square modules 2·(8+8+1), intermediate and output 2·(8+12+1); two layers.
    await checkCount(soraFactory, ac, fx, 2 * (4 * 2 * 17 + 2 * 2 * 21));
  });

  it('merges W + (α/r)·B·diag(g)·A: merged model = adapted forward', async () => {
    await checkMerge(soraFactory, ac, fx);
  });

  it('takes a proximal L1 step on the gates after a step, zeroing small ones; report counts the rest', async () => {
    const ad = await soraFactory.create(ac, cfg, fx.base, createRng(1));
    const gs = gates(ad);
    gs.forEach((g, i) => setGate(g, i === 0 ? [0.5, -0.004] : i === 1 ? [-0.3, 0.2] : [0.003, 0.0049]));
    ad.afterStep!(0.1); // threshold lr·λ = 0.005
    // + 0 turns the −0 of a negative gate cut to zero into 0.
    const got = gs.map((g) => Array.from(g.dataSync(), (x) => x + 0));
    expect(got[0][0]).toBeCloseTo(0.495, 7);
    expect(got[0][1]).toBe(0);
    expect(got[1][0]).toBeCloseTo(-0.295, 7);
    expect(got[1][1]).toBeCloseTo(0.195, 7);
    for (const g of got.slice(2)) expect(g).toEqual([0, 0]);
    const { ranks } = await ad.report();
    expect(ranks).toHaveLength(12);
    expect(ranks![0]).toEqual({ module: 'bert.encoder.layer.0.attention.self.query', rank: 1, of: 2 });
    expect(ranks![1]).toEqual({ module: 'bert.encoder.layer.0.attention.self.key', rank: 2, of: 2 });
    expect(ranks!.slice(2).every((r) => r.rank === 0)).toBe(true);
    // λ = 0: the step changes nothing.
    const off = await soraFactory.create({ ...ac, soraLambda: 0 }, cfg, fx.base, createRng(1));
    off.afterStep!(0.1);
    for (const g of gates(off)) expect(Array.from(g.dataSync())).toEqual([1, 1]);
    off.dispose();
    ad.dispose();
  });

  it('exports a pruned PEFT LoRA (r = the largest kept rank, zero-padded) that loads back and scores the same', async () => {
    const ad = await soraFactory.create(ac, cfg, fx.base, createRng(1));
    perturb(ad, 8);
    const gs = gates(ad);
    gs.forEach((g, i) => setGate(g, i % 3 === 0 ? [0.7, 0] : i % 3 === 1 ? [0, -1.2] : [0.4, 0.9]));
    const before = adaptedScores(ad, fx.base);
    const files = await ad.exportPeft!();
    expect(files.config).toMatchObject({ peft_type: 'LORA', r: 2, lora_alpha: 2 });
    await checkPeftRoundTrip(ad, fx);
    // Every module down to one rank: the file is rank 1.
    gs.forEach((g, i) => setGate(g, i % 2 === 0 ? [0.7, 0] : [0, -1.2]));
    const one = await ad.exportPeft!();
    expect(one.config).toMatchObject({ r: 1, lora_alpha: 1 });
    const t = readSafetensors(one.safetensors).tensors;
    expect(t.get('base_model.model.bert.encoder.layer.0.attention.self.query.lora_A.weight')!.shape).toEqual([1, 8]);
    await checkPeftRoundTrip(ad, fx);
    expect(adaptedScores(ad, fx.base)).not.toEqual(before);
    ad.dispose();
  });

  it('frees every tensor it made', async () => {
    await checkNoLeak(soraFactory, { ...ac, dropout: 0.1 }, fx, async (ad) => {
      ad.afterStep!(0.5);
      await ad.exportPeft!();
    });
  });
});
