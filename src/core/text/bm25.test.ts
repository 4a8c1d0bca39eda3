import { describe, expect, it } from 'vitest';
import { bytesSource } from '../data/parse/stream';
import { parseTrecRun, trecEvalOrder } from '../data/text/run';
import { BM25_DEFAULTS, Bm25Searcher, luceneByteLength, luceneLengthByte } from './bm25';
import { buildBm25Index, Bm25IndexBuilder, idOrder } from './bm25-index';
import { bm25RunColumns, retrieveAll, trecRunText } from './bm25-run';

/** A text table from [id, text] pairs. */
function table(rows: [string, string][]) {
  return { size: rows.length, id: (i: number) => rows[i][0], text: (i: number) => rows[i][1] };
}

// After analysis (stopwords the, on, a, and; Porter: cats → cat, dogs → dog, chased → chase):
//   d1 "The cat sat on the mat"  → cat sat mat        dl 3
//   d2 "The dog sat"             → dog sat            dl 2
//   d3 "Cats and dogs"           → cat dog            dl 2
//   d4 "A cat chased a cat"      → cat chase cat      dl 3 (tf(cat) = 2)
// N = 4, avgdl = (3 + 2 + 2 + 3) / 4 = 2.5; k1 = 0.9, b = 0.4.
//   norm(dl) = k1 · (1 − b + b · dl / avgdl):  norm(3) = 0.9 · (0.6 + 0.48) = 0.972,
//                                              norm(2) = 0.9 · (0.6 + 0.32) = 0.828
//   idf(cat), df 3 = ln(1 + (4 − 3 + 0.5) / (3 + 0.5)) = ln(10/7) = 0.356675
//   idf(dog), df 2 = idf(sat) = ln(1 + 2.5 / 2.5)     = ln 2    = 0.693147
// Query "cat":
//   d4: 0.356675 · 2 / (2 + 0.972) = 0.356675 · 0.672948 = 0.240024
//   d3: 0.356675 · 1 / (1 + 0.828) = 0.356675 · 0.547046 = 0.195118
//   d1: 0.356675 · 1 / (1 + 0.972) = 0.356675 · 0.507099 = 0.180870
// Query "dog sat":
//   d2: 0.693147 · 0.547046 · 2 = 0.758367;  d3: 0.693147 · 0.547046 = 0.379183;
//   d1: 0.693147 · 0.507099     = 0.351495
const DOCS = table([
  ['d1', 'The cat sat on the mat'],
  ['d2', 'The dog sat'],
  ['d3', 'Cats and dogs'],
  ['d4', 'A cat chased a cat'],
]);

describe('BM25 on a hand-computed example', () => {
  const index = buildBm25Index(DOCS);
  const bm25 = new Bm25Searcher(index);

  it('indexes terms, lengths and postings', () => {
    expect([...index.terms.keys()].sort()).toEqual(['cat', 'chase', 'dog', 'mat', 'sat']);
    expect(Array.from(index.docLengths)).toEqual([3, 2, 2, 3]);
    expect(index.docCount).toBe(4);
    expect(index.totalTerms).toBe(10);
    const cat = index.terms.get('cat')!;
    const from = index.offsets[cat];
    const to = index.offsets[cat + 1];
    expect(Array.from(index.docs.subarray(from, to))).toEqual([0, 2, 3]);
    expect(Array.from(index.tfs.subarray(from, to))).toEqual([1, 1, 2]);
  });

  it('uses the defaults k1 = 0.9, b = 0.4 and Lucene ≥ 8 idf', () => {
    expect(BM25_DEFAULTS).toEqual({ k1: 0.9, b: 0.4, docLengths: 'exact' });
    expect(bm25.avgdl).toBe(2.5);
    expect(bm25.idf(index.terms.get('cat')!)).toBeCloseTo(0.356675, 6);
    expect(bm25.idf(index.terms.get('dog')!)).toBeCloseTo(Math.LN2, 12);
  });

  it('scores a one-term query', () => {
    const hits = bm25.search('cat', 10);
    expect(Array.from(hits.docs)).toEqual([3, 2, 0]);
    expect(hits.scores[0]).toBeCloseTo(0.240024, 6);
    expect(hits.scores[1]).toBeCloseTo(0.195118, 6);
    expect(hits.scores[2]).toBeCloseTo(0.18087, 6);
    expect(bm25.score('cat', 3)).toBe(hits.scores[0]);
  });

  it('sums over query terms; a document without any term is not retrieved', () => {
    const hits = bm25.search('dog sat', 10);
    expect(Array.from(hits.docs)).toEqual([1, 2, 0]);
    expect(Array.from(hits.scores).map((s) => +s.toFixed(6))).toEqual([0.758367, 0.379183, 0.351495]);
  });

  it('counts a repeated query term once per occurrence (Anserini boosts it by its count)', () => {
    const once = bm25.search('dog', 10);
    const twice = bm25.search('dog dogs', 10);
    expect(Array.from(twice.docs)).toEqual(Array.from(once.docs));
    expect(twice.scores[0]).toBeCloseTo(2 * once.scores[0], 6);
    expect(bm25.parse('Dogs, dog and the DOG! unicorn').terms).toEqual([{ term: 'dog', termId: index.terms.get('dog'), count: 3 }]);
    expect(bm25.parse('unicorn dog').unknown).toEqual(['unicorn']);
  });

  it('returns at most k, and nothing for a query without known terms', () => {
    expect(bm25.search('cat', 2).docs.length).toBe(2);
    expect(bm25.search('cat', 0).docs.length).toBe(0);
    expect(bm25.search('the unicorn', 10).docs.length).toBe(0);
    expect(() => bm25.search('cat', -1)).toThrow(/k must be/);
  });

  it('changes with k1 and b as the formula says', () => {
    // b = 0: no length normalisation, so d1 and d3 (tf 1 each) tie on "cat".
    const flat = new Bm25Searcher(index, { b: 0 });
    const h = flat.search('cat', 10);
    expect(h.scores[1]).toBe(h.scores[2]);
    // k1 = 0: tf saturates at once: every matching document scores idf.
    const binary = new Bm25Searcher(index, { k1: 0 });
    expect(Array.from(binary.search('cat', 10).scores)).toEqual([Math.fround(Math.log(10 / 7)), Math.fround(Math.log(10 / 7)), Math.fround(Math.log(10 / 7))]);
    expect(() => new Bm25Searcher(index, { b: 1.5 })).toThrow(/b must be/);
    expect(() => new Bm25Searcher(index, { k1: -1 })).toThrow(/k1 must be/);
  });
});

describe('ties', () => {
  it('breaks equal scores by document id descending in code-point order, as trec_eval', () => {
    const index = buildBm25Index(table([['a', 'same text'], ['c', 'same text'], ['b', 'same text'], ['\u{1F600}', 'same text'], ['\uFFFD', 'same text']]));
    const hits = new Bm25Searcher(index).search('text', 10);
    expect(Array.from(hits.docs).map((d) => index.docIds[d])).toEqual(['\u{1F600}', '\uFFFD', 'c', 'b', 'a']);
    // The same order trec_eval gives the written run.
    const run = retrieveAll(new Bm25Searcher(index), table([['q', 'text']]), 10);
    const cols = bm25RunColumns(run, index.docIds, 'bm25');
    const order = trecEvalOrder(cols);
    expect(Array.from(order.rows)).toEqual([0, 1, 2, 3, 4]);
  });

  it('keeps the documents trec_eval ranks first when a tie straddles k', () => {
    const index = buildBm25Index(table([['x1', 'tie'], ['x3', 'tie'], ['x2', 'tie']]));
    const hits = new Bm25Searcher(index).search('tie', 2);
    expect(Array.from(hits.docs).map((d) => index.docIds[d])).toEqual(['x3', 'x2']);
  });

  it('refuses a repeated document id', () => {
    expect(() => idOrder(['a', 'b', 'a'])).toThrow(/'a' is used by two documents/);
  });
});

describe("'lucene' document lengths (SmallFloat)", () => {
  it('encodes lengths as Lucene’s SmallFloat.intToByte4 / byte4ToInt', () => {
    for (let L = 0; L < 40; L++) expect(luceneByteLength(luceneLengthByte(L))).toBe(L);
    expect(luceneByteLength(luceneLengthByte(41))).toBe(40);
    expect(luceneByteLength(luceneLengthByte(103))).toBe(96);
    expect(luceneByteLength(luceneLengthByte(104))).toBe(104);
    expect(luceneByteLength(luceneLengthByte(215))).toBe(200);
    expect(luceneLengthByte(2 ** 31 - 1)).toBe(255);
    // Order is kept and the decoded length never exceeds the true one.
    for (let L = 0; L < 5000; L++) {
      expect(luceneLengthByte(L + 1)).toBeGreaterThanOrEqual(luceneLengthByte(L));
      expect(luceneByteLength(luceneLengthByte(L))).toBeLessThanOrEqual(L);
    }
  });

  it('scores like the exact mode for short documents, up to float32 rounding', () => {
    const index = buildBm25Index(DOCS);
    const exact = new Bm25Searcher(index).search('dog sat cat', 10);
    const lucene = new Bm25Searcher(index, { docLengths: 'lucene' }).search('dog sat cat', 10);
    expect(Array.from(lucene.docs)).toEqual(Array.from(exact.docs));
    lucene.scores.forEach((s, i) => expect(s).toBeCloseTo(exact.scores[i], 6));
  });

  it('gives a long document a shorter length, so a higher score', () => {
    const long = `needle ${'hay '.repeat(102)}`;
    const index = buildBm25Index(table([['long', long], ['short', 'needle hay']]));
    expect(index.docLengths[0]).toBe(103);
    const exact = new Bm25Searcher(index).score('needle', 0);
    const lucene = new Bm25Searcher(index, { docLengths: 'lucene' }).score('needle', 0);
    expect(lucene).toBeGreaterThan(exact);
  });
});

describe('builder', () => {
  it('reports documents, counts documents without terms out of N, and cannot be reused', () => {
    const builder = new Bm25IndexBuilder();
    expect(builder.add('a', 'the of and')).toBe(0);
    expect(builder.add('b', 'real words here')).toBe(1);
    expect(builder.size).toBe(2);
    const index = builder.finish();
    expect(index.docCount).toBe(1);
    expect(Array.from(index.docLengths)).toEqual([0, 3]);
    expect(() => builder.add('c', 'x')).toThrow(/after finish/);
  });

  it('indexes a title before the text (BEIR) and calls back with progress', () => {
    const calls: [number, number][] = [];
    const docs = { ...table([['a', 'body one'], ['b', 'body two'], ['c', 'body three']]), title: (i: number) => ['Alpha', '', 'Gamma'][i] };
    const index = buildBm25Index(docs, { onProgress: (d, t) => calls.push([d, t]), progressEvery: 2 });
    expect(calls).toEqual([[2, 3], [3, 3]]);
    expect(index.terms.has('alpha')).toBe(true);
    expect(Array.from(index.docLengths)).toEqual([3, 2, 3]);
  });

  it('stores term frequencies in the narrowest array that holds them', () => {
    expect(buildBm25Index(DOCS).tfs).toBeInstanceOf(Uint8Array);
    const mid = buildBm25Index(table([['a', 'v '.repeat(254)], ['b', 'w '.repeat(255)], ['c', 'w '.repeat(300)]]));
    expect(mid.tfs).toBeInstanceOf(Uint16Array);
    expect(Array.from(mid.tfs)).toEqual([254, 255, 300]);
    const big = buildBm25Index(table([['big', 'w '.repeat(70_000)], ['small', 'w w']]));
    expect(big.tfs).toBeInstanceOf(Int32Array);
    expect(Array.from(big.tfs)).toEqual([70_000, 2]);
  });

  it('builds from many documents across forward-posting blocks', () => {
    const rows: [string, string][] = [];
    for (let i = 0; i < 3000; i++) rows.push([`p${i}`, Array.from({ length: 400 }, (_, j) => `w${(i * 7 + j * 13) % 5000}`).join(' ')]);
    const index = buildBm25Index(table(rows));
    let postings = 0;
    let unsorted = 0;
    for (let t = 0; t < index.terms.size; t++) {
      const from = index.offsets[t];
      const to = index.offsets[t + 1];
      postings += to - from;
      for (let p = from + 1; p < to; p++) if (index.docs[p] <= index.docs[p - 1]) unsorted++;
    }
    expect(unsorted).toBe(0);
    expect(postings).toBe(index.docs.length);
    expect(postings).toBeGreaterThan(1 << 20);
  });
});

describe('TREC run export', () => {
  it('writes qid Q0 docno rank score tag that parses back to the same ranking', async () => {
    const index = buildBm25Index(DOCS);
    const run = retrieveAll(new Bm25Searcher(index), table([['q1', 'cat'], ['q2', 'dog sat'], ['q3', 'unicorns']]), 1000);
    expect(run.emptyQueries).toEqual(['q3']);
    const text = trecRunText(run, index.docIds, 'bm25');
    expect(text.split('\n')[0]).toBe('q1 Q0 d4 1 0.240023509 bm25');
    const parsed = await parseTrecRun(bytesSource(new TextEncoder().encode(text), 'run.txt'));
    expect(parsed.query.length).toBe(6);
    const order = trecEvalOrder(parsed);
    const ranked = Array.from(order.rows).map((r) => `${parsed.queryIds[parsed.query[r]]}:${parsed.docIds[parsed.doc[r]]}`);
    expect(ranked).toEqual(['q1:d4', 'q1:d3', 'q1:d1', 'q2:d2', 'q2:d3', 'q2:d1']);
    expect(() => trecRunText(run, index.docIds, 'two words')).toThrow(/one word/);
  });
});
