import * as tf from '@tensorflow/tfjs-core';
import type { BertConfig } from './config';
import type { BertParams } from './params';

/**
 * Token ids of a batch of query–passage pairs, padded to one length: row-major [batch, seqLen].
 * Built by encode.ts from @huggingface/tokenizers output; what the ONNX model takes as int64.
 */
export interface PairBatch {
  batch: number;
  seqLen: number;
  inputIds: Int32Array;
  tokenTypeIds: Int32Array;
  /** 1 for a real token, 0 for padding. */
  attentionMask: Int32Array;
}

/** Training-time dropout at HF BERT's places; `seed` gives each dropout call its own seed (from our Rng) so a run is reproducible. */
export interface BertDropout {
  hidden: number;
  attention: number;
  seed: () => number;
}

/**
 * Added to a dense layer's output x·Wᵀ (before the bias): how adapters (LoRA and its variants)
 * change a frozen Linear without forming W + ΔW. `module` is the HF path without `.weight`
 * (`bert.encoder.layer.0.attention.self.query`), `x` the layer's input as [rows, in]; return
 * [rows, out], or null to leave the layer unchanged.
 */
export type LinearDelta = (module: string, x: tf.Tensor2D) => tf.Tensor2D | null;

export interface BertForwardOptions {
  dropout?: BertDropout;
  linearDelta?: LinearDelta;
}

/**
 * Added to the attention scores of padding keys. HF adds finfo(float32).min; any value this
 * negative gives exp(...) = 0 exactly in float32 once softmax subtracts the row max, so padding
 * contributes nothing and the ONNX export (which uses the same constant) matches bit for bit there.
 */
export const MASKED_SCORE = -1e9;

function param(params: BertParams, name: string): tf.Tensor {
  const t = params.get(name);
  if (!t) throw new Error(`the model has no parameter '${name}'`);
  return t;
}

/** x·Wᵀ + b over the last axis; W is [out, in] as in PyTorch's Linear. */
function linear(params: BertParams, prefix: string, x: tf.Tensor, opts: BertForwardOptions = {}): tf.Tensor {
  const w = param(params, `${prefix}.weight`) as tf.Tensor2D;
  const inDim = x.shape[x.shape.length - 1];
  const x2 = tf.reshape(x, [-1, inDim]) as tf.Tensor2D;
  const base = tf.matMul(x2, w, false, true);
  const delta = opts.linearDelta?.(prefix, x2) ?? null;
  const flat = delta ? tf.add(base, delta) : base;
  return tf.reshape(tf.add(flat, param(params, `${prefix}.bias`)), [...x.shape.slice(0, -1), w.shape[0]]);
}

function layerNorm(params: BertParams, prefix: string, x: tf.Tensor, eps: number): tf.Tensor {
  const axis = x.shape.length - 1;
  const { mean, variance } = tf.moments(x, axis, true);
  const normed = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, eps)));
  return tf.add(tf.mul(normed, param(params, `${prefix}.weight`)), param(params, `${prefix}.bias`));
}

/** HF BERT's "gelu": the exact form x·Φ(x) = ½x(1 + erf(x/√2)), not the tanh approximation. */
export function gelu(x: tf.Tensor): tf.Tensor {
  return tf.mul(tf.mul(x, 0.5), tf.add(tf.erf(tf.div(x, Math.SQRT2)), 1));
}

/**
 * A row lookup whose gradient is a scatter-add. tfjs's own gather gradient needs the
 * UnsortedSegmentSum kernel, which tfjs-backend-wasm 4.22 lacks, so training on wasm would fail;
 * ScatterNd (which sums repeated indices) exists on every backend.
 */
export function embeddingLookup(table: tf.Tensor, ids: tf.Tensor1D): tf.Tensor2D {
  const lookup = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [t, i, save] = args as [tf.Tensor, tf.Tensor1D, tf.GradSaveFunc];
    save([i]);
    return {
      value: tf.gather(t, i),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => [tf.scatterND(tf.reshape(saved[0], [-1, 1]), dy, t.shape), tf.zerosLike(saved[0])],
    };
  });
  return lookup(table, ids) as tf.Tensor2D;
}

function dropout(x: tf.Tensor, rate: number, opts: BertForwardOptions): tf.Tensor {
  const d = opts.dropout;
  return d && rate > 0 ? tf.dropout(x, rate, undefined, d.seed()) : x;
}

function checkBatch(c: BertConfig, b: PairBatch): void {
  const n = b.batch * b.seqLen;
  if (!(b.batch > 0 && b.seqLen > 0)) throw new Error(`a batch needs at least one pair and one token (got ${b.batch} × ${b.seqLen})`);
  if (b.inputIds.length !== n || b.tokenTypeIds.length !== n || b.attentionMask.length !== n) {
    throw new Error(`a ${b.batch} × ${b.seqLen} batch needs ${n} ids, token types and mask entries`);
  }
  if (b.seqLen > c.max_position_embeddings) throw new Error(`sequences of ${b.seqLen} tokens exceed max_position_embeddings ${c.max_position_embeddings}`);
}

/** Self-attention over [B, S, H] with an additive key mask [B, 1, 1, S]. */
function selfAttention(c: BertConfig, params: BertParams, prefix: string, x: tf.Tensor, keyMask: tf.Tensor, opts: BertForwardOptions): tf.Tensor {
  const [B, S, H] = x.shape;
  const heads = c.num_attention_heads;
  const d = H / heads;
  const split = (t: tf.Tensor) => tf.transpose(tf.reshape(t, [B, S, heads, d]), [0, 2, 1, 3]);
  const q = split(linear(params, `${prefix}.self.query`, x, opts));
  const k = split(linear(params, `${prefix}.self.key`, x, opts));
  const v = split(linear(params, `${prefix}.self.value`, x, opts));
  const scores = tf.add(tf.div(tf.matMul(q, k, false, true), Math.sqrt(d)), keyMask);
  const probs = dropout(tf.softmax(scores, -1), opts.dropout?.attention ?? 0, opts);
  const context = tf.reshape(tf.transpose(tf.matMul(probs, v), [0, 2, 1, 3]), [B, S, H]);
  const out = dropout(linear(params, `${prefix}.output.dense`, context, opts), opts.dropout?.hidden ?? 0, opts);
  return layerNorm(params, `${prefix}.output.LayerNorm`, tf.add(out, x), c.layer_norm_eps);
}

/**
 * The encoder's last hidden states [batch, seqLen, hidden], as BertModel computes them. Call
 * inside tf.tidy (or dispose the result): intermediate tensors are not freed here.
 */
export function bertSequenceOutput(c: BertConfig, params: BertParams, b: PairBatch, opts: BertForwardOptions = {}): tf.Tensor3D {
  checkBatch(c, b);
  const { batch: B, seqLen: S } = b;
  const H = c.hidden_size;
  const ids = tf.tensor1d(b.inputIds, 'int32');
  const types = tf.tensor1d(b.tokenTypeIds, 'int32');
  const words = embeddingLookup(param(params, 'bert.embeddings.word_embeddings.weight'), ids);
  const typeEmb = embeddingLookup(param(params, 'bert.embeddings.token_type_embeddings.weight'), types);
  const positions = tf.slice(param(params, 'bert.embeddings.position_embeddings.weight'), [0, 0], [S, H]);
  const summed = tf.add(tf.reshape(tf.add(words, typeEmb), [B, S, H]), positions);
  let x = dropout(layerNorm(params, 'bert.embeddings.LayerNorm', summed, c.layer_norm_eps), opts.dropout?.hidden ?? 0, opts);

  const mask = tf.tensor2d(b.attentionMask, [B, S], 'int32');
  const keyMask = tf.reshape(tf.mul(tf.sub(1, tf.cast(mask, 'float32')), MASKED_SCORE), [B, 1, 1, S]);
  for (let i = 0; i < c.num_hidden_layers; i++) {
    const p = `bert.encoder.layer.${i}`;
    const attended = selfAttention(c, params, `${p}.attention`, x, keyMask, opts);
    const inner = gelu(linear(params, `${p}.intermediate.dense`, attended, opts));
    const out = dropout(linear(params, `${p}.output.dense`, inner, opts), opts.dropout?.hidden ?? 0, opts);
    x = layerNorm(params, `${p}.output.LayerNorm`, tf.add(out, attended), c.layer_norm_eps);
  }
  return x as tf.Tensor3D;
}

/** BertPooler: tanh(dense([CLS] state)), [batch, hidden]. The [CLS] embedding RankMe measures. */
export function bertPooled(c: BertConfig, params: BertParams, sequence: tf.Tensor3D, opts: BertForwardOptions = {}): tf.Tensor2D {
  const [B, , H] = sequence.shape;
  const cls = tf.reshape(tf.slice(sequence, [0, 0, 0], [B, 1, H]), [B, H]);
  return tf.tanh(linear(params, 'bert.pooler.dense', cls, opts)) as tf.Tensor2D;
}

/**
 * BertForSequenceClassification's logits [batch, 1]: the relevance score of each pair (use the raw
 * logit; a softmax over one label is 1 for everything). Call inside tf.tidy.
 */
export function bertLogits(c: BertConfig, params: BertParams, b: PairBatch, opts: BertForwardOptions = {}): tf.Tensor2D {
  const pooled = bertPooled(c, params, bertSequenceOutput(c, params, b, opts), opts);
  return linear(params, 'classifier', dropout(pooled, opts.dropout?.hidden ?? 0, opts), opts) as tf.Tensor2D;
}

/** Scores as plain numbers, with every intermediate tensor freed. */
export async function scoreBatch(c: BertConfig, params: BertParams, b: PairBatch): Promise<Float32Array> {
  const logits = tf.tidy(() => bertLogits(c, params, b));
  try {
    return new Float32Array(await logits.data());
  } finally {
    logits.dispose();
  }
}
