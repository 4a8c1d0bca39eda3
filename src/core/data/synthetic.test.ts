import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { docCount, queryCount } from './dataset';
import { generateSynthetic, type SyntheticSpec } from './synthetic';

const spec = (over: Partial<SyntheticSpec> = {}): SyntheticSpec => ({
  queries: 30,
  docsPerQuery: 12,
  features: 6,
  relevance: 'nonlinear',
  noise: 0.5,
  labelDistribution: [0.4, 0.3, 0.15, 0.1, 0.05],
  ...over,
});

function pearson(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i];
    mb += b[i];
  }
  ma /= n;
  mb /= n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) ** 2;
    sbb += (b[i] - mb) ** 2;
  }
  return sab / Math.sqrt(saa * sbb);
}

function gradeCounts(labels: Int8Array, grades: number): number[] {
  const counts = new Array(grades).fill(0);
  for (const l of labels) counts[l]++;
  return counts;
}

describe('generateSynthetic', () => {
  it('is deterministic for a seed, for both relevance shapes', () => {
    for (const relevance of ['linear', 'nonlinear'] as const) {
      const a = generateSynthetic(spec({ relevance }), 17);
      const b = generateSynthetic(spec({ relevance }), 17);
      expect(a).toEqual(b);
    }
  });

  it('differs between seeds', () => {
    const a = generateSynthetic(spec(), 1);
    const b = generateSynthetic(spec(), 2);
    expect(a.features).not.toEqual(b.features);
    expect(a.hiddenScores).not.toEqual(b.hiddenScores);
  });

  it('keeps features independent of the relevance settings (separate forks)', () => {
    // Features come from their own fork, so changing the hidden function or noise leaves them alone.
    const a = generateSynthetic(spec({ relevance: 'linear', noise: 0 }), 5);
    const b = generateSynthetic(spec({ relevance: 'nonlinear', noise: 3 }), 5);
    expect(a.features).toEqual(b.features);
  });

  it('has the declared shape: CSR offsets, row-major features, ids', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 1, max: 15 }),
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 0, max: 0xffffffff }),
        (queries, docsPerQuery, features, seed) => {
          const ds = generateSynthetic(spec({ queries, docsPerQuery, features }), seed);
          expect(queryCount(ds)).toBe(queries);
          expect(docCount(ds)).toBe(queries * docsPerQuery);
          expect(ds.qidOffsets).toBeInstanceOf(Int32Array);
          expect(Array.from(ds.qidOffsets)).toEqual(Array.from({ length: queries + 1 }, (_, q) => q * docsPerQuery));
          expect(ds.features).toBeInstanceOf(Float32Array);
          expect(ds.features.length).toBe(queries * docsPerQuery * features);
          expect(ds.nFeatures).toBe(features);
          expect(ds.labels).toBeInstanceOf(Int8Array);
          expect(ds.labels.length).toBe(queries * docsPerQuery);
          expect(ds.hiddenScores?.length).toBe(queries * docsPerQuery);
          expect(ds.queryIds).toEqual(Array.from({ length: queries }, (_, q) => `q${q + 1}`));
          for (const v of ds.features) expect(Number.isFinite(v)).toBe(true);
          for (const v of ds.hiddenScores ?? []) expect(Number.isFinite(v)).toBe(true);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('labels are integers in 0..ymax where ymax = labelDistribution.length − 1', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 10, noNaN: true }), { minLength: 2, maxLength: 16 }).filter((d) => d.some((p) => p > 0)),
        fc.integer({ min: 0, max: 1000 }),
        (labelDistribution, seed) => {
          const ds = generateSynthetic(spec({ labelDistribution, queries: 10, docsPerQuery: 10 }), seed);
          for (const l of ds.labels) {
            expect(l).toBeGreaterThanOrEqual(0);
            expect(l).toBeLessThanOrEqual(labelDistribution.length - 1);
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('features look standard normal', () => {
    const ds = generateSynthetic(spec({ queries: 200, docsPerQuery: 10, features: 10 }), 3); // 20,000 values
    let sum = 0;
    let sq = 0;
    for (const v of ds.features) {
      sum += v;
      sq += v * v;
    }
    const mean = sum / ds.features.length;
    expect(Math.abs(mean)).toBeLessThan(0.05);
    expect(Math.abs(sq / ds.features.length - mean * mean - 1)).toBeLessThan(0.07);
  });

  it('label counts follow labelDistribution (quantile cuts: within 2 documents of p_g · n)', () => {
    const cases: number[][] = [
      [0.4, 0.3, 0.15, 0.1, 0.05],
      [1, 1],
      [3, 1],
      [0.2, 0.2, 0.2, 0.2, 0.2],
      [5, 0, 5], // an empty middle grade
      [0, 1, 1], // an empty bottom grade
    ];
    for (const labelDistribution of cases) {
      for (const relevance of ['linear', 'nonlinear'] as const) {
        const ds = generateSynthetic(spec({ queries: 50, docsPerQuery: 20, relevance, labelDistribution }), 11);
        const n = ds.labels.length; // 1000
        const total = labelDistribution.reduce((s, p) => s + p, 0);
        const counts = gradeCounts(ds.labels, labelDistribution.length);
        counts.forEach((c, g) => {
          expect(Math.abs(c - (labelDistribution[g] / total) * n), `${labelDistribution} grade ${g}: ${counts}`).toBeLessThanOrEqual(2);
          if (labelDistribution[g] === 0) expect(c).toBe(0);
        });
      }
    }
  });

  it('a grade with probability 0 gets no documents, also at the top', () => {
    // Regression: a trailing 0 used to cut at the maximum score, giving the top document that grade.
    for (const labelDistribution of [[1, 0], [0.5, 0.5, 0], [0.1, 0.2, 0.7, 0, 0]]) {
      const ds = generateSynthetic(spec({ queries: 20, docsPerQuery: 10, labelDistribution }), 4);
      const counts = gradeCounts(ds.labels, labelDistribution.length);
      labelDistribution.forEach((p, g) => {
        if (p === 0) expect(counts[g], `${labelDistribution} → ${counts}`).toBe(0);
      });
    }
  });

  it('hidden scores correlate positively with labels', () => {
    for (const relevance of ['linear', 'nonlinear'] as const) {
      for (const seed of [1, 2, 3]) {
        const ds = generateSynthetic(spec({ queries: 60, docsPerQuery: 20, relevance, noise: 0.5 }), seed);
        // noise = 0.5 sd: corr(hidden, noisy) = 1/√1.25 ≈ 0.89 before grading; graded labels stay well above 0.5.
        expect(pearson(ds.hiddenScores!, ds.labels)).toBeGreaterThan(0.5);
      }
    }
  });

  it('with noise 0 labels are monotone in the hidden score', () => {
    for (const relevance of ['linear', 'nonlinear'] as const) {
      const ds = generateSynthetic(spec({ queries: 40, docsPerQuery: 10, relevance, noise: 0 }), 8);
      const h = ds.hiddenScores!;
      const order = Array.from({ length: h.length }, (_, i) => i).sort((a, b) => h[a] - h[b]);
      for (let i = 1; i < order.length; i++) {
        if (h[order[i]] > h[order[i - 1]]) expect(ds.labels[order[i]]).toBeGreaterThanOrEqual(ds.labels[order[i - 1]]);
      }
    }
  });

  it('more noise lowers the agreement between hidden scores and labels', () => {
    const corr = (noise: number) => {
      const ds = generateSynthetic(spec({ queries: 100, docsPerQuery: 20, noise }), 6);
      return pearson(ds.hiddenScores!, ds.labels);
    };
    expect(corr(0)).toBeGreaterThan(corr(1));
    expect(corr(1)).toBeGreaterThan(corr(5));
  });
});

describe('list sizes from a distribution', () => {
  it('draws each list size uniformly in [docsPerQueryMin, docsPerQuery], seeded', () => {
    const spec = { queries: 400, docsPerQuery: 12, docsPerQueryMin: 3, features: 4, relevance: 'linear' as const, noise: 0.5, labelDistribution: [0.5, 0.5] };
    const ds = generateSynthetic(spec, 9);
    const sizes = Array.from({ length: 400 }, (_, q) => ds.qidOffsets[q + 1] - ds.qidOffsets[q]);
    expect(Math.min(...sizes)).toBe(3);
    expect(Math.max(...sizes)).toBe(12);
    // Mean of a uniform integer on 3..12 is 7.5; 400 draws keep it well within ±0.6.
    expect(Math.abs(sizes.reduce((a, b) => a + b, 0) / 400 - 7.5)).toBeLessThan(0.6);
    expect(ds.labels.length).toBe(ds.qidOffsets[400]);
    expect(generateSynthetic(spec, 9).qidOffsets).toEqual(ds.qidOffsets);
  });
});
