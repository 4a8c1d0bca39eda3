import * as tf from '@tensorflow/tfjs-core';
import type { BackendName } from '../../../compute/types';
import { createRng } from '../../experiment/rng';
import { softmaxLoss } from '../../rank/losses';
import { clippedStep, createOptimizer } from '../../rank/optim';
import { DEFAULT_ADAPTATION, type AdaptationConfig } from '../lora/adaptation';
import { createAdaptation } from '../lora/adaptations';
import { bertLogits, type PairBatch } from '../model/bert';
import { bertConfigFromJson, DEMO_CONFIG, type BertConfig } from '../model/config';
import { initBertWeights, weightsToParams, type BertWeights } from '../model/params';

/**
 * What LoRA saves over full fine-tuning of the cross-encoder, per training step (forward +
 * backward + Adam through clippedStep, listwise softmax loss, dropout off), in time and in tfjs
 * memory, on whichever tfjs backend is active: one implementation for `rankplay bench --lora`
 * (Node cpu and wasm) and the worker's benchmark hook (Chromium wasm and WebGPU). Random weights
 * of each shape: neither time nor memory depends on the values.
 */

export type LoraBenchModel = 'demo' | 'minilm';
export const LORA_BENCH_MODELS: LoraBenchModel[] = ['demo', 'minilm'];
export type LoraBenchMethod = 'lora' | 'full';
export const LORA_BENCH_METHODS: LoraBenchMethod[] = ['lora', 'full'];

/** cross-encoder/ms-marco-MiniLM-L-6-v2's shape, full vocabulary (its embedding table is most of its memory). */
export const MINILM_L6: BertConfig = { ...DEMO_CONFIG, vocab_size: 30522, hidden_size: 384, num_hidden_layers: 6, num_attention_heads: 12, intermediate_size: 1536, max_position_embeddings: 512 };

/** r = 8 on the attention's four Linear layers: the common LoRA setting for BERT rerankers. */
export const BENCH_LORA: AdaptationConfig = { ...DEFAULT_ADAPTATION, kind: 'lora', r: 8, alpha: 16, dropout: 0, targetModules: ['query', 'key', 'value', 'attention.output.dense'] };

/** The batch and step counts of one model on one backend. */
export interface LoraBenchPlan {
  lists: number;
  listSize: number;
  seqLen: number;
  warmupSteps: number;
  steps: number;
}

export interface LoraBenchShape {
  model: LoraBenchModel;
  label: string;
  config: BertConfig;
  plans: Partial<Record<BackendName, LoraBenchPlan>>;
}

export interface LoraBenchRow extends LoraBenchPlan {
  model: LoraBenchModel;
  backend: BackendName;
  method: LoraBenchMethod;
  trainable: number;
  msPerStep: number;
  /** The first (warm-up) step: on WebGPU it also compiles the shaders. */
  warmupMs: number;
  /** tf.profile's peakBytes over the timed steps: everything tfjs holds at a step's fullest point (weights, Adam state, activations). */
  peakMB: number;
  /** tf.memory().numBytes before and after the timed steps (a step leaves only the optimiser's state behind). */
  beforeMB: number;
  afterMB: number;
}

export interface LoraBenchRatio {
  model: LoraBenchModel;
  backend: BackendName;
  /** LoRA ÷ full, from this run. */
  time: number;
  peakMemory: number;
  /** Memory held between steps (weights, trained copies, Adam's moments). */
  heldMemory: number;
}

export const LORA_BENCH_NOTES = [
  "Memory is tfjs accounting (tf.memory / tf.profile): a tensor that shares another one's buffer (a reshape, a variable before its first update) counts again, so figures are upper bounds of the buffers held.",
  'full fine-tuning keeps the frozen base on the device as well as its trained copy (the app needs the base to compare against and to reset).',
];

const MB = 1024 * 1024;

/** The demo model's shape from its config.json (parsed), or from config.ts when there is none. */
export function demoBenchShape(json: unknown, source: string): { config: BertConfig; label: string } {
  if (json !== null && json !== undefined) return { config: bertConfigFromJson(json), label: 'demo model shape (random weights)' };
  return { config: { ...DEMO_CONFIG, vocab_size: 4021 }, label: `demo model shape from config.ts (no ${source}; random weights)` };
}

/**
 * Sized so the Node part (both shapes, cpu and wasm, both methods) takes about 3 minutes on 2 idle
 * cores: the demo shape takes the batch (4 lists × 8 pairs × 128 tokens), ~10–20 s a step
 * on tfjs cpu. MiniLM on that batch is ~90 GFLOP forward (~20–30 s a step on wasm, minutes on
 * cpu), so it takes 2 × 4 × 128 on wasm and 1 × 4 × 32 on cpu (5–15× slower than wasm here).
 * WebGPU takes a quarter (demo) or half (MiniLM) of wasm's batch with one timed step: in a browser
 * without a GPU it is SwiftShader, a CPU emulation ~50× slower than wasm (~10 s a demo step on
 * 1 × 8 × 128 here). Ratios compare methods on the same batch;
 * absolute times of different batches do not compare.
 */
export function loraBenchShapes(demo: { config: BertConfig; label: string }, steps?: number): LoraBenchShape[] {
  const plan = (lists: number, listSize: number, seqLen: number, timed: number): LoraBenchPlan => ({ lists, listSize, seqLen, warmupSteps: 1, steps: steps ?? timed });
  return [
    { model: 'demo', label: demo.label, config: demo.config, plans: { wasm: plan(4, 8, 128, 5), cpu: plan(4, 8, 128, 2), webgpu: plan(1, 8, 128, 1) } },
    { model: 'minilm', label: 'MiniLM-L6 shape (random weights)', config: MINILM_L6, plans: { wasm: plan(2, 4, 128, 3), cpu: plan(1, 4, 32, 2), webgpu: plan(1, 4, 128, 1) } },
  ];
}

export function planOf(s: LoraBenchShape, backend: BackendName): LoraBenchPlan {
  const p = s.plans[backend];
  if (!p) throw new Error(`bench --lora has no plan for ${s.model} on ${backend}`);
  return p;
}

/** Full-length pairs (no padding: every token costs), random ids past the special tokens. */
export function benchBatch(c: BertConfig, p: LoraBenchPlan): PairBatch {
  const rng = createRng(2);
  const n = p.lists * p.listSize;
  const b: PairBatch = { batch: n, seqLen: p.seqLen, inputIds: new Int32Array(n * p.seqLen), tokenTypeIds: new Int32Array(n * p.seqLen), attentionMask: new Int32Array(n * p.seqLen).fill(1) };
  for (let i = 0; i < b.inputIds.length; i++) {
    b.inputIds[i] = 5 + rng.int(c.vocab_size - 5);
    // A 16-token query, the rest passage, as a cross-encoder's pairs are typed.
    b.tokenTypeIds[i] = i % p.seqLen >= 16 ? 1 : 0;
  }
  return b;
}

/** Forward multiply-adds of a step's batch, in G (matmuls only): what makes one shape's step slower than another's. */
export function stepGigaMacs(c: BertConfig, p: LoraBenchPlan): number {
  const h = c.hidden_size;
  const perToken = c.num_hidden_layers * (4 * h * h + 2 * h * c.intermediate_size + 2 * p.seqLen * h);
  return (p.lists * p.listSize * p.seqLen * perToken) / 1e9;
}

/** Random weights of a shape, made once and shared by the methods and backends measured on it. */
export const benchWeights = (s: LoraBenchShape): BertWeights => initBertWeights(s.config, createRng(1));

/** Measures one method on one shape on the active tfjs backend (the row names it). */
export async function measureLoraStep(s: LoraBenchShape, weights: BertWeights, method: LoraBenchMethod): Promise<LoraBenchRow> {
  const backend = tf.getBackend() as BackendName;
  const c = s.config;
  const p = planOf(s, backend);
  const base = weightsToParams(c, weights);
  const ac: AdaptationConfig = method === 'lora' ? BENCH_LORA : { ...BENCH_LORA, kind: 'full' };
  const adaptation = await createAdaptation(ac, c, base, createRng(1));
  const optimizer = createOptimizer('adam', 1e-4);
  const batch = benchBatch(c, p);
  const shape: [number, number] = [p.lists, p.listSize];
  const gains = Array.from({ length: p.lists * p.listSize }, (_, i) => (i % p.listSize === 0 ? 1 : 0));
  const ctx = { training: true, rng: createRng(3) };
  // Reading the loss back makes the clock see finished work (WebGPU runs ahead of the script otherwise).
  const step = async (): Promise<void> => {
    const { loss, norm } = clippedStep(
      optimizer,
      () =>
        tf.tidy(() => {
          const fwd = adaptation.forward(base, ctx);
          const scores = tf.reshape(bertLogits(c, fwd.params, batch, { linearDelta: fwd.linearDelta }), shape) as tf.Tensor2D;
          return softmaxLoss({ scores, labels: tf.tensor2d(gains, shape), mask: tf.ones(shape) as tf.Tensor2D });
        }),
      adaptation.variables,
      1,
    );
    const value = (await loss.data())[0];
    tf.dispose([loss, norm]);
    if (!Number.isFinite(value)) throw new Error(`${method} on ${backend}: the loss is ${value}`);
  };
  // tf.profile would otherwise read every kernel's output back to look for NaNs.
  const checked = tf.env().getBool('CHECK_COMPUTATION_FOR_ERRORS');
  tf.env().set('CHECK_COMPUTATION_FOR_ERRORS', false);
  try {
    // The warm-up also creates Adam's moments, so the profiled steps below are steady-state ones.
    const w0 = performance.now();
    for (let i = 0; i < p.warmupSteps; i++) await step();
    const warmupMs = (performance.now() - w0) / Math.max(1, p.warmupSteps);
    const beforeMB = tf.memory().numBytes / MB;
    // The timed steps are the profiled ones: on cpu a step takes up to a minute, too long to run
    // twice, and tf.profile only adds per-kernel bookkeeping (on WebGPU also one compute pass per
    // kernel). Its async wrapper is outside the clock.
    let ms = 0;
    let peakBytes = 0;
    for (let i = 0; i < p.steps; i++) {
      let t0 = 0;
      const info = await tf.profile(async () => {
        t0 = performance.now();
        await step();
        ms += performance.now() - t0;
      });
      peakBytes = Math.max(peakBytes, info.peakBytes);
    }
    const afterMB = tf.memory().numBytes / MB;
    return { ...p, model: s.model, backend, method, trainable: adaptation.count.trainable, msPerStep: ms / p.steps, warmupMs, peakMB: peakBytes / MB, beforeMB, afterMB };
  } finally {
    tf.env().set('CHECK_COMPUTATION_FOR_ERRORS', checked);
    optimizer.dispose();
    adaptation.dispose();
    tf.dispose([...base.values()]);
  }
}

/** LoRA ÷ full for each (model, backend) with both rows. */
export function loraRatios(rows: LoraBenchRow[]): LoraBenchRatio[] {
  const ratios: LoraBenchRatio[] = [];
  for (const r of rows.filter((x) => x.method === 'lora')) {
    const full = rows.find((x) => x.method === 'full' && x.model === r.model && x.backend === r.backend);
    if (full) ratios.push({ model: r.model, backend: r.backend, time: r.msPerStep / full.msPerStep, peakMemory: r.peakMB / full.peakMB, heldMemory: r.afterMB / full.afterMB });
  }
  return ratios;
}
