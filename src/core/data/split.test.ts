import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { docCount, queryCount, type RankingDataset } from './dataset';
import { splitByQuery } from './split';
import { generateSynthetic } from './synthetic';

/**
 * A hand-built dataset whose rows say where they came from: row (q, i) has features
 * [q, i, 100q + i], label (q + i) % 3 and hidden score q + i / 100. List sizes vary by query.
 */
function taggedDataset(sizes: number[]): RankingDataset {
  const offsets = new Int32Array(sizes.length + 1);
  sizes.forEach((s, q) => (offsets[q + 1] = offsets[q] + s));
  const n = offsets[sizes.length];
  const features = new Float32Array(n * 3);
  const labels = new Int8Array(n);
  const hiddenScores = new Float32Array(n);
  for (let q = 0; q < sizes.length; q++) {
    for (let i = 0; i < sizes[q]; i++) {
      const r = offsets[q] + i;
      features.set([q, i, 100 * q + i], r * 3);
      labels[r] = (q + i) % 3;
      hiddenScores[r] = q + i / 100;
    }
  }
  return { qidOffsets: offsets, features, labels, nFeatures: 3, queryIds: sizes.map((_, q) => `query-${q}`), hiddenScores };
}

/** Checks that every query of `part` is a complete, unchanged copy of the original query. */
function expectWholeQueries(ds: RankingDataset, part: RankingDataset): void {
  expect(part.qidOffsets[0]).toBe(0);
  expect(part.nFeatures).toBe(ds.nFeatures);
  expect(part.features.length).toBe(docCount(part) * part.nFeatures);
  expect(part.labels.length).toBe(docCount(part));
  for (let p = 0; p < queryCount(part); p++) {
    const q = ds.queryIds.indexOf(part.queryIds[p]);
    expect(q).toBeGreaterThanOrEqual(0);
    const [from, to] = [ds.qidOffsets[q], ds.qidOffsets[q + 1]];
    const [pFrom, pTo] = [part.qidOffsets[p], part.qidOffsets[p + 1]];
    expect(pTo - pFrom).toBe(to - from);
    expect(Array.from(part.features.subarray(pFrom * 3, pTo * 3))).toEqual(Array.from(ds.features.subarray(from * 3, to * 3)));
    expect(Array.from(part.labels.subarray(pFrom, pTo))).toEqual(Array.from(ds.labels.subarray(from, to)));
    expect(Array.from(part.hiddenScores!.subarray(pFrom, pTo))).toEqual(Array.from(ds.hiddenScores!.subarray(from, to)));
  }
}

describe('splitByQuery', () => {
  it('splits by whole queries: disjoint, covering, rows unchanged (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 2, maxLength: 40 }),
        fc.double({ min: 0.05, max: 0.95, noNaN: true }),
        fc.integer({ min: 0, max: 0xffffffff }),
        (sizes, testFraction, seed) => {
          const ds = taggedDataset(sizes);
          const { train, test } = splitByQuery(ds, testFraction, seed);
          const n = sizes.length;
          // Each side has at least one query; sizes add up.
          expect(queryCount(train)).toBeGreaterThanOrEqual(1);
          expect(queryCount(test)).toBeGreaterThanOrEqual(1);
          expect(queryCount(train) + queryCount(test)).toBe(n);
          expect(docCount(train) + docCount(test)).toBe(docCount(ds));
          // The test side has round(n · f) queries, clamped to [1, n − 1].
          expect(queryCount(test)).toBe(Math.min(n - 1, Math.max(1, Math.round(n * testFraction))));
          // Disjoint and covering.
          const trainIds = new Set(train.queryIds);
          for (const id of test.queryIds) expect(trainIds.has(id)).toBe(false);
          expect([...train.queryIds, ...test.queryIds].sort()).toEqual([...ds.queryIds].sort());
          // Documents of a query stay together and unchanged.
          expectWholeQueries(ds, train);
          expectWholeQueries(ds, test);
          // Each side keeps the original query order.
          const idx = (ids: string[]) => ids.map((id) => ds.queryIds.indexOf(id));
          for (const part of [train, test]) {
            const order = idx(part.queryIds);
            expect(order).toEqual([...order].sort((a, b) => a - b));
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('is seeded: the same seed gives the same split, different seeds usually differ', () => {
    const ds = taggedDataset(Array.from({ length: 40 }, (_, q) => 1 + (q % 4)));
    const a = splitByQuery(ds, 0.25, 123);
    const b = splitByQuery(ds, 0.25, 123);
    expect(a).toEqual(b);
    // 10 test queries of 40: C(40,10) ≈ 8.5e8 possible test sets, so a few seeds are all distinct.
    const testSets = new Set([1, 2, 3, 4, 5].map((seed) => splitByQuery(ds, 0.25, seed).test.queryIds.join(',')));
    expect(testSets.size).toBe(5);
  });

  it('keeps at least one query on each side at the extremes', () => {
    const two = taggedDataset([3, 4]);
    for (const f of [0.05, 0.5, 0.95]) {
      const { train, test } = splitByQuery(two, f, 9);
      expect(queryCount(train)).toBe(1);
      expect(queryCount(test)).toBe(1);
    }
    const three = taggedDataset([1, 1, 1]);
    expect(queryCount(splitByQuery(three, 0.05, 1).test)).toBe(1); // round(0.15) = 0 → 1
    expect(queryCount(splitByQuery(three, 0.95, 1).test)).toBe(2); // round(2.85) = 3 → n − 1 = 2
  });

  it('refuses fewer than 2 queries', () => {
    expect(() => splitByQuery(taggedDataset([5]), 0.5, 1)).toThrow(/at least 2 queries/);
    expect(() => splitByQuery(taggedDataset([]), 0.5, 1)).toThrow(/at least 2 queries/);
  });

  it('splits synthetic data by query with no document shared between sides', () => {
    const ds = generateSynthetic(
      { queries: 40, docsPerQuery: 8, features: 5, relevance: 'nonlinear', noise: 0.5, labelDistribution: [0.5, 0.3, 0.2] },
      21,
    );
    const { train, test } = splitByQuery(ds, 0.25, 21);
    expect(queryCount(test)).toBe(10);
    expect(queryCount(train)).toBe(30);
    // Rows as strings: every row of the split is a row of the original, and no row is on both sides.
    const rows = (d: RankingDataset) =>
      Array.from({ length: docCount(d) }, (_, r) => Array.from(d.features.subarray(r * d.nFeatures, (r + 1) * d.nFeatures)).join(','));
    const original = new Set(rows(ds));
    const trainRows = new Set(rows(train));
    for (const r of rows(test)) {
      expect(original.has(r)).toBe(true);
      expect(trainRows.has(r)).toBe(false);
    }
    for (const r of trainRows) expect(original.has(r)).toBe(true);
  });
});
