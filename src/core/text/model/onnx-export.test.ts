import * as tf from '@tensorflow/tfjs-core';
import * as ort from 'onnxruntime-web';
import { beforeAll, describe, expect, it } from 'vitest';
import { useCpuBackend } from '../../../test-support/cpu-backend';
import { scoreBatch } from './bert';
import { exportBertOnnx } from './onnx-export';
import { weightsToParams } from './params';
import { ProtoWriter } from './protobuf';
import { batchOf, randomWeights, tinyConfig } from './test-helpers';
import type { BertConfig } from './config';
import { ortScores } from './ort-test-helpers';

beforeAll(async () => {
  await useCpuBackend();
  ort.env.wasm.numThreads = 1;
});


describe('ONNX export', () => {
  const rows = [
    { ids: [2, 7, 8, 3, 9, 10, 11, 3], types: [0, 0, 0, 0, 1, 1, 1, 1] },
    { ids: [2, 5, 3, 12, 3], types: [0, 0, 0, 1, 1] },
    { ids: [2, 7, 3, 13, 14, 15, 16, 17, 18, 3], types: [0, 0, 0, 1, 1, 1, 1, 1, 1, 1] },
  ];

  async function parity(c: BertConfig, seed: number, scale = 0.5): Promise<void> {
    const weights = randomWeights(c, seed, scale);
    // A small pooler keeps its tanh out of saturation and a large classifier spreads the logits, so
    // the pairs' scores differ by far more than the tolerance and the comparison means something.
    weights.get('bert.pooler.dense.weight')!.data.forEach((v, i, a) => (a[i] = v * 0.05));
    weights.get('classifier.weight')!.data.forEach((v, i, a) => (a[i] = v * 20));
    const b = batchOf(rows);
    const params = weightsToParams(c, weights);
    const expected = await scoreBatch(c, params, b);
    tf.dispose([...params.values()]);
    const got = await ortScores(exportBertOnnx(c, weights), b, (session) => expect(session.outputNames).toEqual(['logits']));
    for (let i = 0; i < b.batch; i++) expect(Math.abs(got[i] - expected[i])).toBeLessThan(1e-4);
    // Distinct scores: a model that ignored its input would pass the comparison trivially.
    const sorted = Array.from(expected).sort((x, y) => x - y);
    for (let i = 1; i < sorted.length; i++) expect(sorted[i] - sorted[i - 1]).toBeGreaterThan(1e-3);
  }

  it('scores as the tfjs model does on onnxruntime-web wasm (1e-4), padding included', async () => {
    await parity(tinyConfig(), 11);
  });

  it('keeps parity for other shapes (3 heads, 1 layer; 4 layers)', async () => {
    await parity(tinyConfig({ hidden_size: 12, num_attention_heads: 3, num_hidden_layers: 1, intermediate_size: 20 }), 1);
    await parity(tinyConfig({ num_hidden_layers: 4 }), 1);
  });

  it('keeps the weights as initializers under their HF names', () => {
    const c = tinyConfig();
    const bytes = new TextDecoder('latin1').decode(exportBertOnnx(c, randomWeights(c, 1)));
    for (const name of ['bert.embeddings.word_embeddings.weight', 'bert.encoder.layer.1.output.LayerNorm.bias', 'classifier.weight']) expect(bytes).toContain(name);
  });
});

describe('protobuf writer', () => {
  it('encodes varints, negative int64 and nested messages as protobuf does', () => {
    expect(Array.from(new ProtoWriter().int(1, 300).finish())).toEqual([0x08, 0xac, 0x02]);
    // int64 −1: ten bytes of two's complement.
    expect(Array.from(new ProtoWriter().int(3, -1).finish())).toEqual([0x18, ...new Array(9).fill(0xff), 0x01]);
    expect(Array.from(new ProtoWriter().message(2, (w) => w.string(1, 'ab')).finish())).toEqual([0x12, 4, 0x0a, 2, 0x61, 0x62]);
    expect(Array.from(new ProtoWriter().packedInts(1, [1, 2]).finish())).toEqual([0x0a, 2, 1, 2]);
  });
});
