import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useCpuBackend } from '../../test-support/cpu-backend';
import { canonicalJson, configFingerprint, fnv1a64, type RunCheckpoint } from './checkpoint';
import { parseConfig, type ExperimentConfig } from './config';
import { ExperimentRun, type MetricPoint } from './runner';

beforeAll(async () => {
  await useCpuBackend();
});

function parse(raw: Record<string, unknown>): ExperimentConfig {
  const r = parseConfig({ version: 1, ...raw });
  if (!r.ok) throw new Error(r.error);
  return r.config;
}

/** Oracle rankers: an Adam-trained MLP with dropout and layer norm (the per-step stream), and a linear one. */
function oracleConfig(train: Record<string, unknown> = {}): ExperimentConfig {
  return parse({
    seed: 5,
    data: { kind: 'synthetic', queries: 40, docsPerQuery: 8, features: 6 },
    rankers: [
      { id: 'mlp', model: { kind: 'mlp', hidden: [8, 4], layerNorm: true, dropout: 0.2 } },
      { id: 'linear', model: { kind: 'linear' }, loss: 'pgrank' },
    ],
    train: { optimizer: 'adam', learningRate: 0.05, maxSteps: 14, evalEvery: 4, batchQueries: 8, ...train },
  });
}

const CLICK_ESTIMATORS = ['naive', 'ips', 'dla', 'rem', 'paird', 'pal'] as const;

function clickConfig(train: Record<string, unknown> = {}): ExperimentConfig {
  return parse({
    seed: 11,
    data: { kind: 'synthetic', queries: 40, docsPerQuery: 10, features: 5 },
    rankers: CLICK_ESTIMATORS.map((e) => ({ id: e, model: { kind: 'linear' }, estimator: e })),
    clicks: { sessions: 300, model: { topK: 5 } },
    train: { learningRate: 0.05, maxSteps: 12, evalEvery: 4, batchQueries: 8, ...train },
  });
}

/** Trains until `stopAt` (or the end), evaluating at every evaluation step. */
async function trainUntil(run: ExperimentRun, points: MetricPoint[], stopAt = Infinity): Promise<void> {
  while (!run.done && run.step < stopAt) {
    run.trainStep();
    if (run.isEvaluationStep()) points.push(await run.evaluate());
  }
}

async function uninterrupted(config: ExperimentConfig): Promise<MetricPoint[]> {
  const run = ExperimentRun.create(config);
  const points = [await run.evaluate()];
  await trainUntil(run, points);
  run.dispose();
  return points;
}

/** Trains k steps, checkpoints (through a structured clone, as IndexedDB stores it), drops the run, resumes in a new one. */
async function resumed(config: ExperimentConfig, k: number): Promise<MetricPoint[]> {
  const first = ExperimentRun.create(config);
  const points = [await first.evaluate()];
  await trainUntil(first, points, k);
  const saved = structuredClone(await first.snapshot());
  first.dispose();
  const second = ExperimentRun.create(config);
  await second.restore(saved);
  expect(second.step).toBe(k);
  await trainUntil(second, points);
  second.dispose();
  return points;
}

describe('ExperimentRun checkpoints', () => {
  it('an oracle MLP with Adam, dropout, a sampled loss, clipping and a schedule resumes to the very same numbers', async () => {
    const config = oracleConfig({ clipNorm: 0.5, schedule: { kind: 'warmup-cosine', warmupSteps: 3 } });
    const straight = await uninterrupted(config);
    expect(straight.map((p) => p.step)).toEqual([0, 4, 8, 12, 14]);
    // At an evaluation step and between two (the loss of step 5 is reported at 8 from the restored state).
    expect(await resumed(config, 4)).toEqual(straight);
    expect(await resumed(config, 5)).toEqual(straight);
    // A checkpoint at step 0 (nothing trained) and at the end both work.
    expect(await resumed(config, 0)).toEqual(straight);
    expect(await resumed(config, 14)).toEqual(straight);
  });

  for (const optimizer of ['adam', 'adagrad', 'sgd'] as const) {
    it(`every click estimator (naive, ips, dla, rem, paird, pal) resumes exactly with ${optimizer}`, async () => {
      const config = clickConfig({ optimizer });
      const straight = await uninterrupted(config);
      expect(await resumed(config, 6)).toEqual(straight);
    });
  }

  it('early stopping resumes where it was: best step, patience count and stopped rankers', async () => {
    const config = clickConfig({ maxSteps: 200, evalEvery: 1, validationFraction: 0.2, patience: 2 });
    const straight = await uninterrupted(config);
    const last = straight[straight.length - 1];
    const stoppedAt = CLICK_ESTIMATORS.map((id) => last.rankers[id].stoppedAt!);
    expect(stoppedAt.every((s) => s > 0)).toBe(true);
    // After some rankers stopped and before all did, so the checkpoint holds both kinds.
    const k = Math.min(...stoppedAt) + 1;
    expect(k).toBeLessThan(Math.max(...stoppedAt));
    expect(await resumed(config, k)).toEqual(straight);
  });

  it('a snapshot is the state at the call: a step taken while values are read back does not leak in', async () => {
    const config = clickConfig();
    const run = ExperimentRun.create(config);
    for (let i = 0; i < 3; i++) run.trainStep();
    const pending = run.snapshot();
    run.trainStep();
    const torn = await pending;
    run.dispose();
    const reference = ExperimentRun.create(config);
    for (let i = 0; i < 3; i++) reference.trainStep();
    const clean = await reference.snapshot();
    reference.dispose();
    expect(torn.step).toBe(3);
    expect(torn).toEqual(clean);
  });

  it('refuses a checkpoint of another config, or one that does not fit, with a message and no change', async () => {
    const config = clickConfig();
    const run = ExperimentRun.create(config);
    run.trainStep();
    const saved = await run.snapshot();
    const other = ExperimentRun.create(clickConfig({ learningRate: 0.02 }));
    await expect(other.restore(saved)).rejects.toThrow(/belongs to another experiment config/);
    expect(other.step).toBe(0);
    const fresh = ExperimentRun.create(config);
    const broken: RunCheckpoint = structuredClone(saved);
    broken.rankers[1].variables[0] = { shape: [4, 1], values: new Float32Array(4) };
    await expect(fresh.restore(broken)).rejects.toThrow('ranker "ips" (variables): tensor 1 is saved as [4, 1], this run needs [5, 1]');
    const old = { ...structuredClone(saved), format: 0 };
    await expect(fresh.restore(old)).rejects.toThrow(/another version of RankPlay/);
    const swapped = structuredClone(saved);
    swapped.rankers.reverse();
    await expect(fresh.restore(swapped)).rejects.toThrow(/ranker "naive": the checkpoint holds ranker "pal" in its place/);
    // Nothing was changed by the refusals: the fresh run still trains like a new one.
    expect(fresh.step).toBe(0);
    fresh.trainStep();
    expect(await fresh.snapshot()).toEqual(saved);
    for (const r of [run, other, fresh]) r.dispose();
  });

  it('leaks no tensor: snapshot, restore and dispose release everything they make', async () => {
    const config = clickConfig({ optimizer: 'adam', clipNorm: 1 });
    const before = tf.memory().numTensors;
    const run = ExperimentRun.create(config);
    for (let i = 0; i < 3; i++) run.trainStep();
    await run.evaluate();
    const during = tf.memory().numTensors;
    const saved = await run.snapshot();
    expect(tf.memory().numTensors).toBe(during);
    // A restored run holds exactly what the trained one holds (optimizer slots, last loss and norm).
    const copy = ExperimentRun.create(config);
    await copy.restore(saved);
    expect(tf.memory().numTensors).toBe(before + 2 * (during - before));
    // Restoring into a run that already trained replaces its state rather than adding to it.
    await run.restore(saved);
    expect(tf.memory().numTensors).toBe(before + 2 * (during - before));
    run.dispose();
    copy.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('configFingerprint', () => {
  it('names equal configs equally whatever the key order, and tells different ones apart', () => {
    const a = clickConfig();
    const reversed = (v: unknown): unknown =>
      Array.isArray(v) ? v.map(reversed) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, reversed(x)])) : v;
    const reordered = reversed(a) as ExperimentConfig;
    expect(JSON.stringify(reordered)).not.toBe(JSON.stringify(a));
    expect(canonicalJson(reordered)).toBe(canonicalJson(a));
    expect(configFingerprint(reordered)).toBe(configFingerprint(a));
    expect(configFingerprint(a)).toMatch(/^[0-9a-f]{16}$/);
    expect(configFingerprint(clickConfig({ learningRate: 0.051 }))).not.toBe(configFingerprint(a));
    expect(configFingerprint({ ...a, seed: 12 })).not.toBe(configFingerprint(a));
  });

  it('is 64-bit FNV-1a (published test vectors)', () => {
    expect(fnv1a64('')).toBe('cbf29ce484222325');
    expect(fnv1a64('a')).toBe('af63dc4c8601ec8c');
    expect(fnv1a64('foobar')).toBe('85944171f73967e8');
  });
});
