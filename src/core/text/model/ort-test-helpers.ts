import * as ort from 'onnxruntime-web';
import { expect } from 'vitest';
import type { PairBatch } from './bert';

/** Tests only: the logits an exported ONNX model gives for a batch, on onnxruntime-web's wasm. */
const int64 = (a: Int32Array, b: PairBatch) => new ort.Tensor('int64', BigInt64Array.from(a, (v) => BigInt(v)), [b.batch, b.seqLen]);

export async function ortScores(model: Uint8Array, b: PairBatch, onSession?: (session: ort.InferenceSession) => void): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(model, { executionProviders: ['wasm'] });
  try {
    const out = await session.run({ input_ids: int64(b.inputIds, b), attention_mask: int64(b.attentionMask, b), token_type_ids: int64(b.tokenTypeIds, b) });
    onSession?.(session);
    expect(out.logits.dims).toEqual([b.batch, 1]);
    return out.logits.data as Float32Array;
  } finally {
    await session.release();
  }
}
