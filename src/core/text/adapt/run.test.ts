import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useCpuBackend } from '../../../test-support/cpu-backend';
import type { BertParams } from '../model/params';
import { scorePairs } from '../model/rerank';
import { AdaptRun } from './run';
import { baseParams, clicksSignal, config, data, tokenizer, trainConfig } from './test-fixtures';
import type { AdaptTrainConfig } from './types';

let base: BertParams;
beforeAll(async () => {
  await useCpuBackend();
  base = baseParams();
});
afterAll(() => tf.dispose([...base.values()]));

const values = async (run: AdaptRun) => Promise.all(run.adaptation.variables.map(async (v) => Array.from(await v.data())));
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

async function losses(cfg: AdaptTrainConfig): Promise<number[]> {
  const run = await AdaptRun.create(config, base, tokenizer, data, cfg);
  try {
    const out: number[] = [];
    while (!run.done) out.push((await run.step()).loss);
    return out;
  } finally {
    run.dispose();
  }
}

describe('AdaptRun', () => {
  it('checks the config and data with readable messages', async () => {
    await expect(AdaptRun.create(config, base, tokenizer, data, trainConfig({ listSize: 1 }))).rejects.toThrow('listSize must be at least 2');
    const noRelevant = { ...data, train: data.train.map((q) => ({ ...q, judged: q.judged.map((j) => ({ ...j, label: 0 })) })) };
    await expect(AdaptRun.create(config, base, tokenizer, noRelevant, trainConfig())).rejects.toThrow('no training query has a relevant passage');
    await expect(AdaptRun.create(config, base, tokenizer, { ...data, validation: [] }, trainConfig())).rejects.toThrow('no validation queries');
    await expect(AdaptRun.create(config, base, tokenizer, data, trainConfig({ signal: { ...clicksSignal('ips'), topK: 1 } }))).rejects.toThrow(/topK/);
  });

  it.each([
    ['labels', trainConfig({ steps: 24 })],
    ['clicks, naive', trainConfig({ steps: 24, signal: clicksSignal('naive') })],
    ['clicks, ips', trainConfig({ steps: 24, signal: clicksSignal('ips') })],
    ['clicks, dla', trainConfig({ steps: 24, signal: clicksSignal('dla') })],
  ])('lowers the training loss (%s)', async (_name, cfg) => {
    // Batches do not depend on the weights, so a run with a negligible learning rate sees the same
    // lists: comparing the last steps' losses pairs them batch by batch (click losses vary a lot
    // between batches, with the number of clicks).
    const trained = await losses(cfg);
    const frozen = await losses({ ...cfg, learningRate: 1e-12 });
    expect(trained.length).toBe(24);
    expect(mean(trained.slice(-8))).toBeLessThan(0.95 * mean(frozen.slice(-8)));
  });

  it('validates with trec_eval nDCG@10 over the adapted reranking; the base list is the model without the adapter', async () => {
    const run = await AdaptRun.create(config, base, tokenizer, data, trainConfig());
    try {
      const e0 = await run.evaluate();
      // Independently: score with model/rerank.ts on the base model (LoRA starts at B = 0: the same model).
      const expected = await Promise.all(
        data.validation.map(async (q) => {
          const cands = q.candidates.slice(0, 12);
          const s = await scorePairs(config, base, tokenizer, cands.map((p) => ({ query: q.query, passage: corpus(p) })), 24);
          const ranked = cands.map((p, i) => ({ p, s: s[i], i })).sort((a, b) => b.s - a.s || a.i - b.i);
          const grade = (p: number) => q.judged.find((j) => j.passage === p)?.label ?? 0;
          const dcg = ranked.slice(0, 10).reduce((acc, r, i) => acc + grade(r.p) / Math.log2(i + 2), 0);
          const ideal = q.judged.map((j) => j.label).sort((a, b) => b - a).slice(0, 10).reduce((acc, y, i) => acc + y / Math.log2(i + 2), 0);
          return ideal > 0 ? dcg / ideal : 0;
        }),
      );
      expect(e0.perQueryNdcg10.length).toBe(expected.length);
      e0.perQueryNdcg10.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 6));
      expect(e0.ndcg10).toBeCloseTo(mean(expected), 6);
      expect(e0.step).toBe(0);
      expect(e0.rankMe).toBeGreaterThan(1);
      expect(e0.peakStepBytes).toBeNull();
      const q = data.validation[0];
      expect((await run.rerank(q, 12)).map((r) => r.passage)).toEqual((await run.rerank(q, 12, { base: true })).map((r) => r.passage));
      for (let i = 0; i < 8; i++) await run.step();
      const adapted = await run.rerank(q, 12);
      const baseList = await run.rerank(q, 12, { base: true });
      expect(adapted.map((r) => r.score)).not.toEqual(baseList.map((r) => r.score));
      expect(adapted.length).toBe(12);
    } finally {
      run.dispose();
    }
  });

  it('stops early after `patience` evaluations without a better nDCG@10, and restores the best weights', async () => {
    const run = await AdaptRun.create(config, base, tokenizer, data, trainConfig({ patience: 2, evalEvery: 3 }));
    try {
      const held = new Map<number, number[][]>();
      while (!run.done) {
        if (run.evaluationDue) {
          const e = await run.evaluate();
          held.set(e.step, await values(run));
          if (run.done) break;
        }
        await run.step();
      }
      const best = run.bestEval!;
      expect(best.ndcg10).toBe(Math.max(...run.history.evals.map((e) => e.ndcg10)));
      if (run.stopped) {
        expect(run.stopped).toMatch(/did not improve for 2 evaluations/);
        await expect(run.step()).rejects.toThrow(/stopped early/);
      }
      await run.restoreBest();
      expect(await values(run)).toEqual(held.get(best.step));
      expect((await run.evaluate()).ndcg10).toBe(best.ndcg10);
      const summary = await run.summary();
      expect(summary.base.step).toBe(0);
      expect(summary.best).toEqual(best);
    } finally {
      run.dispose();
    }
    // Two evaluations at one step: the second is no better, so patience 1 stops the run at once.
    const quick = await AdaptRun.create(config, base, tokenizer, data, trainConfig({ patience: 1 }));
    await quick.evaluate();
    await quick.evaluate();
    expect(quick.done).toBe(true);
    expect(quick.stopped).toMatch(/did not improve for 1 evaluation /);
    quick.dispose();
  });

  it('stops on a NaN or infinite loss before the update is applied', async () => {
    const run = await AdaptRun.create(config, base, tokenizer, data, trainConfig({ learningRate: 1e15, warmupSteps: 0, clipNorm: 0, steps: 50 }));
    try {
      let error: Error | null = null;
      let before: number[][] = [];
      for (let i = 0; i < 50 && !error; i++) {
        before = await values(run);
        try {
          await run.step();
        } catch (e) {
          error = e as Error;
        }
      }
      expect(error?.message).toMatch(/^loss became NaN or infinite at step \d+: lower the learning rate \(or turn on gradient clipping\)$/);
      expect(await values(run)).toEqual(before);
    } finally {
      run.dispose();
    }
  });

  it.each([
    ['labels with dropout', trainConfig({ modelDropout: 0.1, adaptation: { ...trainConfig().adaptation, dropout: 0.1 }, loss: 'pgrank' })],
    ['clicks with DLA', trainConfig({ signal: clicksSignal('dla') })],
  ])('resumes from a checkpoint bit-identically (%s)', async (_name, cfg) => {
    const straight = await AdaptRun.create(config, base, tokenizer, data, { ...cfg, steps: 6 });
    const l6: number[] = [];
    for (let i = 0; i < 6; i++) l6.push((await straight.step()).loss);
    const w6 = await values(straight);
    straight.dispose();

    const first = await AdaptRun.create(config, base, tokenizer, data, { ...cfg, steps: 6 });
    const l3: number[] = [];
    for (let i = 0; i < 3; i++) l3.push((await first.step()).loss);
    await first.evaluate();
    const cp = structuredClone(await first.snapshot());
    first.dispose();
    const resumed = await AdaptRun.resume(config, base, tokenizer, data, { ...cfg, steps: 6 }, cp);
    expect(resumed.steps).toBe(3);
    for (let i = 0; i < 3; i++) l3.push((await resumed.step()).loss);
    expect(l3).toEqual(l6);
    expect(await values(resumed)).toEqual(w6);
    expect(resumed.history.steps.length).toBe(6);
    resumed.dispose();
  });

  it('profiles a step without changing training, and leaks no tensors', async () => {
    const before = tf.memory().numTensors;
    const a = await AdaptRun.create(config, base, tokenizer, data, trainConfig({ modelDropout: 0.1 }));
    const b = await AdaptRun.create(config, base, tokenizer, data, trainConfig({ modelDropout: 0.1 }));
    for (let i = 0; i < 2; i++) expect((await a.step()).loss).toBe((await b.step()).loss);
    const ea = await a.evaluate({ profile: true });
    await b.evaluate();
    expect(ea.peakStepBytes).toBeGreaterThan(0);
    for (let i = 0; i < 2; i++) expect((await a.step()).loss).toBe((await b.step()).loss);
    const cp = await a.snapshot();
    const c = await AdaptRun.resume(config, base, tokenizer, data, trainConfig({ modelDropout: 0.1 }), cp);
    await c.step();
    await c.rerank(data.validation[0], 5, { base: true });
    await c.restoreBest();
    [a, b, c].forEach((r) => r.dispose());
    expect(tf.memory().numTensors).toBe(before);
  });
});

const corpus = (p: number) => data.corpus[p];
