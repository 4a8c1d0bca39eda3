import { describe, expect, it } from 'vitest';
import type { MetricPoint } from '../../core/experiment/runner';
import type { WorkerEvent } from '../../worker/protocol';
import { createRankPlayStore } from './index';

const point = (step: number, ndcg: number): MetricPoint => ({ step, rankers: { linear: { loss: null, ndcg, test: { 'ndcg@10': ndcg } } } });
const summary = { trainQueries: 30, validationQueries: 0, testQueries: 10, documents: 400, features: 8, clickSessions: 0, clicks: 0 };
const loaded: WorkerEvent = { type: 'loaded', run: { rankerIds: ['linear'], maxSteps: 40, summary, reference: { hiddenFunction: null, trueExamination: null } } };

describe('run events', () => {
  it('a resumed run arrives as loaded, then its whole history at once, then its paused state', () => {
    const store = createRankPlayStore();
    store.getState().applyWorkerEvent(loaded);
    store.getState().applyWorkerEvent({ type: 'metrics', point: point(0, 0.5), elapsedMs: 0 });
    // A reload: the same config again, resumed from its checkpoint.
    store.getState().applyWorkerEvent(loaded);
    expect(store.getState().points).toEqual([]);
    const points = [point(0, 0.5), point(10, 0.6), point(20, 0.7)];
    store.getState().applyWorkerEvent({ type: 'history', points, elapsedMs: [0, 40, 80] });
    store.getState().applyWorkerEvent({ type: 'state', state: 'paused', step: 23 });
    expect(store.getState()).toMatchObject({ points, pointElapsedMs: [0, 40, 80], step: 23, runState: 'paused' });
    // Training on appends as before.
    store.getState().applyWorkerEvent({ type: 'metrics', point: point(30, 0.75), elapsedMs: 120 });
    expect(store.getState().points.map((p) => p.step)).toEqual([0, 10, 20, 30]);
  });
});
