import * as tf from '@tensorflow/tfjs-core';
import { startBackend } from '../compute/backends';
import { locateWasmInNode } from '../compute/wasm-paths.node';
import type { BackendName, BackendStatus } from '../compute/types';
import type { ExperimentConfig } from '../core/experiment/config';
import { ExperimentRun, type DatasetSummary, type MetricPoint } from '../core/experiment/runner';
import type { RankingDataset } from '../core/data/dataset';
import type { FeatureSplits } from '../core/data/library';

export async function startNodeBackend(name: BackendName, opts: { stockWasmKernels?: boolean } = {}): Promise<BackendStatus> {
  // PROD silences tfjs's console advice to install tfjs-node, which would pollute --json output.
  tf.env().set('PROD', true);
  const status = await startBackend({ requested: name, locateWasm: locateWasmInNode, stockWasmKernels: opts.stockWasmKernels });
  if (status.active !== name) throw new Error(`backend ${name} could not start here: ${status.failures.join('; ')}`);
  return status;
}

export interface HeadlessResult {
  final: MetricPoint;
  summary: DatasetSummary;
  /** The test split and each ranker's final scores of it (for --run-out). */
  test: RankingDataset;
  testScores: Record<string, Float32Array>;
  initial: MetricPoint;
  reference: ExperimentRun['reference'];
  trainMs: number;
  /** Cumulative training + evaluation time at each evaluation, as the app's worker reports it. */
  timeline: { step: number; elapsedMs: number }[];
}

/** Runs the same experiment the app runs, to the end, without a UI (same core code, same numbers). */
export async function trainHeadless(config: ExperimentConfig, onPoint?: (p: MetricPoint) => void, stored?: FeatureSplits): Promise<HeadlessResult> {
  const run = ExperimentRun.create(config, stored);
  try {
    const initial = await run.evaluate();
    let final = initial;
    const timeline = [{ step: 0, elapsedMs: 0 }];
    const t0 = performance.now();
    while (!run.done) {
      run.trainStep();
      if (run.isEvaluationStep()) {
        final = await run.evaluate();
        timeline.push({ step: final.step, elapsedMs: performance.now() - t0 });
        onPoint?.(final);
      }
    }
    const trainMs = performance.now() - t0;
    const { test, scores } = await run.testScores();
    return { initial, final, reference: run.reference, summary: run.summary, test, testScores: scores, trainMs, timeline };
  } finally {
    run.dispose();
  }
}
