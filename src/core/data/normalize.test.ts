import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RankingDataset } from './dataset';
import { applyNormalization, fitNormalization } from './normalize';

function dataset(rows: number[][]): RankingDataset {
  return {
    qidOffsets: Int32Array.from([0, rows.length]),
    labels: new Int8Array(rows.length),
    features: Float32Array.from(rows.flat()),
    nFeatures: rows[0].length,
    queryIds: ['q'],
  };
}

const column = (ds: RankingDataset, j: number) => Array.from({ length: ds.labels.length }, (_, r) => ds.features[r * ds.nFeatures + j]);

describe('normalisation', () => {
  // Feature 1: 1, 2, 3 (mean 2, population sd √(2/3)); feature 2 constant 7.
  const train = dataset([[1, 7], [2, 7], [3, 7]]);

  it('z-score: mean 0 and sd 1 on the training split; constants become 0', () => {
    const out = applyNormalization(train, fitNormalization(train, 'zscore'));
    const sd = Math.sqrt(2 / 3);
    expect(column(out, 0)).toEqual([-1 / sd, 0, 1 / sd].map(Math.fround));
    expect(column(out, 1)).toEqual([0, 0, 0]);
  });

  it('min-max maps the training range onto [0, 1] and applies the same map to other splits', () => {
    const t = fitNormalization(train, 'minmax');
    expect(column(applyNormalization(train, t), 0)).toEqual([0, 0.5, 1]);
    // Test data outside the training range stays outside [0, 1]: no peeking at it.
    expect(column(applyNormalization(dataset([[5, 7]]), t), 0)).toEqual([2]);
  });

  it('log1p-z takes a signed log before the z-score', () => {
    const heavy = dataset([[0, 1], [Math.E - 1, 1], [-(Math.E - 1), 1]]);
    const out = applyNormalization(heavy, fitNormalization(heavy, 'log1p-z'));
    // log1p values 0, 1, −1: mean 0, sd √(2/3).
    const sd = Math.sqrt(2 / 3);
    const got = column(out, 0);
    [0, 1 / sd, -1 / sd].forEach((v, i) => expect(got[i]).toBeCloseTo(v, 5));
  });

  it('none returns the dataset untouched', () => {
    expect(applyNormalization(train, fitNormalization(train, 'none'))).toBe(train);
  });

  it('z-scored training features always have mean ≈ 0 (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 2, maxLength: 50 }), (values) => {
        const ds = dataset(values.map((v) => [v]));
        const out = column(applyNormalization(ds, fitNormalization(ds, 'zscore')), 0);
        const mean = out.reduce((a, b) => a + b, 0) / out.length;
        expect(Math.abs(mean)).toBeLessThan(1e-3);
      }),
    );
  });

  it('refuses a transform fitted on another width', () => {
    expect(() => applyNormalization(dataset([[1, 2, 3]]), fitNormalization(train, 'zscore'))).toThrow(/fitted on 2 features, applied to 3/);
  });
});
