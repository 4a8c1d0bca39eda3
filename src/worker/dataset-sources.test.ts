import 'fake-indexeddb/auto';
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { gzipSync } from 'fflate';
import { DatasetService } from './datasets';
import type { WorkerEvent } from './protocol';

const TRAIN = '2 qid:1 1:1 2:0.5\n0 qid:1 1:0\n1 qid:2 2:3\n';
const TEST = '1 qid:7 1:2 2:0\n0 qid:7 1:0 2:1\n';
const sha = (text: string | Uint8Array) => createHash('sha256').update(text).digest('hex');
const bytes = (text: string) => new TextEncoder().encode(text).length;

beforeEach(() => vi.stubGlobal('navigator', { storage: { estimate: async () => ({ usage: 0, quota: 1e9 }) } }));
afterEach(() => vi.unstubAllGlobals());

describe('DatasetService: where a set came from (issue 9 links)', () => {
  it('records picked files by name, size and SHA-256 of their stored bytes (a .gz as stored)', async () => {
    const gz = gzipSync(new TextEncoder().encode(TEST));
    const service = new DatasetService(() => {});
    const outcome = await service.loadFiles([new File([TRAIN], 'train.txt'), new File([gz as Uint8Array<ArrayBuffer>], 'test.txt.gz')], { skipBadLines: false });
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.info.source).toEqual({
      from: 'files',
      files: [
        { name: 'train.txt', bytes: bytes(TRAIN), sha256: sha(TRAIN) },
        { name: 'test.txt.gz', bytes: gz.length, sha256: sha(gz) },
      ],
    });
    // Kept with the set: a reload still knows its source.
    expect((await service.list()).find((d) => d.id === outcome.info.id)?.source).toEqual(outcome.info.source);
  });

  it("loads a link's files only when their contents match, whatever they are called", async () => {
    const events: WorkerEvent[] = [];
    const service = new DatasetService((e) => events.push(e));
    const expect_ = [{ name: 'Fold1/train.txt', bytes: bytes(TRAIN), sha256: sha(TRAIN) }];
    const ok = await service.loadFiles([new File([TRAIN], 'renamed.txt')], { skipBadLines: false, expect: expect_ });
    expect(ok.ok).toBe(true);
    expect(events.some((e) => e.type === 'load-progress' && e.phase === 'hash')).toBe(true);
    const before = (await service.list()).length;
    const wrong = await service.loadFiles([new File([TRAIN.replace('0.5', '0.6')], 'train.txt')], { skipBadLines: false, expect: expect_ });
    expect(wrong).toMatchObject({ ok: false, cancelled: false });
    if (wrong.ok) return;
    expect(wrong.error).toMatch(/train\.txt is not the file this link was made with: its SHA-256 is [0-9a-f]{12}…/);
    expect((await service.list()).length).toBe(before);
  });

  it('loads a bundled set from the site and a URL set, each marked with its source', async () => {
    const served = new Map([
      ['https://site.example/app/demo/rankplay-demo-letor/train.txt', TRAIN],
      ['https://site.example/app/demo/rankplay-demo-letor/test.txt', TEST],
      ['https://data.example/train.txt', TRAIN],
    ]);
    vi.stubGlobal('fetch', async (url: string) => {
      const body = served.get(url);
      return body === undefined ? new Response('no', { status: 404, statusText: 'Not Found' }) : new Response(body);
    });
    const service = new DatasetService(() => {});
    const bundled = await service.loadBundled('rankplay-demo-letor', 'https://site.example/app/', { skipBadLines: false });
    expect(bundled.ok).toBe(true);
    if (!bundled.ok) return;
    expect(bundled.info.source).toEqual({ from: 'bundled', name: 'rankplay-demo-letor' });
    expect(Object.keys(bundled.info.splits).sort()).toEqual(['test', 'train']);
    const fromUrl = await service.loadUrl('https://data.example/train.txt', { skipBadLines: false });
    expect(fromUrl.ok && fromUrl.info.source).toEqual({ from: 'url', url: 'https://data.example/train.txt' });
    expect(await service.loadBundled('nope', 'https://site.example/', { skipBadLines: false })).toMatchObject({ ok: false, error: expect.stringMatching(/no bundled data set called 'nope'/) });
  });
});

describe('DatasetService with hashers on another thread', () => {
  it('takes the digests from them, and hashes here when one fails', async () => {
    let opened = 0;
    const service = new DatasetService(() => {}, async () => {
      const mine = opened++;
      let seen = 0;
      return {
        update: (chunk: Uint8Array) => void (seen += chunk.length),
        digest: async () => {
          if (seen === bytes(TEST)) throw new Error('the hash worker went away');
          return mine.toString(16).padStart(64, 'f');
        },
      };
    });
    const outcome = await service.loadFiles([new File([TRAIN], 'train.txt'), new File([TEST], 'test.txt')], { skipBadLines: false });
    expect(outcome.ok).toBe(true);
    if (!outcome.ok || outcome.info.source?.from !== 'files') throw new Error('no file source');
    const [train, test] = outcome.info.source.files;
    expect(train).toMatchObject({ name: 'train.txt', bytes: bytes(TRAIN), sha256: expect.stringMatching(/^f+[0-9a-f]$/) });
    expect(test).toEqual({ name: 'test.txt', bytes: bytes(TEST), sha256: sha(TEST) });
  });
});
