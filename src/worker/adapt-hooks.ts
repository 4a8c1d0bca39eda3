import * as tf from '@tensorflow/tfjs-core';
import { startBackend, type WasmLocator } from '../compute/backends';
import type { BackendName, Capabilities } from '../compute/types';
import {
  benchWeights,
  demoBenchShape,
  LORA_BENCH_METHODS,
  loraBenchShapes,
  measureLoraStep,
  planOf,
  stepGigaMacs,
  type LoraBenchModel,
  type LoraBenchRow,
  type LoraBenchShape,
} from '../core/text/adapt/bench-step';
import { countParams, type BertWeights } from '../core/text/model/params';

/**
 * Benchmark hook of the worker for adapter training (bench/lora.mjs): the same measuring code as
 * `rankplay bench --lora` (core/text/adapt/bench-step.ts), run on the app's tfjs backends in this
 * worker, LoRA r=8 against full fine-tuning, per model shape and backend.
 */

export type AdaptBenchBackend = 'wasm' | 'webgpu';

export interface AdaptBenchOptions {
  backends: AdaptBenchBackend[];
  models: LoraBenchModel[];
  /** The demo model's config.json, absolute (the app's /models/rankplay-demo-cross-encoder/config.json). */
  demoConfigUrl: string;
  /** Timed steps per run on every backend (default: the plans in bench-step.ts). */
  steps?: number;
  /** On WebGPU, the shapes after the demo's are skipped when a demo step took longer than this (default 5: SwiftShader takes ~10 s). */
  maxDemoStepSeconds?: number;
}

export interface AdaptBenchRun {
  backend: AdaptBenchBackend;
  /** Null when the backend started; else why not (the run has no rows). */
  error: string | null;
  /** The app's status line for the backend (names the adapter). */
  label: string;
  /** A software adapter (SwiftShader): its times say nothing of a GPU. */
  software: boolean;
  rows: LoraBenchRow[];
  skipped: { model: LoraBenchModel; reason: string }[];
}

export interface AdaptBenchResult {
  environment: string;
  shapes: { model: LoraBenchModel; label: string; parameters: number }[];
  runs: AdaptBenchRun[];
  /** The backend the worker is back on afterwards. */
  restored: BackendName;
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

async function fetchJson(url: string): Promise<unknown> {
  try {
    const res = await fetch(url);
    return res.ok ? await res.json() : null;
  } catch {
    return null;
  }
}

interface BenchContext {
  shapes: LoraBenchShape[];
  weights: (s: LoraBenchShape) => BertWeights;
  locateWasm: WasmLocator | undefined;
  capabilities: Capabilities | undefined;
  maxDemoMs: number;
}

async function runOn(backend: AdaptBenchBackend, ctx: BenchContext): Promise<AdaptBenchRun> {
  const run: AdaptBenchRun = { backend, error: null, label: backend, software: false, rows: [], skipped: [] };
  try {
    const status = await startBackend({ requested: backend, locateWasm: ctx.locateWasm, capabilities: ctx.capabilities });
    run.label = status.label;
    if (status.active !== backend) return { ...run, error: `${backend} did not start: ${status.failures.join('; ')}` };
    run.software = backend === 'webgpu' && status.capabilities.webgpu.isFallback;
  } catch (e) {
    return { ...run, error: message(e) };
  }
  for (const s of ctx.shapes) {
    const demo = run.rows.filter((r) => r.model === 'demo');
    const demoMs = Math.max(0, ...demo.map((r) => r.msPerStep));
    if (backend === 'webgpu' && s.model !== 'demo' && demoMs > ctx.maxDemoMs) {
      const p = planOf(s, backend);
      const work = stepGigaMacs(s.config, p) / stepGigaMacs((ctx.shapes.find((x) => x.model === 'demo') ?? s).config, demo[0]);
      const minutes = (work * demoMs * (p.warmupSteps + p.steps) * LORA_BENCH_METHODS.length) / 60_000;
      const why = `a demo step took ${(demoMs / 1000).toFixed(1)} s on this WebGPU (cap ${(ctx.maxDemoMs / 1000).toFixed(0)} s); a ${s.model} step is ~${work.toFixed(0)}× its work, ~${minutes.toFixed(0)} min for both methods`;
      run.skipped.push({ model: s.model, reason: `skipped: ${why}` });
      continue;
    }
    try {
      for (const method of LORA_BENCH_METHODS) {
        const row = await measureLoraStep(s, ctx.weights(s), method);
        run.rows.push(row);
        // Each row as it comes, for a benchmark watching the console.
        console.log(`adapt-bench ${backend} ${s.model} ${method}: ${row.msPerStep.toFixed(0)} ms/step (warm-up ${row.warmupMs.toFixed(0)} ms)`);
      }
    } catch (e) {
      run.skipped.push({ model: s.model, reason: `failed: ${message(e)}` });
    }
  }
  return run;
}

/**
 * Switches tfjs in this worker to each backend in turn, measures both methods on each shape, and
 * switches back to the backend it found (the live experiment's tensors stay where they are).
 */
export async function adaptBench(opts: AdaptBenchOptions, locateWasm: WasmLocator | undefined, capabilities: Capabilities | undefined): Promise<AdaptBenchResult> {
  const demo = demoBenchShape(await fetchJson(opts.demoConfigUrl), opts.demoConfigUrl);
  const shapes = loraBenchShapes(demo, opts.steps).filter((s) => opts.models.includes(s.model));
  const made = new Map<LoraBenchModel, BertWeights>();
  const weights = (s: LoraBenchShape): BertWeights => {
    const w = made.get(s.model) ?? benchWeights(s);
    made.set(s.model, w);
    return w;
  };
  const ctx: BenchContext = { shapes, weights, locateWasm, capabilities, maxDemoMs: (opts.maxDemoStepSeconds ?? 5) * 1000 };
  const previous = tf.getBackend() as BackendName;
  const runs: AdaptBenchRun[] = [];
  try {
    for (const backend of opts.backends) runs.push(await runOn(backend, ctx));
  } finally {
    await startBackend({ requested: previous, locateWasm, capabilities });
  }
  const chrome = /(?:Chrome|Chromium)\/([\d.]+)/.exec(navigator.userAgent)?.[1];
  return {
    environment: `chromium ${chrome ?? navigator.userAgent} worker, tfjs ${tf.version_core}`,
    shapes: shapes.map((s) => ({ model: s.model, label: s.label, parameters: countParams(s.config) })),
    runs,
    restored: tf.getBackend() as BackendName,
  };
}
