import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../../experiment/rng';
import { checkBertConfig, type BertConfig } from '../model/config';
import { countParams, type BertParams } from '../model/params';
import type { TrainableCount } from './adaptation';

/**
 * LoRA (Hu et al. 2021) on the dense layers of the BERT cross-encoder: a frozen Linear weight
 * W [out, in] is used as W' = W + (alpha / r)·B·A with A [r, in] and B [out, r] trainable.
 * B starts at zero, so an untrained adapter scores exactly as the base model does.
 *
 * Applied as an "effective weight": inside the training closure the targeted weights of the base
 * params are replaced by W + scale·B·A and the unchanged bertLogits runs on them. This costs one
 * [out, in] matrix per targeted module per step (as merging would) but needs no hook in bert.ts.
 * Training goes through lora-adaptation.ts instead, which adds scale·(dropout(x)·Aᵀ)·Bᵀ to the
 * layer's output (PEFT's forward), so LoRA dropout applies there.
 */

/** The dense layers LoRA can target, named by their path inside `bert.encoder.layer.N`. */
export const LORA_TARGETS = ['query', 'key', 'value', 'attention.output.dense', 'intermediate.dense', 'output.dense'] as const;
export type LoraTarget = (typeof LORA_TARGETS)[number];

/** Where each target sits inside an encoder layer (HF module path). */
export const TARGET_PATH: Record<LoraTarget, string> = {
  query: 'attention.self.query',
  key: 'attention.self.key',
  value: 'attention.self.value',
  'attention.output.dense': 'attention.output.dense',
  'intermediate.dense': 'intermediate.dense',
  'output.dense': 'output.dense',
};

export interface LoraConfig {
  r: number;
  alpha: number;
  /** PEFT's lora_dropout: on the adapter's input x only, while training (lora-adaptation.ts). */
  dropout: number;
  targetModules: LoraTarget[];
}

/** One adapted Linear: A [r, in] and B [out, r], both trainable variables. */
export interface LoraAdapter {
  /** HF module path, e.g. `bert.encoder.layer.0.attention.self.query` (its weight is `${module}.weight`). */
  module: string;
  a: tf.Variable;
  b: tf.Variable;
}

export interface LoraAdapters {
  config: LoraConfig;
  /** alpha / r. */
  scale: number;
  /** In module order: layer by layer, targets in LORA_TARGETS order (the state-dict order). */
  adapters: LoraAdapter[];
}

/** PEFT's default for BERT is query + value; r = 8, alpha = 8 as in PEFT's LoraConfig defaults. */
export const DEFAULT_LORA_CONFIG: LoraConfig = { r: 8, alpha: 8, dropout: 0, targetModules: ['query', 'value'] };

export function checkLoraConfig(c: LoraConfig): LoraConfig {
  if (!(Number.isInteger(c.r) && c.r > 0)) throw new Error(`LoRA: r must be a positive integer, got ${String(c.r)}`);
  if (!(typeof c.alpha === 'number' && Number.isFinite(c.alpha) && c.alpha > 0)) throw new Error(`LoRA: alpha must be positive, got ${String(c.alpha)}`);
  if (!(typeof c.dropout === 'number' && c.dropout >= 0 && c.dropout < 1)) throw new Error(`LoRA: dropout must be in [0, 1), got ${String(c.dropout)}`);
  if (!Array.isArray(c.targetModules) || c.targetModules.length === 0) throw new Error('LoRA: target at least one module');
  for (const t of c.targetModules) if (!LORA_TARGETS.includes(t)) throw new Error(`LoRA: unknown target module '${String(t)}' (one of ${LORA_TARGETS.join(', ')})`);
  if (new Set(c.targetModules).size !== c.targetModules.length) throw new Error('LoRA: a target module is listed twice');
  return c;
}

/** [out, in] of a target's weight. */
function targetShape(c: BertConfig, t: LoraTarget): [number, number] {
  const H = c.hidden_size;
  if (t === 'intermediate.dense') return [c.intermediate_size, H];
  if (t === 'output.dense') return [H, c.intermediate_size];
  return [H, H];
}

export interface LoraModuleSpec {
  module: string;
  target: LoraTarget;
  out: number;
  in: number;
}

/** The adapted modules in state-dict order, with their Linear shapes. */
export function loraModuleSpecs(lc: LoraConfig, c: BertConfig): LoraModuleSpec[] {
  checkLoraConfig(lc);
  checkBertConfig(c);
  const specs: LoraModuleSpec[] = [];
  for (let i = 0; i < c.num_hidden_layers; i++) {
    for (const t of LORA_TARGETS) {
      if (!lc.targetModules.includes(t)) continue;
      const [out, inp] = targetShape(c, t);
      specs.push({ module: `bert.encoder.layer.${i}.${TARGET_PATH[t]}`, target: t, out, in: inp });
    }
  }
  return specs;
}

/**
 * Fresh adapters: A ~ U(-1/√in, 1/√in) (PEFT's kaiming_uniform_(a=√5) bound), drawn in JavaScript
 * from a fork of `rng` named after the module so the same seed gives the same A on every backend;
 * B = 0. Dispose with disposeLoraAdapters.
 */
export function createLoraAdapters(lc: LoraConfig, c: BertConfig, rng: Rng): LoraAdapters {
  const adapters = loraModuleSpecs(lc, c).map((s) => {
    const r = rng.fork(`lora.${s.module}`);
    const bound = 1 / Math.sqrt(s.in);
    const a = new Float32Array(lc.r * s.in);
    for (let i = 0; i < a.length; i++) a[i] = (2 * r.next() - 1) * bound;
    return makeAdapter(s.module, { shape: [lc.r, s.in], data: a }, { shape: [s.out, lc.r], data: new Float32Array(s.out * lc.r) });
  });
  return { config: { ...lc, targetModules: [...lc.targetModules] }, scale: lc.alpha / lc.r, adapters };
}

/** An adapter from plain data (an import or a checkpoint). Variables get tfjs's unique auto names (names are global in tfjs). */
export function makeAdapter(module: string, a: { shape: number[]; data: Float32Array }, b: { shape: number[]; data: Float32Array }): LoraAdapter {
  // Inside tidy: tf.variable shares the initial tensor's data but does not own the tensor, so
  // without tidy each adapter would leave one tensor object behind after dispose.
  return tf.tidy(() => ({
    module,
    a: tf.variable(tf.tensor2d(a.data, a.shape as [number, number]), true),
    b: tf.variable(tf.tensor2d(b.data, b.shape as [number, number]), true),
  }));
}

export function disposeLoraAdapters(l: LoraAdapters): void {
  for (const ad of l.adapters) tf.dispose([ad.a, ad.b]);
}

/** The trainable variables, A then B per module (what an optimiser's varList takes). */
export function loraVariables(l: LoraAdapters): tf.Variable[] {
  return l.adapters.flatMap((ad) => [ad.a, ad.b]);
}

/** scale·B·A [out, in] for one adapter. */
export function loraDelta(l: LoraAdapters, ad: LoraAdapter): tf.Tensor2D {
  return tf.mul(tf.matMul(ad.b, ad.a), l.scale) as tf.Tensor2D;
}

/**
 * The base params with each targeted weight replaced by W + scale·B·A. Base tensors are shared,
 * not copied or modified; call inside tf.tidy / tf.variableGrads so the new weights are freed.
 */
export function effectiveParams(base: BertParams, l: LoraAdapters): Map<string, tf.Tensor> {
  const params = new Map(base);
  for (const ad of l.adapters) {
    const name = `${ad.module}.weight`;
    const w = base.get(name);
    if (!w) throw new Error(`LoRA: the model has no '${name}'`);
    const [out, inp] = w.shape;
    if (ad.b.shape[0] !== out || ad.a.shape[1] !== inp) {
      throw new Error(`LoRA: '${ad.module}' adapter gives [${ad.b.shape[0]}, ${ad.a.shape[1]}], the weight is [${w.shape.join(', ')}]`);
    }
    params.set(name, tf.add(w, loraDelta(l, ad)));
  }
  return params;
}

/** r·(in + out) per adapted module. */
export function loraParameterCount(lc: LoraConfig, c: BertConfig): TrainableCount {
  const trainable = loraModuleSpecs(lc, c).reduce((n, s) => n + lc.r * (s.in + s.out), 0);
  const base = countParams(c);
  return { trainable, base, percentOfModel: (100 * trainable) / base };
}
