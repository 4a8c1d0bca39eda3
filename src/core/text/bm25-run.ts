import type { TrecRun } from '../data/text/run';
import type { Bm25Searcher } from './bm25';

/** Queries as the data layer's text tables give them (TREC topics: text() is the title). */
export interface Bm25Queries {
  readonly size: number;
  id(i: number): string;
  text(i: number): string;
}

/**
 * The top-k lists of many queries, columnar: query q's documents (index document numbers, best
 * first) and their float32 scores are docs/scores[offsets[q] .. offsets[q + 1]).
 */
export interface Bm25Run {
  queryIds: string[];
  offsets: Int32Array;
  docs: Int32Array;
  scores: Float32Array;
  /** Queries none of whose terms is in the collection: they have no documents (Anserini writes none either). */
  emptyQueries: string[];
}

export interface RetrieveOptions {
  /** Called every `progressEvery` queries and at the end, with queries done and the total. */
  onProgress?: (done: number, total: number) => void;
  progressEvery?: number;
}

/** Runs every query through the searcher and keeps each one's top k. */
export function retrieveAll(searcher: Bm25Searcher, queries: Bm25Queries, k: number, options: RetrieveOptions = {}): Bm25Run {
  const n = queries.size;
  const offsets = new Int32Array(n + 1);
  const perQuery: { docs: Int32Array; scores: Float32Array }[] = [];
  const emptyQueries: string[] = [];
  const every = Math.max(1, options.progressEvery ?? 100);
  for (let q = 0; q < n; q++) {
    const parsed = searcher.parse(queries.text(q));
    if (parsed.terms.length === 0) emptyQueries.push(queries.id(q));
    const hits = searcher.searchTerms(parsed.terms, k);
    perQuery.push(hits);
    offsets[q + 1] = offsets[q] + hits.docs.length;
    if (options.onProgress && (q + 1) % every === 0) options.onProgress(q + 1, n);
  }
  const docs = new Int32Array(offsets[n]);
  const scores = new Float32Array(offsets[n]);
  perQuery.forEach((hits, q) => {
    docs.set(hits.docs, offsets[q]);
    scores.set(hits.scores, offsets[q]);
  });
  options.onProgress?.(n, n);
  return { queryIds: Array.from({ length: n }, (_, q) => queries.id(q)), offsets, docs, scores, emptyQueries };
}

/**
 * The run as TrecRun columns (what the TREC run parser gives and trecEval takes), so it can be
 * evaluated without writing it out. Documents are named by the index's ids.
 */
export function bm25RunColumns(run: Bm25Run, docIds: readonly string[], tag: string): Pick<TrecRun, 'queryIds' | 'docIds' | 'query' | 'doc' | 'rank' | 'score' | 'tag'> {
  const n = run.docs.length;
  const query = new Int32Array(n);
  const rank = new Int32Array(n);
  for (let q = 0; q < run.queryIds.length; q++) {
    for (let r = run.offsets[q]; r < run.offsets[q + 1]; r++) {
      query[r] = q;
      rank[r] = r - run.offsets[q] + 1;
    }
  }
  return { queryIds: run.queryIds, docIds: docIds as string[], query, doc: run.docs, rank, score: Float64Array.from(run.scores), tag };
}

/**
 * A float32 score as the run prints it: 9 significant digits, enough to tell any two float32
 * values apart, so trec_eval (which re-sorts by score, ties by docno descending) ranks the file
 * exactly as it was written.
 */
export function formatRunScore(score: number): string {
  return String(Number(score.toPrecision(9)));
}

/**
 * The run as TREC run text, `qid Q0 docno rank score tag`, handed out a few thousand lines at a
 * time so a million-line run never has to sit in one string.
 */
export function* trecRunChunks(run: Bm25Run, docIds: readonly string[], tag: string, linesPerChunk = 4096): Generator<string> {
  if (!/^\S+$/.test(tag)) throw new Error(`run tag must be one word without spaces, got '${tag}'`);
  let lines: string[] = [];
  for (let q = 0; q < run.queryIds.length; q++) {
    const qid = run.queryIds[q];
    for (let r = run.offsets[q]; r < run.offsets[q + 1]; r++) {
      lines.push(`${qid} Q0 ${docIds[run.docs[r]]} ${r - run.offsets[q] + 1} ${formatRunScore(run.scores[r])} ${tag}\n`);
      if (lines.length >= linesPerChunk) {
        yield lines.join('');
        lines = [];
      }
    }
  }
  if (lines.length) yield lines.join('');
}

/** The whole run as one string (small runs, tests). */
export function trecRunText(run: Bm25Run, docIds: readonly string[], tag: string): string {
  return [...trecRunChunks(run, docIds, tag)].join('');
}
