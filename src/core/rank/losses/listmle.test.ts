import '@tensorflow/tfjs-core/dist/register_all_gradients';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { useCpuBackend } from '../../../test-support/cpu-backend';
import { listMleLoss } from './listmle';
import { expectGradientMatchesFiniteDifferences, expectNoLeak, logSumExp64, lossOf, withPadAt } from './test-helpers';

beforeAll(async () => {
  await useCpuBackend();
});

/**
 * Float64 reference for one list: −log P_PL of the order by label descending, ties by `tieKeys`
 * descending, then by index.
 */
function reference(scores: number[], labels: number[], tieKeys: number[] = scores): number {
  const order = scores.map((_, i) => i).sort((a, b) => labels[b] - labels[a] || tieKeys[b] - tieKeys[a] || a - b);
  return order.reduce((sum, doc, r) => sum + logSumExp64(order.slice(r).map((k) => scores[k])) - scores[doc], 0);
}

describe('listMleLoss', () => {
  it('matches a hand-computed case', () => {
    // scores [1, 2, 0], labels [2, 1, 0]: ideal order 0, 1, 2.
    //   [log(e + e² + 1) − 1] + [log(e² + 1) − 2] + [0 − 0] = (2.407606 − 1) + (2.126928 − 2) = 1.534534.
    expect(lossOf(listMleLoss, { scores: [[1, 2, 0]], labels: [[2, 1, 0]] })).toBeCloseTo(1.534534, 5);
  });

  it('breaks label ties by the current scores, the most likely ideal ranking', () => {
    // labels [1, 1, 0], scores [0, 1, −1]: ties by score → order 1, 0, 2:
    //   [log(e + 1 + e^−1) − 1] + [log(1 + e^−1) − 0] = 0.407606 + 0.313262 = 0.720868.
    // The slot order (0, 1, 2) would give 1.534534; every other ideal ranking is less likely than the chosen one.
    const c = { scores: [[0, 1, -1]], labels: [[1, 1, 0]] };
    expect(lossOf(listMleLoss, c)).toBeCloseTo(0.720868, 5);
    // Swapping the two tied documents' slots changes nothing.
    expect(lossOf(listMleLoss, { scores: [[1, 0, -1]], labels: [[1, 1, 0]] })).toBeCloseTo(0.720868, 5);
  });

  it('with uniforms, breaks ties by the first sample (allRank’s random tie order)', () => {
    const scores = [0, 1, -1, 0.5];
    const labels = [1, 1, 0, 0];
    const u = [0.9, 0.2, 0.3, 0.6]; // doc 0 before doc 1, doc 3 before doc 2
    const value = lossOf(listMleLoss, { scores: [scores], labels: [labels], uniforms: [[u], [[0.1, 0.9, 0.9, 0.1]]] });
    expect(value).toBeCloseTo(reference(scores, labels, u), 5);
    expect(value).not.toBeCloseTo(reference(scores, labels), 3);
  });

  it('sums within a list, averages over lists with a positive label', () => {
    const a = reference([1, 2, 0], [2, 1, 0]);
    const b = reference([0.5, -1], [0, 1]);
    const batch = { scores: [[1, 2, 0], [0.5, -1, 30], [2, 1, 3]], labels: [[2, 1, 0], [0, 1, 4], [0, 0, 0]], mask: [[1, 1, 1], [1, 1, 0], [1, 1, 1]] };
    expect(lossOf(listMleLoss, batch)).toBeCloseTo((a + b) / 2, 5);
    expect(lossOf(listMleLoss, { scores: [[1, 2]], labels: [[0, 0]] })).toBe(0);
  });

  it('matches the float64 reference on random lists (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }).chain((n) =>
          fc.record({
            scores: fc.array(fc.integer({ min: -500, max: 500 }).map((v) => v / 100), { minLength: n, maxLength: n }),
            labels: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: n, maxLength: n }),
          }),
        ),
        ({ scores, labels }) => {
          fc.pre(labels.some((l) => l > 0));
          expect(lossOf(listMleLoss, { scores: [scores], labels: [labels] })).toBeCloseTo(reference(scores, labels), 4);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('its gradient matches finite differences', () => {
    expectGradientMatchesFiniteDifferences(listMleLoss, { scores: [[1, 2, 0]], labels: [[2, 1, 0]] });
    const c = { scores: [[0.3, -1.2, 2.0, 0.7, 0.1], [1.5, 0.4, -0.3, 5, 0]], labels: [[0, 1, 2, 0, 1], [1, 0, 2, 3, 0]], mask: [[1, 1, 1, 1, 1], [1, 1, 1, 0, 0]] };
    const grad = expectGradientMatchesFiniteDifferences(listMleLoss, c);
    expect(grad[1][3]).toBe(0);
  });

  it('pads anywhere change nothing, and it does not leak', () => {
    const c = { scores: [[0, 1, -1, 0.5]], labels: [[1, 1, 0, 2]] };
    for (let at = 0; at <= 4; at++) expect(lossOf(listMleLoss, withPadAt(c, at))).toBeCloseTo(lossOf(listMleLoss, c), 5);
    expectNoLeak(listMleLoss, withPadAt(c, 2));
    expectNoLeak(listMleLoss, { ...c, uniforms: [[[0.1, 0.2, 0.3, 0.4]]] });
  });
});
