import * as ort from 'onnxruntime-web';
import type { Tokenizer } from '@huggingface/tokenizers';
import type { BertConfig } from '../../src/core/text/model/config';
import { encodePairs } from '../../src/core/text/model/encode';
import { scoreBatch } from '../../src/core/text/model/bert';
import { weightsToParams, type BertWeights } from '../../src/core/text/model/params';
import * as tf from '@tensorflow/tfjs-core';

/**
 * The largest |score difference| between the written ONNX file on onnxruntime-web (wasm, as the
 * app's fallback runs it) and the tfjs model, on real pairs of one padded batch.
 */
export async function checkOnnxParity(c: BertConfig, weights: BertWeights, onnx: Uint8Array, tokenizer: Tokenizer, pairs: { query: string; passage: string }[], maxLength: number): Promise<number> {
  ort.env.wasm.numThreads = 1;
  const batch = encodePairs(tokenizer, pairs, maxLength);
  const params = weightsToParams(c, weights);
  const expected = await scoreBatch(c, params, batch);
  tf.dispose([...params.values()]);
  const session = await ort.InferenceSession.create(onnx, { executionProviders: ['wasm'] });
  const int64 = (a: Int32Array) => new ort.Tensor('int64', BigInt64Array.from(a, (v) => BigInt(v)), [batch.batch, batch.seqLen]);
  try {
    const out = await session.run({ input_ids: int64(batch.inputIds), attention_mask: int64(batch.attentionMask), token_type_ids: int64(batch.tokenTypeIds) });
    const got = out.logits.data as Float32Array;
    return expected.reduce((m, v, i) => Math.max(m, Math.abs(v - got[i])), 0);
  } finally {
    await session.release();
  }
}
