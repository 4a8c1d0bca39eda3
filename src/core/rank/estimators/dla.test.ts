import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { beforeAll, describe, expect, it } from 'vitest';
import { useCpuBackend } from '../../../test-support/cpu-backend';
import { createDla } from './dla';
import {
  disposeClickBatch,
  inverseRank,
  lossValue,
  makeBatch,
  naiveRatios,
  simulatePbm,
  softmaxLoss,
  trainEstimatorOnly,
} from './test-fixtures';

beforeAll(async () => {
  await useCpuBackend();
});

const E = Math.E;
/** log(e¹ + e⁰ + e⁻¹): the log-partition of the scores [1, 0, −1] used below. */
const LSE_SCORES = Math.log(E + 1 + 1 / E);

describe('dla', () => {
  it('starts from uniform propensities, one trainable logit per rank', async () => {
    const dla = createDla({ k: 4, loss: softmaxLoss });
    expect(dla.variables).toHaveLength(1);
    expect(dla.variables[0].shape).toEqual([4]);
    expect(await dla.propensities()).toEqual([1, 1, 1, 1]);
    dla.dispose();
  });

  it('loss = ranker part + propensity part, by hand, at the uniform start', () => {
    // Scores [1, 0, −1], clicks [0, 1, 1]. Uniform θ̂ → propensity weights 1 → ranker labels = clicks:
    // softmax CE = −½(0 − LSE) − ½(−1 − LSE) = LSE + ½.
    // Relevance weights e^(s_1 − s_r) = [1, e, e²]; targets [0, e, e²] on a uniform softmax over 3
    // ranks: propensity loss = log 3 whatever the targets.
    const dla = createDla({ k: 3, loss: softmaxLoss });
    const batch = makeBatch({ scores: [[1, 0, -1]], clicks: [[0, 1, 1]] });
    expect(lossValue(dla, batch)).toBeCloseTo(LSE_SCORES + 0.5 + Math.log(3), 5);
    disposeClickBatch(batch);
    dla.dispose();
  });

  it('weights clicks by θ̂_1/θ̂_r and relevances by p_1/p_r, by hand, and clips both at 1/clip', () => {
    // Logits [0, −1, −2] → θ̂ ∝ [1, e⁻¹, e⁻²], weights θ̂_1/θ̂_r = [1, e, e²]; ranker labels [0, e, e²]:
    // ranker loss = −(e(0 − LSE) + e²(−1 − LSE))/(e + e²) = LSE + e/(1 + e).
    // Propensity: targets [0, e, e²], log softmax(l) = l − L with L = log(1 + e⁻¹ + e⁻²):
    // −(e(−1 − L) + e²(−2 − L))/(e + e²) = L + (1 + 2e)/(1 + e).
    const L = Math.log(1 + 1 / E + 1 / E ** 2);
    const batch = makeBatch({ scores: [[1, 0, -1]], clicks: [[0, 1, 1]] });

    const dla = createDla({ k: 3, loss: softmaxLoss });
    dla.variables[0].assign(tf.tensor1d([0, -1, -2]));
    expect(lossValue(dla, batch)).toBeCloseTo(LSE_SCORES + E / (1 + E) + L + (1 + 2 * E) / (1 + E), 5);

    // clip 0.2 → no weight above 5: e² ≈ 7.39 becomes 5 in both weightings.
    const clipped = createDla({ k: 3, loss: softmaxLoss, clip: 0.2 });
    clipped.variables[0].assign(tf.tensor1d([0, -1, -2]));
    const rankerClipped = LSE_SCORES + 5 / (E + 5);
    const propensityClipped = L + (E + 2 * 5) / (E + 5);
    expect(lossValue(clipped, batch)).toBeCloseTo(rankerClipped + propensityClipped, 5);

    disposeClickBatch(batch);
    dla.dispose();
    clipped.dispose();
  });

  it('each loss reaches only its own side: the weights carry no gradient', () => {
    // d/dl = softmax(l) − targets/Σtargets = [⅓, ⅓ − e/(e+e²), ⅓ − e²/(e+e²)] (the ranker part adds
    // nothing); d/ds = the plain softmax CE gradient softmax(s) − clicks/Σclicks (the relevance
    // weights add nothing).
    const dla = createDla({ k: 3, loss: softmaxLoss });
    const batch = makeBatch({ scores: [[1, 0, -1]], clicks: [[0, 1, 1]] });
    const { grads } = tf.variableGrads(() => dla.loss(batch), dla.variables);
    const gradLogits = Array.from(grads[dla.variables[0].name].dataSync());
    const expectedLogits = [1 / 3, 1 / 3 - E / (E + E * E), 1 / 3 - (E * E) / (E + E * E)];
    gradLogits.forEach((g, r) => expect(g).toBeCloseTo(expectedLogits[r], 5));
    tf.dispose(grads);

    const gradScores = tf.tidy(() =>
      Array.from(
        tf.grad((s: tf.Tensor) => dla.loss({ ...batch, scores: s as tf.Tensor2D }))(batch.scores).dataSync(),
      ),
    );
    const p = [E, 1, 1 / E].map((v) => v / (E + 1 + 1 / E));
    const expectedScores = [p[0], p[1] - 0.5, p[2] - 0.5];
    gradScores.forEach((g, r) => expect(g).toBeCloseTo(expectedScores[r], 5));
    disposeClickBatch(batch);
    dla.dispose();
  });

  it('pads contribute nothing: a padded slot with a click and a huge score changes no value', () => {
    const dla = createDla({ k: 3, loss: softmaxLoss });
    dla.variables[0].assign(tf.tensor1d([0, -0.5, -1]));
    const clean = makeBatch({ scores: [[1, 0, 0]], clicks: [[1, 1, 0]], mask: [[1, 1, 0]] });
    const dirty = makeBatch({ scores: [[1, 0, 80]], clicks: [[1, 1, 1]], mask: [[1, 1, 0]] });
    const value = lossValue(dla, clean);
    expect(Number.isFinite(value)).toBe(true);
    expect(lossValue(dla, dirty)).toBeCloseTo(value, 5);
    disposeClickBatch(clean);
    disposeClickBatch(dirty);
    dla.dispose();
  });

  it('leaks no tensor', () => {
    const dla = createDla({ k: 3, loss: softmaxLoss, clip: 0.1 });
    const batch = makeBatch({ scores: [[1, 0, -1]], clicks: [[0, 1, 1]] });
    const before = tf.memory().numTensors;
    lossValue(dla, batch);
    const optimizer = tf.train.adam(0.1);
    optimizer.minimize(() => dla.loss(batch), true, dla.variables)?.dispose();
    optimizer.dispose();
    expect(tf.memory().numTensors).toBe(before);
    disposeClickBatch(batch);
    dla.dispose();
  });

  it('learns θ_r = 1/r from PBM clicks with a frozen, correct ranker (200 Adam steps)', async () => {
    // 1500 sessions, k = 5, relevance γ ~ U[0.2, 0.9] shown in decreasing order (a logging ranker),
    // so clicks per rank fall faster than θ. The frozen ranker scores log γ: its softmax ratios
    // p_1/p_r are the true relevance ratios, and DLA's propensity optimum is θ_r/θ_1 = 1/r.
    const k = 5;
    const truth = inverseRank(k);
    const { gamma, clicks } = simulatePbm(1500, truth, 11);
    const batch = makeBatch({ scores: gamma.map((row) => row.map(Math.log)), clicks });
    const dla = createDla({ k, loss: softmaxLoss });
    trainEstimatorOnly(dla, batch, 200, 0.05);
    const estimated = (await dla.propensities()) ?? [];
    expect(estimated).toHaveLength(k);
    // Over seeds 1–4 and 11 the largest error was 0.025 (click sampling noise); 0.04 leaves room
    // without hiding a bias: the naive estimate (click-through rate per rank) is off by more than 0.1.
    estimated.forEach((p, r) => expect(Math.abs(p - truth[r])).toBeLessThan(0.04));
    const naive = naiveRatios(clicks);
    expect(Math.max(...naive.map((p, r) => Math.abs(p - truth[r])))).toBeGreaterThan(0.1);
    disposeClickBatch(batch);
    dla.dispose();
  });
});
