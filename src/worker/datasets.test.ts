import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DatasetService } from './datasets';
import type { WorkerEvent } from './protocol';

const train = new File(['2 qid:1 1:1 2:0.5\n0 qid:1 1:0\n1 qid:2 2:3\n'], 'train.txt');

afterEach(() => vi.unstubAllGlobals());

describe('DatasetService', () => {
  it('keeps a set in memory, usable for training, when browser storage is full', async () => {
    vi.stubGlobal('navigator', { storage: { estimate: async () => ({ usage: 1000, quota: 1000 }) } });
    const events: WorkerEvent[] = [];
    const service = new DatasetService((e) => events.push(e));
    const outcome = await service.loadFiles([train], { skipBadLines: false });
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.info.storage.where).toBe('memory');
    expect(outcome.info.storage.note).toMatch(/kept for this tab only: browser storage is full/);
    const splits = await service.featureSplits(outcome.info.id);
    expect(splits?.train?.labels.length).toBe(3);
    expect((await service.list()).map((d) => d.id)).toContain(outcome.info.id);
    expect(events.some((e) => e.type === 'load-progress')).toBe(true);
    expect(events.some((e) => e.type === 'datasets')).toBe(true);
  });

  it('answers a bad file with the file, line and reason, and loses nothing loaded before', async () => {
    vi.stubGlobal('navigator', { storage: { estimate: async () => ({ usage: 0, quota: 1e9 }) } });
    const service = new DatasetService(() => {});
    const first = await service.loadFiles([train], { skipBadLines: false });
    const bad = await service.loadFiles([new File(['1 qid:1 1:1\n1 qid:1 0:2\n'], 'test.txt')], { skipBadLines: false });
    expect(bad).toMatchObject({ ok: false, cancelled: false, file: 'test.txt', line: 2 });
    if (bad.ok || !first.ok) return;
    expect(bad.error).toMatch(/feature index 0: indices are 1-based/);
    expect((await service.list()).map((d) => d.id)).toContain(first.info.id);
  });

  it('refuses a malformed URL before fetching anything', async () => {
    const service = new DatasetService(() => {});
    expect(await service.loadUrl('not a url', { skipBadLines: false })).toMatchObject({ ok: false, error: expect.stringMatching(/is not a URL/) });
  });
});
