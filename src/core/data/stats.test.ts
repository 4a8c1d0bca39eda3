import { describe, expect, it } from 'vitest';
import type { RankingDataset } from './dataset';
import { computeStats, integerHistogram } from './stats';

// Three queries: q1 has 3 docs (labels 0,2,1), q2 has 1 doc (label 0: no relevant doc), q3 has 2 docs (4, 0).
const ds: RankingDataset = {
  qidOffsets: Int32Array.from([0, 3, 4, 6]),
  labels: Int8Array.from([0, 2, 1, 0, 4, 0]),
  // Two features per document.
  features: Float32Array.from([1, 10, 2, 20, 3, 30, -1, 0, 5, 0, 0, 0]),
  nFeatures: 2,
  queryIds: ['q1', 'q2', 'q3'],
};

describe('computeStats', () => {
  const s = computeStats(ds, Float64Array.from([6, 3]));

  it('counts queries, documents, features and labels', () => {
    expect([s.queries, s.docs, s.features]).toEqual([3, 6, 2]);
    expect(s.labels).toEqual({ '0': 3, '1': 1, '2': 1, '4': 1 });
  });

  it('summarises list sizes and finds queries without a relevant document', () => {
    expect(s.docsPerQuery).toEqual({ min: 1, mean: 2, max: 3 });
    expect(s.noRelevantQueries).toBe(1);
    expect(s.docsPerQueryHistogram.reduce((a, b) => a + b.count, 0)).toBe(3);
  });

  it('gives per-feature min, max, mean and missing counts', () => {
    expect(Array.from(s.featureStats.min)).toEqual([-1, 0]);
    expect(Array.from(s.featureStats.max)).toEqual([5, 30]);
    // Feature 1: (1+2+3−1+5+0)/6 = 10/6; feature 2: (10+20+30)/6 = 10.
    expect(s.featureStats.mean[0]).toBeCloseTo(10 / 6, 12);
    expect(s.featureStats.mean[1]).toBeCloseTo(10, 12);
    expect(Array.from(s.featureStats.missing)).toEqual([0, 3]);
  });
});

describe('integerHistogram', () => {
  it('puts each value in exactly one whole-number bin covering min..max', () => {
    const bins = integerHistogram([1, 1, 2, 5, 100]);
    expect(bins[0].from).toBe(1);
    expect(bins[bins.length - 1].to).toBe(100);
    expect(bins.reduce((a, b) => a + b.count, 0)).toBe(5);
    expect(bins.length).toBeLessThanOrEqual(20);
  });

  it('uses one bin per value when the range is small', () => {
    expect(integerHistogram([3, 4, 4])).toEqual([
      { from: 3, to: 3, count: 1 },
      { from: 4, to: 4, count: 2 },
    ]);
  });
});
