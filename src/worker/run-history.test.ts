import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RunCheckpoint } from '../core/experiment/checkpoint';
import type { ExperimentRun } from '../core/experiment/runner';
import { MemoryCheckpointStore, type SavedRun } from './checkpoint-store';
import type { WorkerEvent } from './protocol';
import { RunCheckpoints } from './run-checkpoints';
import { RunHistory, SAVE_EVERY_MS } from './run-history';

// The save policy on a stand-in run and a store whose writes take as long as the test says.
let now = 0;
/** saveIfDue does not wait for its save: let the snapshot and the write finish. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
afterEach(() => vi.restoreAllMocks());

class SlowStore extends MemoryCheckpointStore {
  writeMs = 0;
  override async put(run: SavedRun): Promise<void> {
    now += this.writeMs;
    return super.put(run);
  }
}

function setup() {
  vi.spyOn(performance, 'now').mockImplementation(() => now);
  now = 0;
  const store = new SlowStore();
  const events: WorkerEvent[] = [];
  const checkpoints = new RunCheckpoints(Promise.resolve(store));
  const history = new RunHistory(checkpoints, (e) => events.push(e));
  const run = { step: 0, done: false, snapshot: async () => ({ step: run.step }) as unknown as RunCheckpoint };
  history.start();
  const saved = async () => (await checkpoints.find('k'))?.checkpoint.step;
  return { store, events, history, run, asRun: run as unknown as ExperimentRun, saved };
}

describe('RunHistory', () => {
  it('saves while playing at most every SAVE_EVERY_MS, and less often when saving is slow', async () => {
    const { store, history, run, asRun, saved } = setup();
    run.step = 10;
    now = SAVE_EVERY_MS - 1;
    history.saveIfDue(asRun, 'k');
    await settle();
    expect(await saved()).toBeUndefined();
    now = SAVE_EVERY_MS;
    store.writeMs = 2000;
    history.saveIfDue(asRun, 'k');
    await settle();
    expect(await saved()).toBe(10);
    // That save took 2 s: the next one waits 20 s (10% of the time), not 5.
    run.step = 20;
    now += SAVE_EVERY_MS;
    history.saveIfDue(asRun, 'k');
    await settle();
    expect(await saved()).toBe(10);
    now = SAVE_EVERY_MS + 20_000;
    history.saveIfDue(asRun, 'k');
    await settle();
    expect(await saved()).toBe(20);
  });

  it('never saves step 0 or the same state twice; a point recorded since counts as a change', async () => {
    const { history, run, asRun, saved, events } = setup();
    await history.save(asRun, 'k');
    expect(await saved()).toBeUndefined();
    run.step = 3;
    const snapshot = vi.spyOn(run, 'snapshot');
    await history.save(asRun, 'k');
    await history.save(asRun, 'k');
    expect(snapshot).toHaveBeenCalledTimes(1);
    history.record({ step: 3, rankers: {} });
    await history.save(asRun, 'k');
    expect(snapshot).toHaveBeenCalledTimes(2);
    expect((await saved())).toBe(3);
    expect(events.filter((e) => e.type === 'metrics')).toHaveLength(1);
  });

  it('a failed save says so once and lets training go on', async () => {
    const { history, run, asRun, events } = setup();
    run.snapshot = async () => {
      throw new Error('the device is gone');
    };
    run.step = 1;
    await history.save(asRun, 'k');
    run.step = 2;
    await history.save(asRun, 'k');
    const notices = events.filter((e) => e.type === 'notice');
    expect(notices).toEqual([{ type: 'notice', level: 'warning', message: 'The run could not be saved for resuming after a reload (the device is gone); training goes on.' }]);
  });
});
