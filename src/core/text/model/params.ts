import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../../experiment/rng';
import { checkBertConfig, type BertConfig } from './config';

/** A tensor as plain data (row-major float32): what safetensors and ONNX files hold. */
export interface WeightData {
  shape: number[];
  data: Float32Array;
}

/** Parameters by Hugging Face name, as plain data, in state-dict order. */
export type BertWeights = Map<string, WeightData>;

/** Parameters by Hugging Face name, on the tfjs backend (tensors or trainable variables). */
export type BertParams = ReadonlyMap<string, tf.Tensor>;

type InitKind = 'normal' | 'zeros' | 'ones' | 'embedding';

export interface ParamSpec {
  name: string;
  shape: number[];
  init: InitKind;
}

/**
 * Every parameter of BertForSequenceClassification, named and shaped as its PyTorch state dict:
 * Linear weights are [out, in]. The order is the state dict's, so files list them as HF does.
 */
export function bertParamSpecs(c: BertConfig): ParamSpec[] {
  checkBertConfig(c);
  const H = c.hidden_size;
  const specs: ParamSpec[] = [];
  const linear = (prefix: string, out: number, inp: number) => {
    specs.push({ name: `${prefix}.weight`, shape: [out, inp], init: 'normal' }, { name: `${prefix}.bias`, shape: [out], init: 'zeros' });
  };
  const layerNorm = (prefix: string) => {
    specs.push({ name: `${prefix}.weight`, shape: [H], init: 'ones' }, { name: `${prefix}.bias`, shape: [H], init: 'zeros' });
  };
  specs.push(
    { name: 'bert.embeddings.word_embeddings.weight', shape: [c.vocab_size, H], init: 'embedding' },
    { name: 'bert.embeddings.position_embeddings.weight', shape: [c.max_position_embeddings, H], init: 'normal' },
    { name: 'bert.embeddings.token_type_embeddings.weight', shape: [c.type_vocab_size, H], init: 'normal' },
  );
  layerNorm('bert.embeddings.LayerNorm');
  for (let i = 0; i < c.num_hidden_layers; i++) {
    const p = `bert.encoder.layer.${i}`;
    linear(`${p}.attention.self.query`, H, H);
    linear(`${p}.attention.self.key`, H, H);
    linear(`${p}.attention.self.value`, H, H);
    linear(`${p}.attention.output.dense`, H, H);
    layerNorm(`${p}.attention.output.LayerNorm`);
    linear(`${p}.intermediate.dense`, c.intermediate_size, H);
    linear(`${p}.output.dense`, H, c.intermediate_size);
    layerNorm(`${p}.output.LayerNorm`);
  }
  linear('bert.pooler.dense', H, H);
  linear('classifier', c.num_labels, H);
  return specs;
}

export const sizeOf = (shape: readonly number[]): number => shape.reduce((p, d) => p * d, 1);

/**
 * HF BERT's initialisation (N(0, initializer_range) for Linear and Embedding weights, zero biases,
 * unit LayerNorm gains, a zero [PAD] embedding row), drawn from our seeded RNG in JavaScript so the
 * same seed gives the same weights on every backend. Each parameter draws from its own fork
 * (named after it), so a config change in one place never shifts the weights of another.
 */
export function initBertWeights(c: BertConfig, rng: Rng): BertWeights {
  const weights: BertWeights = new Map();
  for (const s of bertParamSpecs(c)) {
    const data = new Float32Array(sizeOf(s.shape));
    if (s.init === 'ones') data.fill(1);
    if (s.init === 'normal' || s.init === 'embedding') {
      const r = rng.fork(s.name);
      for (let i = 0; i < data.length; i++) data[i] = r.normal() * c.initializer_range;
    }
    if (s.init === 'embedding') data.fill(0, c.pad_token_id * s.shape[1], (c.pad_token_id + 1) * s.shape[1]);
    weights.set(s.name, { shape: s.shape, data });
  }
  return weights;
}

/** Throws naming the first missing or misshapen parameter; extra entries (e.g. LoRA) are allowed. */
export function checkBertWeights(c: BertConfig, weights: ReadonlyMap<string, { shape: readonly number[] }>): void {
  for (const s of bertParamSpecs(c)) {
    const w = weights.get(s.name);
    if (!w) throw new Error(`the weights have no '${s.name}' (expected shape [${s.shape.join(', ')}])`);
    if (w.shape.length !== s.shape.length || w.shape.some((d, i) => d !== s.shape[i])) {
      throw new Error(`'${s.name}' has shape [${w.shape.join(', ')}], the config needs [${s.shape.join(', ')}]`);
    }
  }
}

/**
 * Puts the weights on the backend. `trainable` makes variables (for an optimiser); frozen weights
 * stay plain tensors so autograd keeps no gradients for them. Dispose with tf.dispose([...values()]).
 */
export function weightsToParams(c: BertConfig, weights: BertWeights, trainable: (name: string) => boolean = () => false): Map<string, tf.Tensor> {
  checkBertWeights(c, weights);
  const params = new Map<string, tf.Tensor>();
  for (const s of bertParamSpecs(c)) {
    const w = weights.get(s.name) as WeightData;
    params.set(
      s.name,
      tf.tidy(() => {
        const t = tf.tensor(w.data, w.shape, 'float32');
        return trainable(s.name) ? tf.variable(t, true) : t;
      }),
    );
  }
  return params;
}

/** Reads parameters back as plain data (copies), in spec order. */
export async function paramsToWeights(c: BertConfig, params: BertParams): Promise<BertWeights> {
  const weights: BertWeights = new Map();
  for (const s of bertParamSpecs(c)) {
    const t = params.get(s.name);
    if (!t) throw new Error(`no parameter '${s.name}'`);
    weights.set(s.name, { shape: t.shape.slice(), data: new Float32Array(await t.data()) });
  }
  return weights;
}

/** Total number of parameters (what a model card and the LoRA issue's "% of the model" divide by). */
export function countParams(c: BertConfig): number {
  return bertParamSpecs(c).reduce((n, s) => n + sizeOf(s.shape), 0);
}
