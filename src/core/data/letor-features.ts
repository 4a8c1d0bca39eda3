import { EnglishAnalyzer } from '../text/analysis';
import { Bm25Searcher, type Bm25Params } from '../text/bm25';
import { buildBm25Index, type Bm25Documents, type Bm25Index } from '../text/bm25-index';
import { bytesSource } from './parse/stream';
import { parseBeirCorpus, parseBeirQrels, parseBeirQueries } from './text/beir';
import type { Qrels } from './text/qrels';

/**
 * LETOR features from a text collection (queries, passages, graded qrels): the bundled
 * `rankplay-demo-letor` set is made this way from public/demo/rankplay-demo (scripts/make-demo-letor.ts
 * writes the files; bundled.test.ts checks that they are exactly what this module gives).
 *
 * Candidates of a query: its top LETOR_CANDIDATES.top documents by BM25 (the project's BM25 and
 * defaults, k1 = 0.9, b = 0.4, on "title text"), then the judged documents BM25 missed, so that every
 * judged passage can be ranked, best first (grade descending, then BM25 score descending, then id)
 * while the list is shorter than LETOR_CANDIDATES.max. Label: the qrels grade (0 when unjudged;
 * a negative grade, "judged non-relevant", is written as 0).
 *
 * Rows of a query are in a fixed pseudo-random order (rowHash of "query id TAB document id", then
 * the id), neither by BM25 nor by id: a model that scores everything alike then gets a chance-level
 * list, not BM25's (ties keep file order in the metrics).
 *
 * Query terms are the analysed query (the index's analyser: stopwords dropped, Porter stems).
 * "Distinct terms" count a repeated term once; terms the collection lacks count in the
 * denominators (mean, coverage) and contribute 0.
 *
 * qid: the dataset's query id when every query id is a non-negative integer, else the query's
 * 1-based position in the queries file (so one query has one qid in every split).
 */

export const LETOR_CANDIDATES = { top: 30, max: 40 } as const;
/** Dirichlet prior of the query-likelihood feature. */
export const LM_MU = 2000;

export interface LetorFeature {
  name: string;
  description: string;
}

/** Documents as the text tables give them; `title` only for titled collections (BEIR). */
export type LetorCorpus = Bm25Documents;

export interface LetorQueries {
  readonly size: number;
  id(i: number): string;
  text(i: number): string;
}

const LUCENE_PARAMS: Partial<Bm25Params> = { k1: 1.2, b: 0.75 };
const NO_LENGTH_PARAMS: Partial<Bm25Params> = { k1: 1.2, b: 0 };

type FeatureKey =
  | 'bm25' | 'bm25Title' | 'bm25Body' | 'bm25Lucene' | 'bm25NoLength'
  | 'tfSum' | 'tfMean' | 'tfMax' | 'tfidfSum' | 'tfidfMean' | 'tfidfMax'
  | 'tfNormSum' | 'covered' | 'coveredTitle' | 'docLength' | 'queryLength' | 'lmDirichlet';

const ALL_FEATURES: readonly (LetorFeature & { key: FeatureKey; titled?: true })[] = [
  { key: 'bm25', name: 'BM25', description: 'BM25 of the whole passage ("title text"), k1 = 0.9, b = 0.4 (the first stage\'s score)' },
  { key: 'bm25Title', titled: true, name: 'BM25 title', description: 'BM25 of the title alone (its own index and statistics), k1 = 0.9, b = 0.4' },
  { key: 'bm25Body', titled: true, name: 'BM25 body', description: 'BM25 of the text without the title (its own index), k1 = 0.9, b = 0.4' },
  { key: 'bm25Lucene', name: 'BM25 k1=1.2 b=0.75', description: 'BM25 of the whole passage with Lucene\'s defaults k1 = 1.2, b = 0.75' },
  { key: 'bm25NoLength', name: 'BM25 k1=1.2 b=0', description: 'BM25 of the whole passage without length normalisation, k1 = 1.2, b = 0' },
  { key: 'tfSum', name: 'TF sum', description: 'sum over distinct query terms of the term frequency in the passage' },
  { key: 'tfMean', name: 'TF mean', description: 'TF sum / number of distinct query terms' },
  { key: 'tfMax', name: 'TF max', description: 'largest term frequency of a query term' },
  { key: 'tfidfSum', name: 'TF-IDF sum', description: 'sum over distinct query terms of tf · idf, idf = ln(1 + (N − df + 0.5) / (df + 0.5)) (BM25\'s idf)' },
  { key: 'tfidfMean', name: 'TF-IDF mean', description: 'TF-IDF sum / number of distinct query terms' },
  { key: 'tfidfMax', name: 'TF-IDF max', description: 'largest tf · idf of a query term' },
  { key: 'tfNormSum', name: 'TF/length sum', description: 'sum over distinct query terms of tf / passage length (0 for an empty passage)' },
  { key: 'covered', name: 'covered terms', description: 'share of the distinct query terms that occur in the passage' },
  { key: 'coveredTitle', titled: true, name: 'covered terms in title', description: 'share of the distinct query terms that occur in the title' },
  { key: 'docLength', name: 'passage length', description: 'terms in the passage after analysis (BM25\'s dl)' },
  { key: 'queryLength', name: 'query length', description: 'terms in the query after analysis, repeats counted' },
  { key: 'lmDirichlet', name: 'LM Dirichlet', description: 'query log-likelihood with Dirichlet smoothing, Σ over query term occurrences of ln((tf + μ · ctf / L) / (dl + μ)), μ = 2000, L the collection\'s length in terms; terms the collection lacks are left out' },
];

/** The features, in file order (index i is feature i + 1), for a collection with or without titles. */
export function letorFeatureList(titled: boolean): LetorFeature[] {
  return ALL_FEATURES.filter((f) => titled || !f.titled).map(({ name, description }) => ({ name, description }));
}

/** Whether the collection has titles worth their own features (at least one non-empty). */
export function hasTitles(corpus: LetorCorpus): boolean {
  if (typeof corpus.title !== 'function') return false;
  for (let i = 0; i < corpus.size; i++) if (corpus.title(i).trim() !== '') return true;
  return false;
}

/** Term frequency of a term id in a document, by binary search in the term's postings (0 if absent). */
function tfOf(index: Bm25Index, termId: number, doc: number): number {
  let lo = index.offsets[termId];
  let hi = index.offsets[termId + 1] - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const d = index.docs[mid];
    if (d === doc) return index.tfs[mid];
    if (d < doc) lo = mid + 1;
    else hi = mid - 1;
  }
  return 0;
}

/** Collection frequency of every term (Σ tf over its postings). */
function collectionFrequencies(index: Bm25Index): Float64Array {
  const ctf = new Float64Array(index.offsets.length - 1);
  for (let t = 0; t < ctf.length; t++) {
    let sum = 0;
    for (let p = index.offsets[t]; p < index.offsets[t + 1]; p++) sum += index.tfs[p];
    ctf[t] = sum;
  }
  return ctf;
}

interface AnalysedQuery {
  text: string;
  /** Distinct analysed terms in first-occurrence order, with their counts. */
  terms: { term: string; count: number }[];
  length: number;
}

/** Builds the indexes once for a collection; then gives candidates and features of any query. */
export class LetorFeaturizer {
  readonly titled: boolean;
  readonly features: LetorFeature[];
  private readonly whole: Bm25Index;
  private readonly title: Bm25Index | null;
  private readonly searcher: Bm25Searcher;
  private readonly lucene: Bm25Searcher;
  private readonly noLength: Bm25Searcher;
  private readonly titleSearcher: Bm25Searcher | null;
  private readonly bodySearcher: Bm25Searcher | null;
  private readonly analyzer: EnglishAnalyzer;
  private readonly ctf: Float64Array;
  private readonly keys: FeatureKey[];
  private readonly docNumbers: Map<string, number>;

  constructor(private readonly corpus: LetorCorpus) {
    this.titled = hasTitles(corpus);
    this.features = letorFeatureList(this.titled);
    this.keys = ALL_FEATURES.filter((f) => this.titled || !f.titled).map((f) => f.key);
    this.whole = buildBm25Index(corpus);
    this.searcher = new Bm25Searcher(this.whole);
    this.lucene = new Bm25Searcher(this.whole, LUCENE_PARAMS);
    this.noLength = new Bm25Searcher(this.whole, NO_LENGTH_PARAMS);
    const field = (text: (i: number) => string): Bm25Documents => ({ size: corpus.size, id: (i) => corpus.id(i), text });
    const titleOf = corpus.title;
    this.title = this.titled && titleOf ? buildBm25Index(field((i) => titleOf.call(corpus, i))) : null;
    this.titleSearcher = this.title ? new Bm25Searcher(this.title) : null;
    this.bodySearcher = this.titled ? new Bm25Searcher(buildBm25Index(field((i) => corpus.text(i)))) : null;
    const { stopwords, stem, possessive } = this.whole.analyzer;
    this.analyzer = new EnglishAnalyzer({ stopwords: new Set(stopwords), stem, possessive });
    this.ctf = collectionFrequencies(this.whole);
    this.docNumbers = new Map(this.whole.docIds.map((id, d) => [id, d]));
  }

  /** Document number of a collection id, or -1. */
  docOf(id: string): number {
    return this.docNumbers.get(id) ?? -1;
  }

  private analyse(text: string): AnalysedQuery {
    const tokens = this.analyzer.analyze(text);
    const counts = new Map<string, number>();
    for (const t of tokens) counts.set(t, (counts.get(t) ?? 0) + 1);
    return { text, terms: [...counts].map(([term, count]) => ({ term, count })), length: tokens.length };
  }

  /** BM25 score of a document with the default searcher (float32, as the run gives it). */
  bm25(query: string, doc: number): number {
    return this.searcher.score(query, doc);
  }

  /**
   * Candidate documents of a query: the BM25 top `top`, then judged documents missing from it
   * (grade descending, BM25 descending, id), up to `max` in all. `judged` maps document numbers to grades.
   */
  candidates(query: string, judged: ReadonlyMap<number, number>, top: number = LETOR_CANDIDATES.top, max: number = LETOR_CANDIDATES.max): number[] {
    const list = Array.from(this.searcher.search(query, Math.min(top, max)).docs);
    const inList = new Set(list);
    const extra = [...judged.keys()].filter((d) => !inList.has(d)).map((d) => ({ d, grade: judged.get(d) ?? 0, score: this.bm25(query, d), id: this.corpus.id(d) }));
    extra.sort((a, b) => b.grade - a.grade || b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    for (const e of extra) {
      if (list.length >= max) break;
      list.push(e.d);
    }
    return list;
  }

  /** Feature values of one document for one query, in the order of `features`. */
  featureValues(query: string, doc: number): number[] {
    return this.valuesOf(this.analyse(query), doc);
  }

  private valuesOf(q: AnalysedQuery, doc: number): number[] {
    const nTerms = q.terms.length;
    const dl = this.whole.docLengths[doc];
    let tfSum = 0;
    let tfMax = 0;
    let tfidfSum = 0;
    let tfidfMax = 0;
    let covered = 0;
    let coveredTitle = 0;
    let lm = 0;
    const total = this.whole.totalTerms;
    for (const { term, count } of q.terms) {
      const id = this.whole.terms.get(term);
      if (id === undefined) continue;
      const tf = tfOf(this.whole, id, doc);
      const tfidf = tf * this.searcher.idf(id);
      tfSum += tf;
      tfMax = Math.max(tfMax, tf);
      tfidfSum += tfidf;
      tfidfMax = Math.max(tfidfMax, tfidf);
      if (tf > 0) covered++;
      lm += count * Math.log((tf + (LM_MU * this.ctf[id]) / total) / (dl + LM_MU));
      const titleId = this.title?.terms.get(term);
      if (this.title && titleId !== undefined && tfOf(this.title, titleId, doc) > 0) coveredTitle++;
    }
    const per = (x: number) => (nTerms > 0 ? x / nTerms : 0);
    const all: Record<FeatureKey, () => number> = {
      bm25: () => this.searcher.score(q.text, doc),
      bm25Title: () => this.titleSearcher?.score(q.text, doc) ?? 0,
      bm25Body: () => this.bodySearcher?.score(q.text, doc) ?? 0,
      bm25Lucene: () => this.lucene.score(q.text, doc),
      bm25NoLength: () => this.noLength.score(q.text, doc),
      tfSum: () => tfSum,
      tfMean: () => per(tfSum),
      tfMax: () => tfMax,
      tfidfSum: () => tfidfSum,
      tfidfMean: () => per(tfidfSum),
      tfidfMax: () => tfidfMax,
      tfNormSum: () => (dl > 0 ? tfSum / dl : 0),
      covered: () => per(covered),
      coveredTitle: () => per(coveredTitle),
      docLength: () => dl,
      queryLength: () => q.length,
      lmDirichlet: () => lm,
    };
    return this.keys.map((k) => {
      const v = all[k]();
      if (!Number.isFinite(v)) throw new Error(`feature ${k} of document ${this.corpus.id(doc)} is not finite for query '${q.text}'`);
      return v;
    });
  }

  /**
   * LETOR lines of a split: the queries (in table order) that have judgements in `qrels`, each
   * with its candidates as `label qid:Q 1:v ... # docid=ID`. `qidOf` gives a query's qid from its
   * position in `queries`.
   */
  lines(queries: LetorQueries, qrels: Qrels, qidOf: (queryIndex: number) => string): string[] {
    const judgedBy = judgementsByQuery(qrels);
    const out: string[] = [];
    for (let qi = 0; qi < queries.size; qi++) {
      const judged = judgedBy.get(queries.id(qi));
      if (!judged) continue;
      const grades = new Map<number, number>();
      for (const [docId, grade] of judged) {
        const d = this.docOf(docId);
        if (d >= 0) grades.set(d, Math.max(0, grade));
      }
      const analysed = this.analyse(queries.text(qi));
      const rows = this.candidates(analysed.text, grades).map((d) => ({ d, id: this.corpus.id(d), hash: rowHash(`${queries.id(qi)}\t${this.corpus.id(d)}`) }));
      rows.sort((a, b) => a.hash - b.hash || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      const qid = qidOf(qi);
      for (const { d, id } of rows) {
        const values = this.valuesOf(analysed, d);
        out.push(`${grades.get(d) ?? 0} qid:${qid} ${values.map((v, i) => `${i + 1}:${formatValue(v)}`).join(' ')} # docid=${id}`);
      }
    }
    return out;
  }
}

/** Grades by query id, then document id. */
function judgementsByQuery(qrels: Qrels): Map<string, Map<string, number>> {
  const by = new Map<string, Map<string, number>>();
  for (let j = 0; j < qrels.rel.length; j++) {
    const q = qrels.queryIds[qrels.query[j]];
    let m = by.get(q);
    if (!m) by.set(q, (m = new Map()));
    m.set(qrels.docIds[qrels.doc[j]], qrels.rel[j]);
  }
  return by;
}

/**
 * A 32-bit hash of a string's UTF-16 code units: FNV-1a, then MurmurHash3's finaliser (fmix32).
 * FNV-1a alone keeps ids that differ only at the end (bread-01, bread-02) close together, which
 * would put a topic's passages next to each other in the row order.
 */
export function rowHash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A value with 6 significant digits, shortest form ("0" for ±0, "2" for 2.00000). */
export function formatValue(v: number): string {
  if (!Number.isFinite(v)) throw new RangeError(`not a finite number: ${v}`);
  if (v === 0) return '0';
  const r = Number(v.toPrecision(6));
  return r === 0 ? '0' : String(r);
}

/** qid of each query: its id when all ids are non-negative integers, else its 1-based position. */
export function queryNumbering(queries: LetorQueries): (queryIndex: number) => string {
  let numeric = true;
  for (let i = 0; i < queries.size && numeric; i++) numeric = /^\d{1,15}$/.test(queries.id(i));
  return numeric ? (i) => String(Number(queries.id(i))) : (i) => String(i + 1);
}

/** The LETOR file text of each split (lines joined, one trailing newline). */
export function letorFiles(corpus: LetorCorpus, queries: LetorQueries, splits: Readonly<Record<string, Qrels>>): Record<string, string> {
  const featurizer = new LetorFeaturizer(corpus);
  const qidOf = queryNumbering(queries);
  const out: Record<string, string> = {};
  for (const [split, qrels] of Object.entries(splits)) out[split] = featurizer.lines(queries, qrels, qidOf).join('\n') + '\n';
  return out;
}

export interface BeirBytes {
  corpus: Uint8Array;
  queries: Uint8Array;
  /** Qrels file bytes by split name. */
  qrels: Readonly<Record<string, Uint8Array>>;
}

/** Parses a BEIR set's files with the project's parsers (strict) and gives each split's LETOR text. */
export async function letorFilesFromBeir(files: BeirBytes): Promise<{ files: Record<string, string>; titled: boolean }> {
  const opts = { skipBadLines: false };
  const corpus = await parseBeirCorpus(bytesSource(files.corpus, 'corpus.jsonl'), opts);
  const queries = await parseBeirQueries(bytesSource(files.queries, 'queries.jsonl'), opts);
  const splits: Record<string, Qrels> = {};
  for (const [split, bytes] of Object.entries(files.qrels)) splits[split] = await parseBeirQrels(bytesSource(bytes, `qrels/${split}.tsv`), opts);
  return { files: letorFiles(corpus.table, queries.table, splits), titled: hasTitles(corpus.table) };
}
