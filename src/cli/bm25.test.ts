import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// Runs the real `rankplay` bin (the bundle `npm run build:cli` builds), as a user would with npx.
const bin = path.resolve(__dirname, '../../bin/rankplay.mjs');
const dir = mkdtempSync(path.join(tmpdir(), 'rankplay-bm25-'));

function file(name: string, text: string): string {
  const p = path.join(dir, name);
  mkdirSync(path.dirname(p), { recursive: true });
  writeFileSync(p, text);
  return p;
}

function rankplay(...args: string[]) {
  return spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });
}

// The hand-computed example of src/core/text/bm25.test.ts.
const collection = file('collection.tsv', 'd1\tThe cat sat on the mat\nd2\tThe dog sat\nd3\tCats and dogs\nd4\tA cat chased a cat\n');
const queries = file('queries.dev.tsv', 'q1\tcat\nq2\tdog sat\nq3\tunicorns\n');
const qrels = file('qrels.dev.txt', 'q1 0 d4 2\nq1 0 d1 1\nq2 0 d2 1\n');

describe('rankplay bm25', () => {
  it('prints its usage', () => {
    const r = rankplay('bm25', '--help');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('rankplay bm25 --docs FILE --queries FILE');
    expect(rankplay('--help').stdout).toContain('rankplay bm25 --docs FILE');
  });

  it('writes a TREC run of MS MARCO TSV files, with the hand-computed scores', () => {
    const out = path.join(dir, 'run.txt');
    const r = rankplay('bm25', '--docs', collection, '--queries', queries, '--run-out', out, '--json');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(
      ['q1 Q0 d4 1 0.240023509 bm25', 'q1 Q0 d3 2 0.195117578 bm25', 'q1 Q0 d1 3 0.180869654 bm25', 'q2 Q0 d2 1 0.758366704 bm25', 'q2 Q0 d3 2 0.379183352 bm25', 'q2 Q0 d1 3 0.351494521 bm25', ''].join('\n'),
    );
    const s = JSON.parse(r.stdout);
    expect(s).toMatchObject({ documents: 4, documentsWithoutTerms: 0, terms: 5, postings: 9, avgdl: 2.5, queries: 3, queriesWithoutTerms: 1, k: 1000, k1: 0.9, b: 0.4, docLengths: 'exact', lines: 6, metrics: null });
    expect(s.notes).toEqual(["1 query(ies) have no term in the collection and get no documents (first: 'q3')"]);
  });

  it('evaluates with --qrels as rankplay eval evaluates the written run', () => {
    const out = path.join(dir, 'run-eval.txt');
    const r = rankplay('bm25', '--docs', collection, '--queries', queries, '--run-out', out, '--qrels', qrels, '--k', '2', '--json');
    expect(r.status).toBe(0);
    const { metrics } = JSON.parse(r.stdout);
    const e = rankplay('eval', '-m', 'ndcg_cut.10', '-m', 'map', '-m', 'recip_rank', '-m', 'recall.2', qrels, out);
    expect(e.status).toBe(0);
    const value = (name: string) => Number(e.stdout.split('\n').find((l) => l.startsWith(`${name} `))!.split('\t')[2]);
    expect(metrics.queries).toBe(2);
    for (const name of ['ndcg_cut_10', 'map', 'recip_rank', 'recall_2']) expect(metrics[name]).toBeCloseTo(value(name), 4);
    // Text summary.
    const t = rankplay('bm25', '--docs', collection, '--queries', queries, '--qrels', qrels);
    expect(t.status).toBe(0);
    expect(t.stdout).toMatch(/metrics {4}nDCG@10 0\.\d{4} {2}MRR 1\.0000/);
  });

  it('writes the run to standard output with --run-out -, the summary to stderr', () => {
    const r = rankplay('bm25', '--docs', collection, '--queries', queries, '--run-out', '-', '--k', '1', '--tag', 'mine', '--k1', '1.2', '--b', '0.75');
    expect(r.status).toBe(0);
    // k1 1.2, b 0.75: norm(3) = 1.2 · (0.25 + 0.75 · 3 / 2.5) = 1.38, norm(2) = 1.02;
    // d4: ln(10/7) · 2 / (2 + 1.38) = 0.211050; d2: 2 · ln 2 / (1 + 1.02) = 0.686284.
    expect(r.stdout).toBe('q1 Q0 d4 1 0.211050257 mine\nq2 Q0 d2 1 0.686284363 mine\n');
    expect(r.stderr).toContain('BM25 k1 1.2 b 0.75');
  });

  it('reads BEIR JSONL (title and text indexed together) and BEIR qrels', () => {
    // "zebra" is in a's title only, in b's text, in neither for c.
    const corpus = file('beir/corpus.jsonl', ['{"_id": "a", "title": "Zebras", "text": "Stripes and grass."}', '{"_id": "b", "title": "", "text": "Lions hunt a zebra, then sleep through the long afternoon."}', '{"_id": "c", "title": "Grass", "text": "Grows."}'].join('\n'));
    const qs = file('beir/queries.jsonl', '{"_id": "1", "text": "zebra"}\n');
    const rels = file('beir/qrels/test.tsv', 'query-id\tcorpus-id\tscore\n1\ta\t1\n');
    const r = rankplay('bm25', '--docs', corpus, '--queries', qs, '--qrels', rels, '--run-out', '-');
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n').filter(Boolean).map((l) => l.split(' ')[2])).toEqual(['a', 'b']);
    expect(r.stderr).toContain('MRR 1.0000');
  });

  it('reads TREC SGML documents and topics (the title is the query)', () => {
    const docs = file('docs.sgml', '<DOC>\n<DOCNO> FT1 </DOCNO>\n<TEXT>\nOil prices rose.\n</TEXT>\n</DOC>\n<DOC>\n<DOCNO> FT2 </DOCNO>\n<TEXT>\nWheat harvest.\n</TEXT>\n</DOC>\n');
    const topics = file('topics.txt', '<top>\n<num> Number: 301\n<title> oil price\n<desc> Description:\nWheat is not relevant.\n</top>\n');
    const r = rankplay('bm25', '--docs', docs, '--queries', topics, '--run-out', '-');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^301 Q0 FT1 1 [\d.]+ bm25\n$/);
  });

  it('says which file is wrong, and why', () => {
    const r1 = rankplay('bm25', '--docs', qrels, '--queries', queries, '--run-out', '-');
    expect(r1.status).toBe(2);
    expect(r1.stderr).toContain('qrels.dev.txt: this is a TREC qrels file (qid iter docno rel), not documents');

    const r2 = rankplay('bm25', '--docs', path.join(dir, 'missing.tsv'), '--queries', queries, '--run-out', '-');
    expect(r2.status).toBe(2);
    expect(r2.stderr).toMatch(/missing\.tsv: cannot read \(ENOENT\)/);

    const lines = Array.from({ length: 12 }, (_, i) => `p${i}\tpassage number ${i}`);
    lines[11] = 'p11 has no tab';
    const bad = file('bad-collection.tsv', lines.join('\n') + '\n');
    const r3 = rankplay('bm25', '--docs', bad, '--queries', queries, '--run-out', '-');
    expect(r3.status).toBe(2);
    expect(r3.stderr).toContain('bad-collection.tsv, line 12: expected an id, a tab and the text (id<TAB>text), found no tab');

    const worse = file('all-bad.tsv', 'no tabs at all\nnone here either\n');
    const r4 = rankplay('bm25', '--docs', worse, '--queries', queries, '--run-out', '-');
    expect(r4.status).toBe(2);
    expect(r4.stderr).toContain('all-bad.tsv, line 1: expected an id, a tab and the text');

    const binary = file('blob.bin', '\u0000\u0001\u0002binary');
    const r5 = rankplay('bm25', '--docs', binary, '--queries', queries, '--run-out', '-');
    expect(r5.status).toBe(2);
    expect(r5.stderr).toContain('blob.bin: not a text collection RankPlay reads: not a text file');
  });

  it('refuses bad options with the usage line', () => {
    const cases: [string[], string][] = [
      [['--docs', collection, '--queries', queries, '--run-out', '-', '--b', '2'], "--b must be a number between 0 and 1, got '2'"],
      [['--docs', collection, '--queries', queries, '--run-out', '-', '--k', '0'], "--k must be a positive integer, got '0'"],
      [['--docs', collection, '--queries', queries], 'nothing to do'],
      [['--queries', queries, '--run-out', '-'], '--docs FILE is needed'],
      [['--docs', collection, '--queries', queries, '--run-out', '-', '--frobnicate'], "unknown option '--frobnicate'"],
      [['--docs', collection, '--queries', queries, '--run-out', '-', '--tag', 'a b'], '--tag must be one word'],
      [['--docs', collection, '--queries'], '--queries needs a value'],
    ];
    for (const [args, message] of cases) {
      const r = rankplay('bm25', ...args);
      expect(r.status).toBe(2);
      expect(r.stderr).toContain(message);
      expect(r.stderr).toContain('Usage: rankplay bm25');
    }
  });

  it('reproduces Lucene’s lossy lengths on request', () => {
    const r = rankplay('bm25', '--docs', collection, '--queries', queries, '--run-out', '-', '--lucene-lengths', '--k', '1');
    expect(r.status).toBe(0);
    // Short documents: Lucene's lengths are exact, its float32 arithmetic rounds differently in the last digits only.
    const first = r.stdout.split('\n')[0].split(' ');
    expect(first.slice(0, 4)).toEqual(['q1', 'Q0', 'd4', '1']);
    expect(Number(first[4])).toBeCloseTo(0.240023509, 6);
  });

  it('benchmarks a small generated collection', () => {
    const r = rankplay('bm25', '--bench', '--passages', '3000', '--queries', '20', '--json');
    expect(r.status).toBe(0);
    const b = JSON.parse(r.stdout);
    expect(b).toMatchObject({ passages: 3000, queries: 20, k: 1000 });
    expect(b.indexOverTokenize).toBeGreaterThan(1);
    expect(b.postings).toBeGreaterThan(3000 * 20);
    expect(b.meanQueryMs).toBeGreaterThan(0);
  });
});
