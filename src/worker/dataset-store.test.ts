import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DatasetPayload } from '../core/data/load';
import type { DatasetInfo } from '../core/data/library';
import { DatasetStore, payloadBytes, upgradePayload } from './dataset-store';

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

  it('keeps document ids, and still loads sets stored before ids were kept', async () => {
    fakeEstimate(0, 1e9);
    const store = (await DatasetStore.open())!;
    const train = payload.kind === 'features' ? payload.splits.train! : undefined;
    const withIds: DatasetPayload = { kind: 'features', splits: { train: { ...train!, docIds: ['GX1', 'GX2'] } } };
    await store.save(info('ids', 4), withIds, 10);
    await store.save(info('old', 5), payload, 10);
    const back = await store.payload('ids');
    expect(back?.kind === 'features' && back.splits.train!.docIds).toEqual(['GX1', 'GX2']);
    const old = await store.payload('old');
    expect(old?.kind === 'features' && old.splits.train!.labels).toEqual(Int8Array.from([1, 0]));
    expect(old?.kind === 'features' && old.splits.train!.docIds).toBeUndefined();
  });

  it('drops stored ids that do not line up with the rows rather than misname documents', () => {
    const train = payload.kind === 'features' ? payload.splits.train! : undefined;
    const short = upgradePayload({ kind: 'features', splits: { train: { ...train!, docIds: ['only-one'] } } });
    expect(short.kind === 'features' && short.splits.train!.docIds).toBeUndefined();
    const notStrings = upgradePayload({ kind: 'features', splits: { train: { ...train!, docIds: [1, 2] as unknown as string[] } } });
    expect(notStrings.kind === 'features' && notStrings.splits.train!.docIds).toBeUndefined();
    expect(upgradePayload({ kind: 'text', parts: {} })).toEqual({ kind: 'text', parts: {} });
  });

  it('counts the typed arrays of a feature payload as its size', () => {
    // 4 floats (16 bytes) + 2 labels (2 bytes) + 2 offsets (8 bytes).
    expect(payloadBytes(payload, 999)).toBe(26);
    expect(payloadBytes({ kind: 'text', parts: {} }, 999)).toBe(999);
  });
});
