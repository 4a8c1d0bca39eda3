import '@tensorflow/tfjs-core/dist/register_all_gradients';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { useCpuBackend } from '../../../test-support/cpu-backend';
import { rankNetLoss } from './ranknet';
import { expectGradientMatchesFiniteDifferences, expectNoLeak, lossOf, softplus64, withPadAt } from './test-helpers';

beforeAll(async () => {
  await useCpuBackend();
});

/** Float64 reference for one list: mean over pairs y_i > y_j of log(1 + e^−(s_i − s_j)); null without pairs. */
function reference(scores: number[], labels: number[]): number | null {
  let sum = 0;
  let pairs = 0;
  for (let i = 0; i < scores.length; i++) {
    for (let j = 0; j < scores.length; j++) {
      if (labels[i] > labels[j]) {
        sum += softplus64(-(scores[i] - scores[j]));
        pairs++;
      }
    }
  }
  return pairs > 0 ? sum / pairs : null;
}

describe('rankNetLoss', () => {
  it('matches a hand-computed case', () => {
    // scores [1, 2, 0], labels [2, 1, 0]: pairs (0,1), (0,2), (1,2) with s_i − s_j = −1, 1, 2:
    //   log(1 + e) = 1.313262, log(1 + e^−1) = 0.313262, log(1 + e^−2) = 0.126928; mean 0.584484.
    expect(lossOf(rankNetLoss, { scores: [[1, 2, 0]], labels: [[2, 1, 0]] })).toBeCloseTo(0.584484, 5);
  });

  it('counts a pair once whatever the label gap (TF-Ranking semantics), and ties form no pair', () => {
    const base = lossOf(rankNetLoss, { scores: [[1, 2, 0]], labels: [[2, 1, 0]] });
    expect(lossOf(rankNetLoss, { scores: [[1, 2, 0]], labels: [[9, 3, 0]] })).toBeCloseTo(base, 5);
    // labels [1, 1, 0]: pairs (0,2), (1,2) only → (0.313262 + 0.126928) / 2.
    expect(lossOf(rankNetLoss, { scores: [[1, 2, 0]], labels: [[1, 1, 0]] })).toBeCloseTo(0.220095, 5);
  });

  it('leaves out lists without pairs (no positive label, or all labels equal); 0 when none has any', () => {
    const a = reference([1, 2, 0], [2, 1, 0]) as number;
    const batch = { scores: [[1, 2, 0], [3, -1, 2], [0, 5, 1]], labels: [[2, 1, 0], [0, 0, 0], [1, 1, 1]] };
    expect(lossOf(rankNetLoss, batch)).toBeCloseTo(a, 5);
    expect(lossOf(rankNetLoss, { scores: [[1, 2]], labels: [[1, 1]] })).toBe(0);
  });

  it('matches the float64 reference on random lists (property)', () => {
    const listArb = fc.integer({ min: 2, max: 8 }).chain((n) =>
      fc.record({
        scores: fc.array(fc.double({ min: -6, max: 6, noNaN: true }), { minLength: n, maxLength: n }),
        labels: fc.array(fc.integer({ min: 0, max: 4 }), { minLength: n, maxLength: n }),
      }),
    );
    fc.assert(
      fc.property(listArb, ({ scores, labels }) => {
        const expected = reference(scores, labels);
        fc.pre(expected !== null);
        expect(lossOf(rankNetLoss, { scores: [scores], labels: [labels] })).toBeCloseTo(expected as number, 4);
      }),
      { numRuns: 60 },
    );
  });

  it('its gradient matches finite differences and −Σ_j σ(−(s_i − s_j)) / nPairs for the top document', () => {
    const c = { scores: [[0.3, -1.2, 2.0, 0.7], [1.5, 0.4, -0.3, 5]], labels: [[0, 1, 2, 0], [1, 0, 2, 3]], mask: [[1, 1, 1, 1], [1, 1, 1, 0]] };
    const grad = expectGradientMatchesFiniteDifferences(rankNetLoss, c);
    // List 0 has 5 pairs; document 2 (label 2) is above all three others. Two valid lists → /2.
    const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
    const top = -[0.3, -1.2, 0.7].reduce((sum, sj) => sum + sigmoid(-(2.0 - sj)), 0) / 5 / 2;
    expect(grad[0][2]).toBeCloseTo(top, 5);
    expect(grad[1][3]).toBe(0);
  });

  it('pads anywhere change nothing, and it does not leak', () => {
    const c = { scores: [[1, 2, 0]], labels: [[2, 1, 0]] };
    for (let at = 0; at <= 3; at++) expect(lossOf(rankNetLoss, withPadAt(c, at))).toBeCloseTo(lossOf(rankNetLoss, c), 5);
    expectNoLeak(rankNetLoss, withPadAt(c, 2));
  });
});
