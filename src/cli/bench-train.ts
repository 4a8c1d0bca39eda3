import * as tf from '@tensorflow/tfjs-core';
import { CONFIG_VERSION, experimentConfigSchema, type ExperimentConfig } from '../core/experiment/config';
import { ExperimentRun } from '../core/experiment/runner';
import type { BackendName } from '../compute/types';
import { startNodeBackend } from './headless';
import { wasmTrainingKernelsInstalled } from '../compute/wasm-kernels';

/**
 * Training throughput on MSLR-shaped lists: 136 features, 120 documents per query, batches of 64
 * queries (7,680 documents per step), listwise softmax loss, Adam; the linear model and ULTRA's
 * MLP 512-256-128 (ELU), each in its own run with one ranker.
 */
export const MSLR_SHAPE = { features: 136, docsPerQuery: 120, batchQueries: 64 } as const;
export const DOCS_PER_STEP = MSLR_SHAPE.batchQueries * MSLR_SHAPE.docsPerQuery;

export type MslrModel = 'linear' | 'mlp';
export const MSLR_MODELS: MslrModel[] = ['linear', 'mlp'];

/**
 * PyTorch on 2 CPU cores (the figures issue 6 gives for these two models, same shapes): the scale
 * the wasm backend is held to (target: within 2×). bench/pytorch_reference.py measures them in the
 * same run where torch is installed.
 */
export const PYTORCH_DOCS_PER_SECOND: Record<MslrModel, number> = { linear: 4_000_000, mlp: 44_000 };

/**
 * Training queries: 608 (≈ 9.5 batches an epoch, 73k documents on the device, so each batch's
 * gather reads scattered rows as it would from MSLR). The test split is 5 % (32 queries, 3,840
 * documents): evaluation, which the app runs every `evalEvery` steps and which is inside the
 * timed span, then costs about one forward pass of half a batch.
 */
const QUERIES = 640;
const TEST_FRACTION = 0.05;

/**
 * The experiment config of one throughput run: `warmupSteps` steps, then `steps` timed ones,
 * evaluated every `warmupSteps` steps (the first evaluation marks the end of the warm-up). The
 * browser bench loads the same config into the app through a link.
 */
export function mslrConfig(model: MslrModel, warmupSteps: number, steps: number): ExperimentConfig {
  const timed = Math.ceil(steps / warmupSteps) * warmupSteps;
  return experimentConfigSchema.parse({
    version: CONFIG_VERSION,
    seed: 1,
    data: { kind: 'synthetic', queries: QUERIES, docsPerQuery: MSLR_SHAPE.docsPerQuery, features: MSLR_SHAPE.features, testFraction: TEST_FRACTION },
    rankers: [
      model === 'linear'
        ? { id: 'linear', model: { kind: 'linear' } }
        : { id: 'mlp', model: { kind: 'mlp', hidden: [512, 256, 128], activation: 'elu' } },
    ],
    train: { loss: 'softmax', optimizer: 'adam', learningRate: 0.001, batchQueries: MSLR_SHAPE.batchQueries, maxSteps: warmupSteps + timed, evalEvery: warmupSteps },
  });
}

export interface TrainMslrRow {
  backend: BackendName;
  model: MslrModel;
  warmupSteps: number;
  /** Steps timed (after the warm-up), fewer than asked when the time cap stopped the run. */
  steps: number;
  seconds: number;
  stepsPerSecond: number;
  docsPerSecond: number;
  /** docs/s ÷ the Node wasm figure of the same model in this run. */
  ratioToWasm: number | null;
  /** docs/s ÷ PYTORCH_DOCS_PER_SECOND of the same model. */
  ratioToPytorch: number;
  /** Share of the timed span spent in the app's periodic evaluation (scoring the test split). */
  evalShare: number;
  /** True when the time cap ended the run before `steps` timed steps. */
  capped: boolean;
  /** 'replaced': wasm with RankPlay's kernels (compute/wasm-kernels.ts, what the app runs); 'stock': tfjs's own. */
  kernels: 'stock' | 'replaced';
}

export interface TrainMslrBench {
  environment: 'node';
  docsPerStep: number;
  shape: typeof MSLR_SHAPE;
  pytorchDocsPerSecond: Record<MslrModel, number>;
  /** The configs of the runs with `--steps` timed steps (the browser bench reuses them). */
  configs: Record<MslrModel, ExperimentConfig>;
  rows: TrainMslrRow[];
}

export interface TrainMslrOptions {
  backends: BackendName[];
  models: MslrModel[];
  /** Timed steps per run (a multiple of the warm-up, rounded up). */
  steps: number;
  /** Per model; the first evaluation comes after them. */
  warmupSteps: Record<MslrModel, number>;
  /** A run stops at the first evaluation after this many timed seconds. */
  maxSeconds: number;
  /** Keep tfjs's own wasm kernels instead of RankPlay's (compute/wasm-kernels.ts); once replaced, they stay for the process. */
  stockWasm?: boolean;
}

async function startBackend(backend: BackendName, stockWasm: boolean): Promise<'stock' | 'replaced'> {
  if (backend === 'wasm' && stockWasm && wasmTrainingKernelsInstalled()) throw new Error('the wasm kernels were replaced earlier in this process: measure stock wasm first');
  await startNodeBackend(backend, { stockWasmKernels: stockWasm });
  return backend === 'wasm' && wasmTrainingKernelsInstalled() ? 'replaced' : 'stock';
}

/**
 * Runs the experiment as the app's worker does (train steps, evaluation every `evalEvery`), timed
 * from the evaluation that ends the warm-up to the last one: the same span the browser bench reads
 * from the app, so the environments compare directly. cpu and wasm kernels run synchronously in
 * Node, and each evaluation reads results back, so the clock sees finished work.
 */
async function measure(backend: BackendName, model: MslrModel, opts: TrainMslrOptions): Promise<Omit<TrainMslrRow, 'ratioToWasm' | 'ratioToPytorch'>> {
  const kernels = await startBackend(backend, opts.stockWasm ?? false);
  const warmupSteps = opts.warmupSteps[model];
  const run = ExperimentRun.create(mslrConfig(model, warmupSteps, opts.steps));
  try {
    await run.evaluate();
    const t0 = performance.now();
    let warmMs = 0;
    let last = { step: 0, ms: 0 };
    let evalMs = 0;
    let capped = false;
    while (!run.done) {
      run.trainStep();
      if (!run.isEvaluationStep()) continue;
      const e0 = performance.now();
      await run.evaluate();
      last = { step: run.step, ms: performance.now() - t0 };
      if (run.step > warmupSteps) evalMs += last.ms - (e0 - t0);
      if (run.step === warmupSteps) warmMs = last.ms;
      else if (!run.done && last.ms - warmMs > opts.maxSeconds * 1000) {
        capped = true;
        break;
      }
    }
    const steps = last.step - warmupSteps;
    const seconds = (last.ms - warmMs) / 1000;
    const stepsPerSecond = steps / seconds;
    return { backend, model, warmupSteps, steps, seconds, stepsPerSecond, docsPerSecond: stepsPerSecond * DOCS_PER_STEP, evalShare: evalMs / (last.ms - warmMs), capped, kernels };
  } finally {
    run.dispose();
  }
}

export async function benchTrainMslr(opts: TrainMslrOptions): Promise<TrainMslrBench> {
  const measured: Omit<TrainMslrRow, 'ratioToWasm' | 'ratioToPytorch'>[] = [];
  for (const model of opts.models) for (const backend of opts.backends) measured.push(await measure(backend, model, opts));
  const rows = measured.map((r) => {
    const wasm = measured.find((w) => w.backend === 'wasm' && w.model === r.model);
    return { ...r, ratioToWasm: wasm ? r.docsPerSecond / wasm.docsPerSecond : null, ratioToPytorch: r.docsPerSecond / PYTORCH_DOCS_PER_SECOND[r.model] };
  });
  const configs = { linear: mslrConfig('linear', opts.warmupSteps.linear, opts.steps), mlp: mslrConfig('mlp', opts.warmupSteps.mlp, opts.steps) };
  return { environment: 'node', docsPerStep: DOCS_PER_STEP, shape: MSLR_SHAPE, pytorchDocsPerSecond: PYTORCH_DOCS_PER_SECOND, configs, rows };
}

const fmt = (n: number, digits = 0) => n.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits });

export function formatTrainMslr(r: TrainMslrBench): string {
  const lines = [`node\tbackend\tmodel\tsteps/s\tdocs/s\t÷ node wasm\t÷ PyTorch (2 cores)\tnote`];
  for (const row of r.rows) {
    const note = `${row.kernels === 'replaced' ? 'replaced wasm kernels; ' : ''}${row.steps} steps after ${row.warmupSteps} warm-up${row.capped ? ' (time cap)' : ''}; evaluation ${(100 * row.evalShare).toFixed(1)} % of the time`;
    lines.push(`node\t${row.backend}\t${row.model}\t${fmt(row.stepsPerSecond, 2)}\t${fmt(row.docsPerSecond)}\t${row.ratioToWasm === null ? '-' : `×${row.ratioToWasm.toFixed(2)}`}\t×${row.ratioToPytorch.toFixed(2)}\t${note}`);
  }
  return lines.join('\n') + '\n';
}

export interface KernelShare {
  /**
   * Kernel name and input shapes, e.g. `BatchMatMul [7680,136] [136,512]` (tf.profile gives no
   * attributes: a weight gradient xᵀ·dy shows as `BatchMatMul [7680,136] [7680,512]`).
   */
  kernel: string;
  calls: number;
  msPerStep: number;
  /** Share of the wall time of a step. */
  share: number;
}

export interface TrainMslrProfile {
  backend: BackendName;
  model: MslrModel;
  kernels: 'stock' | 'replaced';
  steps: number;
  wallMsPerStep: number;
  /** Σ kernel time ÷ wall time: what is left is JavaScript (batching, tape, bookkeeping). */
  kernelShare: number;
  kernelTimes: KernelShare[];
}

/**
 * Where a training step's time goes: `steps` steps after the warm-up under tf.profile, kernel
 * time summed by kernel and input shapes (the forward and backward matmuls of a layer then show
 * up as separate rows). Synchronous backends only (cpu, wasm), where a kernel's time is its work.
 */
export async function profileTrainMslr(backend: BackendName, model: MslrModel, warmupSteps: number, steps: number, stockWasm = false): Promise<TrainMslrProfile> {
  const kernels = await startBackend(backend, stockWasm);
  tf.env().set('CHECK_COMPUTATION_FOR_ERRORS', false);
  const run = ExperimentRun.create(mslrConfig(model, warmupSteps, steps + warmupSteps));
  try {
    for (let i = 0; i < warmupSteps; i++) run.trainStep();
    const t0 = performance.now();
    const info = await tf.profile(() => {
      for (let i = 0; i < steps; i++) run.trainStep();
    });
    const wallMs = performance.now() - t0;
    const byKernel = new Map<string, { calls: number; ms: number }>();
    let kernelMs = 0;
    for (const k of info.kernels) {
      const ms = typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
      const key = `${k.name} ${k.inputShapes.map((s) => `[${(s ?? []).join(',')}]`).join(' ')}`;
      const e = byKernel.get(key) ?? { calls: 0, ms: 0 };
      e.calls++;
      e.ms += ms;
      byKernel.set(key, e);
      kernelMs += ms;
    }
    const kernelTimes = [...byKernel.entries()]
      .map(([kernel, e]) => ({ kernel, calls: e.calls / steps, msPerStep: e.ms / steps, share: e.ms / wallMs }))
      .sort((a, b) => b.msPerStep - a.msPerStep);
    return { backend, model, kernels, steps, wallMsPerStep: wallMs / steps, kernelShare: kernelMs / wallMs, kernelTimes };
  } finally {
    run.dispose();
  }
}

export function formatProfile(p: TrainMslrProfile, top = 15): string {
  const lines = [
    `${p.backend}${p.kernels === 'replaced' ? ' (replaced kernels)' : ''} ${p.model}: ${p.wallMsPerStep.toFixed(1)} ms a step (${p.steps} steps profiled), kernels ${(100 * p.kernelShare).toFixed(0)} % of it`,
    `ms/step\tshare\tcalls/step\tkernel [input shapes]`,
  ];
  for (const k of p.kernelTimes.slice(0, top)) lines.push(`${k.msPerStep.toFixed(2)}\t${(100 * k.share).toFixed(1)} %\t${k.calls}\t${k.kernel}`);
  return lines.join('\n') + '\n';
}
