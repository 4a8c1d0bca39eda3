import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { beforeAll, describe, expect, it } from 'vitest';
import { useCpuBackend } from '../../../test-support/cpu-backend';
import { createPaird, pairLosses } from './paird';
import { disposeClickBatch, inverseRank, lossValue, makeBatch, simulatePbm, softmaxLoss } from './test-fixtures';

beforeAll(async () => {
  await useCpuBackend();
});

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
const E = Math.E;

/** Two sessions with equal scores: a click on rank 1, then a click on rank 2 (k = 3). */
function twoSessions() {
  return makeBatch({
    scores: [
      [0, 0, 0],
      [0, 0, 0],
    ],
    clicks: [
      [1, 0, 0],
      [0, 1, 0],
    ],
  });
}

describe('paird', () => {
  it('forms (clicked i, non-clicked j) pairs with logistic loss log(1 + e^(s_j − s_i)), by hand', () => {
    // Scores [2, 1, 0], click on rank 2: pairs (2, 1) with log(1 + e¹) and (2, 3) with log(1 + e⁻¹).
    const losses = tf.tidy(
      () => pairLosses(tf.tensor2d([[2, 1, 0]]), tf.tensor2d([[0, 1, 0]]), tf.tensor2d([[1, 1, 1]])).arraySync()[0],
    );
    const expected = [
      [0, 0, 0],
      [Math.log(1 + E), 0, Math.log(1 + 1 / E)],
      [0, 0, 0],
    ];
    losses.forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(expected[i][j], 6)));
  });

  it('pads form no pair, clicked or not', () => {
    const losses = tf.tidy(() =>
      pairLosses(tf.tensor2d([[2, 1, 9]]), tf.tensor2d([[0, 1, 1]]), tf.tensor2d([[1, 1, 0]])).arraySync()[0],
    );
    // Only (2, 1) remains: the clicked pad at rank 3 neither wins over rank 1 nor loses to rank 2.
    expect(losses[1][0]).toBeCloseTo(Math.log(1 + E), 6);
    expect(losses.flat().filter((v) => v !== 0)).toHaveLength(1);
  });

  it('weights each pair by 1/(t⁺_rank(i)·t⁻_rank(j)), by hand, with the matching gradient', () => {
    // t⁺ = [1, 0.5, 0.25], t⁻ = [1, 0.8, 0.4]: pair (2, 1) weighs 1/(0.5·1) = 2, pair (2, 3)
    // 1/(0.5·0.4) = 5. d/ds_i log(1 + e^(s_j − s_i)) = −σ(s_j − s_i), d/ds_j = +σ(s_j − s_i).
    const paird = createPaird({ k: 3, loss: softmaxLoss });
    const batch = makeBatch({ scores: [[2, 1, 0]], clicks: [[0, 1, 0]] });
    expect(lossValue(paird, batch)).toBeCloseTo(Math.log(1 + E) + Math.log(1 + 1 / E), 5);

    paird.setRatios([1, 0.5, 0.25], [1, 0.8, 0.4]);
    expect(lossValue(paird, batch)).toBeCloseTo(2 * Math.log(1 + E) + 5 * Math.log(1 + 1 / E), 5);
    const grad = tf.tidy(() =>
      Array.from(
        tf.grad((x: tf.Tensor) => paird.loss({ ...batch, scores: x as tf.Tensor2D }))(batch.scores).dataSync(),
      ),
    );
    expect(grad[0]).toBeCloseTo(2 * sigmoid(1), 5);
    expect(grad[1]).toBeCloseTo(-2 * sigmoid(1) - 5 * sigmoid(-1), 5);
    expect(grad[2]).toBeCloseTo(5 * sigmoid(-1), 5);
    disposeClickBatch(batch);
    paird.dispose();
  });

  it('updates t⁺ and t⁻ in closed form after a step, by hand', async () => {
    // Equal scores: every pair loses log 2. Pairs (rank 1 over 2), (1 over 3), (2 over 1), (2 over 3).
    // t⁺ sums by clicked rank: [2 log 2, 2 log 2, 0] → (·/sum₁)^(1/2) = [1, 1, 0];
    // t⁻ sums by skipped rank: [log 2, log 2, 2 log 2] → [1, 1, √2]. t ← 0.95·1 + 0.05·estimate.
    const paird = createPaird({ k: 3, loss: softmaxLoss });
    const batch = twoSessions();
    const before = tf.memory().numTensors;
    paird.afterStep?.(batch);
    expect(tf.memory().numTensors).toBe(before);
    const { plus, minus } = await paird.ratios();
    [1, 1, 0.95].forEach((v, r) => expect(plus[r]).toBeCloseTo(v, 6));
    [1, 1, 0.95 + 0.05 * Math.SQRT2].forEach((v, r) => expect(minus[r]).toBeCloseTo(v, 6));
    expect(await paird.propensities()).toEqual(plus.map((t) => t / plus[0]));

    // Regularisation p = 0: exponent 1, so rank 3's t⁻ estimate is 2 instead of √2.
    const linear = createPaird({ k: 3, loss: softmaxLoss, regularization: 0 });
    linear.afterStep?.(batch);
    expect((await linear.ratios()).minus[2]).toBeCloseTo(0.95 + 0.05 * 2, 6);
    disposeClickBatch(batch);
    paird.dispose();
    linear.dispose();
  });

  it('skips an update whose rank-1 sum is zero instead of writing NaN', async () => {
    // One session, click on rank 2 only: no pair has its click on rank 1, so t⁺ stays; t⁻ sums are
    // [log 2, 0, log 2] → estimate [1, 0, 1], t⁻ = [1, 0.95, 1].
    const paird = createPaird({ k: 3, loss: softmaxLoss });
    const batch = makeBatch({ scores: [[0, 0, 0]], clicks: [[0, 1, 0]] });
    paird.afterStep?.(batch);
    const { plus, minus } = await paird.ratios();
    expect(plus).toEqual([1, 1, 1]);
    [1, 0.95, 1].forEach((v, r) => expect(minus[r]).toBeCloseTo(v, 6));
    disposeClickBatch(batch);
    paird.dispose();
  });

  it('leaks no tensor through a training step', () => {
    const paird = createPaird({ k: 3, loss: softmaxLoss });
    const batch = twoSessions();
    const weights = tf.tidy(() => tf.variable(tf.zeros([2, 3])));
    const before = tf.memory().numTensors;
    const optimizer = tf.train.adam(0.1);
    optimizer.minimize(() => paird.loss({ ...batch, scores: tf.add(batch.scores, weights) as tf.Tensor2D }), true, [
      weights,
    ])?.dispose();
    paird.afterStep?.(batch);
    optimizer.dispose();
    expect(tf.memory().numTensors).toBe(before);
    weights.dispose();
    disposeClickBatch(batch);
    paird.dispose();
  });

  it('under PBM clicks with a frozen ranker, t⁺ falls with rank', async () => {
    // With p = 1 the closed form takes the square root of loss ratios, so t⁺ is a damped position
    // effect rather than θ itself: this checks the shape only, t⁺ strictly decreasing, well below 1.
    const k = 5;
    const { gamma, clicks } = simulatePbm(400, inverseRank(k), 5);
    const batch = makeBatch({ scores: gamma.map((row) => row.map(Math.log)), clicks });
    const paird = createPaird({ k, loss: softmaxLoss, emStepSize: 1 });
    for (let i = 0; i < 20; i++) paird.afterStep?.(batch);
    const t = (await paird.propensities()) ?? [];
    for (let r = 1; r < k; r++) expect(t[r]).toBeLessThan(t[r - 1]);
    expect(t[k - 1]).toBeLessThan(0.8);
    disposeClickBatch(batch);
    paird.dispose();
  });
});
