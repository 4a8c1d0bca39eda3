import '@tensorflow/tfjs-core/dist/register_all_gradients';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { useCpuBackend } from '../../../test-support/cpu-backend';
import { pointwiseLoss } from './pointwise';
import { expectGradientMatchesFiniteDifferences, expectNoLeak, lossOf, softplus64, withPadAt } from './test-helpers';

beforeAll(async () => {
  await useCpuBackend();
});

/** Float64 reference for one list: mean over documents of softplus(s) − clip(y, 0, 1)·s. */
function reference(scores: number[], labels: number[]): number {
  return scores.reduce((sum, s, i) => sum + softplus64(s) - Math.min(1, Math.max(0, labels[i])) * s, 0) / scores.length;
}

describe('pointwiseLoss', () => {
  it('matches a hand-computed case with a graded label clipped to 1', () => {
    // scores [2, −1, 0.5], labels [1, 0, 3] → targets [1, 0, 1]; per document softplus(s) − t·s:
    //   log(1 + e^−2) = 0.126928, log(1 + e^−1) = 0.313262, log(1 + e^−0.5) = 0.474077; mean 0.304756.
    expect(lossOf(pointwiseLoss, { scores: [[2, -1, 0.5]], labels: [[1, 0, 3]] })).toBeCloseTo(0.304756, 5);
  });

  it('uses labels in [0, 1] as they are: t = 0.25 gives −0.25 log σ(s) − 0.75 log(1 − σ(s))', () => {
    const s = 0.8;
    const expected = -0.25 * Math.log(1 / (1 + Math.exp(-s))) - 0.75 * Math.log(1 - 1 / (1 + Math.exp(-s)));
    expect(lossOf(pointwiseLoss, { scores: [[s]], labels: [[0.25]] })).toBeCloseTo(expected, 5);
  });

  it('averages per list over real documents, then over lists with a positive label', () => {
    const a = reference([2, -1, 0.5], [1, 0, 3]);
    const b = reference([0.3, 1.2], [0, 1]);
    const batch = { scores: [[2, -1, 0.5], [0.3, 1.2, 9], [4, 4, 4]], labels: [[1, 0, 3], [0, 1, 1], [0, 0, 0]], mask: [[1, 1, 1], [1, 1, 0], [1, 1, 1]] };
    expect(lossOf(pointwiseLoss, batch)).toBeCloseTo((a + b) / 2, 5);
    expect(lossOf(pointwiseLoss, { scores: [[1, 2]], labels: [[0, 0]] })).toBe(0);
  });

  it('matches the float64 reference on random lists (property)', () => {
    const listArb = fc.integer({ min: 1, max: 8 }).chain((n) =>
      fc.record({
        scores: fc.array(fc.double({ min: -6, max: 6, noNaN: true }), { minLength: n, maxLength: n }),
        labels: fc.array(fc.constantFrom(0, 0.5, 1, 2, 4), { minLength: n, maxLength: n }),
      }),
    );
    fc.assert(
      fc.property(listArb, ({ scores, labels }) => {
        fc.pre(labels.some((l) => l > 0));
        expect(lossOf(pointwiseLoss, { scores: [scores], labels: [labels] })).toBeCloseTo(reference(scores, labels), 4);
      }),
      { numRuns: 60 },
    );
  });

  it('its gradient matches finite differences and (σ(s) − t) / n per list', () => {
    const c = { scores: [[0.3, -1.2, 2.0, 0.7], [1.5, 0.4, -0.3, 5]], labels: [[0, 1, 2, 0], [1, 0, 0.5, 1]], mask: [[1, 1, 1, 1], [1, 1, 1, 0]] };
    const grad = expectGradientMatchesFiniteDifferences(pointwiseLoss, c);
    const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
    expect(grad[0][2]).toBeCloseTo((sigmoid(2.0) - 1) / 4 / 2, 5);
    expect(grad[1][2]).toBeCloseTo((sigmoid(-0.3) - 0.5) / 3 / 2, 5);
    expect(grad[1][3]).toBe(0);
  });

  it('pads anywhere change nothing, and it does not leak', () => {
    const c = { scores: [[2, -1, 0.5]], labels: [[1, 0, 3]] };
    for (let at = 0; at <= 3; at++) expect(lossOf(pointwiseLoss, withPadAt(c, at))).toBeCloseTo(lossOf(pointwiseLoss, c), 5);
    expectNoLeak(pointwiseLoss, withPadAt(c, 1));
  });
});
