import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DatasetPayload } from '../core/data/load';
import type { DatasetInfo } from '../core/data/library';
import { DatasetStore, payloadBytes } from './dataset-store';

// The worker's IndexedDB store, run against fake-indexeddb (an in-memory IndexedDB for Node).
const payload: DatasetPayload = {
  kind: 'features',
  splits: {
    train: { qidOffsets: Int32Array.from([0, 2]), features: Float32Array.from([1, 2, 3, 4]), labels: Int8Array.from([1, 0]), nFeatures: 2, queryIds: ['q1'] },
  },
};

function info(id: string, createdAt: number): DatasetInfo {
  return { id, name: `set ${id}`, kind: 'features', createdAt, files: [], splits: {}, warnings: [], storage: { where: 'indexeddb' } };
}

function fakeEstimate(usage: number, quota: number): void {
  vi.stubGlobal('navigator', { storage: { estimate: async () => ({ usage, quota }) } });
}

afterEach(() => vi.unstubAllGlobals());

describe('DatasetStore', () => {
  it('keeps a data set with its typed arrays, lists newest first, and deletes', async () => {
    fakeEstimate(0, 1e9);
    const store = (await DatasetStore.open())!;
    expect(await store.save(info('a', 1), payload, payloadBytes(payload, 0))).toEqual({ ok: true });
    expect(await store.save(info('b', 2), payload, 10)).toEqual({ ok: true });
    expect((await store.list()).map((d) => d.id)).toEqual(['b', 'a']);
    const back = await store.payload('a');
    expect(back?.kind).toBe('features');
    if (back?.kind !== 'features') return;
    expect(back.splits.train!.features).toBeInstanceOf(Float32Array);
    expect(Array.from(back.splits.train!.features)).toEqual([1, 2, 3, 4]);
    await store.delete('a');
    expect((await store.list()).map((d) => d.id)).toEqual(['b']);
    expect(await store.payload('a')).toBeUndefined();
  });

  it('refuses, with a reason a person can act on, when the storage quota would be exceeded', async () => {
    fakeEstimate(900e6, 1000e6);
    const store = (await DatasetStore.open())!;
    const result = await store.save(info('big', 3), payload, 200 * 1024 ** 2);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.reason).toMatch(/browser storage is full: this set needs about 200 MB, 95 MB is free/);
    expect((await store.list()).map((d) => d.id)).not.toContain('big');
  });

  it('counts the typed arrays of a feature payload as its size', () => {
    // 4 floats (16 bytes) + 2 labels (2 bytes) + 2 offsets (8 bytes).
    expect(payloadBytes(payload, 999)).toBe(26);
    expect(payloadBytes({ kind: 'text', parts: {} }, 999)).toBe(999);
  });
});
