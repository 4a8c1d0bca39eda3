import { Tokenizer } from '@huggingface/tokenizers';
import type { PairBatch } from './bert';

/**
 * Query–passage pairs → model inputs. Tokenising is @huggingface/tokenizers' job (the model's own
 * tokenizer.json: normaliser, WordPiece, the [CLS] A [SEP] B [SEP] template and its token types);
 * it does no truncation or padding, so that is done here: the passage is cut first, and a batch is
 * padded with [PAD] = 0 to its longest pair, mask 0 on the padding.
 */

export interface EncodedPair {
  ids: number[];
  types: number[];
}

export function loadTokenizer(tokenizerJson: object, tokenizerConfig: object): Tokenizer {
  return new Tokenizer(tokenizerJson, tokenizerConfig);
}

/**
 * One pair, at most `maxLength` tokens. The template's output is split back into its parts by
 * token type (type 0: [CLS] query [SEP]; type 1: passage [SEP]), the passage's tokens are dropped
 * from its end, then the query's if the passage is gone; the special tokens always stay.
 */
export function encodePair(tokenizer: Tokenizer, query: string, passage: string, maxLength: number): EncodedPair {
  if (!(Number.isInteger(maxLength) && maxLength >= 3)) throw new Error(`maxLength must be an integer ≥ 3 (room for [CLS] and two [SEP]), got ${maxLength}`);
  const enc = tokenizer.encode(query, { text_pair: passage, return_token_type_ids: true });
  const { ids, token_type_ids: types } = enc;
  if (ids.length <= maxLength) return { ids, types };
  const split = types.indexOf(1);
  if (split < 2) throw new Error('the tokenizer did not mark the passage with token type 1: not a BERT pair template');
  const cls = ids[0];
  const sep0 = ids[split - 1];
  const sep1 = ids[ids.length - 1];
  let q = ids.slice(1, split - 1);
  let p = ids.slice(split, ids.length - 1);
  let excess = ids.length - maxLength;
  const cutP = Math.min(excess, p.length);
  p = p.slice(0, p.length - cutP);
  excess -= cutP;
  q = q.slice(0, q.length - excess);
  const out = [cls, ...q, sep0, ...p, sep1];
  return { ids: out, types: out.map((_, i) => (i < q.length + 2 ? 0 : 1)) };
}

/** Pads encoded pairs to the longest of them ([PAD] = `padId`, token type 0, mask 0). */
export function padPairs(pairs: readonly EncodedPair[], padId = 0): PairBatch {
  if (pairs.length === 0) throw new Error('cannot batch zero pairs');
  const seqLen = Math.max(...pairs.map((p) => p.ids.length));
  const n = pairs.length * seqLen;
  const b: PairBatch = { batch: pairs.length, seqLen, inputIds: new Int32Array(n).fill(padId), tokenTypeIds: new Int32Array(n), attentionMask: new Int32Array(n) };
  pairs.forEach((p, i) => {
    b.inputIds.set(p.ids, i * seqLen);
    b.tokenTypeIds.set(p.types, i * seqLen);
    b.attentionMask.fill(1, i * seqLen, i * seqLen + p.ids.length);
  });
  return b;
}

export function encodePairs(tokenizer: Tokenizer, pairs: readonly { query: string; passage: string }[], maxLength: number): PairBatch {
  return padPairs(pairs.map((p) => encodePair(tokenizer, p.query, p.passage, maxLength)));
}
