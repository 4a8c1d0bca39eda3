import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useCpuBackend } from '../../../../test-support/cpu-backend';
import { createRng } from '../../../experiment/rng';
import { softmaxLoss } from '../../../rank/losses';
import { clippedStep, createOptimizer } from '../../../rank/optim';
import { bertLogits } from '../../model/bert';
import { countParams, weightsToParams, type BertParams } from '../../model/params';
import { batchOf, randomWeights, tinyConfig } from '../../model/test-helpers';
import { DEFAULT_ADAPTATION, type Adaptation, type AdaptationConfig } from '../adaptation';
import { adaptationCount, availableAdaptations, createAdaptation } from '../adaptations';
import { fullFactory, headFactory, isHeadParam } from './full';

beforeAll(async () => {
  await useCpuBackend();
});

const cfg = tinyConfig();
const HEAD = ['bert.pooler.dense.weight', 'bert.pooler.dense.bias', 'classifier.weight', 'classifier.bias'];
// Two lists of three pairs of different lengths (padding included), with graded labels.
const rows = [
  { ids: [2, 7, 8, 3, 9, 10, 11, 3], types: [0, 0, 0, 0, 1, 1, 1, 1] },
  { ids: [2, 5, 3, 12, 3], types: [0, 0, 0, 1, 1] },
  { ids: [2, 7, 3, 13, 14, 15, 16, 17, 18, 3], types: [0, 0, 0, 1, 1, 1, 1, 1, 1, 1] },
  { ids: [2, 19, 20, 3, 21, 3], types: [0, 0, 0, 0, 1, 1] },
  { ids: [2, 22, 3, 23, 24, 25, 3], types: [0, 0, 0, 1, 1, 1, 1] },
  { ids: [2, 26, 27, 28, 3, 29, 3], types: [0, 0, 0, 0, 0, 1, 1] },
];
const batch = batchOf(rows);
const labels = [2, 0, 1, 0, 1, 0];
const ac = (kind: 'head' | 'full'): AdaptationConfig => ({ ...DEFAULT_ADAPTATION, kind });
const ctx = { training: true, rng: createRng(1) };

const logitsOf = (params: BertParams): Float32Array => {
  const t = tf.tidy(() => bertLogits(cfg, params, batch));
  const v = t.dataSync().slice() as Float32Array;
  t.dispose();
  return v;
};
const bytes = (t: tf.Tensor): Buffer => Buffer.from((t.dataSync() as Float32Array).slice().buffer);

function train(a: Adaptation, base: BertParams, steps: number): void {
  const optimizer = createOptimizer('adam', 0.01);
  for (let i = 0; i < steps; i++) {
    const { loss, norm } = clippedStep(
      optimizer,
      () =>
        tf.tidy(() => {
          const scores = tf.reshape(bertLogits(cfg, a.forward(base, ctx).params, batch), [2, 3]) as tf.Tensor2D;
          return softmaxLoss({ scores, labels: tf.tensor2d(labels, [2, 3]), mask: tf.ones([2, 3]) as tf.Tensor2D });
        }),
      a.variables,
      1,
    );
    tf.dispose([loss, norm]);
  }
  optimizer.dispose();
}

describe.each(['head', 'full'] as const)('%s fine-tuning', (kind) => {
  const trained = (name: string) => kind === 'full' || isHeadParam(name);

  it('starts exactly at the base model', async () => {
    const weights = randomWeights(cfg, 3);
    const base = weightsToParams(cfg, weights);
    const a = await createAdaptation(ac(kind), cfg, base, createRng(2));
    const { params, linearDelta } = a.forward(base, ctx);
    expect(linearDelta).toBeUndefined();
    expect([...params.keys()]).toEqual([...base.keys()]);
    for (const [name, t] of params) {
      if (trained(name)) {
        expect(t).not.toBe(base.get(name));
        expect(a.variables).toContain(t);
        expect(bytes(t).equals(bytes(base.get(name)!))).toBe(true);
      } else expect(t).toBe(base.get(name));
    }
    expect(Array.from(logitsOf(params))).toEqual(Array.from(logitsOf(base)));
    a.dispose();
    tf.dispose([...base.values()]);
  });

  it('trains only its tensors, leaves the base bit-identical, and merges to what forward scores', async () => {
    const weights = randomWeights(cfg, 4);
    const base = weightsToParams(cfg, weights);
    const before = new Map([...base].map(([n, t]) => [n, bytes(t)]));
    const a = await createAdaptation(ac(kind), cfg, base, createRng(2));
    const initial = logitsOf(base);
    train(a, base, 3);

    for (const [name, t] of base) expect(bytes(t).equals(before.get(name)!)).toBe(true);
    const params = a.forward(base, ctx).params;
    const changed = [...params].filter(([name, t]) => !bytes(t).equals(before.get(name)!)).map(([name]) => name);
    // Every trained tensor moved (Adam's first steps move every parameter with a gradient), no other did.
    expect(changed).toEqual([...base.keys()].filter(trained));
    expect(changed).toEqual(kind === 'head' ? HEAD : [...base.keys()]);
    const adapted = logitsOf(params);
    expect(Math.max(...Array.from(adapted, (v, i) => Math.abs(v - initial[i])))).toBeGreaterThan(1e-3);

    const merged = await a.merge(weights);
    expect([...merged.keys()]).toEqual([...weights.keys()]);
    for (const [name, w] of weights) {
      if (!trained(name)) expect(merged.get(name)).toBe(w);
      else expect(Buffer.from(merged.get(name)!.data.buffer).equals(bytes(params.get(name)!))).toBe(true);
    }
    // The record passed in is not modified.
    for (const [name, w] of weights) expect(Buffer.from(w.data.slice().buffer).equals(before.get(name)!)).toBe(true);
    const mergedParams = weightsToParams(cfg, merged);
    expect(Array.from(logitsOf(mergedParams))).toEqual(Array.from(adapted));
    tf.dispose([...mergedParams.values()]);
    a.dispose();
    tf.dispose([...base.values()]);
  });

  it('counts its trainable parameters against the whole model', async () => {
    const H = cfg.hidden_size;
    const expected = kind === 'head' ? H * H + H + H + 1 : countParams(cfg);
    const count = adaptationCount(ac(kind), cfg);
    expect(count).toEqual({ trainable: expected, base: countParams(cfg), percentOfModel: (100 * expected) / countParams(cfg) });
    const base = weightsToParams(cfg, randomWeights(cfg, 1));
    const a = await createAdaptation(ac(kind), cfg, base, createRng(1));
    expect(a.count).toEqual(count);
    expect(a.variables.reduce((n, v) => n + v.size, 0)).toBe(expected);
    a.dispose();
    tf.dispose([...base.values()]);
  });

  it('leaks no tensor once disposed (training included)', async () => {
    const base = weightsToParams(cfg, randomWeights(cfg, 5));
    const start = tf.memory().numTensors;
    const a = await createAdaptation(ac(kind), cfg, base, createRng(1));
    train(a, base, 2);
    await a.merge(randomWeights(cfg, 5));
    a.dispose();
    expect(tf.memory().numTensors).toBe(start);
    tf.dispose([...base.values()]);
  });
});

describe('registry', () => {
  it('offers head and full fine-tuning, with the pooler counted as head', () => {
    expect(availableAdaptations()).toEqual(expect.arrayContaining(['lora', 'head', 'full']));
    expect(headFactory.summary).toMatch(/pooler/);
    expect(fullFactory.kind).toBe('full');
    expect(bertHeadNames()).toEqual(HEAD);
  });

  it('refuses a base that lacks a trained tensor', async () => {
    const base = weightsToParams(cfg, randomWeights(cfg, 1));
    const partial = new Map(base);
    partial.delete('classifier.bias');
    await expect(headFactory.create(ac('head'), cfg, partial, createRng(1))).rejects.toThrow(/no 'classifier\.bias'/);
    tf.dispose([...base.values()]);
  });
});

function bertHeadNames(): string[] {
  return [...randomWeights(cfg, 1).keys()].filter(isHeadParam);
}
