import { describe, expect, it } from 'vitest';
import { formatValue, rowHash, letorFeatureList, letorFiles, LetorFeaturizer, queryNumbering, type LetorCorpus, type LetorQueries } from './letor-features';
import type { Qrels } from './text/qrels';

/** A corpus from [id, text] or [id, title, text] rows. */
function corpus(rows: [string, string][] | [string, string, string][]): LetorCorpus {
  const titled = rows.length > 0 && rows[0].length === 3;
  return {
    size: rows.length,
    id: (i) => rows[i][0],
    text: (i) => rows[i][rows[i].length - 1],
    ...(titled ? { title: (i: number) => rows[i][1] } : {}),
  };
}

function queries(rows: [string, string][]): LetorQueries {
  return { size: rows.length, id: (i) => rows[i][0], text: (i) => rows[i][1] };
}

function qrels(rows: [string, string, number][]): Qrels {
  const queryIds = [...new Set(rows.map((r) => r[0]))];
  const docIds = [...new Set(rows.map((r) => r[1]))];
  return {
    queryIds,
    docIds,
    query: Int32Array.from(rows, (r) => queryIds.indexOf(r[0])),
    doc: Int32Array.from(rows, (r) => docIds.indexOf(r[1])),
    rel: Int8Array.from(rows, (r) => r[2]),
    warnings: [],
    skipped: { count: 0, first: [] },
  };
}

// Words Porter leaves as they are; "the" is a stopword.
const PLAIN = corpus([
  ['d1', 'cat cat dog'],
  ['d2', 'dog fish'],
  ['d3', 'bird'],
]);

const names = (titled: boolean) => letorFeatureList(titled).map((f) => f.name);

describe('LetorFeaturizer on a hand-made corpus', () => {
  const f = new LetorFeaturizer(PLAIN);
  const at = (values: number[], name: string) => values[names(false).indexOf(name)];

  it('has 14 features without titles, 17 with', () => {
    expect(f.titled).toBe(false);
    expect(f.features).toHaveLength(14);
    expect(names(true)).toHaveLength(17);
    expect(names(true)[0]).toBe('BM25');
  });

  it('matches hand-computed values', () => {
    // Query terms: cat, bird (the stopword goes). N = 3, |C| = 6, avgdl = 2.
    const v = f.featureValues('the cat bird', 0); // d1: dl 3, tf(cat) 2, tf(bird) 0
    const idfCat = Math.log(1 + (3 - 1 + 0.5) / (1 + 0.5)); // ln(8/3)
    const bm25 = (k1: number, b: number) => (idfCat * 2) / (2 + k1 * (1 - b + (b * 3) / 2));
    expect(at(v, 'BM25')).toBeCloseTo(bm25(0.9, 0.4), 6);
    expect(at(v, 'BM25 k1=1.2 b=0.75')).toBeCloseTo(bm25(1.2, 0.75), 6);
    expect(at(v, 'BM25 k1=1.2 b=0')).toBeCloseTo(bm25(1.2, 0), 6);
    expect(at(v, 'TF sum')).toBe(2);
    expect(at(v, 'TF mean')).toBe(1);
    expect(at(v, 'TF max')).toBe(2);
    expect(at(v, 'TF-IDF sum')).toBeCloseTo(2 * Math.log(8 / 3), 12);
    expect(at(v, 'TF-IDF mean')).toBeCloseTo(Math.log(8 / 3), 12);
    expect(at(v, 'TF/length sum')).toBeCloseTo(2 / 3, 12);
    expect(at(v, 'covered terms')).toBe(0.5);
    expect(at(v, 'passage length')).toBe(3);
    expect(at(v, 'query length')).toBe(2);
    const lm = Math.log((2 + (2000 * 2) / 6) / (3 + 2000)) + Math.log((0 + (2000 * 1) / 6) / (3 + 2000));
    expect(at(v, 'LM Dirichlet')).toBeCloseTo(lm, 12);
  });

  it('counts repeats in query length and the likelihood, once in TF features; unknown terms add 0 but count in means', () => {
    const v = f.featureValues('dog dog zebra', 1); // d2: dl 2, tf(dog) 1; zebra unknown
    expect(at(v, 'query length')).toBe(3);
    expect(at(v, 'TF sum')).toBe(1);
    expect(at(v, 'TF mean')).toBe(0.5);
    expect(at(v, 'covered terms')).toBe(0.5);
    expect(at(v, 'LM Dirichlet')).toBeCloseTo(2 * Math.log((1 + (2000 * 2) / 6) / (2 + 2000)), 12);
    const none = f.featureValues('the', 2);
    expect(none).toEqual(names(false).map((n) => (n === 'passage length' ? 1 : 0)));
  });

  it('adds title and body BM25 and title coverage for a titled corpus', () => {
    const t = new LetorFeaturizer(corpus([
      ['d1', 'cat', 'dog fish'],
      ['d2', 'bird', 'cat'],
    ]));
    expect(t.titled).toBe(true);
    const v = t.featureValues('cat', 0);
    const n = names(true);
    // Title index: N = 2, df(cat) = 1, avgdl = 1, dl = 1: idf · 1 / (1 + 0.9).
    const idf = Math.log(1 + (2 - 1 + 0.5) / (1 + 0.5));
    expect(v[n.indexOf('BM25 title')]).toBeCloseTo(idf / 1.9, 6);
    expect(v[n.indexOf('BM25 body')]).toBe(0);
    expect(v[n.indexOf('covered terms in title')]).toBe(1);
    expect(v[n.indexOf('passage length')]).toBe(3);
    expect(t.featureValues('cat', 1)[n.indexOf('covered terms in title')]).toBe(0);
  });
});

describe('candidates and lines', () => {
  const docs = corpus(Array.from({ length: 12 }, (_, i): [string, string] => [`p${i}`, i < 8 ? `apple ${'pie '.repeat(i)}` : 'banana']));
  const f = new LetorFeaturizer(docs);

  it('takes the BM25 top, then judged documents BM25 missed (best grade first), up to the cap', () => {
    const judged = new Map([[8, 0], [9, 2], [10, 1]]);
    expect(f.candidates('apple', judged, 3, 5)).toEqual([...f.candidates('apple', new Map(), 3, 3), 9, 10]);
    expect(f.candidates('apple', judged, 3, 10)).toHaveLength(6);
  });

  it('writes label, qid, every feature and the doc id, in hash order, deterministically', () => {
    const q = queries([['qa', 'apple pie'], ['qb', 'banana']]);
    const rels = qrels([['qa', 'p1', 3], ['qa', 'p9', 1], ['qb', 'p8', 2], ['qb', 'nope', 1]]);
    const text = letorFiles(docs, q, { test: rels }).test;
    expect(letorFiles(docs, q, { test: rels }).test).toBe(text);
    const lines = text.trimEnd().split('\n');
    for (const line of lines) expect(line).toMatch(/^[0-3] qid:[12] (\d+:-?[\d.e+-]+ ){14}# docid=p\d+$/);
    const qa = lines.filter((l) => l.includes('qid:1 '));
    expect(qa).toHaveLength(9); // 8 passages with "apple", then p9 (judged, no shared term)
    expect(qa.find((l) => l.endsWith('=p1'))!.startsWith('3 ')).toBe(true);
    expect(qa.find((l) => l.endsWith('=p9'))!.startsWith('1 ')).toBe(true);
    const ids = qa.map((l) => l.slice(l.indexOf('docid=') + 6));
    expect(ids).toEqual([...ids].sort((a, b) => rowHash(`qa\t${a}`) - rowHash(`qa\t${b}`)));
    expect(lines.filter((l) => l.includes('qid:2 ')).map((l) => l[0]).sort()).toEqual(['0', '0', '0', '2']);
  });

  it('numbers queries by position unless every id is an integer', () => {
    expect(queryNumbering(queries([['a', 'x'], ['b', 'y']]))(1)).toBe('2');
    expect(queryNumbering(queries([['10', 'x'], ['007', 'y']]))(1)).toBe('7');
  });

  it('formats 6 significant digits', () => {
    expect(formatValue(2)).toBe('2');
    expect(formatValue(-0)).toBe('0');
    expect(formatValue(1 / 3)).toBe('0.333333');
    expect(formatValue(-40.47361)).toBe('-40.4736');
    expect(formatValue(123456789)).toBe('123457000');
    expect(() => formatValue(Number.NaN)).toThrow(RangeError);
  });
});
