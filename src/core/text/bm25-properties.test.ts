import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareCodePoints } from '../data/text/run';
import { EnglishAnalyzer } from './analysis';
import { Bm25Searcher, type Bm25Params } from './bm25';
import { buildBm25Index } from './bm25-index';

// Words that survive analysis unchanged (no stopword, Porter leaves them alone), so a document's
// terms are exactly its words.
const VOCAB = ['alpha', 'bravo', 'delta', 'echo', 'golf', 'hotel', 'kilo', 'lima', 'oscar', 'papa'];

const table = (rows: [string, string][]) => ({ size: rows.length, id: (i: number) => rows[i][0], text: (i: number) => rows[i][1] });

const docWords = fc.array(fc.integer({ min: 0, max: VOCAB.length - 1 }), { minLength: 1, maxLength: 12 });
const collection = fc.array(docWords, { minLength: 1, maxLength: 25 });
const params = fc.record({
  k1: fc.double({ min: 0.05, max: 3, noNaN: true }),
  b: fc.double({ min: 0, max: 1, noNaN: true }),
  docLengths: fc.constantFrom<Bm25Params['docLengths']>('exact', 'lucene'),
});

const rowsOf = (docs: number[][], ids?: string[]): [string, string][] => docs.map((ws, i) => [ids?.[i] ?? `d${i}`, ws.map((w) => VOCAB[w]).join(' ')]);

describe('BM25 properties', () => {
  it('the analysed words are what the index holds', () => {
    expect(new EnglishAnalyzer().analyze(VOCAB.join(' '))).toEqual(VOCAB);
  });

  it('postings give back every document’s term counts', () => {
    fc.assert(
      fc.property(collection, (docs) => {
        const index = buildBm25Index(table(rowsOf(docs)));
        const counts = docs.map(() => new Map<string, number>());
        for (const [term, t] of index.terms) {
          for (let p = index.offsets[t]; p < index.offsets[t + 1]; p++) counts[index.docs[p]].set(term, index.tfs[p]);
        }
        docs.forEach((ws, d) => {
          const expected = new Map<string, number>();
          for (const w of ws) expected.set(VOCAB[w], (expected.get(VOCAB[w]) ?? 0) + 1);
          expect(counts[d]).toEqual(expected);
          expect(index.docLengths[d]).toBe(ws.length);
        });
      }),
      { numRuns: 150, seed: 1 },
    );
  });

  it('indexes the terms the analyzer gives for queries, whatever the text', () => {
    const unit = fc.constantFrom('a', 'E', 's', "'", '’', '.', ',', ' ', ' ', '-', '_', '1', 'é', '\u0301', '漢', 'İ', 'Σ', '𝐀', '\ud800', 'the ', 'ing ', 'ies ', "'s ");
    fc.assert(
      fc.property(fc.array(fc.string({ unit, maxLength: 30 }), { minLength: 1, maxLength: 6 }), (texts) => {
        const index = buildBm25Index(table(texts.map((t, i) => [`d${i}`, t])));
        const byDoc = texts.map(() => new Map<string, number>());
        for (const [term, t] of index.terms) for (let p = index.offsets[t]; p < index.offsets[t + 1]; p++) byDoc[index.docs[p]].set(term, index.tfs[p]);
        const analyzer = new EnglishAnalyzer();
        texts.forEach((text, d) => {
          const expected = new Map<string, number>();
          for (const term of analyzer.analyze(text)) expected.set(term, (expected.get(term) ?? 0) + 1);
          expect(byDoc[d]).toEqual(expected);
        });
      }),
      { numRuns: 300, seed: 6 },
    );
  });

  it('a score grows with tf when the document’s length stays the same', () => {
    // Replace one other word of a document containing "alpha" with "alpha": tf + 1, same dl,
    // same avgdl, same df(alpha).
    fc.assert(
      fc.property(collection, params, fc.nat(), (docs, p, pick) => {
        const d = pick % docs.length;
        const ws = [0, ...docs[d]];
        const other = ws.findIndex((w) => w !== 0);
        fc.pre(other >= 0);
        const before = [...docs];
        before[d] = ws;
        const after = [...docs];
        after[d] = ws.map((w, i) => (i === other ? 0 : w));
        const s0 = new Bm25Searcher(buildBm25Index(table(rowsOf(before))), p).score('alpha', d);
        const s1 = new Bm25Searcher(buildBm25Index(table(rowsOf(after))), p).score('alpha', d);
        expect(s1).toBeGreaterThan(s0);
      }),
      { numRuns: 200, seed: 2 },
    );
  });

  it('adding a document raises idf when it lacks the term and lowers it when it has it', () => {
    fc.assert(
      fc.property(collection, docWords, fc.constantFrom('exact', 'lucene' as const), (docs, extra, mode) => {
        const term = VOCAB[docs[0][0]];
        const base = new Bm25Searcher(buildBm25Index(table(rowsOf(docs))), { docLengths: mode });
        const t = base.index.terms.get(term)!;
        const n = base.index.docCount;
        const df = base.df(t);
        const idf = (N: number, f: number) => (mode === 'lucene' ? Math.fround : (x: number) => x)(Math.log(1 + (N - f + 0.5) / (f + 0.5)));
        expect(base.idf(t)).toBe(idf(n, df));
        const unrelated = extra.filter((w) => VOCAB[w] !== term);
        fc.pre(unrelated.length > 0);
        const withOther = new Bm25Searcher(buildBm25Index(table(rowsOf([...docs, unrelated]))), { docLengths: mode });
        const t2 = withOther.index.terms.get(term)!;
        expect(withOther.idf(t2)).toBe(idf(n + 1, df));
        expect(withOther.idf(t2)).toBeGreaterThan(base.idf(t));
        const withTerm = new Bm25Searcher(buildBm25Index(table(rowsOf([...docs, [...unrelated, docs[0][0]]]))), { docLengths: mode });
        expect(withTerm.idf(withTerm.index.terms.get(term)!)).toBe(idf(n + 1, df + 1));
        expect(withTerm.idf(withTerm.index.terms.get(term)!)).toBeLessThan(base.idf(t));
      }),
      { numRuns: 200, seed: 3 },
    );
  });

  it('top-k is the head of a full sort of every document’s score (ties by id, trec_eval order)', () => {
    const ids = fc.uniqueArray(fc.string({ unit: fc.constantFrom('a', 'b', 'Z', '9', 'é', '\uFFFD', '\u{1F600}'), minLength: 1, maxLength: 3 }), { minLength: 25, maxLength: 25 });
    const query = fc.array(fc.integer({ min: 0, max: VOCAB.length + 1 }), { minLength: 1, maxLength: 5 });
    fc.assert(
      fc.property(collection, ids, query, params, fc.integer({ min: 0, max: 30 }), (docs, idList, q, p, k) => {
        const index = buildBm25Index(table(rowsOf(docs, idList)));
        const bm25 = new Bm25Searcher(index, p);
        const text = q.map((w) => (w < VOCAB.length ? VOCAB[w] : `unknown${w}`)).join(' ');
        const hits = bm25.search(text, k);
        // Every document scored one at a time, sorted in full.
        const all = docs.map((_, d) => ({ d, s: bm25.score(text, d), matches: q.some((w) => docs[d].includes(w)) })).filter((x) => x.matches);
        all.sort((x, y) => (x.s !== y.s ? y.s - x.s : compareCodePoints(index.docIds[y.d], index.docIds[x.d])));
        const head = all.slice(0, k);
        expect(Array.from(hits.docs)).toEqual(head.map((x) => x.d));
        expect(Array.from(hits.scores)).toEqual(head.map((x) => x.s));
      }),
      { numRuns: 300, seed: 4 },
    );
  });

  it('scores do not depend on the order documents were added in', () => {
    fc.assert(
      fc.property(collection, params, fc.integer({ min: 0, max: VOCAB.length - 1 }), (docs, p, w) => {
        const rows = rowsOf(docs);
        const forward = new Bm25Searcher(buildBm25Index(table(rows)), p);
        const backward = new Bm25Searcher(buildBm25Index(table([...rows].reverse())), p);
        const name = (s: Bm25Searcher, hits: { docs: Int32Array; scores: Float32Array }) => Array.from(hits.docs, (d, i) => `${s.index.docIds[d]}:${hits.scores[i]}`);
        expect(name(backward, backward.search(VOCAB[w], 100))).toEqual(name(forward, forward.search(VOCAB[w], 100)));
      }),
      { numRuns: 100, seed: 5 },
    );
  });
});
