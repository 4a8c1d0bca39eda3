import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { beforeAll, describe, expect, it } from 'vitest';
import { useCpuBackend } from '../../../test-support/cpu-backend';
import { createRng } from '../../experiment/rng';
import { bertLogits } from '../model/bert';
import { weightsToParams } from '../model/params';
import { batchOf, randomWeights, tinyConfig } from '../model/test-helpers';
import { DEFAULT_ADAPTATION, type Adaptation, type AdaptationConfig } from './adaptation';
import { adaptationCount, checkAdaptationConfig, createAdaptation } from './adaptations';
import { effectiveParams, type LoraAdapters } from './lora';
import { loraAdaptation } from './lora-adaptation';
import { createLoraAdapters } from './lora';

beforeAll(async () => {
  await useCpuBackend();
});

const cfg = tinyConfig({ num_hidden_layers: 2 });
const weights = randomWeights(cfg, 3);
const batch = batchOf([
  { ids: [2, 5, 6, 3, 7, 8, 9, 3], types: [0, 0, 0, 0, 1, 1, 1, 1] },
  { ids: [2, 5, 3, 10, 11, 3], types: [0, 0, 0, 1, 1, 1] },
]);
const ac: AdaptationConfig = { ...DEFAULT_ADAPTATION, r: 2, alpha: 6, dropout: 0.5, targetModules: ['query', 'value', 'intermediate.dense', 'output.dense'] };

function randomiseB(l: LoraAdapters, seed: number): void {
  const rng = createRng(seed);
  for (const ad of l.adapters) ad.b.assign(tf.tensor2d(new Float32Array(ad.b.size).map(() => rng.normal() * 0.3), ad.b.shape as [number, number]));
}

const logits = (a: Adaptation, base: Map<string, tf.Tensor>, training: boolean, seed = 1) =>
  tf.tidy(() => {
    const f = a.forward(base, { training, rng: createRng(seed) });
    return bertLogits(cfg, f.params, batch, { linearDelta: f.linearDelta }).dataSync().slice();
  });

describe('LoRA as an Adaptation', () => {
  it('adds scale·(x·Aᵀ)·Bᵀ per layer: the same scores as the merged effective weights', () => {
    const base = weightsToParams(cfg, weights);
    const l = createLoraAdapters(ac, cfg, createRng(4));
    randomiseB(l, 5);
    const a = loraAdaptation(ac, l, cfg);
    const viaHook = logits(a, base, false);
    const viaWeights = tf.tidy(() => bertLogits(cfg, effectiveParams(base, l), batch).dataSync().slice());
    const plain = tf.tidy(() => bertLogits(cfg, base, batch).dataSync().slice());
    for (let i = 0; i < viaHook.length; i++) expect(viaHook[i]).toBeCloseTo(viaWeights[i], 5);
    expect(Math.abs(viaHook[0] - plain[0])).toBeGreaterThan(1e-4);
    a.dispose();
    tf.dispose([...base.values()]);
  });

  it('applies dropout to the adapter input only while training, reproducibly per seed', () => {
    const base = weightsToParams(cfg, weights);
    const l = createLoraAdapters(ac, cfg, createRng(4));
    randomiseB(l, 5);
    const a = loraAdaptation(ac, l, cfg);
    const evalScores = logits(a, base, false);
    const t1 = logits(a, base, true, 7);
    expect(logits(a, base, true, 7)).toEqual(t1);
    expect(Array.from(t1)).not.toEqual(Array.from(evalScores));
    // Dropout on the adapter path only: with B = 0 training and eval agree exactly.
    const zero = loraAdaptation(ac, createLoraAdapters(ac, cfg, createRng(4)), cfg);
    expect(logits(zero, base, true, 7)).toEqual(tf.tidy(() => bertLogits(cfg, base, batch).dataSync().slice()));
    a.dispose();
    zero.dispose();
    tf.dispose([...base.values()]);
  });

  it('is built through the registry with its count, and merge matches the forward', async () => {
    const base = weightsToParams(cfg, weights);
    const before = tf.memory().numTensors;
    const a = await createAdaptation(ac, cfg, base, createRng(9));
    expect(a.count).toEqual(adaptationCount(ac, cfg));
    expect(a.count.trainable).toBe(a.variables.reduce((n, v) => n + v.size, 0));
    for (const v of a.variables) if (v.shape[1] === ac.r) tf.tidy(() => v.assign(tf.randomNormal(v.shape, 0, 0.3, 'float32', 2)));
    const merged = weightsToParams(cfg, await a.merge(weights));
    const m = tf.tidy(() => bertLogits(cfg, merged, batch).dataSync().slice());
    const f = logits(a, base, false);
    for (let i = 0; i < m.length; i++) expect(m[i]).toBeCloseTo(f[i], 5);
    tf.dispose([...merged.values()]);
    a.dispose();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([...base.values()]);
  });

  it('refuses bad settings with the field named', () => {
    expect(() => checkAdaptationConfig({ ...ac, r: 0 })).toThrow(/r must be a positive integer/);
    expect(() => checkAdaptationConfig({ ...ac, kind: 'nope' as AdaptationConfig['kind'] })).toThrow(/unknown fine-tuning method 'nope'/);
    expect(() => checkAdaptationConfig({ ...ac, dropout: 1 })).toThrow(/dropout must be in \[0, 1\)/);
  });
});
