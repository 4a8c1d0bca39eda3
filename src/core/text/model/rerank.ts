import type { Tokenizer } from '@huggingface/tokenizers';
import { scoreBatch } from './bert';
import type { BertConfig } from './config';
import { encodePair, padPairs, type EncodedPair } from './encode';
import type { BertParams } from './params';

export interface TextPair {
  query: string;
  passage: string;
}

/**
 * Scores query–passage pairs with the tfjs model, in batches of pairs of similar length (sorted by
 * token count, so little is spent on padding); scores come back in the input order.
 */
export async function scorePairs(c: BertConfig, params: BertParams, tokenizer: Tokenizer, pairs: readonly TextPair[], maxLength: number, batchSize = 32): Promise<Float32Array> {
  const encoded: EncodedPair[] = pairs.map((p) => encodePair(tokenizer, p.query, p.passage, maxLength));
  const order = encoded.map((_, i) => i).sort((a, b) => encoded[a].ids.length - encoded[b].ids.length || a - b);
  const scores = new Float32Array(pairs.length);
  for (let from = 0; from < order.length; from += batchSize) {
    const idx = order.slice(from, from + batchSize);
    const s = await scoreBatch(c, params, padPairs(idx.map((i) => encoded[i]), c.pad_token_id));
    idx.forEach((i, k) => (scores[i] = s[k]));
  }
  return scores;
}
