import { compareCodePoints } from '../data/text/run';
import { detach, EnglishAnalyzer, tokenRanges, type AnalyzerOptions, type AnalyzerSettings } from './analysis';
import { hashRange, MISSING, TokenTable } from './bm25-token-table';

/**
 * An inverted index for BM25 in typed arrays: no object per document or per posting, so a
 * collection of a million passages fits in a browser tab. Plain data (a Map and typed arrays),
 * so it can be posted from a worker or stored with structured clone.
 */
export interface Bm25Index {
  /** How documents (and so queries) were analysed. */
  analyzer: AnalyzerSettings;
  /** Term → term id. */
  terms: Map<string, number>;
  /** CSR over term ids: term t's postings are [offsets[t], offsets[t + 1]); its document frequency is their count. */
  offsets: Int32Array;
  /** Document numbers of the postings, increasing within each term. */
  docs: Int32Array;
  /** Term frequency of each posting, in the narrowest array its largest value fits (passages: Uint8). */
  tfs: Uint8Array | Uint16Array | Int32Array;
  /** Terms (tokens after analysis) in each document: BM25's dl. */
  docLengths: Int32Array;
  /** Collection ids of the documents, by document number. */
  docIds: readonly string[];
  /**
   * Each document's position when ids are sorted in code-point (strcmp) order. Equal scores rank
   * the higher position first: trec_eval's tie order (docno descending).
   */
  idOrder: Int32Array;
  /** Documents with at least one term: Lucene's docCount, BM25's N. */
  docCount: number;
  /** Sum of all document lengths: Lucene's sumTotalTermFreq. */
  totalTerms: number;
}

/** Forward postings are kept in blocks this long: growing never copies, and finish() frees them block by block. */
const BLOCK = 1 << 20;
/** A forward tf of 255 means "255 or more; see bigTfs". */
const BIG_TF = 0xff;
/** Distinct tokens remembered with their term ids (~40 bytes each): a million covers a passage collection's frequent vocabulary many times over. */
const TOKEN_TABLE_LIMIT = 1 << 20;

function grown(a: Int32Array<ArrayBuffer>, need: number): Int32Array<ArrayBuffer> {
  if (need <= a.length) return a;
  const next = new Int32Array(Math.max(need, a.length * 2));
  next.set(a);
  return next;
}

/**
 * Builds a Bm25Index one document at a time (the caller reports progress between documents).
 *
 * Memory: while adding, each distinct (document, term) pair costs 5 bytes in the forward blocks
 * (term id, tf capped at a byte with the rare larger ones aside); finish() turns them into the
 * term-ordered postings (4 bytes of document number, 1 of tf when every tf is below 256, as in
 * passages) and frees the blocks as it goes, so the peak is about 10 bytes per posting, then 5. A term dictionary entry per term
 * and a bounded table of tokens seen (TOKEN_TABLE_LIMIT) come on top.
 */
export class Bm25IndexBuilder {
  private readonly analyzer: EnglishAnalyzer;
  private readonly terms = new Map<string, number>();
  /** Token → term id (-1: stopword), so a frequent token is analysed once. */
  private readonly tokenIds = new TokenTable(TOKEN_TABLE_LIMIT);
  /** The lowercased text of the document being added. */
  private text = '';
  private readonly ids: string[] = [];
  private lengths = new Int32Array(1024);
  /** Distinct terms of each document: where its postings end in the forward blocks. */
  private distinct = new Int32Array(1024);
  private df = new Int32Array(1024);
  private termBlocks: (Int32Array | null)[] = [];
  private tfBlocks: (Uint8Array | null)[] = [];
  /** Frequencies of 255 or more, by forward posting number (few: passages have none, long documents some). */
  private readonly bigTfs = new Map<number, number>();
  private maxTf = 0;
  private postings = 0;
  private blockFill = BLOCK;
  // Per-document scratch: which terms this document has, and how often.
  private seenIn = new Int32Array(1024);
  private tfNow = new Int32Array(1024);
  private docTerms = new Int32Array(256);
  private nDocTerms = 0;
  private docLength = 0;
  private stamp = 0;
  private finished = false;

  constructor(options: AnalyzerOptions = {}) {
    this.analyzer = new EnglishAnalyzer(options);
  }

  /** Documents added so far. */
  get size(): number {
    return this.ids.length;
  }

  private readonly onToken = (start: number, end: number): void => {
    const hash = hashRange(this.text, start, end);
    let id = this.tokenIds.find(this.text, start, end, hash);
    if (id === MISSING) {
      const key = detach(this.text.slice(start, end));
      const term = this.analyzer.analyzeToken(key);
      id = term === null ? -1 : this.termId(term);
      this.tokenIds.insert(key, hash, id);
    }
    if (id < 0) return;
    this.docLength++;
    if (this.seenIn[id] !== this.stamp) {
      this.seenIn[id] = this.stamp;
      this.tfNow[id] = 1;
      if (this.nDocTerms === this.docTerms.length) this.docTerms = grown(this.docTerms, this.nDocTerms + 1);
      this.docTerms[this.nDocTerms++] = id;
    } else this.tfNow[id]++;
  };

  private termId(term: string): number {
    let id = this.terms.get(term);
    if (id === undefined) {
      id = this.terms.size;
      this.terms.set(term, id);
      if (id >= this.df.length) {
        this.df = grown(this.df, id + 1);
        this.seenIn = grown(this.seenIn, id + 1);
        this.tfNow = grown(this.tfNow, id + 1);
      }
    }
    return id;
  }

  /** Adds a document; returns its document number (0, 1, ...). Ids must be unique (finish() checks). */
  add(id: string, text: string): number {
    if (this.finished) throw new Error('add() after finish()');
    const doc = this.ids.length;
    this.ids.push(id);
    this.stamp = doc + 1;
    this.nDocTerms = 0;
    this.docLength = 0;
    this.text = this.analyzer.normalize(text);
    tokenRanges(this.text, this.onToken);
    this.text = '';
    for (let i = 0; i < this.nDocTerms; i++) {
      const t = this.docTerms[i];
      this.df[t]++;
      this.pushPosting(t, this.tfNow[t]);
    }
    if (doc >= this.lengths.length) {
      this.lengths = grown(this.lengths, doc + 1);
      this.distinct = grown(this.distinct, doc + 1);
    }
    this.lengths[doc] = this.docLength;
    this.distinct[doc] = this.nDocTerms;
    return doc;
  }

  private pushPosting(term: number, tf: number): void {
    if (this.blockFill === BLOCK) {
      this.termBlocks.push(new Int32Array(BLOCK));
      this.tfBlocks.push(new Uint8Array(BLOCK));
      this.blockFill = 0;
    }
    if (this.postings === 0x7fffffff) throw new RangeError('more than 2^31 − 1 postings: the collection is too large for one index');
    const b = this.termBlocks.length - 1;
    this.termBlocks[b]![this.blockFill] = term;
    this.tfBlocks[b]![this.blockFill] = Math.min(tf, BIG_TF);
    if (tf >= BIG_TF) this.bigTfs.set(this.postings, tf);
    if (tf > this.maxTf) this.maxTf = tf;
    this.blockFill++;
    this.postings++;
  }

  /** The finished index. The builder cannot be used afterwards (its blocks are handed over and freed). */
  finish(): Bm25Index {
    if (this.finished) throw new Error('finish() called twice');
    this.finished = true;
    const nDocs = this.ids.length;
    const nTerms = this.terms.size;
    const offsets = new Int32Array(nTerms + 1);
    for (let t = 0; t < nTerms; t++) offsets[t + 1] = offsets[t] + this.df[t];
    const docs = new Int32Array(this.postings);
    const tfs = this.maxTf < 0x100 ? new Uint8Array(this.postings) : this.maxTf < 0x10000 ? new Uint16Array(this.postings) : new Int32Array(this.postings);
    const next = offsets.slice(0, nTerms);
    // Documents in order, so each term's postings come out sorted by document number.
    let doc = 0;
    let leftInDoc = nDocs > 0 ? this.distinct[0] : 0;
    for (let b = 0; b < this.termBlocks.length; b++) {
      const termBlock = this.termBlocks[b]!;
      const tfBlock = this.tfBlocks[b]!;
      const base = b * BLOCK;
      const n = Math.min(BLOCK, this.postings - base);
      for (let i = 0; i < n; i++) {
        while (leftInDoc === 0) leftInDoc = this.distinct[++doc];
        const at = next[termBlock[i]]++;
        docs[at] = doc;
        const tf = tfBlock[i];
        tfs[at] = tf === BIG_TF ? this.bigTfs.get(base + i)! : tf;
        leftInDoc--;
      }
      this.termBlocks[b] = null;
      this.tfBlocks[b] = null;
    }
    this.termBlocks = [];
    this.tfBlocks = [];
    this.tokenIds.clear();
    const docLengths = this.lengths.slice(0, nDocs);
    let docCount = 0;
    let totalTerms = 0;
    for (let d = 0; d < nDocs; d++) {
      if (docLengths[d] > 0) docCount++;
      totalTerms += docLengths[d];
    }
    return {
      analyzer: this.analyzer.settings,
      terms: this.terms,
      offsets,
      docs,
      tfs,
      docLengths,
      docIds: this.ids,
      idOrder: idOrder(this.ids),
      docCount,
      totalTerms,
    };
  }
}

/** Positions of the ids in code-point order; throws on a repeated id (a run could not name its documents apart). */
export function idOrder(ids: readonly string[]): Int32Array {
  const order = new Int32Array(ids.length);
  for (let i = 0; i < ids.length; i++) order[i] = i;
  // Without surrogates, UTF-16 order is code-point order and the plain comparison is faster.
  const plain = !ids.some((id) => /[\ud800-\udfff]/.test(id));
  const sorted = Array.from(order).sort(plain ? (a, b) => (ids[a] < ids[b] ? -1 : ids[a] > ids[b] ? 1 : 0) : (a, b) => compareCodePoints(ids[a], ids[b]));
  for (let r = 0; r < sorted.length; r++) {
    if (r > 0 && ids[sorted[r]] === ids[sorted[r - 1]]) throw new Error(`document id '${ids[sorted[r]]}' is used by two documents (numbers ${Math.min(sorted[r], sorted[r - 1])} and ${Math.max(sorted[r], sorted[r - 1])})`);
    order[sorted[r]] = r;
  }
  return order;
}

/** Documents as the data layer's text tables give them; a `title` (BEIR) is indexed before the text. */
export interface Bm25Documents {
  readonly size: number;
  id(i: number): string;
  text(i: number): string;
  title?(i: number): string;
}

export interface Bm25BuildOptions extends AnalyzerOptions {
  /** Called every `progressEvery` documents and once at the end, with documents done and the total. */
  onProgress?: (done: number, total: number) => void;
  progressEvery?: number;
}

/**
 * Indexes a collection in one go. A title is joined to the text with a space, as Pyserini's BEIR
 * indexes do ("title text" in one field).
 */
export function buildBm25Index(collection: Bm25Documents, options: Bm25BuildOptions = {}): Bm25Index {
  const builder = new Bm25IndexBuilder(options);
  const every = Math.max(1, options.progressEvery ?? 10_000);
  const titled = typeof collection.title === 'function';
  for (let i = 0; i < collection.size; i++) {
    const title = titled ? collection.title!(i) : '';
    builder.add(collection.id(i), title ? `${title} ${collection.text(i)}` : collection.text(i));
    if (options.onProgress && (i + 1) % every === 0) options.onProgress(i + 1, collection.size);
  }
  const index = builder.finish();
  options.onProgress?.(collection.size, collection.size);
  return index;
}

/** Bytes held by the index's typed arrays (the term dictionary and id strings not counted). */
export function indexBytes(index: Bm25Index): number {
  return index.offsets.byteLength + index.docs.byteLength + index.tfs.byteLength + index.docLengths.byteLength + index.idOrder.byteLength;
}
