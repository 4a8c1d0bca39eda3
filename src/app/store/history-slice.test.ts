import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import type { MetricPoint } from '../../core/experiment/runner';
import { closeHistoryDb, HISTORY_DB, listRuns } from '../history/db';
import { createRankPlayStore } from './index';
import { createHistorySlice, saveRunsWhenDone, type HistoryStorage } from './history-slice';

const point = (step: number, v: number): MetricPoint => ({ step, rankers: { linear: { loss: 1, ndcg: v, test: { 'ndcg@10': v, 'err@10': v / 2 } } } });

function storeWithRun() {
  const store = createRankPlayStore();
  store.setState({ points: [point(0, 0.3), point(10, 0.6)], runState: 'paused' });
  return store;
}

afterEach(async () => {
  await closeHistoryDb();
  await new Promise<void>((resolve) => {
    const req = indexedDB.deleteDatabase(HISTORY_DB);
    req.onsuccess = () => resolve();
    req.onerror = () => resolve();
  });
});

describe('history slice (fake IndexedDB)', () => {
  it('saves, lists, renames, deletes and undoes a delete', async () => {
    const store = storeWithRun();
    const s = () => store.getState();
    await s().loadHistory();
    expect(s().historyStatus).toBe('ready');
    const saved = await s().saveCurrentRun();
    expect(saved?.final.linear['ndcg@10']).toBe(0.6);
    expect((await listRuns()).map((r) => r.id)).toEqual([saved!.id]);

    await s().renameHistoryRun(saved!.id, '  Baseline  ');
    expect(s().historyRuns[0].name).toBe('Baseline');
    expect((await listRuns())[0].name).toBe('Baseline');
    await s().renameHistoryRun(saved!.id, '   ');
    expect((await listRuns())[0].name).toBe('Baseline');

    s().toggleHistoryCompare(saved!.id);
    await s().deleteHistoryRun(saved!.id);
    expect(s().historyRuns).toEqual([]);
    expect(s().historyCompare).toEqual([]);
    expect(await listRuns()).toEqual([]);
    await s().undoHistoryDelete();
    expect((await listRuns())[0].name).toBe('Baseline');
    expect(s().historyUndo).toBeNull();
  });

  it('saves once when the run reaches done', async () => {
    const store = storeWithRun();
    const stop = saveRunsWhenDone(store);
    store.setState({ runState: 'done' });
    store.setState({ step: 10 });
    // A finished run restored on reload (idle → done) is not saved again.
    store.setState({ runState: 'idle' });
    store.setState({ runState: 'done' });
    await new Promise((r) => setTimeout(r, 50));
    stop();
    expect(await listRuns()).toHaveLength(1);
  });

  it('toggles compare and opens a run by adopting its config', async () => {
    const store = storeWithRun();
    store.setState({ config: { ...store.getState().config, seed: 7 } });
    const saved = await store.getState().saveCurrentRun();
    store.setState({ config: { ...store.getState().config, seed: 99 } });
    store.getState().openHistoryRun(saved!.id);
    expect(store.getState().config.seed).toBe(7);
    store.getState().toggleHistoryCompare('x');
    store.getState().toggleHistoryCompare('y');
    store.getState().toggleHistoryCompare('x');
    expect(store.getState().historyCompare).toEqual(['y']);
  });

  it('a storage failure becomes a message, not a throw', async () => {
    const failing: HistoryStorage = {
      listRuns: () => Promise.reject(new Error('private mode')),
      putRun: () => Promise.reject(new Error('quota')),
      renameRun: () => Promise.reject(new Error('nope')),
      deleteRun: () => Promise.reject(new Error('nope')),
    };
    const { createStore } = await import('zustand/vanilla');
    const base = storeWithRun().getState();
    const store = createStore<typeof base>()((...a) => ({ ...base, ...createHistorySlice(failing)(...a) }));
    await store.getState().loadHistory();
    expect(store.getState().historyStatus).toBe('unavailable');
    expect(store.getState().historyError).toMatch(/private mode/);
    expect(await store.getState().saveCurrentRun()).toBeNull();
    expect(store.getState().historyError).toMatch(/quota/);
  });
});
