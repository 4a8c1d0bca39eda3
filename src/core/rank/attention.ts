import * as tf from '@tensorflow/tfjs-core';
import type { ModelSpec } from '../experiment/config';
import type { Rng } from '../experiment/rng';
import type { ScoringModel } from './models';
import { createLayerNorm, dense, dropout, layerNorm, VariableFactory, type LayerNormParams, type ScoreOptions } from './models-layers';

export type AttentionSpec = Extract<ModelSpec, { kind: 'attention' }>;

/** Added to attention logits of padded keys: exp(−1e9 − max) is exactly 0 in float32, so pads get no weight. */
const PAD_LOGIT = -1e9;

interface Projection {
  w: tf.Variable;
  b: tf.Variable;
}

interface EncoderBlock {
  norm1: LayerNormParams;
  q: Projection;
  k: Projection;
  v: Projection;
  o: Projection;
  norm2: LayerNormParams;
  ff1: Projection;
  ff2: Projection;
}

function projection(vars: VariableFactory, inDim: number, outDim: number, name: string): Projection {
  return { w: vars.glorotNormal(inDim, outDim, `${name}/w`), b: vars.filled(outDim, 0, `${name}/b`) };
}

const apply = <T extends tf.Tensor>(x: T, p: Projection): T => dense(x, p.w, p.b);

/**
 * Multi-head self-attention over each list. x: [nLists, L, d]; keyBias: [nLists, 1, 1, L], 0 for
 * real documents and PAD_LOGIT for pads, so pads are never attended to (they still attend, but
 * their outputs are never read by a real document).
 */
function selfAttention(x: tf.Tensor3D, block: EncoderBlock, heads: number, keyBias: tf.Tensor4D): tf.Tensor3D {
  const [nLists, L, d] = x.shape;
  const dk = d / heads;
  // [nLists, L, d] → [nLists·heads, L, dk]: one batch entry per (list, head) for batched matMul.
  const split = (t: tf.Tensor3D): tf.Tensor3D =>
    tf.reshape(tf.transpose(tf.reshape(t, [nLists, L, heads, dk]), [0, 2, 1, 3]), [nLists * heads, L, dk]);
  const q = split(apply(x, block.q));
  const k = split(apply(x, block.k));
  const v = split(apply(x, block.v));
  const logits = tf.reshape(tf.div(tf.matMul(q, k, false, true), Math.sqrt(dk)), [nLists, heads, L, L]);
  const weights = tf.reshape(tf.softmax(tf.add(logits, keyBias)), [nLists * heads, L, L]);
  const perHead = tf.reshape(tf.matMul(weights, v), [nLists, heads, L, dk]);
  const merged = tf.reshape(tf.transpose(perHead, [0, 2, 1, 3]), [nLists, L, d]) as tf.Tensor3D;
  return apply(merged, block.o);
}

/**
 * A listwise scorer after allRank (Pobrotyn et al., 2020, "Context-Aware Learning to Rank with
 * Self-Attention"): each document is projected to dModel, passes `layers` transformer encoder
 * blocks that attend over the other documents of its list, then a linear map gives its score.
 *
 * - No positional encoding: the candidate list is a set, so scores are permutation-equivariant
 *   (the logging ranker's order must not leak into the ranker being trained).
 * - Pre-norm blocks, x + Drop(Attn(LN(x))) then x + Drop(FF(LN(x))), with a final LN, as
 *   allRank does: pre-norm trains stably without a learning-rate warmup, which matters when a
 *   person presses play with the default optimiser.
 * - Dropout ("residual dropout", Vaswani et al. §5.4) on each sublayer's output before the
 *   residual add; the feed-forward uses ReLU as in the original Transformer and allRank.
 */
export function createAttentionScorer(spec: AttentionSpec, nFeatures: number, rng: Rng): ScoringModel {
  const { dModel: d, heads, layers, ffHidden, dropout: rate } = spec;
  if (d % heads !== 0) throw new Error(`attention: dModel (${d}) must be a multiple of heads (${heads})`);
  const vars = new VariableFactory(rng);
  const input = projection(vars, nFeatures, d, 'in');
  const blocks: EncoderBlock[] = Array.from({ length: layers }, (_, l) => ({
    norm1: createLayerNorm(vars, d, `enc${l}/ln1`),
    q: projection(vars, d, d, `enc${l}/q`),
    k: projection(vars, d, d, `enc${l}/k`),
    v: projection(vars, d, d, `enc${l}/v`),
    o: projection(vars, d, d, `enc${l}/o`),
    norm2: createLayerNorm(vars, d, `enc${l}/ln2`),
    ff1: projection(vars, d, ffHidden, `enc${l}/ff1`),
    ff2: projection(vars, ffHidden, d, `enc${l}/ff2`),
  }));
  const finalNorm = createLayerNorm(vars, d, 'ln');
  const output = projection(vars, d, 1, 'out');

  const forward = (x: tf.Tensor3D, mask: tf.Tensor2D, opts: ScoreOptions | undefined): tf.Tensor2D => {
    const [nLists, L] = mask.shape;
    const keyBias = tf.reshape(tf.mul(tf.sub(1, mask), PAD_LOGIT), [nLists, 1, 1, L]) as tf.Tensor4D;
    let h = apply(x, input);
    blocks.forEach((block, l) => {
      const attended = selfAttention(layerNorm(h, block.norm1), block, heads, keyBias);
      h = tf.add(h, dropout(attended, rate, opts, `enc${l}/attn`));
      const ff = apply(tf.relu(apply(layerNorm(h, block.norm2), block.ff1)), block.ff2);
      h = tf.add(h, dropout(ff, rate, opts, `enc${l}/ff`));
    });
    return tf.reshape(apply(layerNorm(h, finalNorm), output), [nLists, L]);
  };

  return {
    variables: vars.variables,
    listwise: true,
    score: (x, opts) =>
      tf.tidy(() => {
        const n = x.shape[0];
        return tf.reshape(forward(tf.reshape(x, [1, n, x.shape[1]]), tf.ones([1, n]), opts), [n]);
      }),
    scoreLists: (x, mask, opts) => tf.tidy(() => forward(x, mask, opts)),
    dispose() {
      for (const v of vars.variables) v.dispose();
    },
  };
}

/** Equals the total size of createAttentionScorer's variables. */
export function attentionParameterCount(spec: AttentionSpec, nFeatures: number): number {
  const { dModel: d, layers, ffHidden } = spec;
  const layerNormParams = 2 * d;
  const block = layerNormParams + 4 * (d * d + d) + layerNormParams + (d * ffHidden + ffHidden) + (ffHidden * d + d);
  return nFeatures * d + d + layers * block + layerNormParams + d + 1;
}
