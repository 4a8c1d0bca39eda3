import { describe, expect, it } from 'vitest';
import type { PairBatch } from '../model/bert';
import type { EncodedPair } from '../model/encode';
import { longestFirst, scoreEncodedPairs, type BatchRunner, type BatchScoreOptions } from './batching';

/** Pair i has i % 7 + 3 tokens; its "logit" is a function of its real (unmasked) tokens only. */
const pairs: EncodedPair[] = Array.from({ length: 23 }, (_, i) => {
  const n = (i % 7) + 3;
  const ids = Array.from({ length: n }, (_, k) => 2 + ((i * 31 + k * 7) % 50));
  return { ids, types: ids.map((_, k) => (k < 2 ? 0 : 1)) };
});
const expected = pairs.map((p) => p.ids.reduce((s, id, k) => s + id * (k + 1), 0) / 100);

class FakeRunner implements BatchRunner {
  batches: number[] = [];
  released = 0;
  constructor(
    readonly label: string,
    readonly pipelineDepth: number,
    private readonly maxBatch = Infinity,
    private readonly failAt: 'submit' | 'read' = 'submit',
  ) {}
  async submit(b: PairBatch) {
    const oom = b.batch > this.maxBatch;
    if (oom && this.failAt === 'submit') throw new Error(`GPUOutOfMemoryError: out of memory for ${b.batch}`);
    this.batches.push(b.batch);
    const logits = new Float32Array(b.batch);
    for (let r = 0; r < b.batch; r++) {
      let s = 0;
      for (let k = 0; k < b.seqLen; k++) if (b.attentionMask[r * b.seqLen + k]) s += b.inputIds[r * b.seqLen + k] * (k + 1);
      logits[r] = s / 100;
    }
    return {
      read: async () => {
        if (oom) throw new Error('Failed to allocate a buffer: out of memory');
        return logits;
      },
      release: () => void this.released++,
    };
  }
}

const opts = (over: Partial<BatchScoreOptions> = {}): BatchScoreOptions => ({
  batchSize: 8,
  padId: 0,
  numLabels: 1,
  isOutOfMemory: (e) => /out of memory/i.test(String(e)),
  fallback: async () => null,
  ...over,
});

describe('scoring in batches', () => {
  it('orders pairs longest first, ties in input order', () => {
    const order = Array.from(longestFirst(pairs));
    for (let i = 1; i < order.length; i++) {
      const [a, b] = [pairs[order[i - 1]].ids.length, pairs[order[i]].ids.length];
      expect(a > b || (a === b && order[i - 1] < order[i])).toBe(true);
    }
  });

  it('gives every pair its own score in input order, whatever the batch size and pipeline depth', async () => {
    for (const batchSize of [1, 3, 8, 64]) {
      for (const depth of [1, 2, 4]) {
        const progress: number[] = [];
        const r = await scoreEncodedPairs(pairs, new FakeRunner('fake', depth), opts({ batchSize, onProgress: (d) => progress.push(d) }));
        expect(Array.from(r.scores)).toEqual(expected.map((v) => Math.fround(v)));
        expect(progress[progress.length - 1]).toBe(pairs.length);
        expect(progress).toEqual([...progress].sort((a, b) => a - b));
      }
    }
  });

  it('halves the batch on out-of-memory errors (at submit or at read) and says so', async () => {
    for (const failAt of ['submit', 'read'] as const) {
      const notices: string[] = [];
      const runner = new FakeRunner('WebGPU', 2, 3, failAt);
      const r = await scoreEncodedPairs(pairs, runner, opts({ batchSize: 16, onNotice: (m) => notices.push(m) }));
      expect(Array.from(r.scores)).toEqual(expected.map((v) => Math.fround(v)));
      expect(r.batchSize).toBe(2);
      expect(notices[0]).toMatch(/^WebGPU ran out of memory on a batch of 16 pairs \(.*\); retrying with batches of 8$/);
      expect(notices.map((n) => /batches of (\d+)/.exec(n)?.[1])).toEqual(['8', '4', '2']);
      if (failAt === 'read') expect(runner.released).toBeGreaterThan(0);
    }
  });

  it('hands over to the fallback when one pair does not fit, and gives up without one', async () => {
    const notices: string[] = [];
    const wasm = new FakeRunner('wasm', 1);
    const r = await scoreEncodedPairs(pairs, new FakeRunner('WebGPU', 2, 0), opts({ batchSize: 4, fallback: async () => wasm, onNotice: (m) => notices.push(m) }));
    expect(Array.from(r.scores)).toEqual(expected.map((v) => Math.fround(v)));
    expect(r.runner).toBe(wasm);
    expect(r.batchSize).toBe(4);
    expect(notices[notices.length - 1]).toMatch(/^WebGPU ran out of memory even on one pair \(.*\); scoring the rest on wasm$/);
    await expect(scoreEncodedPairs(pairs, new FakeRunner('WebGPU', 1, 0), opts())).rejects.toThrow(/out of memory/);
  });

  it('passes other errors through, and stops when aborted', async () => {
    const broken: BatchRunner = { label: 'x', pipelineDepth: 1, submit: async () => Promise.reject(new Error('invalid input')) };
    await expect(scoreEncodedPairs(pairs, broken, opts())).rejects.toThrow('invalid input');
    const ac = new AbortController();
    const r = scoreEncodedPairs(pairs, new FakeRunner('fake', 1), opts({ batchSize: 2, signal: ac.signal, onProgress: (d) => d >= 4 && ac.abort(new Error('stopped by the user')) }));
    await expect(r).rejects.toThrow('stopped by the user');
  });

  it('scores two-label models by logit[1] − logit[0]', async () => {
    const two: BatchRunner = {
      label: 'x',
      pipelineDepth: 1,
      submit: async (b) => ({ read: async () => Float32Array.from({ length: 2 * b.batch }, (_, i) => (i % 2 ? 5 : 2)), release: () => {} }),
    };
    const r = await scoreEncodedPairs(pairs.slice(0, 3), two, opts({ numLabels: 2 }));
    expect(Array.from(r.scores)).toEqual([3, 3, 3]);
  });
});
