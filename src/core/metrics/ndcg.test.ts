import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { discount, gain } from './gain';
import { dcgAtK, idealDcg, meanNdcg, ndcgPerQuery } from './ndcg';

const offsets = (...sizes: number[]): Int32Array => {
  const o = new Int32Array(sizes.length + 1);
  sizes.forEach((s, q) => (o[q + 1] = o[q] + s));
  return o;
};
/** nDCG@k of a single list. */
const ndcg1 = (scores: number[], labels: number[], k: number, kind: 'exp2' | 'linear' = 'exp2'): number =>
  ndcgPerQuery(scores, labels, offsets(labels.length), k, kind)[0];

const L3 = Math.log2(3); // ≈ 1.58496

describe('gain and discount', () => {
  it('exp2 is 2^y − 1, linear is y, non-positive labels give 0', () => {
    expect([0, 1, 2, 3, 4].map((y) => gain(y, 'exp2'))).toEqual([0, 1, 3, 7, 15]);
    expect([0, 1, 2, 3, 4].map((y) => gain(y, 'linear'))).toEqual([0, 1, 2, 3, 4]);
    expect(gain(-1, 'exp2')).toBe(0);
    expect(gain(-1, 'linear')).toBe(0);
  });

  it('discount is 1/log2(i + 1) for the 1-based rank i', () => {
    expect(discount(1)).toBe(1); // 1/log2(2)
    expect(discount(2)).toBeCloseTo(1 / L3, 12); // ≈ 0.63093
    expect(discount(3)).toBe(0.5); // 1/log2(4)
    expect(discount(7)).toBe(1 / 3); // 1/log2(8)
  });
});

describe('nDCG hand-computed cases', () => {
  // Labels [0, 1, 2]; scores [3, 1, 2] rank the documents 0, 2, 1.
  const labels = [0, 1, 2];
  const scores = [3, 1, 2];

  it('exp2 gains', () => {
    // Ranked gains: doc0 0, doc2 2²−1 = 3, doc1 2¹−1 = 1.
    // DCG  = 0/1 + 3/log2(3) + 1/log2(4) = 1.89279 + 0.5 = 2.39279
    // IDCG = 3/1 + 1/log2(3) + 0          = 3 + 0.63093 = 3.63093
    // nDCG = 2.39279 / 3.63093 ≈ 0.65900
    const expected = (3 / L3 + 1 / 2) / (3 + 1 / L3);
    expect(expected).toBeCloseTo(0.659, 3);
    expect(ndcg1(scores, labels, 10, 'exp2')).toBeCloseTo(expected, 12);
    expect(dcgAtK(scores, labels, 0, 3, 10, 'exp2')).toBeCloseTo(3 / L3 + 0.5, 12);
    expect(idealDcg(labels, 0, 3, 10, 'exp2')).toBeCloseTo(3 + 1 / L3, 12);
  });

  it('linear gains', () => {
    // Ranked gains 0, 2, 1.  DCG = 2/log2(3) + 1/2 = 1.76186;  IDCG = 2 + 1/log2(3) = 2.63093
    // nDCG ≈ 0.66967
    const expected = (2 / L3 + 1 / 2) / (2 + 1 / L3);
    expect(expected).toBeCloseTo(0.6697, 3);
    expect(ndcg1(scores, labels, 10, 'linear')).toBeCloseTo(expected, 12);
  });

  it('cuts at k', () => {
    // @1: the top document has label 0 → DCG@1 = 0 → nDCG@1 = 0.
    expect(ndcg1(scores, labels, 1)).toBe(0);
    // @2 (exp2): DCG = 3/log2(3) = 1.89279; IDCG = 3 + 1/log2(3) = 3.63093; nDCG ≈ 0.52129.
    expect(ndcg1(scores, labels, 2)).toBeCloseTo(3 / L3 / (3 + 1 / L3), 12);
  });

  it('k larger than the list equals k = list length', () => {
    expect(ndcg1(scores, labels, 1000)).toBe(ndcg1(scores, labels, 3));
  });

  it('a five-document list with graded labels', () => {
    // Labels [3, 0, 1, 2, 0], scores [0.1, 0.9, 0.5, 0.3, 0.2] → order doc1, doc2, doc3, doc4, doc0.
    // Ranked exp2 gains 0, 1, 3, 0, 7:  DCG = 1/log2(3) + 3/2 + 7/log2(6)
    // Ideal gains 7, 3, 1, 0, 0:          IDCG = 7 + 3/log2(3) + 1/2
    const dcg = 1 / L3 + 3 / 2 + 7 / Math.log2(6);
    const idcg = 7 + 3 / L3 + 1 / 2;
    expect(ndcg1([0.1, 0.9, 0.5, 0.3, 0.2], [3, 0, 1, 2, 0], 5)).toBeCloseTo(dcg / idcg, 12);
    // @4 drops the last position from the DCG only: DCG@4 = 1/log2(3) + 3/2; IDCG@4 unchanged.
    expect(ndcg1([0.1, 0.9, 0.5, 0.3, 0.2], [3, 0, 1, 2, 0], 4)).toBeCloseTo((1 / L3 + 3 / 2) / idcg, 12);
  });

  it('ties keep document order', () => {
    // Constant scores: ranked as given, 0, 1, 2. DCG = 0 + 1/log2(3) + 3/2 = 2.13093; IDCG = 3.63093 → 0.58688.
    expect(ndcg1([5, 5, 5], [0, 1, 2], 10)).toBeCloseTo((1 / L3 + 3 / 2) / (3 + 1 / L3), 12);
    expect(ndcg1([5, 5, 5], [2, 1, 0], 10)).toBe(1);
    // Partial tie: scores [1, 2, 2] → doc1 then doc2 (tied, document order), then doc0.
    // Labels [2, 0, 1]: ranked gains 0, 1, 3. DCG = 1/log2(3) + 3/2; IDCG = 3 + 1/log2(3).
    expect(ndcg1([1, 2, 2], [2, 0, 1], 10)).toBeCloseTo((1 / L3 + 3 / 2) / (3 + 1 / L3), 12);
  });

  it('a single document: 1 if relevant, NaN if not', () => {
    expect(ndcg1([0.3], [2], 10)).toBe(1);
    expect(ndcg1([0.3], [1], 1, 'linear')).toBe(1);
    expect(ndcg1([0.3], [0], 10)).toBeNaN();
  });

  it('all-zero labels give NaN for that query only', () => {
    const per = ndcgPerQuery([1, 0, 0.2, 0.1, 0, 1], [0, 1, 0, 0, 2, 2], offsets(2, 2, 2), 10, 'exp2');
    // q0: labels [0,1], scores [1,0] → DCG = 1/log2(3), IDCG = 1 → 0.63093
    expect(per[0]).toBeCloseTo(1 / L3, 12);
    expect(per[1]).toBeNaN();
    // q2: labels [2,2] → any order is ideal.
    expect(per[2]).toBe(1);
  });

  it('each query is ranked only among its own documents', () => {
    // q0's scores are all below q1's; per-query ranking must ignore that.
    const per = ndcgPerQuery([0.1, 0.2, 10, 20], [0, 1, 1, 0], offsets(2, 2), 10, 'exp2');
    expect(per[0]).toBe(1); // q0: doc1 (label 1) on top
    expect(per[1]).toBeCloseTo(1 / L3, 12); // q1: doc with label 0 on top → 1/log2(3)
  });
});

describe('meanNdcg and the noRelevant policy', () => {
  // q0: labels [0, 1], scores [1, 0] → 1/log2(3) ≈ 0.63093; q1: labels [0, 0] → no relevant document.
  const scores = [1, 0, 0.5, 0.7];
  const labels = [0, 1, 0, 0];
  const qo = offsets(2, 2);
  const q0 = 1 / L3;

  it('drop: averages only queries with a relevant document', () => {
    expect(meanNdcg(scores, labels, qo, { k: 10, gain: 'exp2', noRelevant: 'drop' })).toBeCloseTo(q0, 12);
  });
  it('zero: counts them as 0', () => {
    // (0.63093 + 0) / 2 = 0.31546
    expect(meanNdcg(scores, labels, qo, { k: 10, gain: 'exp2', noRelevant: 'zero' })).toBeCloseTo(q0 / 2, 12);
  });
  it('one: counts them as 1', () => {
    // (0.63093 + 1) / 2 = 0.81546
    expect(meanNdcg(scores, labels, qo, { k: 10, gain: 'exp2', noRelevant: 'one' })).toBeCloseTo((q0 + 1) / 2, 12);
  });
  it('all queries without relevant documents: zero and one policies give 0 and 1; drop gives 0 (no queries left)', () => {
    const z = [0, 0, 0, 0];
    expect(meanNdcg(scores, z, qo, { k: 10, gain: 'exp2', noRelevant: 'zero' })).toBe(0);
    expect(meanNdcg(scores, z, qo, { k: 10, gain: 'exp2', noRelevant: 'one' })).toBe(1);
    expect(meanNdcg(scores, z, qo, { k: 10, gain: 'exp2', noRelevant: 'drop' })).toBe(0);
  });
});

// ---- Properties ----

const listArb = fc
  .array(fc.record({ label: fc.integer({ min: 0, max: 4 }), score: fc.double({ min: -1e6, max: 1e6, noNaN: true }) }), {
    minLength: 1,
    maxLength: 30,
  })
  .map((docs) => ({ labels: docs.map((d) => d.label), scores: docs.map((d) => d.score) }));
/** Distinct scores, so the ranking has no ties. */
const distinctListArb = fc
  .uniqueArray(fc.integer({ min: -1000, max: 1000 }), { minLength: 1, maxLength: 30 })
  .chain((scores) =>
    fc.array(fc.integer({ min: 0, max: 4 }), { minLength: scores.length, maxLength: scores.length }).map((labels) => ({ labels, scores })),
  );
const kArb = fc.integer({ min: 1, max: 40 });
const gainArb = fc.constantFrom('exp2' as const, 'linear' as const);
const hasRelevant = (labels: number[]) => labels.some((l) => l > 0);

describe('nDCG properties', () => {
  it('lies in [0, 1] (NaN exactly when no document is relevant)', () => {
    fc.assert(
      fc.property(listArb, kArb, gainArb, ({ labels, scores }, k, g) => {
        const v = ndcg1(scores, labels, k, g);
        if (!hasRelevant(labels)) {
          expect(v).toBeNaN();
          return;
        }
        expect(v).toBeGreaterThanOrEqual(0);
        expect(v).toBeLessThanOrEqual(1 + 1e-12);
      }),
      { numRuns: 500 },
    );
  });

  it('ranking by the labels gives 1', () => {
    fc.assert(
      fc.property(listArb, kArb, gainArb, ({ labels }, k, g) => {
        fc.pre(hasRelevant(labels));
        expect(ndcg1(labels, labels, k, g)).toBeCloseTo(1, 12);
        // Any strictly increasing transform of the labels too.
        expect(ndcg1(labels.map((l) => 10 * l - 3), labels, k, g)).toBeCloseTo(1, 12);
      }),
      { numRuns: 300 },
    );
  });

  it('ranking against the labels gives the worst value, which is ≤ any other ordering', () => {
    fc.assert(
      fc.property(listArb, kArb, gainArb, ({ labels, scores }, k, g) => {
        fc.pre(hasRelevant(labels));
        const worst = ndcg1(labels.map((l) => -l), labels, k, g);
        expect(worst).toBeLessThanOrEqual(ndcg1(scores, labels, k, g) + 1e-12);
      }),
      { numRuns: 300 },
    );
  });

  it('reordering the documents (labels and scores together) does not change it when scores are distinct', () => {
    const withPerm = distinctListArb.chain((l) => {
      const n = l.labels.length;
      const idx = Array.from({ length: n }, (_, i) => i);
      return fc.shuffledSubarray(idx, { minLength: n, maxLength: n }).map((perm) => ({ ...l, perm }));
    });
    fc.assert(
      fc.property(withPerm, kArb, gainArb, ({ labels, scores, perm }, k, g) => {
        fc.pre(hasRelevant(labels));
        expect([...perm].sort((a, b) => a - b)).toEqual(labels.map((_, i) => i));
        const v = ndcg1(scores, labels, k, g);
        expect(ndcg1(perm.map((i) => scores[i]), perm.map((i) => labels[i]), k, g)).toBeCloseTo(v, 12);
      }),
      { numRuns: 300 },
    );
  });

  it('exchanging the scores of two documents with equal labels does not change it', () => {
    fc.assert(
      fc.property(distinctListArb, kArb, gainArb, fc.nat(), fc.nat(), ({ labels, scores }, k, g, a, b) => {
        fc.pre(hasRelevant(labels));
        const i = a % labels.length;
        const same = labels.map((l, j) => (l === labels[i] ? j : -1)).filter((j) => j >= 0);
        const j = same[b % same.length];
        const swapped = [...scores];
        [swapped[i], swapped[j]] = [swapped[j], swapped[i]];
        expect(ndcg1(swapped, labels, k, g)).toBe(ndcg1(scores, labels, k, g));
      }),
      { numRuns: 300 },
    );
  });

  it('appending irrelevant documents scored below everything leaves nDCG@k unchanged', () => {
    fc.assert(
      fc.property(listArb, kArb, gainArb, fc.integer({ min: 1, max: 20 }), ({ labels, scores }, k, g, extra) => {
        fc.pre(hasRelevant(labels));
        const low = Math.min(...scores) - 1;
        const moreScores = [...scores, ...Array.from({ length: extra }, (_, i) => low - i)];
        const moreLabels = [...labels, ...new Array(extra).fill(0)];
        expect(ndcg1(moreScores, moreLabels, k, g)).toBe(ndcg1(scores, labels, k, g));
      }),
      { numRuns: 300 },
    );
  });

  it('moving a more relevant document above a less relevant neighbour never lowers it', () => {
    fc.assert(
      fc.property(distinctListArb, kArb, gainArb, ({ labels, scores }, k, g) => {
        fc.pre(hasRelevant(labels));
        const order = labels.map((_, i) => i).sort((a, b) => scores[b] - scores[a]);
        const before = ndcg1(scores, labels, k, g);
        for (let r = 0; r + 1 < order.length; r++) {
          const [hi, lo] = [order[r], order[r + 1]];
          if (labels[lo] > labels[hi]) {
            const swapped = [...scores];
            [swapped[hi], swapped[lo]] = [swapped[lo], swapped[hi]];
            expect(ndcg1(swapped, labels, k, g)).toBeGreaterThanOrEqual(before - 1e-12);
          }
        }
      }),
      { numRuns: 200 },
    );
  });

  it('meanNdcg with drop is the mean of the non-NaN per-query values, and zero ≤ drop-or-one ordering holds', () => {
    fc.assert(
      fc.property(fc.array(listArb, { minLength: 1, maxLength: 6 }), kArb, gainArb, (lists, k, g) => {
        const scores = lists.flatMap((l) => l.scores);
        const labels = lists.flatMap((l) => l.labels);
        const qo = offsets(...lists.map((l) => l.labels.length));
        const per = Array.from(ndcgPerQuery(scores, labels, qo, k, g));
        const valid = per.filter((v) => !Number.isNaN(v));
        const nNaN = per.length - valid.length;
        const sum = valid.reduce((s, v) => s + v, 0);
        const drop = meanNdcg(scores, labels, qo, { k, gain: g, noRelevant: 'drop' });
        const zero = meanNdcg(scores, labels, qo, { k, gain: g, noRelevant: 'zero' });
        const one = meanNdcg(scores, labels, qo, { k, gain: g, noRelevant: 'one' });
        expect(drop).toBeCloseTo(valid.length ? sum / valid.length : 0, 12);
        expect(zero).toBeCloseTo(sum / per.length, 12);
        expect(one).toBeCloseTo((sum + nNaN) / per.length, 12);
        expect(zero).toBeLessThanOrEqual(one + 1e-12);
        // Per query, the value equals the single-list computation.
        lists.forEach((l, q) => {
          const single = ndcg1(l.scores, l.labels, k, g);
          if (Number.isNaN(single)) expect(per[q]).toBeNaN();
          else expect(per[q]).toBe(single);
        });
      }),
      { numRuns: 200 },
    );
  });
});
