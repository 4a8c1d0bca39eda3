import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useCpuBackend } from '../../../test-support/cpu-backend';
import { ADAPTATION_KINDS, type AdaptationKind } from '../lora/adaptation';
import { adaptationCount } from '../lora/adaptations';
import type { BertParams } from '../model/params';
import { AdaptRun } from './run';
import { baseParams, config, data, tokenizer, trainConfig } from './test-fixtures';

/**
 * Every fine-tuning method through the real training loop: the trainer only knows the Adaptation
 * interface, so these check that each kind's hooks (ALLoRA's gradient scaling, SoRA's proximal
 * step, DyLoRA's rank sampling, the full references' trainable copies) are wired and learn.
 */

let base: BertParams;
beforeAll(async () => {
  await useCpuBackend();
  base = baseParams();
});
afterAll(() => tf.dispose([...base.values()]));

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const STEPS = 16;

async function train(kind: AdaptationKind, learningRate: number, extra: Partial<ReturnType<typeof trainConfig>['adaptation']> = {}) {
  const cfg = trainConfig({ steps: STEPS, evalEvery: STEPS, learningRate, adaptation: { ...trainConfig().adaptation, kind, ...extra } });
  const run = await AdaptRun.create(config, base, tokenizer, data, cfg);
  try {
    const losses: number[] = [];
    while (!run.done) losses.push((await run.step()).loss);
    await run.evaluate();
    return { losses, count: run.count, summary: await run.summary() };
  } finally {
    run.dispose();
  }
}

const frozenLosses = new Map<string, number[]>();
async function frozen(kind: AdaptationKind): Promise<number[]> {
  const got = frozenLosses.get(kind) ?? (await train(kind, 1e-12)).losses;
  frozenLosses.set(kind, got);
  return got;
}

describe('every fine-tuning method trains through AdaptRun', () => {
  it.each(ADAPTATION_KINDS.map((k) => [k]))('%s lowers the training loss and reports its trainable count', async (kind) => {
    const lr = kind === 'full' ? 3e-3 : kind === 'svfit' ? 1e-1 : 3e-2;
    const trained = await train(kind, lr);
    expect(trained.count).toEqual(adaptationCount({ ...trainConfig().adaptation, kind }, config));
    expect(trained.count.trainable).toBeGreaterThan(0);
    const still = await frozen(kind);
    // Same batches (they do not depend on the weights): the trained run's last steps must be better.
    // SVFit trains r singular values per layer (16 numbers in all here), so it moves least.
    const margin = kind === 'svfit' ? 0.99 : 0.97;
    expect(mean(trained.losses.slice(-6))).toBeLessThan(margin * mean(still.slice(-6)));
  });

  it('SoRA prunes ranks under a strong L1 step and reports the learned rank per module', async () => {
    const { summary } = await train('sora', 3e-2, { soraLambda: 20 });
    const ranks = summary.report.ranks ?? [];
    expect(ranks.length).toBeGreaterThan(0);
    expect(ranks.every((m) => m.of === 4 && m.rank >= 0 && m.rank <= 4)).toBe(true);
    expect(ranks.some((m) => m.rank < 4)).toBe(true);
  });

  it('DyLoRA can be read at every rank up to r after training', async () => {
    const { summary } = await train('dylora', 3e-2);
    expect(summary.report.inferenceRanks).toEqual([1, 2, 3, 4]);
  });
});
