import 'fake-indexeddb/auto';
import { describe, expect, it, vi } from 'vitest';
import { parseConfig, type ExperimentConfig } from '../core/experiment/config';
import type { MetricPoint } from '../core/experiment/runner';
import { openCheckpointStore, type SavedRun } from './checkpoint-store';
import type { WorkerEvent } from './protocol';
import { checkpointKey } from './run-checkpoints';
import { Session } from './session';

// The worker's session on the cpu backend with fake-indexeddb: a new Session on the same IndexedDB
// is what a page reload gives (a new worker, the same browser storage).

function config(seed: number, over: Record<string, unknown> = {}): ExperimentConfig {
  const r = parseConfig({
    version: 1,
    seed,
    data: { kind: 'synthetic', queries: 30, docsPerQuery: 8, features: 5 },
    rankers: [
      { id: 'mlp', model: { kind: 'mlp', hidden: [6] } },
      { id: 'dla', model: { kind: 'linear' }, estimator: 'dla' },
    ],
    clicks: { sessions: 200, model: { topK: 5 } },
    train: { maxSteps: 12, evalEvery: 4, batchQueries: 6, learningRate: 0.05 },
    ...over,
  });
  if (!r.ok) throw new Error(r.error);
  return r.config;
}

async function open(): Promise<{ session: Session; events: WorkerEvent[] }> {
  const events: WorkerEvent[] = [];
  const session = new Session();
  await session.init('cpu', (e) => events.push(e));
  return { session, events };
}

const states = (events: WorkerEvent[]) => events.flatMap((e) => (e.type === 'state' ? [e] : []));
const lastState = (events: WorkerEvent[]) => states(events).at(-1);
const metrics = (events: WorkerEvent[]): MetricPoint[] => events.flatMap((e) => (e.type === 'metrics' ? [e.point] : []));
const notices = (events: WorkerEvent[]) => events.flatMap((e) => (e.type === 'notice' ? [e.message] : []));

async function playToEnd(session: Session, events: WorkerEvent[]): Promise<void> {
  await session.play();
  await vi.waitFor(() => expect(lastState(events)?.state).toBe('done'), { timeout: 30_000 });
}

async function savedRun(key: string): Promise<SavedRun | undefined> {
  return (await openCheckpointStore()).get(key);
}

describe('Session checkpoints', () => {
  it('a reload resumes the run paused where it was, with its history, and ends on the numbers of an uninterrupted run', async () => {
    const c = config(1);
    const key = checkpointKey(c, 'cpu');
    const first = await open();
    await first.session.load(c);
    for (let i = 0; i < 5; i++) await first.session.step();
    await vi.waitFor(async () => expect((await savedRun(key))?.checkpoint.step).toBe(5));
    const before = metrics(first.events);
    expect(before.map((p) => p.step)).toEqual([0, 1, 2, 3, 4, 5]);

    const reloaded = await open();
    await reloaded.session.load(c);
    const history = reloaded.events.find((e) => e.type === 'history');
    expect(history?.type === 'history' && history.points).toEqual(before);
    expect(history?.type === 'history' && history.elapsedMs).toHaveLength(6);
    expect(lastState(reloaded.events)).toEqual({ type: 'state', state: 'paused', step: 5 });
    expect(notices(reloaded.events)).toContainEqual(expect.stringMatching(/^Resumed from step 5 \(saved just now\)/));
    // The step-0 evaluation is not made again (nor any other).
    expect(metrics(reloaded.events)).toEqual([]);
    await playToEnd(reloaded.session, reloaded.events);
    const resumedEnd = metrics(reloaded.events).at(-1)!;
    expect(resumedEnd.step).toBe(12);
    await vi.waitFor(async () => expect((await savedRun(key))?.done).toBe(true));

    // Reset discards the checkpoint and starts from 0; played uninterrupted, it ends on the same numbers.
    const again = await open();
    await again.session.load(c);
    expect(lastState(again.events)).toEqual({ type: 'state', state: 'done', step: 12 });
    await again.session.reset();
    expect(lastState(again.events)).toEqual({ type: 'state', state: 'idle', step: 0 });
    await vi.waitFor(async () => expect(await savedRun(key)).toBeUndefined());
    await playToEnd(again.session, again.events);
    expect(metrics(again.events).at(-1)).toEqual(resumedEnd);
  });

  it('pausing saves the run, and a config switch keeps it to come back to in the same tab', async () => {
    const a = config(2, { train: { maxSteps: 4000, evalEvery: 5, batchQueries: 6 } });
    const b = config(3);
    const { session, events } = await open();
    await session.load(a);
    await session.play();
    await vi.waitFor(() => expect(lastState(events)?.step).toBeGreaterThanOrEqual(10));
    await session.pause();
    await vi.waitFor(() => expect(lastState(events)?.state).toBe('paused'));
    // The loop may finish the step it was on: the checkpoint is taken where it stopped.
    await vi.waitFor(async () => expect((await savedRun(checkpointKey(a, 'cpu')))?.checkpoint.step).toBe(lastState(events)?.step));
    const pausedAt = lastState(events)!.step;
    await session.load(b);
    await session.step();
    await session.load(a);
    expect(lastState(events)).toEqual({ type: 'state', state: 'paused', step: pausedAt });
    await vi.waitFor(async () => expect((await savedRun(checkpointKey(b, 'cpu')))?.checkpoint.step).toBe(1));
  });

  it('refuses a checkpoint that does not fit, says so, and starts from step 0', async () => {
    const c = config(4);
    const key = checkpointKey(c, 'cpu');
    const first = await open();
    await first.session.load(c);
    await first.session.step();
    await vi.waitFor(async () => expect(await savedRun(key)).toBeDefined());
    const saved = (await savedRun(key))!;
    saved.checkpoint.rankers[0].variables.pop();
    await (await openCheckpointStore()).put(saved);

    const { session, events } = await open();
    await session.load(c);
    expect(notices(events)).toContainEqual(expect.stringMatching(/^The saved run could not be resumed \(ranker "mlp" \(variables\): the checkpoint has \d+ tensors, this run has \d+\); starting again from step 0/));
    expect(lastState(events)).toEqual({ type: 'state', state: 'idle', step: 0 });
    expect(metrics(events).map((p) => p.step)).toEqual([0]);
    await vi.waitFor(async () => expect(await savedRun(key)).toBeUndefined());
  });

  it('does not resume a stored-data run whose data set is gone', async () => {
    const c = config(5, { data: { kind: 'stored', id: 'gone', name: 'MSLR Fold1' } });
    const key = checkpointKey(c, 'cpu');
    // Whatever it holds, it is never read: the run cannot even be built.
    const checkpoint = { format: 1, fingerprint: '', step: 3, stops: [], rankers: [] };
    await (await openCheckpointStore()).put({ key, savedAt: 1, done: false, checkpoint, points: [], pointElapsedMs: [], elapsedMs: 0 });
    const { session, events } = await open();
    await session.load(c);
    expect(events.some((e) => e.type === 'history')).toBe(false);
    expect(notices(events)).toContainEqual(expect.stringMatching(/the data set "MSLR Fold1" is not in this browser/));
    expect(lastState(events)?.state).toBe('error');
  });
});
