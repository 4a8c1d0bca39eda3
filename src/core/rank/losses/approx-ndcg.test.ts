import '@tensorflow/tfjs-core/dist/register_all_gradients';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { useCpuBackend } from '../../../test-support/cpu-backend';
import { approxNdcgLoss, createApproxNdcgLoss } from './approx-ndcg';
import { expectGradientMatchesFiniteDifferences, expectNoLeak, idealDcg64, lossOf, withPadAt } from './test-helpers';

beforeAll(async () => {
  await useCpuBackend();
});

/** Float64 reference for one list: −Σ (2^y − 1)/log2(1 + r̂) / IDCG with r̂_i = 1 + Σ_{j≠i} σ(α(s_j − s_i)). */
function reference(scores: number[], labels: number[], alpha = 10): number {
  const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
  const dcg = scores.reduce((sum, si, i) => {
    const rank = 1 + scores.reduce((r, sj, j) => r + (j === i ? 0 : sigmoid(alpha * (sj - si))), 0);
    return sum + (2 ** labels[i] - 1) / Math.log2(1 + rank);
  }, 0);
  return -dcg / idealDcg64(labels);
}

describe('approxNdcgLoss', () => {
  it('matches hand-computed cases (alpha 10 and alpha 1)', () => {
    // scores [1, 2, 0], labels [2, 1, 0], IDCG = 3 + 1/log2 3 = 3.630930.
    // alpha 10: r̂ = [1 + σ(10) + σ(−10), 1 + σ(−10) + σ(−20), …] = [2, 1.000045, …];
    //   DCG = 3/log2 3 + 1/log2 2.000045 = 1.892789 + 0.999967 = 2.892757 → loss −0.796699.
    // alpha 1: r̂ = [2, 1 + σ(−1) + σ(−2) = 1.388144, …]; DCG = 1.892789 + 1/log2 2.388144 = 2.689037 → −0.740592.
    const c = { scores: [[1, 2, 0]], labels: [[2, 1, 0]] };
    expect(lossOf(approxNdcgLoss, c)).toBeCloseTo(-0.796699, 5);
    expect(lossOf(createApproxNdcgLoss({ alpha: 1 }), c)).toBeCloseTo(-0.740592, 5);
  });

  it('approaches −nDCG of the score ranking when scores are far apart', () => {
    // scores [3, 9, 0] rank docs 1, 0, 2: nDCG = (1 + 3/log2 3)/IDCG = 2.892789/3.630930 = 0.796707.
    expect(lossOf(approxNdcgLoss, { scores: [[3, 9, 0]], labels: [[2, 1, 0]] })).toBeCloseTo(-0.796707, 4);
  });

  it('averages over lists with a positive label', () => {
    const a = reference([1, 2, 0], [2, 1, 0]);
    const b = reference([0.5, -1], [0, 1]);
    const batch = { scores: [[1, 2, 0], [0.5, -1, 30], [2, 1, 3]], labels: [[2, 1, 0], [0, 1, 4], [0, 0, 0]], mask: [[1, 1, 1], [1, 1, 0], [1, 1, 1]] };
    expect(lossOf(approxNdcgLoss, batch)).toBeCloseTo((a + b) / 2, 5);
    expect(lossOf(approxNdcgLoss, { scores: [[1, 2]], labels: [[0, 0]] })).toBe(0);
  });

  it('matches the float64 reference on random lists (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }).chain((n) =>
          fc.record({
            scores: fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: n, maxLength: n }),
            labels: fc.array(fc.integer({ min: 0, max: 4 }), { minLength: n, maxLength: n }),
            alpha: fc.constantFrom(1, 10),
          }),
        ),
        ({ scores, labels, alpha }) => {
          fc.pre(labels.some((l) => l > 0));
          expect(lossOf(createApproxNdcgLoss({ alpha }), { scores: [scores], labels: [labels] })).toBeCloseTo(reference(scores, labels, alpha), 4);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('its gradient matches finite differences', () => {
    expectGradientMatchesFiniteDifferences(createApproxNdcgLoss({ alpha: 1 }), { scores: [[1, 2, 0]], labels: [[2, 1, 0]] });
    const c = { scores: [[0.3, -0.2, 0.5, 0.1, 0.0], [0.15, 0.04, -0.03, 5, 0]], labels: [[0, 1, 2, 0, 1], [1, 0, 2, 3, 0]], mask: [[1, 1, 1, 1, 1], [1, 1, 1, 0, 0]] };
    const grad = expectGradientMatchesFiniteDifferences(approxNdcgLoss, c);
    expect(grad[1][3]).toBe(0);
  });

  it('pads anywhere change nothing, and it does not leak', () => {
    const c = { scores: [[1, 2, 0]], labels: [[2, 1, 0]] };
    for (let at = 0; at <= 3; at++) expect(lossOf(approxNdcgLoss, withPadAt(c, at))).toBeCloseTo(lossOf(approxNdcgLoss, c), 5);
    expectNoLeak(approxNdcgLoss, withPadAt(c, 1));
  });
});
