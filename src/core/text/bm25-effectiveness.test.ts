import { describe, expect, it } from 'vitest';
import { createRng, type Rng } from '../experiment/rng';
import { judgementsOf, selectMeasures, trecEval } from '../metrics/trec';
import { Bm25Searcher } from './bm25';
import { buildBm25Index } from './bm25-index';
import { bm25RunColumns, retrieveAll, type Bm25Run } from './bm25-run';

/*
 * Effectiveness on a synthetic collection (until the demo corpus exists): 30 topics, each with
 * its own 8 content words; 20 passages per topic of ~40 words, mixing some of the topic's words
 * into Zipfian background words shared by all topics. A passage's grade is how much of its topic
 * it has (3: many topic words … 0: off-topic filler). Queries are 3 words of their topic, so
 * relevant passages share query terms, as in a real collection, but noisily.
 */
const TOPICS = 30;
const PER_TOPIC = 20;
const SYLLABLES = ['ka', 'lo', 'mi', 'ne', 'ru', 'ta', 'vo', 'zi', 'pe', 'su', 'bo', 'fa'];

function word(rng: Rng, syllables: number): string {
  let w = '';
  for (let i = 0; i < syllables; i++) w += SYLLABLES[rng.int(SYLLABLES.length)];
  return w;
}

function makeCollection(seed: number) {
  const rng = createRng(seed);
  const background = Array.from({ length: 400 }, () => word(rng, 2));
  // Zipf(1) over the background words.
  const weights = background.map((_, r) => 1 / (r + 1));
  const total = weights.reduce((a, b) => a + b, 0);
  const pickBackground = () => {
    let u = rng.next() * total;
    for (let r = 0; r < weights.length; r++) if ((u -= weights[r]) <= 0) return background[r];
    return background[background.length - 1];
  };
  const topicWords = Array.from({ length: TOPICS }, () => Array.from({ length: 8 }, () => word(rng, 3)));
  const docs: [string, string][] = [];
  const qrels = { queryIds: [] as string[], docIds: [] as string[], query: [] as number[], doc: [] as number[], rel: [] as number[] };
  for (let t = 0; t < TOPICS; t++) {
    qrels.queryIds.push(`q${t}`);
    for (let i = 0; i < PER_TOPIC; i++) {
      const grade = i % 4;
      // Grade 3 passages carry ~12 topic words, grade 0 none (pure background).
      const topical = grade * 4;
      const words = Array.from({ length: 40 }, (_, j) => (j < topical ? topicWords[t][rng.int(8)] : pickBackground()));
      const id = `t${t}p${i}`;
      docs.push([id, words.sort(() => rng.next() - 0.5).join(' ') + '.']);
      qrels.docIds.push(id);
      qrels.query.push(t);
      qrels.doc.push(qrels.docIds.length - 1);
      qrels.rel.push(grade);
    }
  }
  const queries: [string, string][] = topicWords.map((ws, t) => [`q${t}`, `${ws[0]} ${ws[1]} ${ws[2]}?`]);
  // Shuffle the collection so document order says nothing about topics.
  for (let i = docs.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [docs[i], docs[j]] = [docs[j], docs[i]];
  }
  return { docs, queries, qrels: { ...qrels, query: Int32Array.from(qrels.query), doc: Int32Array.from(qrels.doc), rel: Int8Array.from(qrels.rel) } };
}

const table = (rows: [string, string][]) => ({ size: rows.length, id: (i: number) => rows[i][0], text: (i: number) => rows[i][1] });

function ndcg10(run: Pick<Bm25Run, 'queryIds' | 'offsets' | 'docs' | 'scores' | 'emptyQueries'>, docIds: readonly string[], qrels: ReturnType<typeof makeCollection>['qrels']): number {
  const result = trecEval(judgementsOf(qrels), bm25RunColumns(run, docIds, 'x'), { measures: selectMeasures(['ndcg_cut.10']), complete: true });
  const names = result.measures.flatMap((m) => m.valueNames);
  return result.summary[names.indexOf('ndcg_cut_10')];
}

describe('BM25 effectiveness on a synthetic collection', () => {
  const { docs, queries, qrels } = makeCollection(11);
  const index = buildBm25Index(table(docs));

  it('ranks relevant passages far above random (nDCG@10)', () => {
    const run = retrieveAll(new Bm25Searcher(index), table(queries), 100);
    expect(run.emptyQueries).toEqual([]);
    const bm25 = ndcg10(run, index.docIds, qrels);

    // Random: every passage in a seeded random order for every query.
    const rng = createRng(5);
    const n = docs.length;
    const offsets = Int32Array.from({ length: queries.length + 1 }, (_, q) => q * n);
    const randomDocs = new Int32Array(queries.length * n);
    const scores = new Float32Array(queries.length * n);
    for (let q = 0; q < queries.length; q++) for (let d = 0; d < n; d++) {
      randomDocs[q * n + d] = d;
      scores[q * n + d] = rng.next();
    }
    const random = ndcg10({ queryIds: queries.map((x) => x[0]), offsets, docs: randomDocs, scores, emptyQueries: [] }, index.docIds, qrels);

    expect(random).toBeLessThan(0.1);
    expect(bm25).toBeGreaterThan(0.75);
    expect(bm25).toBeGreaterThan(8 * random);
  });

  it('is about as good with Lucene’s lossy lengths and with other k1, b', () => {
    const base = ndcg10(retrieveAll(new Bm25Searcher(index), table(queries), 100), index.docIds, qrels);
    for (const p of [{ docLengths: 'lucene' as const }, { k1: 1.2, b: 0.75 }]) {
      const other = ndcg10(retrieveAll(new Bm25Searcher(index, p), table(queries), 100), index.docIds, qrels);
      expect(Math.abs(other - base)).toBeLessThan(0.05);
    }
  });
});
