/**
 * The demo collection shipped in public/demo/rankplay-demo/ (built by
 * scripts/demo-corpus/build.mjs) loads through the app's own loader, the way a person dropping
 * the files would load it, and is internally consistent: ids, grades, the split, lengths.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadDataset, type LoadedDataset } from '../load';
import { bytesSource } from '../parse/stream';
import type { Qrels } from './qrels';
import type { TitledTextTable, TextTable } from './text-table';

const DIR = fileURLToPath(new URL('../../../../public/demo/rankplay-demo/', import.meta.url));
const read = (name: string) => readFileSync(DIR + name);
const settings = { skipBadLines: false, memoryBudgetBytes: 1 << 30 };

interface Manifest {
  name: string;
  license: string;
  format: string;
  files: { corpus: string; queries: string; qrels: { train: string; test: string } };
  split: { by: string; testTopics: string[] };
  counts: {
    topics: number;
    passages: number;
    queries: number;
    judgements: number;
    train: { topics: number; queries: number; judgements: number };
    test: { topics: number; queries: number; judgements: number };
  };
  topics: { id: string; split: 'train' | 'test'; queries: number; passages: number }[];
}

const manifest = JSON.parse(read('manifest.json').toString('utf8')) as Manifest;

async function load(qrelsFile: string): Promise<LoadedDataset> {
  const { corpus, queries } = manifest.files;
  return loadDataset(
    [corpus, queries, qrelsFile].map((f) => bytesSource(new Uint8Array(read(f)), f)),
    settings,
    () => ({}),
  );
}

function parts(d: LoadedDataset): { docs: TitledTextTable; queries: TextTable; qrels: Qrels } {
  if (d.payload.kind !== 'text') throw new Error('expected a text set');
  const { documents, queries, qrels } = d.payload.parts;
  if (!documents || !queries || !qrels) throw new Error('expected documents, queries and qrels');
  return { docs: documents.table as TitledTextTable, queries: queries.table as TextTable, qrels };
}

const lines = (f: string) => read(f).toString('utf8').split('\n').filter((l) => l.trim() !== '');
const topicOf = (id: string) => id.replace(/-(q\d+|\d+)$/, '');

describe('the demo corpus (public/demo/rankplay-demo)', () => {
  let train: LoadedDataset;
  let test: LoadedDataset;
  beforeAll(async () => {
    train = await load(manifest.files.qrels.train);
    test = await load(manifest.files.qrels.test);
  });

  it('loads as BEIR through the app loader, with no warnings', () => {
    for (const d of [train, test]) {
      expect(d.info.kind).toBe('text');
      expect(d.info.files.map((f) => f.format)).toEqual(['beir-corpus', 'beir-queries', 'beir-qrels']);
      expect(d.info.warnings).toEqual([]);
    }
    expect(manifest.format).toBe('beir');
    expect(manifest.license).toBe('CC0-1.0');
  });

  it('has the counts the manifest states, within the intended size', () => {
    const { docs, queries } = parts(train);
    const c = manifest.counts;
    expect(docs.size).toBe(c.passages);
    expect(queries.size).toBe(c.queries);
    expect(parts(train).qrels.rel.length).toBe(c.train.judgements);
    expect(parts(test).qrels.rel.length).toBe(c.test.judgements);
    expect(c.train.judgements + c.test.judgements).toBe(c.judgements);
    expect(parts(train).qrels.queryIds.length).toBe(c.train.queries);
    expect(parts(test).qrels.queryIds.length).toBe(c.test.queries);
    expect(c.train.queries + c.test.queries).toBe(c.queries);
    expect(manifest.topics.length).toBe(c.topics);
    expect(manifest.topics.reduce((s, t) => s + t.passages, 0)).toBe(c.passages);
    expect(manifest.topics.reduce((s, t) => s + t.queries, 0)).toBe(c.queries);
    // The sizes the collection was written to.
    expect(c.topics).toBeGreaterThanOrEqual(36);
    expect(c.topics).toBeLessThanOrEqual(40);
    expect(c.passages).toBeGreaterThanOrEqual(360);
    expect(c.passages).toBeLessThanOrEqual(480);
    for (const t of manifest.topics) {
      expect(t.queries, t.id).toBeGreaterThanOrEqual(3);
      expect(t.queries, t.id).toBeLessThanOrEqual(4);
    }
  });

  it('has no duplicate ids (the parsers would keep the first and warn; the line counts say none were dropped)', () => {
    const { docs, queries } = parts(train);
    expect(lines(manifest.files.corpus).length).toBe(docs.size);
    expect(lines(manifest.files.queries).length).toBe(queries.size);
    const docIds = Array.from({ length: docs.size }, (_, i) => docs.id(i));
    const queryIds = Array.from({ length: queries.size }, (_, i) => queries.id(i));
    expect(new Set(docIds).size).toBe(docIds.length);
    expect(new Set(queryIds).size).toBe(queryIds.length);
    // Each (query, passage) pair is judged once: qrels lines (less the header) equal the judgements.
    expect(lines(manifest.files.qrels.train).length - 1).toBe(parts(train).qrels.rel.length);
    expect(lines(manifest.files.qrels.test).length - 1).toBe(parts(test).qrels.rel.length);
  });

  it('judges only passages and queries that exist, with grades 0..3', () => {
    for (const d of [train, test]) {
      const { docs, queries, qrels } = parts(d);
      for (const q of qrels.queryIds) expect(queries.indexOf(q), q).toBeGreaterThanOrEqual(0);
      for (const doc of qrels.docIds) expect(docs.indexOf(doc), doc).toBeGreaterThanOrEqual(0);
      for (const r of qrels.rel) expect([0, 1, 2, 3]).toContain(r);
    }
  });

  it('gives every query a highly relevant passage and a judged pool of at least its own topic', () => {
    const { docs, queries } = parts(train);
    const judged = new Map<string, Map<string, number>>();
    for (const d of [train, test]) {
      const { qrels } = parts(d);
      for (let j = 0; j < qrels.rel.length; j++) {
        const q = qrels.queryIds[qrels.query[j]];
        if (!judged.has(q)) judged.set(q, new Map());
        judged.get(q)!.set(qrels.docIds[qrels.doc[j]], qrels.rel[j]);
      }
    }
    expect(judged.size).toBe(queries.size);
    for (let i = 0; i < queries.size; i++) {
      const q = queries.id(i);
      const grades = judged.get(q);
      expect(grades, q).toBeDefined();
      expect(Math.max(...grades!.values()), q).toBeGreaterThanOrEqual(2);
      for (let k = 0; k < docs.size; k++) {
        if (topicOf(docs.id(k)) === topicOf(q)) expect(grades!.has(docs.id(k)), `${q} judges ${docs.id(k)}`).toBe(true);
      }
    }
  });

  it('splits by topic: train and test queries and topics are disjoint and cover everything', () => {
    const trainQ = new Set(parts(train).qrels.queryIds);
    const testQ = new Set(parts(test).qrels.queryIds);
    for (const q of testQ) expect(trainQ.has(q), q).toBe(false);
    expect(trainQ.size + testQ.size).toBe(parts(train).queries.size);
    const trainTopics = new Set([...trainQ].map(topicOf));
    const testTopics = new Set([...testQ].map(topicOf));
    for (const t of testTopics) expect(trainTopics.has(t), t).toBe(false);
    expect([...testTopics].sort()).toEqual([...manifest.split.testTopics].sort());
    expect(manifest.split.by).toBe('topic');
    for (const t of manifest.topics) expect(t.split === 'test').toBe(testTopics.has(t.id));
    // Roughly 70/30 by query.
    const share = testQ.size / (trainQ.size + testQ.size);
    expect(share).toBeGreaterThan(0.2);
    expect(share).toBeLessThan(0.4);
  });

  it('keeps passages 40-110 words with a title, and queries short', () => {
    const { docs, queries } = parts(train);
    for (let i = 0; i < docs.size; i++) {
      const words = docs.text(i).trim().split(/\s+/).length;
      expect(words, docs.id(i)).toBeGreaterThanOrEqual(40);
      expect(words, docs.id(i)).toBeLessThanOrEqual(110);
      expect(docs.title(i).length, docs.id(i)).toBeGreaterThan(0);
    }
    for (let i = 0; i < queries.size; i++) {
      const words = queries.text(i).trim().split(/\s+/).length;
      expect(words, queries.id(i)).toBeGreaterThanOrEqual(2);
      expect(words, queries.id(i)).toBeLessThanOrEqual(15);
    }
  });
});
