import { createRng } from '../../experiment/rng';
import type { PairBatch } from './bert';
import type { BertConfig } from './config';
import { initBertWeights, type BertWeights } from './params';

/** A small config for tests: every code path (several layers and heads) at a tiny size. */
export const tinyConfig = (over: Partial<BertConfig> = {}): BertConfig => ({
  vocab_size: 30,
  hidden_size: 8,
  num_hidden_layers: 2,
  num_attention_heads: 2,
  intermediate_size: 12,
  max_position_embeddings: 16,
  type_vocab_size: 2,
  layer_norm_eps: 1e-12,
  hidden_act: 'gelu',
  num_labels: 1,
  initializer_range: 0.02,
  hidden_dropout_prob: 0.1,
  attention_probs_dropout_prob: 0.1,
  pad_token_id: 0,
  ...over,
});

/**
 * Weights drawn at scale 0.5 for every parameter (biases and LayerNorm gains included): HF's
 * 0.02 init with zero biases and unit gains would hide mistakes in how those are applied.
 */
export function randomWeights(c: BertConfig, seed: number, scale = 0.5): BertWeights {
  const rng = createRng(seed);
  const weights = initBertWeights(c, rng);
  for (const w of weights.values()) for (let i = 0; i < w.data.length; i++) w.data[i] = rng.normal() * scale;
  return weights;
}

/** Pairs given as token id rows (already [CLS] q [SEP] p [SEP]), padded with 0 to the longest. */
export function batchOf(rows: { ids: number[]; types: number[] }[]): PairBatch {
  const seqLen = Math.max(...rows.map((r) => r.ids.length));
  const n = rows.length * seqLen;
  const b: PairBatch = { batch: rows.length, seqLen, inputIds: new Int32Array(n), tokenTypeIds: new Int32Array(n), attentionMask: new Int32Array(n) };
  rows.forEach((r, i) => {
    b.inputIds.set(r.ids, i * seqLen);
    b.tokenTypeIds.set(r.types, i * seqLen);
    b.attentionMask.fill(1, i * seqLen, i * seqLen + r.ids.length);
  });
  return b;
}
