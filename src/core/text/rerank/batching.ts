import type { PairBatch } from '../model/bert';
import { padPairs, type EncodedPair } from '../model/encode';
import { scoresFromLogits } from './model-check';

/**
 * Scoring many pairs through a batch runner (an onnxruntime session, or a fake in tests): pairs
 * are sorted by token length so a batch pads little, longest first so a batch that does not fit
 * in GPU memory fails at once rather than after most of the work; an out-of-memory error halves
 * the batch and retries, and at one pair hands over to a fallback runner (wasm). Scores come back
 * in input order and do not depend on the batch size (padding is masked).
 */

/** One submitted batch: its logits once read, or its resources released unread. */
export interface PendingBatch {
  read(): Promise<Float32Array>;
  release(): void;
}

export interface BatchRunner {
  /** A short label for notices ("WebGPU", "wasm"). */
  readonly label: string;
  /**
   * Submits a batch. A GPU runner may return before the work is done (the logits stay on the
   * GPU until read), which lets the next batch be queued behind it.
   */
  submit(batch: PairBatch): Promise<PendingBatch>;
  /** Batches kept in flight before the oldest is read (1 = read each before the next). */
  readonly pipelineDepth: number;
}

export interface BatchScoreOptions {
  batchSize: number;
  padId: number;
  numLabels: 1 | 2;
  isOutOfMemory(error: unknown): boolean;
  /** Called when a single pair does not fit: the runner to finish with, or null to give up. */
  fallback(): Promise<BatchRunner | null>;
  onProgress?: (done: number, total: number) => void;
  onNotice?: (message: string) => void;
  signal?: AbortSignal;
}

export interface BatchScoreResult {
  scores: Float32Array;
  /** The batch size that worked (smaller than asked after an out-of-memory error). */
  batchSize: number;
  /** The runner that finished (the fallback after a switch). */
  runner: BatchRunner;
}

/** Pair indices, longest pair first; equal lengths keep input order (so results are reproducible). */
export function longestFirst(encoded: readonly EncodedPair[]): Int32Array {
  const order = Int32Array.from(encoded.keys());
  return order.sort((a, b) => encoded[b].ids.length - encoded[a].ids.length || a - b);
}

const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e)).split('\n')[0].slice(0, 200);

export async function scoreEncodedPairs(encoded: readonly EncodedPair[], start: BatchRunner, opts: BatchScoreOptions): Promise<BatchScoreResult> {
  if (!(Number.isInteger(opts.batchSize) && opts.batchSize >= 1)) throw new Error(`batchSize must be a positive integer, got ${opts.batchSize}`);
  const total = encoded.length;
  const scores = new Float32Array(total);
  const order = longestFirst(encoded);
  let runner = start;
  let size = opts.batchSize;
  let next = 0; // first pair (in `order`) not yet submitted
  let done = 0;
  const inFlight: { idx: Int32Array; pending: PendingBatch }[] = [];

  /** An OOM: drop what is in flight, go back to the oldest unread batch, shrink or switch. */
  const recover = async (e: unknown): Promise<void> => {
    // Batches are read in order, so everything before `done` is scored and the rest is redone.
    releaseAll(inFlight, e);
    next = done;
    if (size > 1) {
      const smaller = Math.max(1, Math.floor(size / 2));
      opts.onNotice?.(`${runner.label} ran out of memory on a batch of ${size} pairs (${errorText(e)}); retrying with batches of ${smaller}`);
      size = smaller;
      return;
    }
    const fallback = await opts.fallback();
    if (!fallback) throw e;
    opts.onNotice?.(`${runner.label} ran out of memory even on one pair (${errorText(e)}); scoring the rest on ${fallback.label}`);
    runner = fallback;
    size = opts.batchSize;
  };

  while (done < total) {
    if (opts.signal?.aborted) throw releaseAll(inFlight, opts.signal.reason ?? new Error('scoring was cancelled'));
    if (next < total && inFlight.length < Math.max(1, runner.pipelineDepth)) {
      const idx = order.subarray(next, Math.min(total, next + size));
      try {
        const pending = await runner.submit(padPairs(Array.from(idx, (i) => encoded[i]), opts.padId));
        inFlight.push({ idx, pending });
        next += idx.length;
      } catch (e) {
        if (!opts.isOutOfMemory(e)) throw releaseAll(inFlight, e);
        await recover(e);
      }
      continue;
    }
    const oldest = inFlight.shift();
    if (!oldest) break;
    let logits: Float32Array;
    try {
      logits = await oldest.pending.read();
    } catch (e) {
      if (!opts.isOutOfMemory(e)) throw releaseAll(inFlight, e);
      await recover(e);
      continue;
    }
    const s = scoresFromLogits(logits, oldest.idx.length, opts.numLabels);
    oldest.idx.forEach((pair, k) => (scores[pair] = s[k]));
    done += oldest.idx.length;
    opts.onProgress?.(done, total);
  }
  return { scores, batchSize: size, runner };
}

function releaseAll(inFlight: { pending: PendingBatch }[], e: unknown): unknown {
  for (const f of inFlight.splice(0)) f.pending.release();
  return e;
}
