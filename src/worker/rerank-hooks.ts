import { loadCrossEncoder, modelCacheSize } from '../compute/cross-encoder';
import { benchThroughput, type BenchRow } from '../core/text/rerank/bench';
import type { QueryPassagePair, RerankBackend } from '../core/text/rerank/types';

/** Test and benchmark hooks of the worker for the cross-encoder (e2e/cross-encoder.spec.ts, bench/rerank.mjs). */

/** One backend's scores of the pairs, or why it could not give them. */
export type ParityScores =
  | { ok: true; backend: RerankBackend; backendReason: string; scores: number[]; loadMs: number; scoreMs: number; notices: string[] }
  | { ok: false; error: string };

export interface RerankParityOptions {
  batchSize: number;
  maxLength?: number;
}

export interface RerankParityResult {
  webgpu: ParityScores;
  wasm: ParityScores;
  /** Bytes in the model cache after both loads (the files are downloaded once, then read from the cache). */
  cacheBytes: number;
}

/**
 * Test hook (e2e/cross-encoder.spec.ts): scores the same pairs with the same model on WebGPU and
 * on wasm in this worker, one after the other, so a test can hold the two to each other and to
 * the scores Node computed.
 */
export async function rerankParity(modelUrl: string, pairs: QueryPassagePair[], { batchSize, maxLength }: RerankParityOptions): Promise<RerankParityResult> {
  const run = async (backend: RerankBackend): Promise<ParityScores> => {
    const notices: string[] = [];
    try {
      const t0 = performance.now();
      const scorer = await loadCrossEncoder({ kind: 'url', base: modelUrl }, { backend, maxLength });
      const t1 = performance.now();
      try {
        const scores = await scorer.score(pairs, { batchSize, onNotice: (m) => notices.push(m) });
        return { ok: true, backend: scorer.info.backend, backendReason: scorer.info.backendReason, scores: Array.from(scores), loadMs: t1 - t0, scoreMs: performance.now() - t1, notices };
      } finally {
        await scorer.dispose();
      }
    } catch (e) {
      return { ok: false, error: e instanceof Error ? e.message : String(e) };
    }
  };
  const webgpu = await run('webgpu');
  const wasm = await run('wasm');
  return { webgpu, wasm, cacheBytes: await modelCacheSize() };
}

export interface RerankBenchOptions {
  backend: RerankBackend;
  batchSizes: number[];
  maxLength?: number;
  secondsPerSize: number;
  maxBatchSeconds: number;
}

export type RerankBenchResult =
  | { ok: true; backend: RerankBackend; backendReason: string; loadMs: number; maxLength: number; parameters: number | null; rows: BenchRow[] }
  | { ok: false; error: string };

/** Benchmark hook (bench/rerank.mjs): pairs/s of the model at `modelUrl` on one backend, in this worker. */
export async function rerankBench(modelUrl: string, opts: RerankBenchOptions): Promise<RerankBenchResult> {
  try {
    const t0 = performance.now();
    const scorer = await loadCrossEncoder({ kind: 'url', base: modelUrl }, { backend: opts.backend, maxLength: opts.maxLength });
    const loadMs = performance.now() - t0;
    try {
      // Each row as it comes, for a benchmark watching the console (a slow backend takes minutes).
      const onRow = (row: BenchRow) => console.log(`rerank-bench ${opts.backend} batch ${row.batchSize}: ${row.pairsPerSecond === null ? `skipped (${row.skipped})` : `${row.pairsPerSecond.toFixed(2)} pairs/s`}`);
      const rows = await benchThroughput(scorer, { ...opts, onRow });
      const { backend, backendReason, maxLength, parameters } = scorer.info;
      return { ok: true, backend, backendReason, loadMs, maxLength, parameters, rows };
    } finally {
      await scorer.dispose();
    }
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
}
