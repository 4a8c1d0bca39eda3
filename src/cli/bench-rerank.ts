import { loadCrossEncoder } from '../compute/cross-encoder';
import { benchThroughput, type BenchRow } from '../core/text/rerank/bench';
import type { ModelSource } from '../core/text/rerank/types';

export interface RerankBenchArgs {
  source: ModelSource;
  batchSizes: number[];
  maxLength: number | undefined;
  secondsPerSize: number;
  maxBatchSeconds: number;
  onnxFile?: string;
}

/** `rankplay rerank --bench`: pairs/s of a model on onnxruntime-web wasm (one thread) in Node. */
export async function benchRerankNode(args: RerankBenchArgs, onRow?: (row: BenchRow) => void) {
  const t0 = performance.now();
  const scorer = await loadCrossEncoder(args.source, { backend: 'wasm', maxLength: args.maxLength, onnxFile: args.onnxFile });
  const loadSeconds = (performance.now() - t0) / 1000;
  try {
    const rows = await benchThroughput(scorer, { batchSizes: args.batchSizes, secondsPerSize: args.secondsPerSize, maxBatchSeconds: args.maxBatchSeconds, onRow });
    return { environment: `node ${process.version} (onnxruntime-web wasm, 1 thread)`, model: scorer.info, loadSeconds, rows };
  } finally {
    await scorer.dispose();
  }
}
