import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadDataset } from '../core/data/load';
import type { TextSetParts } from '../core/data/load/text-set';
import { bytesSource } from '../core/data/parse/stream';
import { parseBeirCorpus, parseBeirQrels, parseBeirQueries } from '../core/data/text';
import { judgementsOf, selectMeasures, trecEval } from '../core/metrics/trec';
import { Bm25Searcher } from '../core/text/bm25';
import { buildBm25Index } from '../core/text/bm25-index';
import { bm25RunColumns, retrieveAll } from '../core/text/bm25-run';
import type { CrossEncoderScorer, LoadCrossEncoderOptions, ModelSource, QueryPassagePair, ScoreOptions } from '../core/text/rerank/types';
import { TextService, type CrossEncoderRuntime } from './text';
import { modelBase } from './text-model';
import type { TextBm25Result, TextProgressEvent, TextRerankResult } from './text-types';

const enc = (s: string) => new TextEncoder().encode(s);

/** Three passages, three queries: q1 judged (hand-computed below), q2 unjudged, q3 matches nothing. */
async function tinyParts(): Promise<TextSetParts> {
  const files = {
    'collection.tsv': 'd1\tapples and oranges\nd2\tapples apples apples pie\nd3\tcar engine repair\n',
    'queries.tsv': 'q1\tapples\nq2\tengine\nq3\tzebra\n',
    'qrels.txt': 'q1 0 d1 2\nq1 0 d2 1\nq1 0 d3 0\n',
  };
  const loaded = await loadDataset(
    Object.entries(files).map(([name, text]) => bytesSource(enc(text), name)),
    { skipBadLines: false, memoryBudgetBytes: 1 << 28 },
    () => ({}),
  );
  if (loaded.payload.kind !== 'text') throw new Error('text set expected');
  return loaded.payload.parts;
}

interface FakeOptions {
  score?: (pair: QueryPassagePair) => number;
  /** Resolves when score() is entered, before it answers (for cancel tests). */
  hold?: boolean;
  fail?: string;
}

/** A cross-encoder stand-in: scores by word overlap (or a given function), records what it was asked. */
function fakeRuntime(opts: FakeOptions = {}) {
  const calls: { pairs: readonly QueryPassagePair[]; opts?: ScoreOptions }[] = [];
  const loads: ModelSource[] = [];
  let disposed = 0;
  const overlap = ({ query, passage }: QueryPassagePair) => {
    const words = new Set(passage.toLowerCase().split(/\W+/));
    return query.toLowerCase().split(/\W+/).filter((w) => w.length > 2 && words.has(w)).length;
  };
  const runtime: CrossEncoderRuntime = {
    async loadCrossEncoder(source: ModelSource, o: LoadCrossEncoderOptions): Promise<CrossEncoderScorer> {
      loads.push(source);
      if (opts.fail) throw new Error(opts.fail);
      o.onProgress?.('onnx/model.onnx', 10, 10);
      return {
        info: { name: 'fake', backend: 'wasm', backendReason: 'test', maxLength: 128, parameters: 1, onnxFile: 'onnx/model.onnx', bytes: 10 },
        async score(pairs, so) {
          calls.push({ pairs, opts: so });
          so?.onNotice?.('batch halved');
          if (opts.hold) {
            await new Promise<void>((resolve, reject) => so?.signal?.addEventListener('abort', () => reject(new Error('aborted'))));
          }
          so?.onProgress?.(pairs.length, pairs.length);
          return Float32Array.from(pairs, opts.score ?? overlap);
        },
        async dispose() {
          disposed++;
        },
      };
    },
    modelCacheSize: async () => 4_100_000,
    clearModelCache: async () => {},
  };
  return { runtime, calls, loads, disposed: () => disposed };
}

function service(parts: TextSetParts | undefined, rt = fakeRuntime(), fetcher?: (url: string) => Promise<Response>) {
  const events: TextProgressEvent[] = [];
  const svc = new TextService((e) => events.push(e), { runtime: async () => rt.runtime, storedParts: async () => parts, fetcher });
  return { svc, events, rt };
}

const stored = { kind: 'stored', id: 'tiny', name: 'tiny set' } as const;
const defaults = { k1: 0.9, b: 0.4, k: 100 };
const model = { kind: 'url', base: 'https://example.org/m/' } as const;

function ok<T extends { ok: boolean }>(outcome: T | { ok: false; error: string }): T {
  if (!outcome.ok) throw new Error(`expected success, got: ${(outcome as { error: string }).error}`);
  return outcome as T;
}

describe('TextService on a tiny collection', () => {
  it('ranks with BM25 and measures nDCG@10 as computed by hand', async () => {
    const { svc } = service(await tinyParts());
    const r = ok<TextBm25Result>(await svc.bm25({ corpus: stored, split: 'judged', ...defaults }));
    // d2 (tf 3, dl 4) outscores d1 (tf 1, dl 2); grades 1 then 2: DCG = 1 + 2/log2 3, IDCG = 2 + 1/log2 3.
    const expected = (1 + 2 / Math.log2(3)) / (2 + 1 / Math.log2(3));
    expect(r.bm25.metrics?.ndcg10).toBeCloseTo(expected, 12);
    expect(r.bm25.metrics).toMatchObject({ mrr10: 1, recall100: 1, judgedQueries: 1 });
    expect(r.queries.map((q) => q.id)).toEqual(['q1']);
    const view = ok(svc.query(0)).view;
    expect(view.bm25.rows.map((row) => [row.docId, row.label])).toEqual([
      ['d2', 1],
      ['d1', 2],
    ]);
    expect(view.rerank).toBeNull();
  });

  it('reranks the top depth: pairs in rank order, new order by score, nDCG after', async () => {
    const rt = fakeRuntime({ score: (p) => (p.passage.includes('oranges') ? 5 : 1) });
    const { svc, events } = service(await tinyParts(), rt);
    ok(await svc.bm25({ corpus: stored, split: 'judged', ...defaults }));
    const r = ok<TextRerankResult>(await svc.rerank({ model, depth: 20, backend: 'auto', batchSize: 8 }));
    expect(rt.calls[0].pairs).toEqual([
      { query: 'apples', passage: 'apples apples apples pie' },
      { query: 'apples', passage: 'apples and oranges' },
    ]);
    expect(rt.calls[0].opts?.batchSize).toBe(8);
    expect(rt.loads[0]).toEqual({ kind: 'url', base: 'https://example.org/m/' });
    expect(r.rerank.metrics?.ndcg10).toBeCloseTo(1, 12);
    expect(r.notices).toEqual(['batch halved']);
    expect(r.model.backend).toBe('wasm');
    const view = ok(svc.query(0)).view;
    expect(view.rerank?.rows.map((row) => [row.docId, row.rank, row.bm25Rank, row.score])).toEqual([
      ['d1', 1, 2, 5],
      ['d2', 2, 1, 1],
    ]);
    expect(events.some((e) => e.phase === 'rerank' && e.done === 2 && e.total === 2)).toBe(true);
    // The same model again is reused, not loaded twice.
    ok(await svc.rerank({ model, depth: 1, backend: 'auto' }));
    expect(rt.loads).toHaveLength(1);
    // Depth 1: only the BM25 top document is scored; the rest keep their BM25 order below it.
    expect(rt.calls[1].pairs).toHaveLength(1);
    expect(ok(svc.query(0)).view.rerank?.rows.map((row) => row.docId)).toEqual(['d2', 'd1']);
  });

  it('shows lists without nDCG for unjudged queries, and says why', async () => {
    const { svc } = service(await tinyParts());
    const all = ok<TextBm25Result>(await svc.bm25({ corpus: stored, split: 'all', ...defaults }));
    expect(all.queries.map((q) => q.id)).toEqual(['q1', 'q2', 'q3']);
    expect(all.bm25.metrics?.judgedQueries).toBe(1);
    expect(all.bm25.perQueryNdcg[1]).toBeNull();
    expect(all.notes.join(' ')).toMatch(/1 query has no term in the collection.*'q3'/);
    const view = ok(svc.query(1)).view;
    expect(view.judged).toBe(false);
    expect(view.bm25.rows.map((r) => [r.docId, r.label])).toEqual([['d3', null]]);

    const parts = await tinyParts();
    delete parts.qrels;
    const bare = service(parts).svc;
    const lists = ok<TextBm25Result>(await bare.bm25({ corpus: stored, split: 'all', ...defaults }));
    expect(lists.bm25.metrics).toBeNull();
    expect(lists.bm25.metricsNote).toMatch(/no judgements/);
    const judged = await bare.bm25({ corpus: stored, split: 'judged', ...defaults });
    expect(judged).toMatchObject({ ok: false, cancelled: false });
    expect(!judged.ok && judged.error).toMatch(/has no judgements \(qrels\).*all queries/);
  });

  it('reads a set back from storage (structured clone drops the tables\' methods)', async () => {
    const { svc } = service(structuredClone(await tinyParts()));
    const r = ok<TextBm25Result>(await svc.bm25({ corpus: stored, split: 'judged', ...defaults }));
    expect(r.corpus.documents).toBe(3);
    expect(ok(svc.query(0)).view.bm25.rows.map((row) => row.snippet)).toEqual(['apples apples apples pie', 'apples and oranges']);
  });

  it('exports both runs as TREC run text', async () => {
    const { svc } = service(await tinyParts(), fakeRuntime({ score: (p) => p.passage.length }));
    expect(svc.exportRun('bm25')).toMatchObject({ ok: false });
    ok(await svc.bm25({ corpus: stored, split: 'all', ...defaults }));
    expect(svc.exportRun('rerank')).toMatchObject({ ok: false, error: expect.stringMatching(/rerank first/) });
    const bm25 = ok(svc.exportRun('bm25'));
    expect(bm25.text.split('\n')[0]).toMatch(/^q1 Q0 d2 1 \S+ bm25$/);
    expect(bm25.lines).toBe(3);
    ok(await svc.rerank({ model, depth: 10, backend: 'auto' }));
    const rr = ok(svc.exportRun('rerank'));
    expect(rr.fileName).toBe('tiny-set-all-rerank-d10.run');
    expect(rr.text).toBe('q1 Q0 d2 1 24 rerank-d10\nq1 Q0 d1 2 18 rerank-d10\nq2 Q0 d3 1 17 rerank-d10\n');
  });

  it('turns failures into messages, and cancels', async () => {
    const missing = service(undefined).svc;
    const gone = await missing.bm25({ corpus: stored, split: 'all', ...defaults });
    expect(!gone.ok && gone.error).toMatch(/"tiny set" is not in this browser/);
    const { svc } = service(await tinyParts(), fakeRuntime({ fail: 'the model folder has no tokenizer.json' }));
    expect(await svc.rerank({ model, depth: 10, backend: 'auto' })).toMatchObject({ ok: false, error: expect.stringMatching(/run BM25 first/) });
    const bad = await svc.bm25({ corpus: stored, split: 'all', k1: -1, b: 0.4, k: 100 });
    expect(!bad.ok && bad.error).toMatch(/k1/);
    ok(await svc.bm25({ corpus: stored, split: 'all', ...defaults }));
    const failed = await svc.rerank({ model, depth: 10, backend: 'auto' });
    expect(!failed.ok && failed.error).toBe('Could not load the cross-encoder from https://example.org/m/: the model folder has no tokenizer.json');
    // The BM25 lists stay usable after a failed rerank.
    expect(ok(svc.query(0)).view.bm25.rows).toHaveLength(2);

    const held = service(await tinyParts(), fakeRuntime({ hold: true }));
    ok(await held.svc.bm25({ corpus: stored, split: 'all', ...defaults }));
    const pending = held.svc.rerank({ model, depth: 10, backend: 'auto' });
    await new Promise((r) => setTimeout(r, 10));
    held.svc.cancel();
    expect(await pending).toMatchObject({ ok: false, cancelled: true });
    expect(ok(held.svc.query(0)).view.rerank).toBeNull();
  });
});

const DEMO = fileURLToPath(new URL('../../public/demo/rankplay-demo/', import.meta.url));
const BASE = 'http://app.test/demo/rankplay-demo/';

async function demoFetch(url: string): Promise<Response> {
  const rel = url.slice(BASE.length);
  try {
    return new Response(readFileSync(DEMO + rel));
  } catch {
    return new Response('not found', { status: 404, statusText: 'Not Found' });
  }
}

describe('TextService on the demo corpus', () => {
  it('matches the core BM25 + trec_eval pipeline on the held-out queries, and reranks', async () => {
    const rt = fakeRuntime();
    const { svc, events } = service(undefined, rt, demoFetch);
    const r = ok<TextBm25Result>(await svc.bm25({ corpus: { kind: 'demo', base: BASE }, split: 'test', ...defaults }));
    expect(r.queries).toHaveLength(43);
    expect(r.corpus.documents).toBe(423);
    expect(events.filter((e) => e.phase === 'fetch').map((e) => e.label)).toContain('Fetching qrels/test.tsv');

    // The same numbers straight from core, as `rankplay bm25 --qrels` computes them.
    const read = (f: string) => bytesSource(new Uint8Array(readFileSync(DEMO + f)), f);
    const corpus = (await parseBeirCorpus(read('corpus.jsonl'))).table;
    const allQueries = (await parseBeirQueries(read('queries.jsonl'))).table;
    const qrels = await parseBeirQrels(read('qrels/test.tsv'));
    const idx = qrels.queryIds.map((id) => allQueries.indexOf(id)).sort((a, b) => a - b);
    const queries = { size: idx.length, id: (i: number) => allQueries.id(idx[i]), text: (i: number) => allQueries.text(idx[i]) };
    const index = buildBm25Index(corpus);
    const run = retrieveAll(new Bm25Searcher(index), queries, 100);
    const ref = trecEval(judgementsOf(qrels), bm25RunColumns(run, index.docIds, 'bm25'), { measures: selectMeasures(['ndcg_cut.10']) });
    expect(r.bm25.metrics!.ndcg10).toBeCloseTo(ref.summary[0], 12);
    expect(r.bm25.metrics!.ndcg10).toBeGreaterThan(0.5);
    expect(r.bm25.metrics!.judgedQueries).toBe(43);

    // k1/b change: same index, new scores.
    const again = ok<TextBm25Result>(await svc.bm25({ corpus: { kind: 'demo', base: BASE }, split: 'test', k1: 1.2, b: 0.75, k: 100 }));
    expect(again.index.reused).toBe(true);

    const rr = ok<TextRerankResult>(await svc.rerank({ model, depth: 30, backend: 'auto' }));
    const run2 = retrieveAll(new Bm25Searcher(index, { k1: 1.2, b: 0.75 }), queries, 100);
    const listed = Array.from({ length: 43 }, (_, q) => Math.min(30, run2.offsets[q + 1] - run2.offsets[q]));
    expect(rr.pairs).toBe(listed.reduce((a, b) => a + b, 0));
    expect(rt.calls[0].pairs).toHaveLength(rr.pairs);
    expect(rr.rerank.metrics!.ndcg10).toBeGreaterThan(0);
    // Beyond the depth nothing moved; within it, the scores only go down.
    for (let q = 0; q < 3; q++) {
      const v = ok(svc.query(q)).view;
      const rows = v.rerank!.rows;
      for (let i = 1; i < rows.length; i++) expect(rows[i].score).toBeLessThanOrEqual(rows[i - 1].score);
      for (const row of rows.slice(30)) expect(row.bm25Rank).toBe(row.rank);
      expect(rows.map((x) => x.docId).sort()).toEqual(v.bm25.rows.map((x) => x.docId).sort());
      expect(new Set(rows.slice(0, 30).map((x) => x.docId))).toEqual(new Set(v.bm25.rows.slice(0, 30).map((x) => x.docId)));
    }
    // The pairs were sent query by query, each query's passages in BM25 rank order.
    const first = ok(svc.query(0)).view;
    expect(rt.calls[0].pairs.slice(0, 2).map((p) => p.query)).toEqual([first.text, first.text]);
    expect(rt.calls[0].pairs[0].passage).toBe(`${first.bm25.rows[0].title} ${corpus.text(corpus.indexOf(first.bm25.rows[0].docId))}`);
  });

  it('says which file is missing when the demo cannot be fetched', async () => {
    const { svc } = service(undefined, fakeRuntime(), async (url) => (url.endsWith('queries.jsonl') ? new Response('', { status: 404, statusText: 'Not Found' }) : demoFetch(url)));
    const r = await svc.bm25({ corpus: { kind: 'demo', base: BASE }, split: 'test', ...defaults });
    expect(!r.ok && r.error).toBe(`could not fetch ${BASE}queries.jsonl: HTTP 404 Not Found`);
  });
});

describe('modelBase', () => {
  it('reads URL bases, hub ids, model pages and file URLs', () => {
    expect(modelBase('cross-encoder/ms-marco-MiniLM-L-6-v2')).toBe('https://huggingface.co/cross-encoder/ms-marco-MiniLM-L-6-v2/resolve/main/');
    expect(modelBase('https://huggingface.co/owner/name')).toBe('https://huggingface.co/owner/name/resolve/main/');
    expect(modelBase('https://huggingface.co/owner/name/resolve/main')).toBe('https://huggingface.co/owner/name/resolve/main/');
    expect(modelBase('http://127.0.0.1:4173/models/demo/onnx/model.onnx')).toBe('http://127.0.0.1:4173/models/demo/');
    expect(modelBase(' http://x.test/m/config.json ')).toBe('http://x.test/m/');
    expect(() => modelBase('not a model')).toThrow(/neither a URL/);
    expect(() => modelBase('ftp://x/y/')).toThrow(/https/);
    expect(() => modelBase('')).toThrow(/URL base/);
  });
});
