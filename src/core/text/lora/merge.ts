import type { BertConfig } from '../model/config';
import { exportBertOnnx, type OnnxExportOptions } from '../model/onnx-export';
import { checkBertWeights, type BertWeights, type WeightData } from '../model/params';
import { writeSafetensors } from '../model/safetensors';
import type { Adaptation } from './adaptation';
import type { LoraAdapters } from './lora';

/**
 * Folding trained LoRA adapters into the base model: each targeted Linear weight W [out, in]
 * becomes W + scale·B·A, the same weight effectiveParams builds for training, so the merged model
 * is an ordinary BertForSequenceClassification that needs no LoRA support to load or run
 * (PEFT's `merge_and_unload`). Computed in plain JavaScript (float64 sums, rounded once to float32)
 * from the adapters' current values; the base weights are not modified.
 */

/**
 * A new weights record in the base's (state-dict) order: targeted weights merged, every other
 * entry shared with `base` unchanged. Where scale·B·A is exactly zero (B = 0, an untrained
 * adapter) the merged weight is bit-identical to the base one.
 */
export function mergeLoraWeights(base: BertWeights, l: LoraAdapters): BertWeights {
  const factors = l.adapters.map((ad): LowRankFactors => {
    const w = base.get(`${ad.module}.weight`);
    const [r, aIn] = ad.a.shape;
    const [bOut, bR] = ad.b.shape;
    if (w && (w.shape.length !== 2 || bOut !== w.shape[0] || aIn !== w.shape[1] || bR !== r)) {
      throw new Error(`LoRA merge: '${ad.module}' adapter gives B [${ad.b.shape.join(', ')}]·A [${ad.a.shape.join(', ')}], the weight is [${w.shape.join(', ')}]`);
    }
    return { module: ad.module, k: r, left: ad.b.dataSync(), right: ad.a.dataSync(), scale: l.scale };
  });
  return mergeFactors(base, factors);
}

/** One module's update as plain low-rank factors: ΔW = scale·left·right, left [out, k], right [k, in], row-major. */
export interface LowRankFactors {
  module: string;
  k: number;
  left: ArrayLike<number>;
  right: ArrayLike<number>;
  scale: number;
}

/** The base weights with every module's low-rank update added (other entries shared, not copied). */
export function mergeFactors(base: BertWeights, updates: LowRankFactors[]): BertWeights {
  const merged: BertWeights = new Map(base);
  for (const u of updates) {
    const name = `${u.module}.weight`;
    const w = base.get(name);
    if (!w) throw new Error(`merge: the model has no '${name}'`);
    merged.set(name, addLowRankUpdate(w, u.left, u.right, u.k, u.scale));
  }
  return merged;
}

/**
 * W + scale·L·R for W [out, in], L [out, k], R [k, in] (row-major), summed in float64 and rounded
 * once. Every low-rank variant merges through this. Where the update is exactly zero the weight
 * stays bit-identical (W + 0 would turn a −0 into +0).
 */
export function addLowRankUpdate(w: WeightData, left: ArrayLike<number>, right: ArrayLike<number>, k: number, scale: number): WeightData {
  const [out, inp] = w.shape;
  if (w.shape.length !== 2 || left.length !== out * k || right.length !== k * inp) {
    throw new Error(`low-rank merge: [${out}, ${k}]·[${k}, ${inp}] does not fit a [${w.shape.join(', ')}] weight`);
  }
  const data = new Float32Array(w.data.length);
  for (let i = 0; i < out; i++) {
    for (let j = 0; j < inp; j++) {
      let s = 0;
      for (let q = 0; q < k; q++) s += left[i * k + q] * right[q * inp + j];
      const d = scale * s;
      data[i * inp + j] = d === 0 ? w.data[i * inp + j] : w.data[i * inp + j] + d;
    }
  }
  return { shape: [...w.shape], data };
}

export interface MergedModelExport {
  /** model.safetensors of the merged model (HF names, float32). */
  safetensors: Uint8Array;
  /** model.onnx of the merged model (same signature as exportBertOnnx). */
  onnx: Uint8Array;
}

/** Any fine-tuned model (an Adaptation folded into its base) in both export formats. */
export async function exportMergedAdaptation(c: BertConfig, base: BertWeights, adaptation: Adaptation, opts: OnnxExportOptions = {}): Promise<MergedModelExport> {
  checkBertWeights(c, base);
  const merged = await adaptation.merge(base);
  return { safetensors: writeSafetensors(merged), onnx: exportBertOnnx(c, merged, opts) };
}

/** The merged model in both export formats, via the existing writers. */
export function exportMergedModel(c: BertConfig, base: BertWeights, l: LoraAdapters, opts: OnnxExportOptions = {}): MergedModelExport {
  checkBertWeights(c, base);
  const merged = mergeLoraWeights(base, l);
  return { safetensors: writeSafetensors(merged), onnx: exportBertOnnx(c, merged, opts) };
}
