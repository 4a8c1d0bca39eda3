import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { useCpuBackend } from '../../../test-support/cpu-backend';
import { createRng } from '../../experiment/rng';
import { bertLogits, scoreBatch } from '../model/bert';
import { countParams, weightsToParams, type BertWeights } from '../model/params';
import { batchOf, randomWeights, tinyConfig } from '../model/test-helpers';
import {
  createLoraAdapters,
  disposeLoraAdapters,
  effectiveParams,
  loraModuleSpecs,
  loraParameterCount,
  loraVariables,
  type LoraAdapters,
  type LoraConfig,
} from './lora';
import { exportPeftAdapter, importPeftAdapter, peftTargetModules, targetsFromPeft } from './peft';

beforeAll(async () => {
  await useCpuBackend();
});

const ALL: LoraConfig = { r: 2, alpha: 4, dropout: 0, targetModules: ['query', 'key', 'value', 'attention.output.dense', 'intermediate.dense', 'output.dense'] };
const cfg = tinyConfig({ num_hidden_layers: 1 });
const batch = batchOf([
  { ids: [2, 5, 6, 3, 7, 8, 9, 3], types: [0, 0, 0, 0, 1, 1, 1, 1] },
  { ids: [2, 5, 3, 10, 11, 3], types: [0, 0, 0, 1, 1, 1] },
  { ids: [2, 12, 13, 3, 14, 3], types: [0, 0, 0, 0, 1, 1] },
]);

const live: LoraAdapters[] = [];
const make = (lc: LoraConfig, seed = 1) => {
  const l = createLoraAdapters(lc, cfg, createRng(seed));
  live.push(l);
  return l;
};
afterEach(() => {
  while (live.length) disposeLoraAdapters(live.pop() as LoraAdapters);
});

/** Sets every B to seeded normals (scale 0.3) so the adapter does something. */
function randomiseB(l: LoraAdapters, seed: number): void {
  const rng = createRng(seed);
  for (const ad of l.adapters) {
    const data = new Float32Array(ad.b.size).map(() => rng.normal() * 0.3);
    ad.b.assign(tf.tensor2d(data, ad.b.shape as [number, number]));
  }
}

const effScores = (base: Map<string, tf.Tensor>, l: LoraAdapters) => {
  const t = tf.tidy(() => bertLogits(cfg, effectiveParams(base, l), batch));
  const out = t.dataSync().slice();
  t.dispose();
  return out;
};

describe('LoRA adapters', () => {
  it('creates A [r, in] within the Kaiming-uniform bound and B [out, r] zero, reproducibly', () => {
    const l = make(ALL);
    expect(l.scale).toBe(2);
    expect(l.adapters.map((a) => a.module)).toEqual([
      'bert.encoder.layer.0.attention.self.query',
      'bert.encoder.layer.0.attention.self.key',
      'bert.encoder.layer.0.attention.self.value',
      'bert.encoder.layer.0.attention.output.dense',
      'bert.encoder.layer.0.intermediate.dense',
      'bert.encoder.layer.0.output.dense',
    ]);
    const ffnOut = l.adapters[5];
    expect(ffnOut.a.shape).toEqual([2, 12]);
    expect(ffnOut.b.shape).toEqual([8, 2]);
    expect(l.adapters[4].a.shape).toEqual([2, 8]);
    expect(l.adapters[4].b.shape).toEqual([12, 2]);
    for (const ad of l.adapters) {
      const bound = 1 / Math.sqrt(ad.a.shape[1] as number);
      expect(Math.max(...ad.a.dataSync().map(Math.abs))).toBeLessThanOrEqual(bound);
      expect(ad.b.dataSync().every((v) => v === 0)).toBe(true);
    }
    expect(Array.from(make(ALL).adapters[0].a.dataSync())).toEqual(Array.from(l.adapters[0].a.dataSync()));
  });

  it('with B = 0 scores exactly as the base model', async () => {
    const base = weightsToParams(cfg, randomWeights(cfg, 3));
    const l = make(ALL);
    const want = await scoreBatch(cfg, base, batch);
    expect(Array.from(effScores(base, l))).toEqual(Array.from(want));
    tf.dispose([...base.values()]);
  });

  it('with B ≠ 0 equals a plain-JS W + scale·B·A merged into the weights', async () => {
    const weights = randomWeights(cfg, 3);
    const base = weightsToParams(cfg, weights);
    const l = make({ ...ALL, targetModules: ['value', 'output.dense'] });
    randomiseB(l, 9);
    // Plain-JS merge of every adapted layer.
    const merged: BertWeights = new Map([...weights].map(([k, w]) => [k, { shape: w.shape, data: w.data.slice() }]));
    for (const ad of l.adapters) {
      const w = merged.get(`${ad.module}.weight`)!;
      const [out, inp] = w.shape;
      const A = ad.a.dataSync();
      const B = ad.b.dataSync();
      const r = ad.a.shape[0];
      for (let o = 0; o < out; o++) for (let i = 0; i < inp; i++) {
        let s = 0;
        for (let k = 0; k < r; k++) s += B[o * r + k] * A[k * inp + i];
        w.data[o * inp + i] += l.scale * s;
      }
    }
    // One small layer's effective weight directly.
    const eff = tf.tidy(() => effectiveParams(base, l).get('bert.encoder.layer.0.attention.self.value.weight')!.dataSync().slice());
    const ref = merged.get('bert.encoder.layer.0.attention.self.value.weight')!.data;
    eff.forEach((v, i) => expect(v).toBeCloseTo(ref[i], 6));
    expect(eff.some((v, i) => v !== weights.get('bert.encoder.layer.0.attention.self.value.weight')!.data[i])).toBe(true);
    // And the whole model.
    const mergedParams = weightsToParams(cfg, merged);
    const want = await scoreBatch(cfg, mergedParams, batch);
    const got = effScores(base, l);
    const plain = await scoreBatch(cfg, base, batch);
    got.forEach((v, i) => expect(v).toBeCloseTo(want[i], 4));
    expect(got.some((v, i) => Math.abs(v - plain[i]) > 1e-3)).toBe(true);
    // Base weights untouched.
    expect(Array.from(base.get('bert.encoder.layer.0.attention.self.value.weight')!.dataSync())).toEqual(Array.from(weights.get('bert.encoder.layer.0.attention.self.value.weight')!.data));
    tf.dispose([...base.values(), ...mergedParams.values()]);
  });

  it('gives gradients to A and B only; base weights are not variables', () => {
    const base = weightsToParams(cfg, randomWeights(cfg, 3));
    const l = make(ALL);
    randomiseB(l, 4); // with B = 0 the gradient of A is zero, so test the general case
    for (const t of base.values()) expect(t instanceof tf.Variable).toBe(false);
    const vars = loraVariables(l);
    const { value, grads } = tf.variableGrads(() => tf.sum(bertLogits(cfg, effectiveParams(base, l), batch)) as tf.Scalar, vars);
    expect(Object.keys(grads).sort()).toEqual(vars.map((v) => v.name).sort());
    for (const v of vars) {
      const g = grads[v.name];
      expect(g.shape).toEqual(v.shape);
      expect(g.dataSync().some((x) => x !== 0)).toBe(true);
    }
    tf.dispose([value, ...Object.values(grads), ...base.values()]);
  });

  it('counts trainable parameters by hand', () => {
    // H = 8, I = 12, r = 2: query/key/value/attn-out 4·2·(8+8) = 128, intermediate 2·(8+12) = 40, output 2·(12+8) = 40.
    const count = loraParameterCount(ALL, cfg);
    expect(count.trainable).toBe(208);
    expect(count.base).toBe(countParams(cfg));
    expect(count.percentOfModel).toBeCloseTo((100 * 208) / countParams(cfg), 10);
    const qv = loraParameterCount({ ...ALL, r: 4, targetModules: ['query', 'value'] }, tinyConfig());
    expect(qv.trainable).toBe(2 * 2 * 4 * 16); // 2 layers × 2 modules × r·(8+8)
    expect(loraModuleSpecs(ALL, cfg)).toHaveLength(6);
  });

  it('refuses bad configs', () => {
    expect(() => loraModuleSpecs({ ...ALL, r: 0 }, cfg)).toThrow(/r must be/);
    expect(() => loraModuleSpecs({ ...ALL, targetModules: ['dense' as never] }, cfg)).toThrow(/unknown target/);
    expect(() => loraModuleSpecs({ ...ALL, targetModules: [] }, cfg)).toThrow(/at least one/);
  });

  it('reduces a pairwise loss with a few Adam steps, base weights frozen', () => {
    const baseWeights = randomWeights(cfg, 5);
    const base = weightsToParams(cfg, baseWeights);
    const l = make({ r: 4, alpha: 8, dropout: 0, targetModules: ['query', 'value', 'intermediate.dense'] });
    // Rows 0,2,4 should outscore rows 1,3,5.
    const pairs = batchOf([
      { ids: [2, 5, 3, 6, 7, 3], types: [0, 0, 0, 1, 1, 1] },
      { ids: [2, 5, 3, 8, 9, 3], types: [0, 0, 0, 1, 1, 1] },
      { ids: [2, 10, 3, 11, 12, 3], types: [0, 0, 0, 1, 1, 1] },
      { ids: [2, 10, 3, 13, 14, 3], types: [0, 0, 0, 1, 1, 1] },
      { ids: [2, 15, 3, 16, 17, 3], types: [0, 0, 0, 1, 1, 1] },
      { ids: [2, 15, 3, 18, 19, 3], types: [0, 0, 0, 1, 1, 1] },
    ]);
    const loss = () =>
      tf.tidy(() => {
        const s = tf.reshape(bertLogits(cfg, effectiveParams(base, l), pairs), [3, 2]);
        const [pos, neg] = tf.split(s, 2, 1);
        return tf.mean(tf.softplus(tf.sub(neg, pos))) as tf.Scalar;
      });
    const opt = tf.train.adam(0.02);
    const first = loss().dataSync()[0];
    let last = first;
    for (let step = 0; step < 15; step++) {
      const c = opt.minimize(loss, true, loraVariables(l)) as tf.Scalar;
      last = c.dataSync()[0];
      c.dispose();
    }
    const after = loss();
    last = after.dataSync()[0];
    after.dispose();
    expect(last).toBeLessThan(first * 0.7);
    expect(Array.from(base.get('bert.encoder.layer.0.attention.self.query.weight')!.dataSync())).toEqual(Array.from(baseWeights.get('bert.encoder.layer.0.attention.self.query.weight')!.data));
    opt.dispose();
    tf.dispose([...base.values()]);
  });
});

describe('PEFT layout', () => {
  it('exports PEFT names and config, and imports back identically', async () => {
    const l = make(ALL);
    randomiseB(l, 2);
    const files = await exportPeftAdapter(l, { baseModelNameOrPath: 'rankplay/demo-reranker' });
    expect(files.config).toMatchObject({
      peft_type: 'LORA',
      task_type: 'SEQ_CLS',
      r: 2,
      lora_alpha: 4,
      lora_dropout: 0,
      bias: 'none',
      base_model_name_or_path: 'rankplay/demo-reranker',
      target_modules: ['query', 'key', 'value', 'attention.output.dense', 'intermediate.dense', 'output.dense'],
    });
    const json = JSON.parse(JSON.stringify(files.config)) as unknown;
    const back = importPeftAdapter(json, files.safetensors, cfg);
    live.push(back);
    expect(back.config).toEqual(l.config);
    expect(back.scale).toBe(l.scale);
    expect(back.adapters.map((a) => a.module)).toEqual(l.adapters.map((a) => a.module));
    back.adapters.forEach((ad, i) => {
      expect(Array.from(ad.a.dataSync())).toEqual(Array.from(l.adapters[i].a.dataSync()));
      expect(Array.from(ad.b.dataSync())).toEqual(Array.from(l.adapters[i].b.dataSync()));
    });
  });

  it('names tensors base_model.model.bert.encoder.layer.N.<path>.lora_A/B.weight', async () => {
    const { readSafetensors } = await import('../model/safetensors');
    const l = make({ ...ALL, targetModules: ['query', 'value'] });
    const files = await exportPeftAdapter(l);
    const t = readSafetensors(files.safetensors).tensors;
    expect([...t.keys()]).toEqual([
      'base_model.model.bert.encoder.layer.0.attention.self.query.lora_A.weight',
      'base_model.model.bert.encoder.layer.0.attention.self.query.lora_B.weight',
      'base_model.model.bert.encoder.layer.0.attention.self.value.lora_A.weight',
      'base_model.model.bert.encoder.layer.0.attention.self.value.lora_B.weight',
    ]);
    expect(t.get('base_model.model.bert.encoder.layer.0.attention.self.query.lora_A.weight')!.shape).toEqual([2, 8]);
    expect(t.get('base_model.model.bert.encoder.layer.0.attention.self.query.lora_B.weight')!.shape).toEqual([8, 2]);
  });

  it('maps target modules to PEFT suffixes, using a regex where "output.dense" alone would over-match', () => {
    expect(peftTargetModules(['value', 'query'])).toEqual(['query', 'value']);
    const re = peftTargetModules(['output.dense', 'query']);
    expect(typeof re).toBe('string');
    expect(targetsFromPeft(re)).toEqual(['query', 'output.dense']);
    // PEFT's suffix rule: "output.dense" also selects attention.output.dense.
    expect(targetsFromPeft(['output.dense'])).toEqual(['attention.output.dense', 'output.dense']);
    expect(targetsFromPeft(['query', 'value'])).toEqual(['query', 'value']);
  });

  it('refuses adapters it cannot apply exactly', async () => {
    const l = make({ ...ALL, targetModules: ['query'] });
    const files = await exportPeftAdapter(l);
    expect(() => importPeftAdapter({ ...files.config, peft_type: 'IA3' }, files.safetensors, cfg)).toThrow(/not LORA/);
    expect(() => importPeftAdapter({ ...files.config, use_dora: true }, files.safetensors, cfg)).toThrow(/use_dora/);
    expect(() => importPeftAdapter({ ...files.config, target_modules: ['query', 'key'] }, files.safetensors, cfg)).toThrow(/missing/);
    expect(() => importPeftAdapter({ ...files.config, r: 3 }, files.safetensors, cfg)).toThrow(/shape/);
    expect(() => importPeftAdapter(files.config, files.safetensors, tinyConfig({ num_hidden_layers: 2 }))).toThrow(/missing/);
  });
});
