import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useCpuBackend } from '../../test-support/cpu-backend';
import { parseConfig, type ExperimentConfig } from './config';
import { ExperimentRun } from './runner';
import { trackedRuns, trainAll } from './test-runs';

beforeAll(async () => {
  await useCpuBackend();
});

const create = trackedRuns();

/** A run holds at most 6 rankers: every click-based estimator (the oracle gets its own tests). */
const CLICK_ESTIMATORS = ['naive', 'ips', 'dla', 'rem', 'paird', 'pal'] as const;

/** A small click experiment: every click-based estimator as a ranker unless overridden. */
function config(overrides: Record<string, unknown> = {}): ExperimentConfig {
  const r = parseConfig({
    version: 1,
    seed: 11,
    data: { kind: 'synthetic', queries: 60, docsPerQuery: 10, features: 5 },
    rankers: CLICK_ESTIMATORS.map((e) => ({ id: e, model: { kind: 'linear' }, estimator: e })),
    clicks: { sessions: 500, model: { topK: 5 } },
    train: { learningRate: 0.05, maxSteps: 12, evalEvery: 4, batchQueries: 8 },
    ...overrides,
  });
  if (!r.ok) throw new Error(r.error);
  return r.config;
}



describe('ExperimentRun with click-based estimators', () => {
  it('simulates the clicks once and reports them, the true examination and every measure', async () => {
    const run = create(config());
    expect(run.summary.clickSessions).toBe(500);
    expect(run.summary.clicks).toBeGreaterThan(0);
    // PBM η = 1 on the top 5: θ_r/θ_1 = 1/r.
    expect(run.reference.trueExamination).toEqual([1, 1 / 2, 1 / 3, 1 / 4, 1 / 5]);
    const points = await trainAll(run);
    const last = points[points.length - 1];
    expect(last.step).toBe(12);
    for (const id of run.rankerIds) {
      const m = last.rankers[id];
      expect(Object.keys(m.test).sort()).toEqual(['err@10', 'ndcg@1', 'ndcg@10', 'ndcg@3', 'ndcg@5']);
      for (const v of Object.values(m.test)) expect(v).toBeGreaterThanOrEqual(0);
      expect(m.ndcg).toBe(m.test['ndcg@10']);
      expect(Number.isFinite(m.loss)).toBe(true);
    }
    // Estimators that estimate examination report one value per shown rank, rank 1 first at 1.
    for (const id of ['ips', 'dla', 'rem', 'paird', 'pal']) {
      const p = last.rankers[id].propensities;
      expect(p, id).toHaveLength(5);
      expect(p![0], id).toBeCloseTo(1, 5);
    }
    expect(last.rankers.naive.propensities).toBeUndefined();
  });

  it('is deterministic: the same config gives the same numbers; another seed does not', async () => {
    const a = await trainAll(create(config()));
    const b = await trainAll(create(config()));
    expect(b).toEqual(a);
    const c = await trainAll(create(config({ seed: 12 })));
    expect(c[c.length - 1].rankers.naive.ndcg).not.toBe(a[a.length - 1].rankers.naive.ndcg);
  });

  it('asking for estimated propensities does not change the training clicks of the other rankers', async () => {
    const plain = await trainAll(create(config()));
    const withEstimate = config();
    withEstimate.rankers.pop();
    withEstimate.rankers.push({ id: 'ips-est', model: { kind: 'linear' }, estimator: 'ips', propensities: 'estimated', clip: 0 });
    const other = await trainAll(create(withEstimate));
    expect(other[other.length - 1].rankers.naive).toEqual(plain[plain.length - 1].rankers.naive);
    const est = other[other.length - 1].rankers['ips-est'].propensities!;
    expect(est).toHaveLength(5);
    expect(est.every((v) => v > 0 && Number.isFinite(v))).toBe(true);
  });

  it('validates on held-out queries and stops early after `patience` evaluations without improvement', async () => {
    const run = create(config({ train: { learningRate: 0.05, maxSteps: 400, evalEvery: 1, batchQueries: 8, validationFraction: 0.2, patience: 2 } }));
    expect(run.summary.validationQueries).toBe(Math.round(45 * 0.2));
    const points = await trainAll(run);
    const last = points[points.length - 1];
    // Every ranker stopped before maxSteps (a linear model on 36 queries stops improving fast).
    expect(run.done).toBe(true);
    expect(last.step).toBeLessThan(400);
    for (const id of run.rankerIds) {
      const m = last.rankers[id];
      expect(m.stopped, id).toBe(true);
      expect(m.validation?.['ndcg@10'], id).toBeGreaterThanOrEqual(0);
      // Stopped exactly `patience` evaluations after its best.
      expect(m.stoppedAt! - m.bestStep!, id).toBe(2);
    }
  });

  it('validates by clicks when asked: click nDCG on held-out sessions', async () => {
    const run = create(config({ train: { maxSteps: 4, evalEvery: 2, batchQueries: 8, validationFraction: 0.2, validateBy: 'clicks' } }));
    const points = await trainAll(run);
    const v = points[points.length - 1].rankers.naive.validation!;
    expect(Object.keys(v)).toEqual(['click-ndcg@10']);
    expect(v['click-ndcg@10']).toBeGreaterThan(0);
    expect(v['click-ndcg@10']).toBeLessThanOrEqual(1);
  });

  it('inspects a query: each ranker orders the same documents, training queries carry click counts', async () => {
    const run = create(config());
    await trainAll(run);
    const train = await run.inspect('train', 0);
    expect(train.docs).toHaveLength(10);
    const impressions = train.docs.reduce((s, d) => s + d.impressions, 0);
    expect(impressions).toBeGreaterThan(0);
    for (const d of train.docs) expect(d.clicks).toBeLessThanOrEqual(d.impressions);
    for (const id of run.rankerIds) {
      const r = train.rankings[id];
      expect([...r.order].sort((a, b) => a - b)).toEqual([...Array(10).keys()]);
      for (let i = 1; i < 10; i++) expect(r.scores[r.order[i - 1]]).toBeGreaterThanOrEqual(r.scores[r.order[i]]);
    }
    const test = await run.inspect('test', 0);
    expect(test.docs.every((d) => d.impressions === 0)).toBe(true);
    await expect(run.inspect('test', 999)).rejects.toThrow(/out of range/);
  });

  it('a run of oracles simulates no clicks and reports no examination curve', async () => {
    const oracleOnly = create(config({ rankers: [{ id: 'o', model: { kind: 'linear' } }] }));
    expect(oracleOnly.summary.clickSessions).toBe(0);
    expect(oracleOnly.reference.trueExamination).toBeNull();
    const last = (await trainAll(oracleOnly)).pop()!;
    expect(last.rankers.o.propensities).toBeUndefined();
  });

  it('dispose releases every tensor, for every estimator', async () => {
    const before = tf.memory().numTensors;
    const run = ExperimentRun.create(config());
    await trainAll(run);
    await run.inspect('train', 1);
    run.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
