import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { useCpuBackend } from '../../test-support/cpu-backend';
import type { RankingDataset } from '../data/dataset';
import { createRng } from '../experiment/rng';
import { bucketListSize, disposeBatch, QueryBatcher } from './batches';

beforeAll(async () => {
  await useCpuBackend();
});

/** Queries of the given lengths; row r has label r % 5 so every slot can be traced back to its row. */
function dataset(lengths: number[]): RankingDataset {
  const qidOffsets = Int32Array.from([0, ...lengths.map((_, i) => lengths.slice(0, i + 1).reduce((a, b) => a + b, 0))]);
  const n = qidOffsets[qidOffsets.length - 1];
  return {
    qidOffsets,
    features: new Float32Array(n),
    labels: Int8Array.from({ length: n }, (_, r) => r % 5),
    nFeatures: 1,
    queryIds: lengths.map((_, i) => `q${i}`),
  };
}

describe('bucketListSize', () => {
  it('rounds up to a power of two of at least 8, never beyond the longest list of the set', () => {
    expect(bucketListSize(1, 1000)).toBe(8);
    expect(bucketListSize(8, 1000)).toBe(8);
    expect(bucketListSize(9, 1000)).toBe(16);
    expect(bucketListSize(120, 1000)).toBe(128);
    expect(bucketListSize(1000, 1000)).toBe(1000);
    expect(bucketListSize(600, 700)).toBe(700);
    expect(bucketListSize(3, 5)).toBe(5);
  });
});

describe('QueryBatcher', () => {
  it('pads each batch to its own bucket, visits every query once per epoch, and traces every slot to its row', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 12 }), fc.integer({ min: 1, max: 5 }), fc.integer(), (lengths, batch, seed) => {
        const ds = dataset(lengths);
        const batcher = new QueryBatcher(ds, batch, createRng(seed));
        const nLists = Math.min(batch, lengths.length);
        const seen: number[] = [];
        const batches = Math.ceil(lengths.length / nLists) + 1;
        for (let k = 0; k < batches; k++) {
          const b = batcher.next();
          const rows = b.rows.dataSync();
          const labels = b.labels.dataSync();
          const mask = b.mask.dataSync();
          expect(b.nLists).toBe(nLists);
          let longest = 0;
          for (let l = 0; l < nLists; l++) {
            const filled = Array.from(mask.subarray(l * b.listSize, (l + 1) * b.listSize)).filter((m) => m === 1).length;
            longest = Math.max(longest, filled);
            const first = rows[l * b.listSize];
            const q = ds.qidOffsets.findIndex((o) => o === first);
            expect(q).toBeGreaterThanOrEqual(0);
            expect(filled).toBe(lengths[q]);
            for (let i = 0; i < b.listSize; i++) {
              const at = l * b.listSize + i;
              if (i < filled) {
                expect(rows[at]).toBe(first + i);
                expect(labels[at]).toBe(ds.labels[first + i]);
              } else {
                expect(mask[at]).toBe(0);
                expect(labels[at]).toBe(0);
              }
            }
            seen.push(q);
          }
          expect(b.listSize).toBe(bucketListSize(longest, Math.max(...lengths)));
          disposeBatch(b);
        }
        // The first epoch (the first nQueries lists drawn) is a permutation of the queries.
        expect([...seen.slice(0, lengths.length)].sort((a, b) => a - b)).toEqual(lengths.map((_, i) => i));
      }),
      { numRuns: 60 },
    );
  });

  it('restores its state: the same batches follow', () => {
    const ds = dataset([3, 9, 17, 2, 5, 30, 8]);
    const a = new QueryBatcher(ds, 3, createRng(4));
    a.next();
    const state = a.getState();
    const b = new QueryBatcher(ds, 3, createRng(99));
    b.setState(state);
    for (let k = 0; k < 5; k++) {
      const x = a.next();
      const y = b.next();
      expect(Array.from(y.rows.dataSync())).toEqual(Array.from(x.rows.dataSync()));
      expect(y.listSize).toBe(x.listSize);
      tf.dispose([x.rows, x.labels, x.mask, y.rows, y.labels, y.mask]);
    }
  });
});
