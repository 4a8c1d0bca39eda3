import { describe, expect, it } from 'vitest';
import type { ClickLogFitOptions, ClickLogFitOutcome } from '../../worker/protocol';
import { createRankPlayStore } from './index';
import type { WorkerCommands } from './types';

const settle = () => new Promise((r) => setTimeout(r, 0));

function setup() {
  const store = createRankPlayStore();
  let answer: (o: ClickLogFitOutcome) => void = () => {};
  const sent: ClickLogFitOptions[] = [];
  let cancels = 0;
  const commands = {
    fitClickLog: (_files: File[], options: ClickLogFitOptions) => {
      sent.push(options);
      return new Promise<ClickLogFitOutcome>((resolve) => (answer = resolve));
    },
    cancelClickLogFit: async () => {
      cancels++;
    },
  } as Partial<WorkerCommands> as WorkerCommands;
  store.getState().attachWorker(commands);
  return { store, sent, answer: (o: ClickLogFitOutcome) => answer(o), cancels: () => cancels };
}

const file = new File(['s\tq\t1\td\t1\n'], 'log.tsv');

describe('click-log slice', () => {
  it('sends the form, shows reading then fitting progress, and keeps the failure with its line', async () => {
    const { store, sent, answer } = setup();
    store.getState().setClickLogForm({ models: ['pbm', 'ubm'], testFraction: 0.5 });
    store.getState().fitClickLog([file]);
    expect(sent).toEqual([{ models: ['pbm', 'ubm'], testFraction: 0.5, seed: 42, unseen: 'prior', skipBadLines: false }]);
    expect(store.getState().clickLogRunning).toBe(true);

    const read = { type: 'load-progress', task: 'click-log', file: 'log.tsv', fileIndex: 0, fileCount: 1, bytesRead: 5, totalBytes: 10, rows: 1, elapsedMs: 1 } as const;
    store.getState().applyWorkerEvent(read);
    expect(store.getState().clickLogProgress).toEqual({ phase: 'read', event: read });
    // A data-set load's progress is the data panel's, not this one's.
    expect(store.getState().loadProgress).toBeNull();
    store.getState().applyWorkerEvent({ type: 'click-fit-progress', model: 'ubm', modelIndex: 1, modelCount: 2, iteration: 3, elapsedMs: 9 });
    expect(store.getState().clickLogProgress?.phase).toBe('fit');

    answer({ ok: false, cancelled: false, error: 'log.tsv, line 3: click must be 0 or 1', file: 'log.tsv', line: 3 });
    await settle();
    expect(store.getState()).toMatchObject({ clickLogRunning: false, clickLogProgress: null, clickLogResult: null, clickLogError: { line: 3 } });
    // Progress that trails the answer does not bring the bar back.
    store.getState().applyWorkerEvent(read);
    expect(store.getState().clickLogProgress).toBeNull();
    store.getState().dismissClickLogError();
    expect(store.getState().clickLogError).toBeNull();
  });

  it('asks the worker to cancel only while a fit runs', async () => {
    const { store, answer, cancels } = setup();
    store.getState().cancelClickLogFit();
    expect(cancels()).toBe(0);
    store.getState().fitClickLog([file]);
    store.getState().cancelClickLogFit();
    expect(cancels()).toBe(1);
    answer({ ok: false, cancelled: true, error: 'log.tsv: loading was cancelled' });
    await settle();
    expect(store.getState().clickLogError?.cancelled).toBe(true);
  });
});
