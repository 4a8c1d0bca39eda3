/**
 * The feature sets shipped under public/ (bundled.ts) load through the app's own loader, and the
 * demo LETOR set is exactly what src/core/data/letor-features.ts makes from the demo passages, so
 * the files cannot drift from the code (regenerate with `npm run make-demo-letor`).
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '../experiment/rng';
import { meanNdcg } from '../metrics/ndcg';
import { bundledSet, BUNDLED_SET_NAMES, BUNDLED_SETS } from './bundled';
import type { RankingDataset } from './dataset';
import { letorFeatureList, letorFilesFromBeir } from './letor-features';
import { loadDataset, type LoadedDataset } from './load';
import { bytesSource } from './parse/stream';

const PUBLIC = fileURLToPath(new URL('../../../public/', import.meta.url));
const DEMO = `${PUBLIC}demo/rankplay-demo/`;
const settings = { skipBadLines: false, memoryBudgetBytes: 1 << 30 };
const read = (path: string) => new Uint8Array(readFileSync(path));
const baseName = (file: string) => file.slice(file.lastIndexOf('/') + 1);

describe('bundled feature sets', () => {
  it('are listed once each, by name', () => {
    expect(BUNDLED_SETS.map((s) => s.name)).toEqual([...BUNDLED_SET_NAMES]);
    for (const s of BUNDLED_SETS) expect(bundledSet(s.name)).toBe(s);
    expect(bundledSet('nope')).toBeUndefined();
  });

  for (const set of BUNDLED_SETS) {
    describe(set.name, () => {
      let loaded: LoadedDataset;
      beforeAll(async () => {
        for (const f of set.files) expect(existsSync(PUBLIC + f), `${f} under public/`).toBe(true);
        loaded = await loadDataset(set.files.map((f) => bytesSource(read(PUBLIC + f), baseName(f))), settings, () => ({}));
      });

      it('loads into train and test splits with labels 0–3, finite features and doc ids', () => {
        expect(loaded.info.kind).toBe('features');
        expect(loaded.info.warnings).toEqual([]);
        if (loaded.payload.kind !== 'features') throw new Error('features expected');
        const { train, test } = loaded.payload.splits;
        for (const split of [train, test]) {
          if (!split) throw new Error('train and test expected');
          expect(split.qidOffsets.length).toBeGreaterThan(10);
          expect(split.nFeatures).toBeGreaterThanOrEqual(12);
          expect(split.nFeatures).toBeLessThanOrEqual(20);
          expect(split.features.every((v) => Number.isFinite(v))).toBe(true);
          expect(Math.min(...split.labels)).toBe(0);
          expect(Math.max(...split.labels)).toBe(3);
          expect(split.docIds?.every((id) => id !== '')).toBe(true);
        }
        const trainQueries = new Set(train!.queryIds);
        expect(test!.queryIds.some((q) => trainQueries.has(q))).toBe(false);
      });
    });
  }
});

describe('rankplay-demo-letor', () => {
  const set = bundledSet('rankplay-demo-letor')!;
  const shipped = (split: string) => readFileSync(PUBLIC + set.files.find((f) => baseName(f) === `${split}.txt`)!, 'utf8');

  it('is exactly what letor-features.ts makes from the demo passages', async () => {
    const { files, titled } = await letorFilesFromBeir({
      corpus: read(`${DEMO}corpus.jsonl`),
      queries: read(`${DEMO}queries.jsonl`),
      qrels: { train: read(`${DEMO}qrels/train.tsv`), test: read(`${DEMO}qrels/test.tsv`) },
    });
    expect(titled).toBe(true);
    expect(Object.keys(files)).toEqual(['train', 'test']);
    // A boolean, so that a failure says "regenerate" without printing a diff of megabytes.
    for (const split of ['train', 'test']) {
      const same = files[split] === shipped(split);
      expect(same, `${split}.txt differs from letor-features.ts's output: run npm run make-demo-letor`).toBe(true);
    }
    const readme = readFileSync(`${PUBLIC}demo/rankplay-demo-letor/README.md`, 'utf8');
    for (const f of letorFeatureList(true)) expect(readme).toContain(`| ${f.name} | ${f.description} |`);
    expect(set.description).toMatch(new RegExp(`^${letorFeatureList(true).length} learning-to-rank features`));
  });

  it('has every judged passage of the passages qrels as a row, with its grade', async () => {
    for (const split of ['train', 'test']) {
      const rows = new Map<string, string>();
      const queryIds = readFileSync(`${DEMO}queries.jsonl`, 'utf8').trimEnd().split('\n').map((l) => (JSON.parse(l) as { _id: string })._id);
      for (const line of shipped(split).trimEnd().split('\n')) {
        const qid = Number(line.split(' ')[1].slice(4));
        rows.set(`${queryIds[qid - 1]}\t${line.slice(line.indexOf('docid=') + 6)}`, line.split(' ')[0]);
      }
      const qrels = readFileSync(`${DEMO}qrels/${split}.tsv`, 'utf8').trimEnd().split('\n').slice(1);
      for (const j of qrels) {
        const [q, d, grade] = j.split('\t');
        expect(rows.get(`${q}\t${d}`), `${q} ${d}`).toBe(grade);
      }
    }
  });

  it('ranks far above chance by its BM25 feature alone (test nDCG@10)', async () => {
    const loaded = await loadDataset([bytesSource(read(PUBLIC + set.files[1]), 'test.txt')], settings, () => ({}));
    if (loaded.payload.kind !== 'features') throw new Error('features expected');
    const test: RankingDataset = loaded.payload.splits.test!;
    const nDocs = test.labels.length;
    const column = (f: number) => Float32Array.from({ length: nDocs }, (_, r) => test.features[r * test.nFeatures + f]);
    const ndcg = (scores: Float32Array) => meanNdcg(scores, test.labels, test.qidOffsets, { k: 10, gain: 'exp2', noRelevant: 'drop' });
    const rng = createRng(1);
    let chance = 0;
    const draws = 20;
    for (let i = 0; i < draws; i++) chance += ndcg(Float32Array.from({ length: nDocs }, () => rng.next())) / draws;
    const bm25 = ndcg(column(0));
    expect(chance).toBeGreaterThan(0.05);
    expect(bm25).toBeGreaterThan(chance + 0.3);
    expect(bm25).toBeLessThan(1);
    // A constant scorer gets the file order (ties keep it), which must be no better than chance.
    expect(Math.abs(ndcg(new Float32Array(nDocs)) - chance)).toBeLessThan(0.1);
    // Every feature is informative or at least varies (no constant column).
    for (let f = 0; f < test.nFeatures; f++) expect(new Set(column(f)).size, `feature ${f + 1}`).toBeGreaterThan(1);
  });
});
