import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';
import { createRng } from '../../../experiment/rng';
import { bertLogits, scoreBatch } from '../../model/bert';
import { weightsToParams, type BertParams, type BertWeights } from '../../model/params';
import { batchOf, randomWeights, tinyConfig } from '../../model/test-helpers';
import { DEFAULT_ADAPTATION, type Adaptation, type AdaptationConfig, type AdaptationFactory, type StepContext } from '../adaptation';
import { importPeftAdapter } from '../peft';
import { loraAdaptation } from '../lora-adaptation';

/** Shared checks every LoRA variant's tests run: exact start, gradients, count, merge, PEFT round trip, no leaks. */

export const cfg = tinyConfig({ num_hidden_layers: 2 });
export const ALL_TARGETS: AdaptationConfig['targetModules'] = ['query', 'key', 'value', 'attention.output.dense', 'intermediate.dense', 'output.dense'];
export const batch = batchOf([
  { ids: [2, 5, 6, 3, 7, 8, 9, 3], types: [0, 0, 0, 0, 1, 1, 1, 1] },
  { ids: [2, 5, 3, 10, 11, 3], types: [0, 0, 0, 1, 1, 1] },
  { ids: [2, 12, 13, 3, 14, 3], types: [0, 0, 0, 0, 1, 1] },
]);

export const evalCtx = (): StepContext => ({ training: false, rng: createRng(0) });

export function acOf(kind: AdaptationConfig['kind'], over: Partial<AdaptationConfig> = {}): AdaptationConfig {
  return { ...DEFAULT_ADAPTATION, kind, r: 2, alpha: 4, dropout: 0, targetModules: [...ALL_TARGETS], ...over };
}

export interface Fixture {
  weights: BertWeights;
  base: Map<string, tf.Tensor>;
  dispose(): void;
}

export function fixture(seed = 3): Fixture {
  const weights = randomWeights(cfg, seed);
  const base = weightsToParams(cfg, weights);
  return { weights, base, dispose: () => tf.dispose([...base.values()]) };
}

/** The adapted model's scores for `batch`, every intermediate freed. */
export function adaptedScores(ad: Adaptation, base: BertParams, ctx: StepContext = evalCtx()): Float32Array {
  const t = tf.tidy(() => {
    const f = ad.forward(base, ctx);
    return bertLogits(cfg, f.params, batch, { linearDelta: f.linearDelta });
  });
  const out = new Float32Array(t.dataSync());
  t.dispose();
  return out;
}

/** Adds seeded normals·scale to every trainable variable (so zero-initialised ones do something). */
export function perturb(ad: Adaptation, seed: number, scale = 0.3): void {
  const rng = createRng(seed);
  for (const v of ad.variables) {
    const noise = Float32Array.from({ length: v.size }, () => rng.normal() * scale);
    const next = tf.tidy(() => tf.add(v, tf.tensor(noise, v.shape)));
    v.assign(next);
    next.dispose();
  }
}

export function expectClose(got: ArrayLike<number>, want: ArrayLike<number>, tol = 1e-5): void {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < got.length; i++) expect(Math.abs(got[i] - want[i]), `entry ${i}: ${got[i]} vs ${want[i]}`).toBeLessThanOrEqual(tol);
}

export const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => Math.max(...Array.from(a, (x, i) => Math.abs(x - b[i])));

/** Fresh adaptation scores exactly as the base model; returns nothing, frees everything. */
export async function checkStartsAtBase(factory: AdaptationFactory, ac: AdaptationConfig, fx: Fixture): Promise<void> {
  const ad = await factory.create(ac, cfg, fx.base, createRng(11));
  try {
    const want = await scoreBatch(cfg, fx.base, batch);
    expect(Array.from(adaptedScores(ad, fx.base))).toEqual(Array.from(want));
    // The merged weights of an untrained adaptation are the base weights, bit for bit.
    const merged = await ad.merge(fx.weights);
    for (const [name, w] of fx.weights) expect(Array.from(merged.get(name)!.data), name).toEqual(Array.from(w.data));
  } finally {
    ad.dispose();
  }
}

/** Every trainable variable gets a nonzero gradient of the adapted scores' sum, and nothing else does. */
export async function checkGradients(factory: AdaptationFactory, ac: AdaptationConfig, fx: Fixture, ctx: StepContext = evalCtx()): Promise<void> {
  const ad = await factory.create(ac, cfg, fx.base, createRng(12));
  try {
    perturb(ad, 5);
    for (const t of fx.base.values()) expect(t instanceof tf.Variable).toBe(false);
    const { value, grads } = tf.variableGrads(() => {
      const f = ad.forward(fx.base, ctx);
      return tf.sum(bertLogits(cfg, f.params, batch, { linearDelta: f.linearDelta })) as tf.Scalar;
    }, ad.variables);
    try {
      expect(Object.keys(grads).sort()).toEqual(ad.variables.map((v) => v.name).sort());
      for (const v of ad.variables) {
        expect(grads[v.name].shape).toEqual(v.shape);
        expect(grads[v.name].dataSync().some((x) => x !== 0), v.name).toBe(true);
      }
    } finally {
      tf.dispose([value, ...Object.values(grads)]);
    }
  } finally {
    ad.dispose();
  }
}

/** count(ac, c) is the summed size of `variables`, and equals `expected` (the formula worked by hand). */
export async function checkCount(factory: AdaptationFactory, ac: AdaptationConfig, fx: Fixture, expected: number): Promise<void> {
  const ad = await factory.create(ac, cfg, fx.base, createRng(13));
  try {
    const sizes = ad.variables.reduce((n, v) => n + v.size, 0);
    expect(sizes).toBe(expected);
    expect(factory.count(ac, cfg).trainable).toBe(expected);
    expect(ad.count.trainable).toBe(expected);
    expect(ad.count.percentOfModel).toBeCloseTo((100 * expected) / ad.count.base, 10);
  } finally {
    ad.dispose();
  }
}

/** After random nonzero variables, merge → plain bertLogits equals the adapted forward (not training). */
export async function checkMerge(factory: AdaptationFactory, ac: AdaptationConfig, fx: Fixture, setup?: (ad: Adaptation) => void): Promise<void> {
  const ad = await factory.create(ac, cfg, fx.base, createRng(14));
  try {
    perturb(ad, 6);
    setup?.(ad);
    const adapted = adaptedScores(ad, fx.base);
    const mergedParams = weightsToParams(cfg, await ad.merge(fx.weights));
    const merged = await scoreBatch(cfg, mergedParams, batch);
    tf.dispose([...mergedParams.values()]);
    expectClose(merged, adapted, 1e-5);
    // And it did something: the adapted scores moved away from the base ones.
    expect(maxDiff(adapted, await scoreBatch(cfg, fx.base, batch))).toBeGreaterThan(1e-3);
  } finally {
    ad.dispose();
  }
}

/** PEFT export loads back with importPeftAdapter as a plain LoRA that scores the same. */
export async function checkPeftRoundTrip(ad: Adaptation, fx: Fixture): Promise<void> {
  const files = await ad.exportPeft!({ baseModelNameOrPath: 'rankplay/test' });
  const json = JSON.parse(JSON.stringify(files.config)) as unknown;
  const back = importPeftAdapter(json, files.safetensors, cfg);
  const plain = loraAdaptation({ ...ad.config, kind: 'lora', r: back.config.r, alpha: back.config.alpha }, back, cfg);
  try {
    expectClose(adaptedScores(plain, fx.base), adaptedScores(ad, fx.base), 1e-5);
  } finally {
    plain.dispose();
  }
}

/** create → forward → merge → dispose leaves the tensor count where it was. */
export async function checkNoLeak(factory: AdaptationFactory, ac: AdaptationConfig, fx: Fixture, extra?: (ad: Adaptation) => Promise<void>): Promise<void> {
  const before = tf.memory().numTensors;
  const ad = await factory.create(ac, cfg, fx.base, createRng(15));
  perturb(ad, 7);
  adaptedScores(ad, fx.base);
  adaptedScores(ad, fx.base, { training: true, rng: createRng(1) });
  await ad.merge(fx.weights);
  await ad.report();
  if (ad.exportPeft) await ad.exportPeft();
  await extra?.(ad);
  ad.dispose();
  expect(tf.memory().numTensors).toBe(before);
}
