import * as tf from '@tensorflow/tfjs-core';
import { maxListSize, queryCount, type RankingDataset } from '../data/dataset';
import { checkRngState, shuffleInPlace, type Rng, type RngState } from '../experiment/rng';

/** Where an epoch-shuffling batcher is: this epoch's order, the next position in it, and its stream. */
export interface BatcherState {
  order: Int32Array;
  cursor: number;
  rng: RngState;
}

function isPermutation(order: Int32Array, n: number): boolean {
  if (order.length !== n) return false;
  const seen = new Uint8Array(n);
  for (const i of order) {
    if (i < 0 || i >= n || seen[i]) return false;
    seen[i] = 1;
  }
  return true;
}

/** Throws a readable error unless `state` is a batcher state over `n` items. */
export function checkBatcherState(state: BatcherState, n: number, what: string): void {
  const ok =
    state?.order instanceof Int32Array &&
    Number.isInteger(state.cursor) &&
    state.cursor >= 0 &&
    state.cursor <= n &&
    isPermutation(state.order, n);
  if (!ok) throw new Error(`${what}: the saved batch order does not fit ${n} items`);
  checkRngState(state.rng, what);
}

/** A batch of whole query lists, padded to one list size so every batch has the same shapes. */
export interface ListBatch {
  /** Row indices into the device-resident feature matrix, [nLists * listSize]; pads point at row 0. */
  rows: tf.Tensor1D;
  labels: tf.Tensor2D;
  mask: tf.Tensor2D;
  nLists: number;
  listSize: number;
}

/** The smallest padded list size a batch uses. */
const MIN_BUCKET = 8;

/**
 * The padded list size for a batch whose longest list has n documents: the next power of two
 * (at least MIN_BUCKET), capped at the data set's longest list. Padding every batch to the longest
 * list of the whole set would cost the pairwise losses O(L²) memory per list for the rare long
 * list (MSLR has lists of ~1,250 documents against a mean of ~120: 64 × 1,250² floats = 400 MB per
 * tensor); powers of two keep the number of distinct shapes, and so WebGPU/WebGL shader builds, to
 * a handful.
 */
export function bucketListSize(n: number, maxList: number): number {
  let size = MIN_BUCKET;
  while (size < n) size *= 2;
  return Math.max(1, Math.min(size, maxList));
}

/**
 * Draws batches of queries in epochs: a seeded shuffle of all queries, then consecutive slices,
 * each padded to its bucket's list size (see bucketListSize).
 */
export class QueryBatcher {
  private readonly order: Int32Array;
  private cursor: number;
  /** The longest list of the data set: no batch is padded beyond it. */
  readonly listSize: number;

  constructor(
    private readonly ds: RankingDataset,
    private readonly batchQueries: number,
    private readonly rng: Rng,
  ) {
    this.order = Int32Array.from({ length: queryCount(ds) }, (_, i) => i);
    this.cursor = this.order.length;
    this.listSize = maxListSize(ds);
  }

  getState(): BatcherState {
    return { order: this.order.slice(), cursor: this.cursor, rng: this.rng.getState() };
  }

  checkState(state: BatcherState): void {
    checkBatcherState(state, this.order.length, 'query batches');
  }

  /** Copies the order in, so the checkpoint stays untouched. */
  setState(state: BatcherState): void {
    this.checkState(state);
    this.order.set(state.order);
    this.cursor = state.cursor;
    this.rng.setState(state.rng);
  }

  next(): ListBatch {
    const nLists = Math.min(this.batchQueries, this.order.length);
    const queries = new Int32Array(nLists);
    let longest = 0;
    for (let b = 0; b < nLists; b++) {
      if (this.cursor >= this.order.length) {
        shuffleInPlace(this.order, this.rng);
        this.cursor = 0;
      }
      const q = this.order[this.cursor++];
      queries[b] = q;
      longest = Math.max(longest, this.ds.qidOffsets[q + 1] - this.ds.qidOffsets[q]);
    }
    const L = bucketListSize(longest, this.listSize);
    const rows = new Int32Array(nLists * L);
    const labels = new Float32Array(nLists * L);
    const mask = new Float32Array(nLists * L);
    for (let b = 0; b < nLists; b++) {
      const q = queries[b];
      const from = this.ds.qidOffsets[q];
      const to = this.ds.qidOffsets[q + 1];
      for (let i = 0; i < to - from; i++) {
        rows[b * L + i] = from + i;
        labels[b * L + i] = this.ds.labels[from + i];
        mask[b * L + i] = 1;
      }
    }
    return {
      rows: tf.tensor1d(rows, 'int32'),
      labels: tf.tensor2d(labels, [nLists, L]),
      mask: tf.tensor2d(mask, [nLists, L]),
      nLists,
      listSize: L,
    };
  }
}

export function disposeBatch(batch: ListBatch): void {
  batch.rows.dispose();
  batch.labels.dispose();
  batch.mask.dispose();
}
