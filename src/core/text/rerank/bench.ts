import { SAMPLE_TEXTS } from './random-model';
import type { CrossEncoderScorer, QueryPassagePair } from './types';

/**
 * Reranking throughput (query–passage pairs/s) of a loaded cross-encoder at several batch sizes,
 * shared by `rankplay rerank --bench` (Node wasm) and the app worker's bench hook (Chromium wasm
 * and WebGPU), so both measure the same pairs the same way.
 */

/** `count` pairs whose passages are long enough to be cut at any maxLength ≤ 512: every pair is maxLength tokens. */
export function benchPairs(count: number): QueryPassagePair[] {
  const words = SAMPLE_TEXTS.join(' ').split(/\s+/);
  return Array.from({ length: count }, (_, i) => {
    const at = (i * 7) % words.length;
    const passage = Array.from({ length: 600 }, (_, k) => words[(at + k) % words.length]).join(' ');
    return { query: words.slice(at, at + 6).join(' '), passage };
  });
}

export interface BenchRow {
  batchSize: number;
  /** Pairs scored in the timed runs (after one warm-up batch), or 0 when skipped. */
  pairs: number;
  seconds: number;
  pairsPerSecond: number | null;
  /** Why this batch size was not measured (e.g. its one batch would take longer than the budget). */
  skipped?: string;
}

export interface BenchOptions {
  batchSizes: readonly number[];
  /** Timed runs continue until this many seconds have passed (at least one batch). */
  secondsPerSize: number;
  /** A size is skipped when its one batch is predicted to take longer than this (from the previous size's speed). */
  maxBatchSeconds: number;
  onRow?: (row: BenchRow) => void;
}

export async function benchThroughput(scorer: CrossEncoderScorer, opts: BenchOptions): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  let lastRate: number | null = null;
  for (const batchSize of opts.batchSizes) {
    const predicted = lastRate ? batchSize / lastRate : 0;
    if (predicted > opts.maxBatchSeconds) {
      const row: BenchRow = { batchSize, pairs: 0, seconds: 0, pairsPerSecond: null, skipped: `one batch would take about ${predicted.toFixed(0)} s` };
      rows.push(row);
      opts.onRow?.(row);
      continue;
    }
    const pairs = benchPairs(batchSize);
    // Warm-up: first runs of a shape compile kernels (WebGPU shaders) and grow memory.
    await scorer.score(pairs, { batchSize });
    let scored = 0;
    const t0 = performance.now();
    do {
      await scorer.score(pairs, { batchSize });
      scored += batchSize;
    } while ((performance.now() - t0) / 1000 < opts.secondsPerSize);
    const seconds = (performance.now() - t0) / 1000;
    lastRate = scored / seconds;
    const row: BenchRow = { batchSize, pairs: scored, seconds, pairsPerSecond: lastRate };
    rows.push(row);
    opts.onRow?.(row);
  }
  return rows;
}
