import { describe, expect, it } from 'vitest';
import type { RankingDataset } from '../data/dataset';
import { trecQrelsText, trecRunText } from './run-export';

const ds: RankingDataset = {
  qidOffsets: Int32Array.of(0, 3, 5),
  features: new Float32Array(5),
  labels: Int8Array.of(0, 2, 1, 1, 0),
  nFeatures: 1,
  queryIds: ['q1', 'q2'],
};

describe('trecRunText', () => {
  it('ranks each query by score, ties in data order, and names docs <qid>:<position>', () => {
    const text = trecRunText(ds, [0.5, 2, 0.5, -1, 3], 'ips');
    expect(text).toBe(['q1 Q0 q1:1 1 2 ips', 'q1 Q0 q1:0 2 0.5 ips', 'q1 Q0 q1:2 3 0.5 ips', 'q2 Q0 q2:1 1 3 ips', 'q2 Q0 q2:0 2 -1 ips', ''].join('\n'));
  });
  it('uses document ids when the data has them, and keeps float32 scores exact', () => {
    const withIds = { ...ds, docIds: ['a', 'b', 'c', 'd', 'e'] };
    const f = Math.fround(0.1);
    const text = trecRunText(withIds, Float32Array.of(f, 0, 0, 0, 0), 'r');
    expect(text.split('\n')[0]).toBe(`q1 Q0 a 1 ${Number(f.toPrecision(9))} r`);
    expect(Math.fround(Number(text.split('\n')[0].split(' ')[4]))).toBe(f);
  });
  it('refuses a run id with spaces', () => {
    expect(() => trecRunText(ds, [0, 0, 0, 0, 0], 'my run')).toThrow(/one word/);
  });
});

describe('trecQrelsText', () => {
  it('writes every judged document with its grade', () => {
    expect(trecQrelsText(ds)).toBe(['q1 0 q1:0 0', 'q1 0 q1:1 2', 'q1 0 q1:2 1', 'q2 0 q2:0 1', 'q2 0 q2:1 0', ''].join('\n'));
  });
});
