import { readFileSync } from 'node:fs';
import path from 'node:path';
import { bytesSource } from '../../src/core/data/parse/stream';
import { parseBeirCorpus, parseBeirQrels, parseBeirQueries, type Qrels, type TextTable, type TitledTextTable } from '../../src/core/data/text';
import type { JudgedQuery } from '../../src/core/text/model/train';

/** The demo collection in BEIR layout, as the app loads it. */
export interface DemoData {
  corpus: TitledTextTable;
  queries: TextTable;
  train: Qrels;
  test: Qrels;
  /** Passage texts as the model reads them: "title text", as BM25 indexes BEIR (Pyserini's convention). */
  passages: string[];
}

async function read<T>(dir: string, file: string, parse: (s: ReturnType<typeof bytesSource>) => Promise<T>): Promise<T> {
  const full = path.join(dir, file);
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(full);
  } catch {
    throw new Error(`${full} is missing: the demo corpus (BEIR layout: corpus.jsonl, queries.jsonl, qrels/train.tsv, qrels/test.tsv) is needed`);
  }
  return parse(bytesSource(bytes, file));
}

export async function loadDemoData(dir: string): Promise<DemoData> {
  const corpus = (await read(dir, 'corpus.jsonl', (s) => parseBeirCorpus(s))).table;
  const queries = (await read(dir, 'queries.jsonl', (s) => parseBeirQueries(s))).table;
  const train = await read(dir, 'qrels/train.tsv', (s) => parseBeirQrels(s));
  const test = await read(dir, 'qrels/test.tsv', (s) => parseBeirQrels(s));
  const passages = Array.from({ length: corpus.size }, (_, i) => {
    const title = corpus.title(i);
    return title ? `${title} ${corpus.text(i)}` : corpus.text(i);
  });
  return { corpus, queries, train, test, passages };
}

/** A split's judged passages per query: corpus indices and grades, queries in qrels order. */
export interface JudgedLists {
  queryIds: string[];
  queryTexts: string[];
  /** CSR over queries: query q's passages are [offsets[q], offsets[q + 1]). */
  offsets: Int32Array;
  passages: Int32Array;
  labels: Int8Array;
}

/** Judgements whose query or passage is not in the files are skipped, with a count in the warning. */
export function judgedLists(data: DemoData, qrels: Qrels, warn: (msg: string) => void): JudgedLists {
  const byQuery = new Map<number, { passage: number; label: number }[]>();
  let missing = 0;
  for (let j = 0; j < qrels.query.length; j++) {
    const q = data.queries.indexOf(qrels.queryIds[qrels.query[j]]);
    const p = data.corpus.indexOf(qrels.docIds[qrels.doc[j]]);
    if (q < 0 || p < 0) {
      missing++;
      continue;
    }
    const list = byQuery.get(q) ?? [];
    list.push({ passage: p, label: qrels.rel[j] });
    byQuery.set(q, list);
  }
  if (missing > 0) warn(`${missing} judgements name a query or passage that is not in the files; skipped`);
  const entries = [...byQuery];
  const offsets = new Int32Array(entries.length + 1);
  entries.forEach(([, list], i) => (offsets[i + 1] = offsets[i] + list.length));
  const passages = new Int32Array(offsets[entries.length]);
  const labels = new Int8Array(offsets[entries.length]);
  entries.forEach(([, list], i) =>
    list.forEach((it, k) => {
      passages[offsets[i] + k] = it.passage;
      labels[offsets[i] + k] = it.label;
    }),
  );
  return {
    queryIds: entries.map(([q]) => data.queries.id(q)),
    queryTexts: entries.map(([q]) => data.queries.text(q)),
    offsets,
    passages,
    labels,
  };
}

export function trainingQueries(lists: JudgedLists): JudgedQuery[] {
  return lists.queryTexts.map((query, q) => {
    const from = lists.offsets[q];
    const to = lists.offsets[q + 1];
    return { query, passages: Array.from(lists.passages.subarray(from, to)), labels: Array.from(lists.labels.subarray(from, to)) };
  });
}

/** Every judged (query, passage) pair of a split as texts, in lists order (aligned with lists.passages). */
export function pairsOf(data: DemoData, lists: JudgedLists): { query: string; passage: string }[] {
  const pairs: { query: string; passage: string }[] = [];
  for (let q = 0; q + 1 < lists.offsets.length; q++) {
    for (let i = lists.offsets[q]; i < lists.offsets[q + 1]; i++) pairs.push({ query: lists.queryTexts[q], passage: data.passages[lists.passages[i]] });
  }
  return pairs;
}
