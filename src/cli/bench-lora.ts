import { existsSync, readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import type { BackendName } from '../compute/types';
import { createRng } from '../core/experiment/rng';
import { softmaxLoss } from '../core/rank/losses';
import { clippedStep, createOptimizer } from '../core/rank/optim';
import { DEFAULT_ADAPTATION, type AdaptationConfig } from '../core/text/lora/adaptation';
import { createAdaptation } from '../core/text/lora/adaptations';
import { bertLogits, type PairBatch } from '../core/text/model/bert';
import { bertConfigFromJson, DEMO_CONFIG, type BertConfig } from '../core/text/model/config';
import { countParams, initBertWeights, weightsToParams, type BertWeights } from '../core/text/model/params';
import { startNodeBackend } from './headless';

/**
 * `rankplay bench --lora`: what LoRA saves over full fine-tuning of the cross-encoder, per training
 * step (forward + backward + Adam through clippedStep, listwise softmax loss, dropout off), in time
 * and in tfjs memory. Random weights of each shape: neither time nor memory depends on the values.
 */

export type LoraBenchModel = 'demo' | 'minilm';
export const LORA_BENCH_MODELS: LoraBenchModel[] = ['demo', 'minilm'];
export type LoraBenchMethod = 'lora' | 'full';

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
  plans: Record<'cpu' | 'wasm', LoraBenchPlan>;
}

export interface LoraBenchRow extends LoraBenchPlan {
  model: LoraBenchModel;
  backend: BackendName;
  method: LoraBenchMethod;
  trainable: number;
  msPerStep: number;
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

export interface LoraBench {
  environment: string;
  lora: { r: number; alpha: number; targetModules: string[] };
  shapes: (LoraBenchShape & { parameters: number })[];
  rows: LoraBenchRow[];
  ratios: LoraBenchRatio[];
  notes: string[];
}

const MB = 1024 * 1024;

/** The demo model's config.json when it is there (the app's model), else its shape from config.ts. */
export function demoShapeConfig(file: string): { config: BertConfig; label: string } {
  if (existsSync(file)) return { config: bertConfigFromJson(JSON.parse(readFileSync(file, 'utf8'))), label: 'demo model shape (random weights)' };
  return { config: { ...DEMO_CONFIG, vocab_size: 4021 }, label: `demo model shape from config.ts (no ${file}; random weights)` };
}

/**
 * Sized so a whole run (both shapes, both backends, both methods) takes about 3 minutes on 2 idle cores:
 * the demo shape takes the batch (4 lists × 8 pairs × 128 tokens), ~13–20 s a step on tfjs
 * cpu. MiniLM on that batch is ~90 GFLOP forward (~20–30 s a step on wasm, minutes on cpu), so it takes
 * 2 × 4 × 128 on wasm and 1 × 4 × 32 on cpu (5–15× slower than wasm here). Ratios
 * compare methods on the same batch; absolute times of different batches do not compare.
 */
export function loraBenchShapes(demoConfigFile: string, steps?: number): LoraBenchShape[] {
  const demo = demoShapeConfig(demoConfigFile);
  const plan = (lists: number, listSize: number, seqLen: number, timed: number): LoraBenchPlan => ({ lists, listSize, seqLen, warmupSteps: 1, steps: steps ?? timed });
  return [
    { model: 'demo', label: demo.label, config: demo.config, plans: { wasm: plan(4, 8, 128, 5), cpu: plan(4, 8, 128, 2) } },
    { model: 'minilm', label: 'MiniLM-L6 shape (random weights)', config: MINILM_L6, plans: { wasm: plan(2, 4, 128, 3), cpu: plan(1, 4, 32, 2) } },
  ];
}

function planOf(s: LoraBenchShape, backend: BackendName): LoraBenchPlan {
  if (backend !== 'cpu' && backend !== 'wasm') throw new Error(`bench --lora runs on cpu and wasm in Node, not ${backend}`);
  return s.plans[backend];
}

/** Full-length pairs (no padding: every token costs), random ids past the special tokens. */
function benchBatch(c: BertConfig, p: LoraBenchPlan): PairBatch {
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

async function measure(s: LoraBenchShape, weights: BertWeights, backend: BackendName, method: LoraBenchMethod): Promise<LoraBenchRow> {
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
  // Reading the loss back makes the clock see finished work (cpu and wasm kernels are synchronous in Node anyway).
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
  try {
    // The warm-up also creates Adam's moments, so the profiled step below is a steady-state one.
    for (let i = 0; i < p.warmupSteps; i++) await step();
    const beforeMB = tf.memory().numBytes / MB;
    // The timed steps are the profiled ones: on cpu a step takes up to a minute, too long to run
    // twice, and tf.profile only adds per-kernel bookkeeping (it times kernels with the clock the
    // synchronous cpu and wasm backends use anyway). Its async wrapper is outside the clock.
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
    return { ...p, model: s.model, backend, method, trainable: adaptation.count.trainable, msPerStep: ms / p.steps, peakMB: peakBytes / MB, beforeMB, afterMB };
  } finally {
    optimizer.dispose();
    adaptation.dispose();
    tf.dispose([...base.values()]);
  }
}

export interface LoraBenchOptions {
  backends: BackendName[];
  models: LoraBenchModel[];
  demoConfigFile: string;
  /** Timed steps per run (default: loraBenchShapes' plans). */
  steps?: number;
  onRow?: (row: LoraBenchRow) => void;
}

export async function benchLora(opts: LoraBenchOptions): Promise<LoraBench> {
  const shapes = loraBenchShapes(opts.demoConfigFile, opts.steps).filter((s) => opts.models.includes(s.model));
  const rows: LoraBenchRow[] = [];
  for (const s of shapes) {
    const weights = initBertWeights(s.config, createRng(1));
    for (const backend of opts.backends) {
      planOf(s, backend);
      await startNodeBackend(backend);
      // tf.profile would otherwise read every kernel's output back to look for NaNs.
      tf.env().set('CHECK_COMPUTATION_FOR_ERRORS', false);
      for (const method of ['lora', 'full'] as const) {
        const row = await measure(s, weights, backend, method);
        rows.push(row);
        opts.onRow?.(row);
      }
    }
  }
  const ratios: LoraBenchRatio[] = [];
  for (const r of rows.filter((x) => x.method === 'lora')) {
    const full = rows.find((x) => x.method === 'full' && x.model === r.model && x.backend === r.backend);
    if (full) ratios.push({ model: r.model, backend: r.backend, time: r.msPerStep / full.msPerStep, peakMemory: r.peakMB / full.peakMB, heldMemory: r.afterMB / full.afterMB });
  }
  return {
    environment: `node ${process.version}, tfjs ${tf.version_core}`,
    lora: { r: BENCH_LORA.r, alpha: BENCH_LORA.alpha, targetModules: [...BENCH_LORA.targetModules] },
    shapes: shapes.map((s) => ({ ...s, parameters: countParams(s.config) })),
    rows,
    ratios,
    notes: [
      'Memory is tfjs accounting (tf.memory / tf.profile): a tensor that shares another one\'s buffer (a reshape, a variable before its first update) counts again, so figures are upper bounds of the buffers held.',
      'full fine-tuning keeps the frozen base on the device as well as its trained copy (the app needs the base to compare against and to reset).',
    ],
  };
}

const fmt = (n: number, digits: number) => n.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits });

export function formatLoraBench(r: LoraBench): string {
  const lines: string[] = [];
  for (const s of r.shapes) lines.push(`${s.model}: ${s.label}, ${fmt(s.parameters, 0)} parameters`);
  lines.push(`LoRA r=${r.lora.r} α=${r.lora.alpha} on ${r.lora.targetModules.join(', ')}; ${r.environment}`);
  lines.push('model\tbackend\tbatch (lists×pairs×tokens)\tmethod\ttrainable\tms/step\tpeak MB\tMB held (before → after step)');
  for (const row of r.rows) {
    const batch = `${row.lists}×${row.listSize}×${row.seqLen}, ${row.steps} timed`;
    lines.push(`${row.model}\t${row.backend}\t${batch}\t${row.method}\t${fmt(row.trainable, 0)}\t${fmt(row.msPerStep, 0)}\t${fmt(row.peakMB, 1)}\t${fmt(row.beforeMB, 1)} → ${fmt(row.afterMB, 1)}`);
  }
  lines.push('model\tbackend\tLoRA ÷ full: time\tpeak memory\theld memory');
  for (const q of r.ratios) lines.push(`${q.model}\t${q.backend}\t×${q.time.toFixed(2)}\t×${q.peakMemory.toFixed(2)}\t×${q.heldMemory.toFixed(2)}`);
  for (const n of r.notes) lines.push(`note: ${n}`);
  return lines.join('\n') + '\n';
}
