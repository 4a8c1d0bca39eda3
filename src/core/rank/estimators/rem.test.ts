import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { beforeAll, describe, expect, it } from 'vitest';
import { useCpuBackend } from '../../../test-support/cpu-backend';
import { createRem, remPosteriors } from './rem';
import {
  disposeClickBatch,
  inverseRank,
  lossValue,
  makeBatch,
  naiveRatios,
  simulatePbm,
  softmaxLoss,
} from './test-fixtures';

beforeAll(async () => {
  await useCpuBackend();
});

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
const logit = (p: number) => Math.log(p / (1 - p));
const softplus = (x: number) => Math.log1p(Math.exp(x));

describe('rem', () => {
  it('E-step posteriors, by hand', () => {
    // θ = [0.8, 0.4], γ = [0.5, 0.25], no click:
    //   rank 1: P(E=1,R=0|C=0) = 0.8·0.5/(1 − 0.4) = 2/3,  P(E=0,R=1|C=0) = 0.2·0.5/0.6 = 1/6;
    //   rank 2: P(E=1,R=0|C=0) = 0.4·0.75/(1 − 0.1) = 1/3, P(E=0,R=1|C=0) = 0.6·0.25/0.9 = 1/6.
    // A click is E=1, R=1 whatever θ and γ.
    const [examined, relevant] = tf.tidy(() => {
      const post = remPosteriors(
        tf.tensor2d([
          [0, 0],
          [1, 1],
        ]),
        tf.tensor1d([0.8, 0.4]),
        tf.tensor2d([
          [0.5, 0.25],
          [0.5, 0.25],
        ]),
      );
      return [post.examined.arraySync(), post.relevant.arraySync()];
    });
    [2 / 3, 1 / 3].forEach((v, r) => expect(examined[0][r]).toBeCloseTo(v, 6));
    [1 / 6, 1 / 6].forEach((v, r) => expect(relevant[0][r]).toBeCloseTo(v, 6));
    expect(examined[1]).toEqual([1, 1]);
    expect(relevant[1]).toEqual([1, 1]);
  });

  it('starts at θ = 0.9 everywhere with a zero logit offset; propensities are θ_k/θ_1', async () => {
    const rem = createRem({ k: 3, loss: softmaxLoss });
    expect(await rem.examination()).toEqual([0.9, 0.9, 0.9].map(Math.fround));
    expect(await rem.propensities()).toEqual([1, 1, 1]);
    expect(rem.variables).toHaveLength(1);
    expect(rem.variables[0].shape).toEqual([]);
    rem.setExamination([0.8, 0.4, 0.2]);
    const ratios = (await rem.propensities()) ?? [];
    [1, 0.5, 0.25].forEach((v, r) => expect(ratios[r]).toBeCloseTo(v, 6));
    expect(() => rem.setExamination([1, 2, 0.5])).toThrow(/probabilities/);
    rem.dispose();
  });

  it('ranker loss: sigmoid CE against the posterior P(R=1), summed over shown slots, mean over sessions', () => {
    // Session 1: scores [0, logit 0.25], clicks [1, 0] → targets [1, q] with θ = 0.9, γ = 0.25:
    //   q = 0.1·0.25/(1 − 0.225) = 0.025/0.775. CE(s, z) = softplus(s) − s·z.
    // Session 2: score 1 clicked, then a pad (ignored). Loss = (CE₁₁ + CE₁₂ + CE₂₁)/2.
    const rem = createRem({ k: 2, loss: softmaxLoss });
    const s = logit(0.25);
    const q = 0.025 / 0.775;
    const batch = makeBatch({
      scores: [
        [0, s],
        [1, 7],
      ],
      clicks: [
        [1, 0],
        [1, 1],
      ],
      mask: [
        [1, 1],
        [1, 0],
      ],
    });
    const expected = (softplus(0) - 0 + softplus(s) - s * q + softplus(1) - 1) / 2;
    expect(lossValue(rem, batch)).toBeCloseTo(expected, 5);

    // The posterior is a fixed target: d loss/d s = (σ(s) − z)/nSessions, pads 0.
    const grad = tf.tidy(() =>
      tf.grad((x: tf.Tensor) => rem.loss({ ...batch, scores: x as tf.Tensor2D }))(batch.scores).arraySync(),
    ) as number[][];
    expect(grad[0][0]).toBeCloseTo((0.5 - 1) / 2, 5);
    expect(grad[0][1]).toBeCloseTo((0.25 - q) / 2, 5);
    expect(grad[1][0]).toBeCloseTo((sigmoid(1) - 1) / 2, 5);
    expect(grad[1][1]).toBeCloseTo(0, 6);
    disposeClickBatch(batch);
    rem.dispose();
  });

  it('M-step for θ, by hand: a running mean of P(E=1) over the shown impressions at each rank', async () => {
    // θ = 0.9, γ = 0.5 everywhere (scores 0): a non-click has P(E=1) = 0.9·0.5/(1 − 0.45) = 9/11.
    // Rank 1: one click and one non-click → mean (1 + 9/11)/2; rank 2: one non-click (the other slot
    // is a pad) → 9/11; rank 3: pads only → keeps 0.9. θ ← 0.95·0.9 + 0.05·mean.
    const rem = createRem({ k: 3, loss: softmaxLoss });
    const batch = makeBatch({
      scores: [
        [0, 0, 0],
        [0, 0, 0],
      ],
      clicks: [
        [1, 0, 1],
        [0, 1, 1],
      ],
      mask: [
        [1, 1, 0],
        [1, 0, 0],
      ],
    });
    const before = tf.memory().numTensors;
    rem.afterStep?.(batch);
    expect(tf.memory().numTensors).toBe(before);
    const theta = await rem.examination();
    const p = 9 / 11;
    expect(theta[0]).toBeCloseTo(0.95 * 0.9 + 0.05 * ((1 + p) / 2), 6);
    expect(theta[1]).toBeCloseTo(0.95 * 0.9 + 0.05 * p, 6);
    expect(theta[2]).toBeCloseTo(0.9, 6);
    const ratios = (await rem.propensities()) ?? [];
    expect(ratios[1]).toBeCloseTo(theta[1] / theta[0], 6);
    disposeClickBatch(batch);
    rem.dispose();
  });

  it('trains the logit offset as its variable and leaks no tensor', () => {
    const rem = createRem({ k: 2, loss: softmaxLoss });
    const batch = makeBatch({ scores: [[0.3, -0.2]], clicks: [[0, 1]] });
    const before = tf.memory().numTensors;
    const optimizer = tf.train.adam(0.1);
    optimizer.minimize(() => rem.loss(batch), true, rem.variables)?.dispose();
    rem.afterStep?.(batch);
    optimizer.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(rem.variables[0].dataSync()[0]).not.toBe(0);
    disposeClickBatch(batch);
    rem.dispose();
  });

  it('recovers θ_r = 1/r from PBM clicks given the true relevance (200 EM iterations)', async () => {
    // Same sessions as the DLA test (relevance sorted by rank). The frozen ranker scores logit γ, so
    // sigmoid(score) is the true relevance. The whole log is one batch, so emStepSize 1 is Wang et
    // al.'s batch EM; ULTRA's online 0.05 suits a stream of small batches and after 200 steps still
    // sits at 0.39 for rank 5 here (EM is slow where relevance is low).
    const k = 5;
    const truth = inverseRank(k);
    const { gamma, clicks } = simulatePbm(1500, truth, 11);
    const batch = makeBatch({ scores: gamma.map((row) => row.map(logit)), clicks });
    const rem = createRem({ k, loss: softmaxLoss, emStepSize: 1 });
    // No optimizer step: the offset stays 0 so relevance stays the true one; only the M-step runs.
    for (let i = 0; i < 200; i++) rem.afterStep?.(batch);
    const estimated = (await rem.propensities()) ?? [];
    expect(estimated).toHaveLength(k);
    // Seeds 1–4 and 11: largest error 0.028 (click sampling noise).
    estimated.forEach((p, r) => expect(Math.abs(p - truth[r])).toBeLessThan(0.04));
    expect(Math.max(...naiveRatios(clicks).map((p, r) => Math.abs(p - truth[r])))).toBeGreaterThan(0.1);
    disposeClickBatch(batch);
    rem.dispose();
  });
});
