import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, openAsBlob, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCrossEncoder } from '../compute/cross-encoder';

// Runs the real `rankplay` bin (the bundle `npm run build:cli` builds) with the e2e fixture model
// (scripts/make-cross-encoder.ts: a tiny random-weight BERT cross-encoder).
const bin = path.resolve(__dirname, '../../bin/rankplay.mjs');
const MODEL = path.resolve(__dirname, '../../e2e/fixtures/tiny-cross-encoder');
const dir = mkdtempSync(path.join(tmpdir(), 'rankplay-rerank-'));

function file(name: string, text: string): string {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
}

function rankplay(...args: string[]) {
  return spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });
}

const passages: Record<string, string> = {
  d1: 'Honey bees collect nectar and fan it with their wings until the water evaporates.',
  d2: 'The gravity of the moon pulls on the oceans, which rise and fall twice a day.',
  d3: 'A violin has four strings tuned in fifths.',
  d4: 'Michelangelo painted the ceiling between 1508 and 1512.',
  d5: 'Sunlight is scattered by the molecules of the air.',
};
const queryTexts: Record<string, string> = { q1: 'how do bees make honey', q2: 'what causes the tides' };
const docs = file('collection.tsv', Object.entries(passages).map(([id, t]) => `${id}\t${t}\n`).join(''));
const queries = file('queries.tsv', Object.entries(queryTexts).map(([id, t]) => `${id}\t${t}\n`).join(''));
// q1 lists all five; q3 is not in the query file.
const firstStage = ['q1 Q0 d2 1 5 bm25', 'q1 Q0 d3 2 4 bm25', 'q1 Q0 d1 3 3 bm25', 'q1 Q0 d5 4 2 bm25', 'q1 Q0 d4 5 1 bm25', 'q2 Q0 d4 1 2 bm25', 'q2 Q0 d2 2 1 bm25', 'q3 Q0 d1 1 1 bm25'];
const run = file('run.txt', firstStage.join('\n') + '\n');
const qrels = file('qrels.txt', 'q1 0 d1 2\nq1 0 d5 1\nq2 0 d2 1\n');

const parseRun = (text: string) => text.trim().split('\n').map((l) => l.split(' ')).map(([q, , d, r, s]) => ({ q, d, r: Number(r), s: Number(s) }));

describe('rankplay rerank', () => {
  it('prints its usage', () => {
    const r = rankplay('rerank', '--help');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('rankplay rerank --model DIR_OR_URL --docs FILE --queries FILE --run RUN');
    expect(rankplay('--help').stdout).toContain('rankplay rerank --model DIR_OR_URL');
  });

  it("reranks the top depth by the model's scores, keeps the rest below, and measures nDCG@10 before and after", async () => {
    const out = path.join(dir, 'reranked.txt');
    const r = rankplay('rerank', '--model', MODEL, '--docs', docs, '--queries', queries, '--run', run, '--depth', '3', '--batch', '2', '--run-out', out, '--qrels', qrels, '--json');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s).toMatchObject({ queries: 3, depth: 3, batchSize: 2, pairs: 5, lines: 8, model: { backend: 'wasm', onnxFile: 'onnx/model.onnx', maxLength: 64 } });
    expect(s.notes).toEqual(["1 query(ies) of the run are not in --queries and keep their first-stage order (first: 'q3')"]);

    // The same model in this process gives the scores the run was ordered by.
    const files = new Map<string, Blob>();
    for (const f of ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model.onnx']) files.set(f, await openAsBlob(path.join(MODEL, f)));
    const local = await loadCrossEncoder({ kind: 'files', files }, { backend: 'wasm' });
    const top = (q: string, ds: string[]) => local.score(ds.map((d) => ({ query: queryTexts[q], passage: passages[d] })));
    const q1 = await top('q1', ['d2', 'd3', 'd1']);
    const q2 = await top('q2', ['d4', 'd2']);
    await local.dispose();

    const lines = parseRun(readFileSync(out, 'utf8'));
    const q1Lines = lines.filter((l) => l.q === 'q1');
    const expectedTop = ['d2', 'd3', 'd1'].map((d, i) => ({ d, s: q1[i] })).sort((a, b) => b.s - a.s);
    expect(q1Lines.slice(0, 3).map((l) => l.d)).toEqual(expectedTop.map((e) => e.d));
    q1Lines.slice(0, 3).forEach((l, i) => expect(l.s).toBeCloseTo(expectedTop[i].s, 5));
    // Below the depth: first-stage order, scores under the lowest reranked one.
    expect(q1Lines.slice(3).map((l) => l.d)).toEqual(['d5', 'd4']);
    expect(q1Lines[3].s).toBeLessThan(q1Lines[2].s);
    expect(q1Lines[4].s).toBeLessThan(q1Lines[3].s);
    expect(q1Lines.map((l) => l.r)).toEqual([1, 2, 3, 4, 5]);
    expect(lines.filter((l) => l.q === 'q2').map((l) => l.d)).toEqual(q2[0] >= q2[1] ? ['d4', 'd2'] : ['d2', 'd4']);
    expect(lines.filter((l) => l.q === 'q3')).toEqual([{ q: 'q3', d: 'd1', r: 1, s: 1 }]);

    // nDCG@10 before and after, as rankplay eval measures the two files.
    const ndcg = (runFile: string) => {
      const e = rankplay('eval', '-m', 'ndcg_cut.10', qrels, runFile);
      expect(e.status).toBe(0);
      return Number(e.stdout.split('\n').find((l) => l.startsWith('ndcg_cut_10 '))!.split('\t')[2]);
    };
    expect(s.metrics.queries).toBe(2);
    expect(s.metrics.ndcg_cut_10_before).toBeCloseTo(ndcg(run), 4);
    expect(s.metrics.ndcg_cut_10_after).toBeCloseTo(ndcg(out), 4);

    const text = rankplay('rerank', '--model', MODEL, '--docs', docs, '--queries', queries, '--run', run, '--qrels', qrels);
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(/^model {6}rankplay-tiny-cross-encoder .*: [\d,]+ parameters, .* onnx\/model.onnx on wasm, max 64 tokens/);
    expect(text.stdout).toMatch(/\nnDCG@10 {4}before \d\.\d{4} {2}after \d\.\d{4} {2}\(2 judged queries\)\n/);
  });

  it('refuses bad arguments and bad model folders with a message', () => {
    const usage = rankplay('rerank', '--docs', docs, '--queries', queries, '--run', run, '--run-out', '-');
    expect(usage.status).toBe(2);
    expect(usage.stderr).toContain('rankplay rerank: --model is needed');
    const noDir = rankplay('rerank', '--model', path.join(dir, 'nope'), '--docs', docs, '--queries', queries, '--run', run, '--run-out', '-');
    expect(noDir.status).toBe(2);
    expect(noDir.stderr).toMatch(/--model .*nope: no such folder \(ENOENT\)/);
    const depth = rankplay('rerank', '--model', MODEL, '--docs', docs, '--queries', queries, '--run', run, '--run-out', '-', '--depth', '0');
    expect(depth.stderr).toContain("--depth must be a positive integer, got '0'");

    const broken = path.join(dir, 'broken-model');
    cpSync(MODEL, broken, { recursive: true });
    rmSync(path.join(broken, 'tokenizer.json'));
    const noTok = rankplay('rerank', '--model', broken, '--docs', docs, '--queries', queries, '--run', run, '--run-out', '-');
    expect(noTok.status).toBe(1);
    expect(noTok.stderr).toMatch(/^rankplay: the model folder has no tokenizer\.json/);
    const notRun = rankplay('rerank', '--model', MODEL, '--docs', docs, '--queries', queries, '--run', qrels, '--run-out', '-');
    expect(notRun.status).toBe(2);
    expect(notRun.stderr).toMatch(/not a TREC run/);
  });
});
