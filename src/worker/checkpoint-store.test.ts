import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import type { RunCheckpoint } from '../core/experiment/checkpoint';
import { MAX_SAVED_RUNS, MemoryCheckpointStore, openCheckpointStore, type CheckpointStore, type SavedRun } from './checkpoint-store';
import { RunCheckpoints, savedAgo } from './run-checkpoints';

// The checkpoint store against fake-indexeddb (an in-memory IndexedDB for Node), and its memory fallback.
function run(key: string, savedAt: number, step = 1): SavedRun {
  const checkpoint = { format: 1, fingerprint: key, step, stops: [], rankers: [], order: Int32Array.from([2, 0, 1]) } as unknown as RunCheckpoint;
  return { key, savedAt, done: false, checkpoint, points: [{ step: 0, rankers: {} }], pointElapsedMs: [0], elapsedMs: 12 };
}

async function keysOf(store: CheckpointStore, candidates: string[]): Promise<string[]> {
  const found = await Promise.all(candidates.map(async (k) => ((await store.get(k)) ? k : null)));
  return found.filter((k): k is string => k !== null);
}

describe('CheckpointStore', () => {
  for (const [name, open] of [
    ['IndexedDB', () => openCheckpointStore()],
    ['memory fallback', async () => new MemoryCheckpointStore()],
  ] as const) {
    it(`${name}: keeps a run with its typed arrays, replaces it on save, and keeps only the ${MAX_SAVED_RUNS} newest runs`, async () => {
      const store = await open();
      const keys = Array.from({ length: 7 }, (_, i) => `${name}-${i}`);
      for (let i = 0; i < 7; i++) await store.put(run(keys[i], 1000 + i));
      expect(await keysOf(store, keys)).toEqual(keys.slice(2));
      // Saving an old run again makes it the newest: the oldest other run goes.
      await store.put(run(keys[2], 2000, 9));
      await store.put(run(`${name}-new`, 2001));
      expect(await keysOf(store, [...keys, `${name}-new`])).toEqual([keys[2], ...keys.slice(4), `${name}-new`]);
      const back = await store.get(keys[2]);
      expect(back?.checkpoint.step).toBe(9);
      expect((back?.checkpoint as unknown as { order: Int32Array }).order).toEqual(Int32Array.from([2, 0, 1]));
      await store.delete(keys[2]);
      expect(await store.get(keys[2])).toBeUndefined();
    });
  }

  it('opens IndexedDB where it exists', async () => {
    expect((await openCheckpointStore()).where).toBe('indexeddb');
  });
});

describe('RunCheckpoints', () => {
  it('drops a save older than what is written, and saves of a run discarded after their snapshot', async () => {
    const checkpoints = new RunCheckpoints(Promise.resolve(new MemoryCheckpointStore()));
    const older = checkpoints.ticket();
    const newer = checkpoints.ticket();
    await checkpoints.save(run('a', 0, 7), newer);
    // The older snapshot finished reading last: it must not overwrite step 7.
    await checkpoints.save(run('a', 0, 5), older);
    expect((await checkpoints.find('a'))?.checkpoint.step).toBe(7);
    const beforeReset = checkpoints.ticket();
    void checkpoints.discard('a');
    await checkpoints.save(run('a', 0, 8), beforeReset);
    expect(await checkpoints.find('a')).toBeUndefined();
    await checkpoints.save(run('a', 0, 1), checkpoints.ticket());
    expect((await checkpoints.find('a'))?.checkpoint.step).toBe(1);
  });

  it('says when a run was saved in words', () => {
    const now = 1_000_000_000;
    expect(savedAgo(now - 1000, now)).toBe('just now');
    expect(savedAgo(now - 42_000, now)).toBe('42 s ago');
    expect(savedAgo(now - 5 * 60_000, now)).toBe('5 min ago');
    expect(savedAgo(now - 3 * 3_600_000, now)).toBe('3 h ago');
    expect(savedAgo(now - 3 * 86_400_000, now)).toMatch(/^on /);
  });
});
