import * as tf from '@tensorflow/tfjs-core';
import type { Tokenizer } from '@huggingface/tokenizers';
import { dcgAt, idealDcgAt } from '../../metrics/kernels';
import { bertLogits, bertPooled, bertSequenceOutput, type BertForwardOptions } from '../model/bert';
import type { BertConfig } from '../model/config';
import { encodePair, padPairs, type EncodedPair } from '../model/encode';
import type { BertParams } from '../model/params';

/**
 * Inference for adaptation: model/rerank.ts's sorted-by-length batching, but with forward options
 * (the adapter's linearDelta) and pairs tokenised once, since validation scores the same pairs at
 * every evaluation.
 */

export interface PreparedPairs {
  encoded: EncodedPair[];
  /** Pair indices sorted by token count, so a batch wastes little on padding. */
  order: number[];
}

export function preparePairs(tokenizer: Tokenizer, pairs: readonly { query: string; passage: string }[], maxLength: number): PreparedPairs {
  const encoded = pairs.map((p) => encodePair(tokenizer, p.query, p.passage, maxLength));
  const order = encoded.map((_, i) => i).sort((a, b) => encoded[a].ids.length - encoded[b].ids.length || a - b);
  return { encoded, order };
}

/** Params and options of one inference forward; called inside tf.tidy once per batch. */
export type ForwardFactory = () => { params: BertParams; opts: BertForwardOptions };

async function runBatches(c: BertConfig, pairs: PreparedPairs, width: number, batchSize: number, f: (b: ReturnType<typeof padPairs>) => tf.Tensor): Promise<Float32Array> {
  const out = new Float32Array(pairs.encoded.length * width);
  for (let from = 0; from < pairs.order.length; from += batchSize) {
    const idx = pairs.order.slice(from, from + batchSize);
    const batch = padPairs(idx.map((i) => pairs.encoded[i]), c.pad_token_id);
    const t = tf.tidy(() => f(batch));
    const values = await t.data();
    t.dispose();
    idx.forEach((i, k) => out.set(values.subarray(k * width, (k + 1) * width), i * width));
  }
  return out;
}

/** Relevance logits of every pair, in input order. */
export function scorePrepared(c: BertConfig, pairs: PreparedPairs, forward: ForwardFactory, batchSize = 32): Promise<Float32Array> {
  return runBatches(c, pairs, 1, batchSize, (b) => {
    const { params, opts } = forward();
    return bertLogits(c, params, b, opts);
  });
}

/** Pooled [CLS] embeddings, [n × hidden] row-major, in input order. */
export function pooledPrepared(c: BertConfig, pairs: PreparedPairs, forward: ForwardFactory, batchSize = 32): Promise<Float32Array> {
  return runBatches(c, pairs, c.hidden_size, batchSize, (b) => {
    const { params, opts } = forward();
    return bertPooled(c, params, bertSequenceOutput(c, params, b, opts), opts);
  });
}

/** Candidates by descending score; ties keep the first stage's order (a stable sort). */
export function rankByScore(candidates: readonly number[], scores: ArrayLike<number>): { passage: number; score: number }[] {
  return candidates.map((passage, i) => ({ passage, score: scores[i], i })).sort((a, b) => b.score - a.score || a.i - b.i).map(({ passage, score }) => ({ passage, score }));
}

/**
 * nDCG@k with trec_eval's rules: gain = grade (linear), unjudged = 0, the ideal ranking from all of
 * the query's judged passages (not only the reranked ones), 0 for a query without a relevant one.
 */
export function trecNdcg(ranked: readonly number[], judged: readonly { passage: number; label: number }[], k: number): number {
  const grades = new Map(judged.map((j) => [j.passage, j.label]));
  const ideal = idealDcgAt(judged.map((j) => j.label), k, 'linear');
  if (!(ideal > 0)) return 0;
  return dcgAt(ranked.map((p) => grades.get(p) ?? 0), k, 'linear') / ideal;
}
