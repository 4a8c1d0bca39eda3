import { EnglishAnalyzer } from './analysis';
import type { Bm25Index } from './bm25-index';

/**
 * BM25 as Lucene (≥ 8) BM25Similarity scores it, the scoring Anserini uses for its BM25 baselines:
 *
 *   idf(t)      = ln(1 + (N − df + 0.5) / (df + 0.5))
 *   score(d, q) = Σ_{t ∈ q} idf(t) · tf / (tf + k1 · (1 − b + b · dl / avgdl))
 *
 * N is the number of documents with at least one term (Lucene's docCount), avgdl the mean length
 * over them (sumTotalTermFreq / docCount), dl the document's number of terms after analysis
 * (stopwords not counted). Lucene 8 dropped the classic (k1 + 1) factor of the numerator; it
 * scales every score by the same constant and changes no ranking.
 *
 * Query terms: a term that occurs n times in the analysed query counts n times, as in Anserini's
 * BagOfWordsQueryGenerator (one TermQuery per distinct term with boost n; older versions added one
 * clause per occurrence; the sum is the same).
 *
 * Defaults k1 = 0.9, b = 0.4: Anserini's defaults (SearchCollection -bm25.k1 0.9 -bm25.b 0.4), used
 * for its MS MARCO baselines; Lucene's own defaults are 1.2 and 0.75.
 *
 * Document lengths ('docLengths'):
 * - 'exact' (default): dl as counted, arithmetic in double precision; each score is rounded to
 *   float32 once at the end (Lucene reports float scores, and run files print them).
 * - 'lucene': what Lucene computes. It stores dl in one byte (SmallFloat.intToByte4): lengths
 *   up to 39 exactly, longer ones rounded down to 4 significant bits of dl − 24 (up to ~11 %
 *   shorter: 40–41 → 40, 100–103 → 96, 200–215 → 200), so longer documents are normalised a
 *   little less than their length says; and it computes in float32 (idf, the 256 cached
 *   1 / (k1 · (1 − b + b · L / avgdl)) values, each clause's score), summing the clauses in
 *   double and rounding once, as Lucene's disjunction scorers do. A one-term score then equals
 *   Lucene's to the bit, given the same terms; a sum can differ in the last bit where Lucene adds
 *   the clauses in another order. The rankings of the two modes differ only where documents
 *   of different lengths above 39 had close scores; on passages (dl mostly below 40 after
 *   stopwords) they mostly coincide.
 *
 * Ties: equal float32 scores are ordered by collection id in trec_eval's order (docno descending,
 * strcmp), so a run written from these lists evaluates in trec_eval exactly as ranked here, with
 * the scores left as they are. Anserini breaks ties by docid ascending instead and then rounds
 * scores to 4 decimals and subtracts 1e-6 per tied position (ScoreTiesAdjusterReranker) so that
 * trec_eval keeps its order; tied documents can therefore come out in the opposite order, and the
 * document kept at a tie that straddles the cut-off k can differ.
 */
export interface Bm25Params {
  k1: number;
  b: number;
  docLengths: 'exact' | 'lucene';
}

export const BM25_DEFAULTS: Readonly<Bm25Params> = { k1: 0.9, b: 0.4, docLengths: 'exact' };

/** One distinct term of a query: its id in the index and how often the query has it. */
export interface QueryTerm {
  term: string;
  termId: number;
  count: number;
}

export interface ParsedQuery {
  terms: QueryTerm[];
  /** Analysed query terms the collection does not have (they cannot match). */
  unknown: string[];
}

/** The top documents of a query, best first: document numbers and their float32 scores. */
export interface Bm25Hits {
  docs: Int32Array;
  scores: Float32Array;
}

const f32 = Math.fround;

/** Lucene's SmallFloat.intToByte4: a length in one byte, exact below 40, 4 significant bits above. */
export function luceneLengthByte(length: number): number {
  if (length < 24) return length;
  const v = length - 24;
  const bits = 32 - Math.clz32(v);
  if (bits < 4) return 24 + v;
  const shift = bits - 4;
  return 24 + (((v >>> shift) & 0x07) | ((shift + 1) << 3));
}

/** Lucene's SmallFloat.byte4ToInt: the length a byte stands for. */
export function luceneByteLength(byte: number): number {
  if (byte < 24) return byte;
  const i = byte - 24;
  const bits = i & 0x07;
  const shift = (i >>> 3) - 1;
  return 24 + (shift === -1 ? bits : (bits | 0x08) * 2 ** shift);
}

export function checkBm25Params(p: Bm25Params): void {
  if (!Number.isFinite(p.k1) || p.k1 < 0) throw new RangeError(`k1 must be a finite number ≥ 0, got ${p.k1}`);
  if (!(p.b >= 0 && p.b <= 1)) throw new RangeError(`b must be between 0 and 1, got ${p.b}`);
  if (p.docLengths !== 'exact' && p.docLengths !== 'lucene') throw new RangeError(`docLengths must be 'exact' or 'lucene', got '${String(p.docLengths)}'`);
}

/**
 * Scores queries against an index, term at a time into one accumulator per document, then keeps
 * the k best in a bounded heap. Holds ~24 bytes per document of scratch space; reuse one searcher
 * for many queries. Not safe to share between concurrent calls (it has none in one thread).
 */
export class Bm25Searcher {
  readonly params: Readonly<Bm25Params>;
  private readonly analyzer: EnglishAnalyzer;
  private readonly nDocs: number;
  /** 'exact': k1 · (1 − b + b · dl / avgdl); 'lucene': Lucene's float32 1 / that, from the byte length. */
  private readonly norm: Float64Array;
  private readonly acc: Float64Array;
  private readonly mark: Int32Array;
  private readonly touched: Int32Array;
  private queryNo = 0;

  constructor(
    readonly index: Bm25Index,
    params: Partial<Bm25Params> = {},
  ) {
    this.params = { ...BM25_DEFAULTS, ...params };
    checkBm25Params(this.params);
    const { stopwords, stem, possessive } = index.analyzer;
    this.analyzer = new EnglishAnalyzer({ stopwords: new Set(stopwords), stem, possessive });
    this.nDocs = index.docLengths.length;
    this.norm = this.lengthNorms();
    this.acc = new Float64Array(this.nDocs);
    this.mark = new Int32Array(this.nDocs);
    this.touched = new Int32Array(this.nDocs);
  }

  /** avgdl as BM25 uses it (0 for a collection without terms). */
  get avgdl(): number {
    const { docCount, totalTerms } = this.index;
    if (docCount === 0) return 0;
    return this.params.docLengths === 'lucene' ? f32(totalTerms / docCount) : totalTerms / docCount;
  }

  private lengthNorms(): Float64Array {
    const { k1, b } = this.params;
    const lengths = this.index.docLengths;
    const norm = new Float64Array(this.nDocs);
    const avgdl = this.avgdl || 1;
    if (this.params.docLengths === 'exact') {
      for (let d = 0; d < this.nDocs; d++) norm[d] = k1 * (1 - b + (b * lengths[d]) / avgdl);
      return norm;
    }
    const k1f = f32(k1);
    const bf = f32(b);
    const cache = new Float64Array(256);
    for (let i = 0; i < 256; i++) cache[i] = f32(1 / f32(k1f * f32(f32(1 - bf) + f32(f32(bf * luceneByteLength(i)) / avgdl))));
    for (let d = 0; d < this.nDocs; d++) norm[d] = cache[luceneLengthByte(lengths[d])];
    return norm;
  }

  /** Document frequency of a term id. */
  df(termId: number): number {
    return this.index.offsets[termId + 1] - this.index.offsets[termId];
  }

  /** BM25's idf of a term id (float32-rounded in 'lucene' mode, as Lucene computes it). */
  idf(termId: number): number {
    const n = this.index.docCount;
    const df = this.df(termId);
    const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
    return this.params.docLengths === 'lucene' ? f32(idf) : idf;
  }

  /** The query's distinct terms with their counts, in order of first occurrence. */
  parse(query: string): ParsedQuery {
    const byTerm = new Map<string, QueryTerm>();
    const unknown: string[] = [];
    for (const term of this.analyzer.analyze(query)) {
      const seen = byTerm.get(term);
      if (seen) {
        seen.count++;
        continue;
      }
      const termId = this.index.terms.get(term);
      if (termId === undefined) {
        if (!unknown.includes(term)) unknown.push(term);
        continue;
      }
      byTerm.set(term, { term, termId, count: 1 });
    }
    return { terms: [...byTerm.values()], unknown };
  }

  /** The k best documents for a query text (fewer when fewer documents share a term with it). */
  search(query: string, k: number): Bm25Hits {
    return this.searchTerms(this.parse(query).terms, k);
  }

  /** The k best documents for already analysed terms. */
  searchTerms(terms: readonly QueryTerm[], k: number): Bm25Hits {
    if (!(Number.isInteger(k) && k >= 0)) throw new RangeError(`k must be an integer ≥ 0, got ${k}`);
    const q = ++this.queryNo;
    const { acc, mark, touched, norm } = this;
    const { docs, tfs, offsets } = this.index;
    const lucene = this.params.docLengths === 'lucene';
    let nTouched = 0;
    for (const { termId, count } of terms) {
      const w = lucene ? f32(count * this.idf(termId)) : count * this.idf(termId);
      for (let p = offsets[termId], end = offsets[termId + 1]; p < end; p++) {
        const d = docs[p];
        const tf = tfs[p];
        const s = lucene ? f32(w - f32(w / f32(1 + f32(tf * norm[d])))) : (w * tf) / (tf + norm[d]);
        if (mark[d] !== q) {
          mark[d] = q;
          acc[d] = s;
          touched[nTouched++] = d;
        } else acc[d] += s;
      }
    }
    return this.topK(nTouched, k);
  }

  /** BM25 score of one document for a query, from the postings (slow; for explanations and tests). */
  score(query: string, doc: number): number {
    let sum = 0;
    const lucene = this.params.docLengths === 'lucene';
    for (const { termId, count } of this.parse(query).terms) {
      const { docs, tfs, offsets } = this.index;
      for (let p = offsets[termId]; p < offsets[termId + 1]; p++) {
        if (docs[p] !== doc) continue;
        const w = lucene ? f32(count * this.idf(termId)) : count * this.idf(termId);
        const tf = tfs[p];
        sum += lucene ? f32(w - f32(w / f32(1 + f32(tf * this.norm[doc])))) : (w * tf) / (tf + this.norm[doc]);
      }
    }
    return f32(sum);
  }

  /** The k best of the touched documents by float32 score, ties by id in trec_eval's order. */
  private topK(nTouched: number, k: number): Bm25Hits {
    const { acc, touched } = this;
    const order = this.index.idOrder;
    const size = Math.min(k, nTouched);
    const heapDoc = new Int32Array(size);
    const heapScore = new Float64Array(size);
    // Min-heap on (score, id order): the root is the worst of the best `size` so far.
    const worse = (sa: number, da: number, sb: number, db: number) => sa < sb || (sa === sb && order[da] < order[db]);
    const siftDown = (i: number) => {
      const s = heapScore[i];
      const d = heapDoc[i];
      for (;;) {
        let c = 2 * i + 1;
        if (c >= size) break;
        if (c + 1 < size && worse(heapScore[c + 1], heapDoc[c + 1], heapScore[c], heapDoc[c])) c++;
        if (!worse(heapScore[c], heapDoc[c], s, d)) break;
        heapScore[i] = heapScore[c];
        heapDoc[i] = heapDoc[c];
        i = c;
      }
      heapScore[i] = s;
      heapDoc[i] = d;
    };
    for (let i = 0; i < size; i++) {
      heapDoc[i] = touched[i];
      heapScore[i] = f32(acc[touched[i]]);
    }
    for (let i = (size >> 1) - 1; i >= 0; i--) siftDown(i);
    if (size > 0) {
      for (let i = size; i < nTouched; i++) {
        const d = touched[i];
        const s = f32(acc[d]);
        if (worse(heapScore[0], heapDoc[0], s, d)) {
          heapScore[0] = s;
          heapDoc[0] = d;
          siftDown(0);
        }
      }
    }
    const rank = Array.from(heapDoc.keys()).sort((a, b) => (worse(heapScore[a], heapDoc[a], heapScore[b], heapDoc[b]) ? 1 : -1));
    const docs = new Int32Array(size);
    const scores = new Float32Array(size);
    rank.forEach((h, r) => {
      docs[r] = heapDoc[h];
      scores[r] = heapScore[h];
    });
    return { docs, scores };
  }
}
