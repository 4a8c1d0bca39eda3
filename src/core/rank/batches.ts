import * as tf from '@tensorflow/tfjs-core';
import { maxListSize, queryCount, type RankingDataset } from '../data/dataset';
import { shuffleInPlace, type Rng } from '../experiment/rng';

/** A batch of whole query lists, padded to one list size so every batch has the same shapes. */
export interface ListBatch {
  /** Row indices into the device-resident feature matrix, [nLists * listSize]; pads point at row 0. */
  rows: tf.Tensor1D;
  labels: tf.Tensor2D;
  mask: tf.Tensor2D;
  nLists: number;
  listSize: number;
}

/**
 * Draws batches of queries in epochs: a seeded shuffle of all queries, then consecutive slices.
 * Fixed shapes matter on WebGPU/WebGL, where each new shape compiles new shaders.
 */
export class QueryBatcher {
  private order: Int32Array;
  private cursor: number;
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

  next(): ListBatch {
    const nLists = Math.min(this.batchQueries, this.order.length);
    const L = this.listSize;
    const rows = new Int32Array(nLists * L);
    const labels = new Float32Array(nLists * L);
    const mask = new Float32Array(nLists * L);
    for (let b = 0; b < nLists; b++) {
      if (this.cursor >= this.order.length) {
        shuffleInPlace(this.order, this.rng);
        this.cursor = 0;
      }
      const q = this.order[this.cursor++];
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
