import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { useCpuBackend } from '../../../test-support/cpu-backend';
import { softmaxLoss } from './softmax';
import { expectNoLeak, lossOf, withPadAt } from './test-helpers';

beforeAll(async () => {
  await useCpuBackend();
});

/** Evaluates the loss on plain arrays ([nLists][listSize]); mask defaults to all ones. */
function loss(scores: number[][], labels: number[][], mask?: number[][]): number {
  return lossOf(softmaxLoss, { scores, labels, mask });
}

/** Reference in float64: −Σ p_i log softmax(s)_i for one list, p = labels / Σ labels. */
function referenceListLoss(scores: number[], labels: number[]): number {
  const max = Math.max(...scores);
  const lse = max + Math.log(scores.reduce((s, v) => s + Math.exp(v - max), 0));
  const total = labels.reduce((s, v) => s + v, 0);
  return -labels.reduce((s, y, i) => s + (y / total) * (scores[i] - lse), 0);
}

describe('softmaxLoss', () => {
  it('matches a hand-computed case: scores [1,2,3], labels [0,1,2]', () => {
    // p = [0, 1/3, 2/3]; log softmax_i = s_i − log(e¹ + e² + e³) = s_i − log(30.19287) = s_i − 3.40761.
    // loss = −(1/3·(2 − 3.40761) + 2/3·(3 − 3.40761)) = 3.40761 − 8/3 ≈ 0.74094
    const lse = Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3));
    const expected = -((1 / 3) * (2 - lse) + (2 / 3) * (3 - lse));
    expect(expected).toBeCloseTo(0.74094, 4);
    expect(loss([[1, 2, 3]], [[0, 1, 2]])).toBeCloseTo(expected, 5);
  });

  it('is log(n) for equal scores and one relevant document', () => {
    // softmax = 1/4 everywhere → loss = −log(1/4) = log 4 ≈ 1.38629
    expect(loss([[0.5, 0.5, 0.5, 0.5]], [[0, 0, 3, 0]])).toBeCloseTo(Math.log(4), 5);
  });

  it('is invariant to adding a constant to all scores of a list, and to scaling labels', () => {
    const base = loss([[1, -2, 0.5]], [[2, 0, 1]]);
    expect(loss([[11, 8, 10.5]], [[2, 0, 1]])).toBeCloseTo(base, 4);
    expect(loss([[1, -2, 0.5]], [[4, 0, 2]])).toBeCloseTo(base, 5);
  });

  it('padding (mask 0) does not change the loss, whatever the padded score and label', () => {
    const unpadded = loss([[1, 2, 3]], [[0, 1, 2]]);
    expect(loss([[1, 2, 3, 0, 0]], [[0, 1, 2, 0, 0]], [[1, 1, 1, 0, 0]])).toBeCloseTo(unpadded, 5);
    // A padded slot with a large score and a positive label must take no mass and no target weight.
    expect(loss([[1, 2, 3, 50]], [[0, 1, 2, 4]], [[1, 1, 1, 0]])).toBeCloseTo(unpadded, 5);
    expect(loss([[1, 50, 2, 3]], [[0, 4, 1, 2]], [[1, 0, 1, 1]])).toBeCloseTo(unpadded, 5);
  });

  it('averages over lists weighted by their label sums; a padded list in a batch counts like its unpadded self', () => {
    const a = referenceListLoss([1, 2, 3], [0, 1, 2]);
    const b = referenceListLoss([0.2, -1], [1, 0]);
    const batch = loss(
      [
        [1, 2, 3],
        [0.2, -1, 7],
      ],
      [
        [0, 1, 2],
        [1, 0, 3],
      ],
      [
        [1, 1, 1],
        [1, 1, 0],
      ],
    );
    // Label sums 3 and 1 (the padded slot's label 3 does not count).
    expect(batch).toBeCloseTo((3 * a + 1 * b) / 4, 5);
  });

  it('a single click weighted by 1/θ counts more than an unweighted one (what IPS needs)', () => {
    // Two one-click sessions: without weights each list is half the loss; with the second click
    // weighted 4 (shown at a rank examined a quarter as often) it is 4/5 of it.
    const a = referenceListLoss([1, 0], [1, 0]);
    const b = referenceListLoss([0, 1], [1, 0]);
    expect(loss([[1, 0], [0, 1]], [[1, 0], [1, 0]])).toBeCloseTo((a + b) / 2, 5);
    expect(loss([[1, 0], [0, 1]], [[1, 0], [4, 0]])).toBeCloseTo((a + 4 * b) / 5, 5);
  });

  it('leaves lists with all-zero labels out of the mean', () => {
    const a = referenceListLoss([1, 2, 3], [0, 1, 2]);
    const withEmpty = loss(
      [
        [1, 2, 3],
        [5, -3, 0],
      ],
      [
        [0, 1, 2],
        [0, 0, 0],
      ],
    );
    expect(withEmpty).toBeCloseTo(a, 5); // not a / 2
    // A list whose only positive label is padded also has no signal.
    const paddedPositive = loss(
      [
        [1, 2, 3],
        [5, -3, 0],
      ],
      [
        [0, 1, 2],
        [0, 0, 2],
      ],
      [
        [1, 1, 1],
        [1, 1, 0],
      ],
    );
    expect(paddedPositive).toBeCloseTo(a, 5);
    // All lists empty: 0, not NaN.
    expect(loss([[1, 2]], [[0, 0]])).toBe(0);
  });

  it('matches a float64 reference on random lists (property)', () => {
    const listArb = fc.integer({ min: 1, max: 8 }).chain((n) =>
      fc.record({
        scores: fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: n, maxLength: n }),
        labels: fc.array(fc.integer({ min: 0, max: 4 }), { minLength: n, maxLength: n }),
      }),
    );
    fc.assert(
      fc.property(listArb, ({ scores, labels }) => {
        fc.pre(labels.some((l) => l > 0));
        expect(loss([scores], [labels])).toBeCloseTo(referenceListLoss(scores, labels), 3);
      }),
      { numRuns: 100 },
    );
  });

  it('its gradient with respect to the scores matches finite differences and w_l·(softmax − p) / Σw', () => {
    const scoresArr = [
      [0.3, -1.2, 2.0, 0.7, 0.0],
      [1.5, 0.4, -0.3, 0.0, 0.0],
      [0.9, -0.4, 0.2, 1.1, -2.0],
    ];
    const labelsArr = [
      [0, 1, 2, 0, 1],
      [3, 0, 1, 0, 0],
      [0, 0, 0, 0, 0], // no signal: excluded, zero gradient
    ];
    const maskArr = [
      [1, 1, 1, 1, 1],
      [1, 1, 1, 0, 0], // two padded slots
      [1, 1, 1, 1, 1],
    ];
    const labels = tf.tensor2d(labelsArr);
    const mask = tf.tensor2d(maskArr);
    const f = (s: tf.Tensor) => softmaxLoss({ scores: s as tf.Tensor2D, labels, mask });
    const grad = tf.tidy(() => tf.grad(f)(tf.tensor2d(scoresArr)).arraySync() as number[][]);

    // Central finite differences through the same tf function (float32 → tolerance 1e-3).
    const eps = 1e-2;
    for (let r = 0; r < 3; r++) {
      for (let c = 0; c < 5; c++) {
        const plus = scoresArr.map((row) => [...row]);
        const minus = scoresArr.map((row) => [...row]);
        plus[r][c] += eps;
        minus[r][c] -= eps;
        const fd = tf.tidy(() => (f(tf.tensor2d(plus)).dataSync()[0] - f(tf.tensor2d(minus)).dataSync()[0]) / (2 * eps));
        expect(Math.abs(grad[r][c] - fd), `d/ds[${r}][${c}]: tf.grad ${grad[r][c]} vs finite difference ${fd}`).toBeLessThan(1e-3);
      }
    }

    // Analytic: for a valid list, ∂loss/∂s_i = w_l (softmax_i − p_i) / Σw over unpadded slots, w_l its
    // label sum (4 and 4 here); 0 elsewhere.
    const totalWeight = 8;
    for (let r = 0; r < 2; r++) {
      const n = maskArr[r].filter((m) => m === 1).length;
      const s = scoresArr[r].slice(0, n);
      const y = labelsArr[r].slice(0, n);
      const z = s.reduce((acc, v) => acc + Math.exp(v), 0);
      const total = y.reduce((acc, v) => acc + v, 0);
      for (let i = 0; i < 5; i++) {
        const expected = i < n ? (total * (Math.exp(s[i]) / z - y[i] / total)) / totalWeight : 0;
        expect(grad[r][i]).toBeCloseTo(expected, 5);
      }
    }
    for (const g of grad[2]) expect(Math.abs(g)).toBeLessThan(1e-7);
    labels.dispose();
    mask.dispose();
  });

  it('does not leak tensors', () => {
    expectNoLeak(softmaxLoss, { scores: [[1, 2, 3]], labels: [[0, 1, 2]] });
  });

  it('pads anywhere in the list change nothing', () => {
    const c = { scores: [[0.4, -1, 2.2, 0.1]], labels: [[1, 0, 2, 0]] };
    for (let at = 0; at <= 4; at++) expect(lossOf(softmaxLoss, withPadAt(c, at))).toBeCloseTo(lossOf(softmaxLoss, c), 5);
  });

  it('prefers calibrated scores to ever larger gaps: with graded labels a far-spread perfect order can lose to the reversed one', () => {
    // Minimiser: s_i = log p_i + c. Labels [4, 1×10, 0], scores 3·(y − ȳ): the perfect order puts almost all
    // mass on the single 4 and starves the ten 1s (p = 10/14 of the target), loss ≈ 6.430; reversed ≈ 5.975
    // (float64). With gap 1 the perfect order wins (2.559 vs 3.404). Binary labels never show this.
    const labels = [4, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0];
    const mean = labels.reduce((a, b) => a + b, 0) / labels.length;
    const spread = (gap: number) => labels.map((y) => gap * (y - mean));
    expect(loss([spread(3)], [labels])).toBeCloseTo(6.4298, 3);
    expect(loss([spread(-3)], [labels])).toBeCloseTo(5.9755, 3);
    expect(loss([spread(1)], [labels])).toBeLessThan(loss([spread(-1)], [labels]));
  });
});
