import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '../../experiment/rng';
import { useCpuBackend } from '../../../test-support/cpu-backend';
import { createPal } from './pal';
import { disposeClickBatch, lossValue, makeBatch, softmaxLoss, trainEstimatorOnly } from './test-fixtures';

beforeAll(async () => {
  await useCpuBackend();
});

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
const softplus = (x: number) => Math.log1p(Math.exp(x));

/** Session 1: scores [0, 1], click on rank 1. Session 2: score 2, not clicked, then a clicked pad. */
function handBatch() {
  return makeBatch({
    scores: [
      [0, 1],
      [2, 3],
    ],
    clicks: [
      [1, 0],
      [0, 1],
    ],
    mask: [
      [1, 1],
      [1, 0],
    ],
  });
}

describe('pal', () => {
  it('click logit = score + b_rank; sigmoid CE summed over shown slots, mean over sessions, by hand', () => {
    // b = [0.5, −1] → logits [[0.5, 0], [2.5, pad]]; CE(x, z) = softplus(x) − x·z.
    const pal = createPal({ k: 2, loss: softmaxLoss });
    pal.variables[0].assign(tf.tensor1d([0.5, -1]));
    const batch = handBatch();
    const expected = (softplus(0.5) - 0.5 + softplus(0) + softplus(2.5)) / 2;
    expect(lossValue(pal, batch)).toBeCloseTo(expected, 5);

    // d/db_r = Σ over shown slots at rank r of (σ(logit) − click) / nSessions; the pad adds nothing.
    const { grads } = tf.variableGrads(() => pal.loss(batch), pal.variables);
    const g = Array.from(grads[pal.variables[0].name].dataSync());
    expect(g[0]).toBeCloseTo((sigmoid(0.5) - 1 + sigmoid(2.5)) / 2, 5);
    expect(g[1]).toBeCloseTo(sigmoid(0) / 2, 5);
    tf.dispose(grads);
    disposeClickBatch(batch);
    pal.dispose();
  });

  it('starts with no position effect and reports σ(b_r)/σ(b_1)', async () => {
    const pal = createPal({ k: 3, loss: softmaxLoss });
    expect(await pal.propensities()).toEqual([1, 1, 1]);
    pal.variables[0].assign(tf.tensor1d([1, 0, -1]));
    const ratios = (await pal.propensities()) ?? [];
    [1, 0.5 / sigmoid(1), sigmoid(-1) / sigmoid(1)].forEach((v, r) => expect(ratios[r]).toBeCloseTo(v, 6));
    pal.dispose();
  });

  it('leaks no tensor through a training step', () => {
    const pal = createPal({ k: 2, loss: softmaxLoss });
    const batch = handBatch();
    const before = tf.memory().numTensors;
    const optimizer = tf.train.adam(0.1);
    optimizer.minimize(() => pal.loss(batch), true, pal.variables)?.dispose();
    optimizer.dispose();
    expect(tf.memory().numTensors).toBe(before);
    disposeClickBatch(batch);
    pal.dispose();
  });

  it('recovers the per-rank biases of clicks drawn from the additive model (200 Adam steps)', () => {
    // 1500 sessions, k = 5, frozen scores ~ N(0, 1), clicks ~ Bernoulli(σ(s + b*_r)).
    const truth = [0, -0.5, -1, -1.5, -2];
    const rng = createRng(3);
    const scores: number[][] = [];
    const clicks: number[][] = [];
    for (let s = 0; s < 1500; s++) {
      const row = truth.map(() => rng.normal());
      scores.push(row);
      clicks.push(row.map((x, r) => (rng.next() < sigmoid(x + truth[r]) ? 1 : 0)));
    }
    const batch = makeBatch({ scores, clicks });
    const pal = createPal({ k: 5, loss: softmaxLoss });
    trainEstimatorOnly(pal, batch, 200, 0.05);
    const learned = Array.from(pal.variables[0].dataSync());
    // A logit estimated from ~1500 clicks-or-not has a standard error of about 0.06–0.09.
    learned.forEach((b, r) => expect(Math.abs(b - truth[r])).toBeLessThan(0.2));
    disposeClickBatch(batch);
    pal.dispose();
  });
});
