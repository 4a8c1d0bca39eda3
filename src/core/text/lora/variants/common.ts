import * as tf from '@tensorflow/tfjs-core';
import type { BertConfig } from '../../model/config';
import { countParams, type WeightData } from '../../model/params';
import type { StepContext, TrainableCount } from '../adaptation';
import { makeAdapter, type LoraConfig } from '../lora';
export { mergeFactors, type LowRankFactors } from '../merge';
import { exportPeftAdapter, type PeftAdapterFiles } from '../peft';

/** Helpers the LoRA variants share: counting, dropout on the adapter input, merging and PEFT export of plain factors. */

export function trainableCount(trainable: number, c: BertConfig): TrainableCount {
  const base = countParams(c);
  return { trainable, base, percentOfModel: (100 * trainable) / base };
}

/** PEFT's lora_dropout on the adapter's input, while training only; the seed comes from the step's Rng so a run replays. */
export function adapterInput(x: tf.Tensor2D, rate: number, ctx: StepContext): tf.Tensor2D {
  return ctx.training && rate > 0 ? (tf.dropout(x, rate, undefined, ctx.rng.int(2 ** 31)) as tf.Tensor2D) : x;
}

/** Columns [0, k) of a row-major [rows, cols] matrix. */
export function leadingColumns(m: ArrayLike<number>, rows: number, cols: number, k: number): Float32Array {
  const out = new Float32Array(rows * k);
  for (let i = 0; i < rows; i++) for (let q = 0; q < k; q++) out[i * k + q] = m[i * cols + q];
  return out;
}

/** A variable's values as a fresh Float32Array (safe to keep after the variable changes). */
export async function readValues(t: tf.Tensor): Promise<Float32Array> {
  return new Float32Array(await t.data());
}

/**
 * A plain PEFT LoRA file from factors already in LoRA form (A [r, in], B [out, r] per module, one
 * r for all). Goes through peft.ts's exportPeftAdapter on temporary variables so the layout and
 * config rules stay in one place; the temporaries are freed before returning.
 */
export async function exportLoraFactors(
  lc: LoraConfig,
  modules: { module: string; a: WeightData; b: WeightData }[],
  opts?: { baseModelNameOrPath?: string | null },
): Promise<PeftAdapterFiles> {
  const adapters = modules.map((m) => makeAdapter(m.module, m.a, m.b));
  try {
    return await exportPeftAdapter({ config: lc, scale: lc.alpha / lc.r, adapters }, opts);
  } finally {
    for (const ad of adapters) tf.dispose([ad.a, ad.b]);
  }
}
