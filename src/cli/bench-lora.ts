import { existsSync, readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import type { BackendName } from '../compute/types';
import {
  BENCH_LORA,
  benchWeights,
  demoBenchShape,
  LORA_BENCH_METHODS,
  LORA_BENCH_NOTES,
  loraBenchShapes,
  loraRatios,
  measureLoraStep,
  planOf,
  type LoraBenchModel,
  type LoraBenchRatio,
  type LoraBenchRow,
  type LoraBenchShape,
} from '../core/text/adapt/bench-step';
import { countParams } from '../core/text/model/params';
import { startNodeBackend } from './headless';

/**
 * `rankplay bench --lora`: what LoRA saves over full fine-tuning of the cross-encoder, per training
 * step, in time and in tfjs memory, on Node's tfjs backends (cpu, wasm). The measuring is
 * core/text/adapt/bench-step.ts, which the app's worker runs too (bench/lora.mjs, Chromium rows);
 * this file starts the backends, reads the demo config and formats.
 */

export { LORA_BENCH_MODELS, MINILM_L6, BENCH_LORA } from '../core/text/adapt/bench-step';
export type { LoraBenchModel, LoraBenchMethod, LoraBenchPlan, LoraBenchRow, LoraBenchRatio, LoraBenchShape } from '../core/text/adapt/bench-step';

export interface LoraBench {
  environment: string;
  lora: { r: number; alpha: number; targetModules: string[] };
  shapes: (LoraBenchShape & { parameters: number })[];
  rows: LoraBenchRow[];
  ratios: LoraBenchRatio[];
  notes: string[];
}

/** The demo model's config.json when it is there (the app's model), else its shape from config.ts. */
export function demoShapeConfig(file: string) {
  return demoBenchShape(existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : null, file);
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
  for (const b of opts.backends) if (b !== 'cpu' && b !== 'wasm') throw new Error(`bench --lora runs on cpu and wasm in Node, not ${b}`);
  const shapes = loraBenchShapes(demoShapeConfig(opts.demoConfigFile), opts.steps).filter((s) => opts.models.includes(s.model));
  const rows: LoraBenchRow[] = [];
  for (const s of shapes) {
    const weights = benchWeights(s);
    for (const backend of opts.backends) {
      planOf(s, backend);
      await startNodeBackend(backend);
      for (const method of LORA_BENCH_METHODS) {
        const row = await measureLoraStep(s, weights, method);
        rows.push(row);
        opts.onRow?.(row);
      }
    }
  }
  return {
    environment: `node ${process.version}, tfjs ${tf.version_core}`,
    lora: { r: BENCH_LORA.r, alpha: BENCH_LORA.alpha, targetModules: [...BENCH_LORA.targetModules] },
    shapes: shapes.map((s) => ({ ...s, parameters: countParams(s.config) })),
    rows,
    ratios: loraRatios(rows),
    notes: [...LORA_BENCH_NOTES],
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
