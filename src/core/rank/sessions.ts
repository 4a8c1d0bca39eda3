import * as tf from '@tensorflow/tfjs-core';
import type { ClickLog } from '../clicks/log';
import type { RankingDataset } from '../data/dataset';
import { shuffleInPlace, type Rng } from '../experiment/rng';
import { checkBatcherState, type BatcherState } from './batches';

/**
 * A batch of logged sessions for click-based estimators: the rows each session showed (gathered
 * on the device), their clicks and true labels, [nSessions, k], rank order along columns.
 */
export interface SessionBatch {
  /** Dataset rows shown, [nSessions * k]; empty slots point at row 0 and are masked out. */
  rows: tf.Tensor1D;
  clicks: tf.Tensor2D;
  labels: tf.Tensor2D;
  mask: tf.Tensor2D;
  nSessions: number;
  k: number;
}

/**
 * Draws batches of sessions from a simulated click log in epochs (a seeded shuffle, then
 * consecutive slices), always the same batch size so shapes never change on the GPU.
 * The log's `shown` entries must be rows of `ds` (a log simulated on it).
 */
export class SessionBatcher {
  private readonly order: Int32Array;
  private cursor: number;

  constructor(
    private readonly ds: RankingDataset,
    private readonly log: ClickLog,
    private readonly batchSessions: number,
    private readonly rng: Rng,
  ) {
    if (log.query.length === 0) throw new Error('the click log has no sessions to train on');
    this.order = Int32Array.from({ length: log.query.length }, (_, i) => i);
    this.cursor = this.order.length;
  }

  get k(): number {
    return this.log.k;
  }

  getState(): BatcherState {
    return { order: this.order.slice(), cursor: this.cursor, rng: this.rng.getState() };
  }

  checkState(state: BatcherState): void {
    checkBatcherState(state, this.order.length, 'session batches');
  }

  /** Copies the order in, so the checkpoint stays untouched. */
  setState(state: BatcherState): void {
    this.checkState(state);
    this.order.set(state.order);
    this.cursor = state.cursor;
    this.rng.setState(state.rng);
  }

  next(): SessionBatch {
    const k = this.log.k;
    const n = Math.min(this.batchSessions, this.order.length);
    const rows = new Int32Array(n * k);
    const clicks = new Float32Array(n * k);
    const labels = new Float32Array(n * k);
    const mask = new Float32Array(n * k);
    for (let b = 0; b < n; b++) {
      if (this.cursor >= this.order.length) {
        shuffleInPlace(this.order, this.rng);
        this.cursor = 0;
      }
      const s = this.order[this.cursor++];
      for (let r = 0; r < k; r++) {
        const row = this.log.shown[s * k + r];
        if (row < 0) break;
        rows[b * k + r] = row;
        clicks[b * k + r] = this.log.clicks[s * k + r];
        labels[b * k + r] = this.ds.labels[row];
        mask[b * k + r] = 1;
      }
    }
    return {
      rows: tf.tensor1d(rows, 'int32'),
      clicks: tf.tensor2d(clicks, [n, k]),
      labels: tf.tensor2d(labels, [n, k]),
      mask: tf.tensor2d(mask, [n, k]),
      nSessions: n,
      k,
    };
  }
}

export function disposeSessionBatch(batch: SessionBatch): void {
  tf.dispose([batch.rows, batch.clicks, batch.labels, batch.mask]);
}
