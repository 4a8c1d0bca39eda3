import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { beforeAll, describe, expect, it } from 'vitest';
import { useCpuBackend } from '../../../test-support/cpu-backend';
import { pointwiseLoss, rankNetLoss, type LossFn, type LossInput } from '../losses';
import { stopGradient } from './common';
import { createEstimator, ESTIMATOR_NAMES } from './index';
import { disposeClickBatch, lossValue, makeBatch, softmaxLoss } from './test-fixtures';

beforeAll(async () => {
  await useCpuBackend();
});

/** A LossFn that records the labels it was given, then defers to the softmax loss. */
function spyLoss(): { loss: LossFn; labels: () => number[][]; inputs: LossInput[] } {
  let seen: number[][] = [];
  const inputs: LossInput[] = [];
  return {
    loss: (input) => {
      seen = input.labels.arraySync();
      inputs.push(input);
      return softmaxLoss(input);
    },
    labels: () => seen,
    inputs,
  };
}

const plain = {
  scores: [
    [1, 0.5, -1],
    [0, 2, 1],
  ],
  clicks: [
    [0, 1, 1],
    [1, 0, 1],
  ],
  labels: [
    [2, 0, 1],
    [0, 3, 0],
  ],
  mask: [
    [1, 1, 1],
    [1, 1, 0],
  ],
};

describe('oracle and naive', () => {
  it('oracle is the configured loss on the true labels; naive the same loss on clicks', () => {
    for (const loss of [softmaxLoss, rankNetLoss, pointwiseLoss]) {
      const batch = makeBatch(plain);
      const plainLoss = (labels: tf.Tensor2D) =>
        tf.tidy(() => loss({ scores: batch.scores, labels, mask: batch.mask }).dataSync()[0]);
      const onLabels = plainLoss(batch.labels);
      const onClicks = plainLoss(batch.clicks);
      const oracle = createEstimator('oracle', { k: 3, loss });
      const naive = createEstimator('naive', { k: 3, loss });
      expect(lossValue(oracle, batch)).toBeCloseTo(onLabels, 6);
      expect(lossValue(naive, batch)).toBeCloseTo(onClicks, 6);
      disposeClickBatch(batch);
    }
  });

  it('pass the batch uniforms through to stochastic losses', () => {
    const spy = spyLoss();
    const batch = { ...makeBatch(plain), uniforms: tf.ones([2, 2, 3]) as tf.Tensor3D };
    lossValue(createEstimator('oracle', { k: 3, loss: spy.loss }), batch);
    expect(spy.inputs[0].uniforms).toBe(batch.uniforms);
    disposeClickBatch(batch);
  });
});

describe('ips', () => {
  it('labels are clicks · θ_1/θ_r, by hand; propensities() reports θ_r/θ_1', async () => {
    // θ = [0.8, 0.4, 0.2] → relative [1, 0.5, 0.25] → weights [1, 2, 4].
    const spy = spyLoss();
    const ips = createEstimator('ips', { k: 3, loss: spy.loss, propensities: [0.8, 0.4, 0.2] });
    const batch = makeBatch(plain);
    lossValue(ips, batch);
    expect(spy.labels()).toEqual([
      [0, 2, 4],
      [1, 0, 0], // the click on the pad is dropped
    ]);
    expect(await ips.propensities()).toEqual([1, 0.5, 0.25]);
    disposeClickBatch(batch);
    ips.dispose();
  });

  it('clips relative propensities from below, so no weight exceeds 1/clip', async () => {
    const spy = spyLoss();
    const ips = createEstimator('ips', { k: 3, loss: spy.loss, propensities: [1, 0.5, 0.1], clip: 0.2 });
    const batch = makeBatch(plain);
    lossValue(ips, batch);
    expect(spy.labels()[0]).toEqual([0, 2, 5]);
    expect(await ips.propensities()).toEqual([1, 0.5, 0.2]);
    disposeClickBatch(batch);
    ips.dispose();
  });

  it('refuses missing, short or non-positive propensities with a message saying what is wrong', () => {
    expect(() => createEstimator('ips', { k: 3, loss: softmaxLoss })).toThrow(/propensity for each of the 3 ranks/);
    expect(() => createEstimator('ips', { k: 3, loss: softmaxLoss, propensities: [1, 0.5] })).toThrow(/got 2/);
    expect(() => createEstimator('ips', { k: 2, loss: softmaxLoss, propensities: [1, 0] })).toThrow(/positive/);
    expect(() => createEstimator('ips', { k: 2, loss: softmaxLoss, propensities: [1, 1], clip: 2 })).toThrow(/clip/);
  });

  it('uses the first k propensities of a longer table', async () => {
    const ips = createEstimator('ips', { k: 2, loss: softmaxLoss, propensities: [0.68, 0.61, 0.48] });
    const ratios = (await ips.propensities()) ?? [];
    expect(ratios).toHaveLength(2);
    expect(ratios[1]).toBeCloseTo(0.61 / 0.68, 6);
    ips.dispose();
  });
});

describe('createEstimator', () => {
  it('builds every estimator: right name, finite loss on a padded batch, no leaked tensor', async () => {
    const batch = makeBatch(plain);
    for (const name of ESTIMATOR_NAMES) {
      const before = tf.memory().numTensors;
      const estimator = createEstimator(name, { k: 3, loss: softmaxLoss, propensities: [1, 0.5, 0.33] });
      expect(estimator.name).toBe(name);
      const optimizer = tf.train.adam(0.01);
      const offset = tf.tidy(() => tf.variable(tf.zeros([2, 3])));
      const loss = optimizer.minimize(
        () => estimator.loss({ ...batch, scores: tf.add(batch.scores, offset) as tf.Tensor2D }),
        true,
        [offset, ...estimator.variables],
      );
      expect(Number.isFinite(loss?.dataSync()[0])).toBe(true);
      loss?.dispose();
      estimator.afterStep?.(batch);
      const ratios = await estimator.propensities();
      if (name === 'oracle' || name === 'naive') expect(ratios).toBeNull();
      else expect(ratios).toHaveLength(3);
      optimizer.dispose();
      offset.dispose();
      estimator.dispose();
      expect(tf.memory().numTensors).toBe(before);
    }
    disposeClickBatch(batch);
  });

  it('gives every variable a unique name, so two runs can coexist', () => {
    const a = createEstimator('dla', { k: 3, loss: softmaxLoss });
    const b = createEstimator('dla', { k: 3, loss: softmaxLoss });
    expect(a.variables[0].name).not.toBe(b.variables[0].name);
    a.dispose();
    b.dispose();
  });

  it('rejects a batch whose width is not k, and a bad k', () => {
    const dla = createEstimator('dla', { k: 4, loss: softmaxLoss });
    const batch = makeBatch(plain);
    expect(() => dla.loss(batch)).toThrow(/3 ranks per session but the estimator was built for k = 4/);
    expect(() => createEstimator('pal', { k: 0, loss: softmaxLoss })).toThrow(/positive integer/);
    disposeClickBatch(batch);
    dla.dispose();
  });
});

describe('stopGradient', () => {
  it('is the identity forward and cuts the tape backward', () => {
    // f(x) = Σ stop(x)·x → df/dx = stop(x) = x, not 2x.
    const x = tf.tensor1d([1, -2, 3]);
    const [value, grad] = tf.tidy(() => {
      const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(stopGradient(t), t)))(x);
      return [Array.from(stopGradient(x).dataSync()), Array.from(g.dataSync())];
    });
    expect(value).toEqual([1, -2, 3]);
    expect(grad).toEqual([1, -2, 3]);
    x.dispose();
  });
});
