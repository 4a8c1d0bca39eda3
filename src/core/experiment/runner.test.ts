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

function config(overrides: Record<string, unknown> = {}): ExperimentConfig {
  const r = parseConfig({
    version: 1,
    seed: 7,
    data: { kind: 'synthetic', queries: 40, docsPerQuery: 8, features: 6 },
    rankers: [
      { id: 'linear', model: { kind: 'linear' } },
      { id: 'mlp', model: { kind: 'mlp', hidden: [8, 4] } },
    ],
    train: { learningRate: 0.05, maxSteps: 20, evalEvery: 10, batchQueries: 8 },
    ...overrides,
  });
  if (!r.ok) throw new Error(r.error);
  return r.config;
}



describe('ExperimentRun', () => {
  it('is deterministic: the same config gives identical metric points', async () => {
    const a = await trainAll(create(config()));
    const b = await trainAll(create(config()));
    expect(a.map((p) => p.step)).toEqual([0, 10, 20]);
    expect(a).toEqual(b);
    for (const p of a.slice(1)) {
      for (const id of ['linear', 'mlp']) {
        expect(Number.isFinite(p.rankers[id].loss)).toBe(true);
        expect(p.rankers[id].ndcg).toBeGreaterThan(0);
        expect(p.rankers[id].ndcg).toBeLessThanOrEqual(1);
      }
    }
  });

  it('gives different numbers for a different seed', async () => {
    const a = await trainAll(create(config()));
    const b = await trainAll(create(config({ seed: 8 })));
    for (const id of ['linear', 'mlp']) {
      expect(b[2].rankers[id].ndcg).not.toBe(a[2].rankers[id].ndcg);
      expect(b[2].rankers[id].loss).not.toBe(a[2].rankers[id].loss);
    }
  });

  it('keeps each ranker on its own random stream: adding a ranker does not change the others', async () => {
    const two = await trainAll(create(config()));
    const three = await trainAll(
      create(
        config({
          rankers: [
            { id: 'extra', model: { kind: 'mlp', hidden: [5] } },
            { id: 'linear', model: { kind: 'linear' } },
            { id: 'mlp', model: { kind: 'mlp', hidden: [8, 4] } },
          ],
        }),
      ),
    );
    for (let i = 0; i < two.length; i++) {
      expect(three[i].rankers.linear).toEqual(two[i].rankers.linear);
      expect(three[i].rankers.mlp).toEqual(two[i].rankers.mlp);
    }
  });

  it('reports the split and a reference line from the hidden function', () => {
    const run = create(config());
    // 40 queries × 8 docs; test = round(40 · 0.25) = 10 queries.
    expect(run.summary).toEqual({ trainQueries: 30, validationQueries: 0, testQueries: 10, documents: 320, features: 6, clickSessions: 0, clicks: 0 });
    // Oracle rankers only: no clicks are simulated and there is no examination curve.
    expect(run.reference.trueExamination).toBeNull();
    expect(run.rankerIds).toEqual(['linear', 'mlp']);
    const ref = run.reference.hiddenFunction;
    expect(ref).not.toBeNull();
    expect(ref!).toBeGreaterThan(0.5);
    expect(ref!).toBeLessThanOrEqual(1);
  });

  it('starts with null losses and stops at maxSteps; evaluation steps are multiples of evalEvery and the last step', async () => {
    const run = create(config({ train: { maxSteps: 25, evalEvery: 10 } }));
    expect(run.step).toBe(0);
    expect(run.isEvaluationStep()).toBe(true);
    const first = await run.evaluate();
    expect(first.step).toBe(0);
    expect(first.rankers.linear.loss).toBeNull();
    expect(first.rankers.mlp.loss).toBeNull();
    const evalSteps: number[] = [];
    for (let i = 0; i < 30; i++) {
      run.trainStep();
      if (run.isEvaluationStep()) evalSteps.push(run.step);
    }
    expect(run.step).toBe(25);
    expect(run.done).toBe(true);
    // Steps 26..30 were no-ops, each still reporting the final step as an evaluation step.
    expect(evalSteps).toEqual([10, 20, 25, 25, 25, 25, 25, 25]);
  });

  it('training improves test nDCG of both rankers over the untrained models', async () => {
    const c = config({
      seed: 3,
      data: { kind: 'synthetic', queries: 60, docsPerQuery: 10, features: 8 },
      train: { learningRate: 0.05, maxSteps: 60, evalEvery: 60 },
    });
    const [start, end] = await trainAll(create(c));
    expect(end.step).toBe(60);
    for (const id of ['linear', 'mlp']) {
      expect(end.rankers[id].ndcg, id).toBeGreaterThan(start.rankers[id].ndcg + 0.05);
    }
  });

  it('a diverging run makes evaluate() throw, telling the user to lower the learning rate', async () => {
    // A deep ELU MLP (ReLU units can all die instead) under plain SGD at the maximum learning rate: each layer's gradient scales with the
    // product of the other layers' weights, so the weights blow up to Infinity/NaN within a few steps.
    for (const seed of [1, 2, 3]) {
      const run = create(
        config({
          seed,
          rankers: [{ id: 'deep', model: { kind: 'mlp', hidden: [32, 32, 32, 32], activation: 'elu' } }],
          train: { optimizer: 'sgd', learningRate: 10, maxSteps: 200, evalEvery: 1 },
        }),
      );
      let error: Error | null = null;
      for (let i = 0; i < 100 && !error; i++) {
        run.trainStep();
        try {
          await run.evaluate();
        } catch (e) {
          error = e as Error;
        }
      }
      expect(error, `seed ${seed} did not diverge`).not.toBeNull();
      expect(error!.message).toContain('lower the learning rate');
      expect(error!.message).toContain('"deep"');
      // Pinned to the step where it happened (evaluation here is every step, so it is this one).
      const at = Number(/at step (\d+)/.exec(error!.message)?.[1]);
      expect(at).toBe(run.step);
    }
  });

  it('dispose releases every tensor it created', async () => {
    const before = tf.memory().numTensors;
    const run = ExperimentRun.create(config({ train: { maxSteps: 5, evalEvery: 2 } }));
    await trainAll(run);
    run.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
