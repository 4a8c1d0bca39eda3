import { describe, expect, it } from 'vitest';
import type { CompareOutcome, CompareRequest, QueryInspection } from '../../worker/protocol';
import type { ExperimentConfig } from '../../core/experiment/config';
import { createRankPlayStore } from './index';
import { compareSeeds } from './compare-slice';
import type { WorkerCommands } from './types';

const settle = () => new Promise((r) => setTimeout(r, 0));

function setup() {
  const store = createRankPlayStore();
  const sent: { config: ExperimentConfig; req: CompareRequest }[] = [];
  let answer: (o: CompareOutcome) => void = () => {};
  let cancels = 0;
  const inspections: ((a: { ok: true; inspection: QueryInspection } | { ok: false; error: string }) => void)[] = [];
  const commands = {
    compareEstimators: (config: ExperimentConfig, req: CompareRequest) => {
      sent.push({ config, req });
      return new Promise<CompareOutcome>((resolve) => (answer = resolve));
    },
    cancelCompare: async () => {
      cancels++;
    },
    inspectQuery: () => new Promise((resolve) => inspections.push(resolve)),
  } as Partial<WorkerCommands> as WorkerCommands;
  store.getState().attachWorker(commands);
  return { store, sent, answer: (o: CompareOutcome) => answer(o), cancels: () => cancels, inspections };
}

const progress = { type: 'compare-progress', seedIndex: 1, seeds: 3, step: 40, maxSteps: 100 } as const;

describe('compare slice', () => {
  it('runs on the current config with consecutive seeds, shows progress, keeps the result', async () => {
    const { store, sent, answer } = setup();
    store.getState().setCompareSeedCount(3);
    store.getState().compareEstimators();
    expect(sent).toHaveLength(1);
    expect(sent[0].config).toBe(store.getState().config);
    expect(sent[0].req.seeds).toEqual([42, 43, 44]);
    // A second click while it runs does not start another.
    store.getState().compareEstimators();
    expect(sent).toHaveLength(1);
    store.getState().applyWorkerEvent(progress);
    expect(store.getState().compareProgress).toEqual(progress);
    const summary = { naive: { 'ndcg@10': { mean: 0.8, ci95: 0.01, n: 3 } } };
    answer({ ok: true, summary, perSeed: [], seeds: [42, 43, 44], ms: 10 });
    await settle();
    expect(store.getState()).toMatchObject({ compareRunning: false, compareProgress: null, compareError: null });
    expect(store.getState().compareResult?.summary).toEqual(summary);
    // Progress that trails the answer does not bring the bar back.
    store.getState().applyWorkerEvent(progress);
    expect(store.getState().compareProgress).toBeNull();
  });

  it('cancels only while running and reports the cancellation', async () => {
    const { store, answer, cancels } = setup();
    store.getState().cancelCompare();
    expect(cancels()).toBe(0);
    store.getState().compareEstimators();
    store.getState().cancelCompare();
    expect(cancels()).toBe(1);
    answer({ ok: false, cancelled: true, error: 'comparison cancelled' });
    await settle();
    expect(store.getState().compareError?.cancelled).toBe(true);
    store.getState().dismissCompareError();
    expect(store.getState().compareError).toBeNull();
  });

  it('keeps seeds inside the config range', () => {
    expect(compareSeeds(0xffffffff, 2)).toEqual([0xffffffff, 0]);
    expect(compareSeeds(1, 0)).toEqual([1]);
  });
});

describe('inspect slice', () => {
  it('keeps only the latest answer when picks race', async () => {
    const { store, inspections } = setup();
    store.getState().inspectQuery('test', 1);
    store.getState().inspectQuery('test', 2);
    const doc = { label: 1, clicks: 0, impressions: 0 };
    const inspection = (query: number): QueryInspection => ({ split: 'test', query, queryId: String(query), docs: [doc], rankings: { a: { order: [0], scores: [1] } } });
    inspections[1]({ ok: true, inspection: inspection(2) });
    inspections[0]({ ok: true, inspection: inspection(1) });
    await settle();
    expect(store.getState().inspection?.query).toBe(2);
    expect(store.getState().inspecting).toBe(false);
    store.getState().inspectQuery('train', 99);
    inspections[2]({ ok: false, error: 'query index 99 is out of range' });
    await settle();
    expect(store.getState()).toMatchObject({ inspection: null, inspectError: 'query index 99 is out of range' });
  });
});
