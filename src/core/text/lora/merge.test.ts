import * as tf from '@tensorflow/tfjs-core';
import * as ort from 'onnxruntime-web';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { useCpuBackend } from '../../../test-support/cpu-backend';
import { createRng } from '../../experiment/rng';
import { bertLogits } from '../model/bert';
import { weightsToParams } from '../model/params';
import { readSafetensors } from '../model/safetensors';
import { batchOf, randomWeights, tinyConfig } from '../model/test-helpers';
import { createLoraAdapters, disposeLoraAdapters, effectiveParams, type LoraAdapters, type LoraConfig } from './lora';
import { exportMergedModel, mergeLoraWeights } from './merge';
import { ortScores } from '../model/ort-test-helpers';

beforeAll(async () => {
  await useCpuBackend();
  ort.env.wasm.numThreads = 1;
});

const cfg = tinyConfig({ num_hidden_layers: 2 });
const LC: LoraConfig = { r: 2, alpha: 4, dropout: 0, targetModules: ['query', 'value', 'intermediate.dense'] };
const rows = [
  { ids: [2, 7, 8, 3, 9, 10, 11, 3], types: [0, 0, 0, 0, 1, 1, 1, 1] },
  { ids: [2, 5, 3, 12, 3], types: [0, 0, 0, 1, 1] },
  { ids: [2, 7, 3, 13, 14, 15, 16, 17, 18, 3], types: [0, 0, 0, 1, 1, 1, 1, 1, 1, 1] },
];

const live: LoraAdapters[] = [];
const make = (seed = 1) => {
  const l = createLoraAdapters(LC, cfg, createRng(seed));
  live.push(l);
  return l;
};
afterEach(() => {
  while (live.length) disposeLoraAdapters(live.pop() as LoraAdapters);
});

function randomiseB(l: LoraAdapters, seed: number): void {
  const rng = createRng(seed);
  for (const ad of l.adapters) {
    const data = new Float32Array(ad.b.size).map(() => rng.normal() * 0.3);
    ad.b.assign(tf.tensor2d(data, ad.b.shape as [number, number]));
  }
}

/** Base weights scaled as the ONNX parity test does, so the pairs' scores are well apart. */
function baseWeights(seed: number) {
  const w = randomWeights(cfg, seed);
  w.get('bert.pooler.dense.weight')!.data.forEach((v, i, a) => (a[i] = v * 0.05));
  w.get('classifier.weight')!.data.forEach((v, i, a) => (a[i] = v * 20));
  return w;
}


describe('LoRA merge', () => {
  it('writes W + scale·B·A for targeted weights and W for the rest (safetensors round trip)', () => {
    const base = baseWeights(3);
    const l = make();
    randomiseB(l, 5);
    const file = readSafetensors(exportMergedModel(cfg, base, l).safetensors);
    expect([...file.tensors.keys()]).toEqual([...base.keys()]);

    const module = 'bert.encoder.layer.1.intermediate.dense';
    const ad = l.adapters.find((a) => a.module === module)!;
    const a = ad.a.dataSync();
    const b = ad.b.dataSync();
    const w = base.get(`${module}.weight`)!;
    const [out, inp] = w.shape;
    const expected = new Float32Array(out * inp);
    for (let i = 0; i < out; i++)
      for (let j = 0; j < inp; j++) {
        let s = 0;
        for (let k = 0; k < LC.r; k++) s += b[i * LC.r + k] * a[k * inp + j];
        expected[i * inp + j] = w.data[i * inp + j] + l.scale * s;
      }
    const got = file.tensors.get(`${module}.weight`)!;
    expect(got.shape).toEqual([out, inp]);
    let maxDelta = 0;
    for (let i = 0; i < expected.length; i++) {
      expect(Math.abs(got.data[i] - expected[i])).toBeLessThan(1e-6);
      maxDelta = Math.max(maxDelta, Math.abs(got.data[i] - w.data[i]));
    }
    expect(maxDelta).toBeGreaterThan(1e-2); // the adapter really changed the weight

    for (const name of ['bert.encoder.layer.0.attention.self.key.weight', 'bert.encoder.layer.0.attention.self.query.bias', 'classifier.weight']) {
      expect(Array.from(file.tensors.get(name)!.data)).toEqual(Array.from(base.get(name)!.data));
    }
    // The base record is left untouched.
    expect(Array.from(base.get(`${module}.weight`)!.data)).toEqual(Array.from(w.data));
  });

  it('scores on onnxruntime-web wasm as the tfjs model with effectiveParams does (1e-4)', async () => {
    const base = baseWeights(5);
    const l = make(2);
    randomiseB(l, 9);
    const batch = batchOf(rows);
    const params = weightsToParams(cfg, base);
    const t = tf.tidy(() => bertLogits(cfg, effectiveParams(params, l), batch));
    const expected = t.dataSync().slice();
    t.dispose();
    const plain = tf.tidy(() => bertLogits(cfg, params, batch));
    const baseScores = plain.dataSync().slice();
    plain.dispose();
    tf.dispose([...params.values()]);

    const got = await ortScores(exportMergedModel(cfg, base, l).onnx, batch);
    for (let i = 0; i < batch.batch; i++) expect(Math.abs(got[i] - expected[i])).toBeLessThan(1e-4);
    // The adapters matter (merged ≠ base) and the pairs score apart, so parity means something.
    expect(Math.max(...Array.from(expected, (v, i) => Math.abs(v - baseScores[i])))).toBeGreaterThan(1e-2);
    const sorted = Array.from(expected).sort((x, y) => x - y);
    for (let i = 1; i < sorted.length; i++) expect(sorted[i] - sorted[i - 1]).toBeGreaterThan(1e-3);
  });

  it('leaves the weights bit-identical when B = 0', () => {
    const base = baseWeights(4);
    base.get('bert.encoder.layer.0.attention.self.query.weight')!.data[0] = -0;
    const merged = mergeLoraWeights(base, make());
    for (const [name, w] of base) {
      const m = merged.get(name)!;
      expect(m.shape).toEqual(w.shape);
      expect(Buffer.from(m.data.buffer, m.data.byteOffset, m.data.byteLength).equals(Buffer.from(w.data.buffer, w.data.byteOffset, w.data.byteLength))).toBe(true);
    }
  });

  it('refuses an adapter whose module the model lacks', () => {
    const base = baseWeights(1);
    base.delete('bert.encoder.layer.1.attention.self.value.weight');
    expect(() => mergeLoraWeights(base, make())).toThrow(/no 'bert\.encoder\.layer\.1\.attention\.self\.value\.weight'/);
  });
});
