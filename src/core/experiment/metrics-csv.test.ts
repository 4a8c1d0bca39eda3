import { describe, expect, it } from 'vitest';
import { csvField, metricsCsv } from './metrics-csv';
import type { MetricPoint } from './runner';

const points: MetricPoint[] = [
  {
    step: 0,
    rankers: {
      naive: { loss: null, ndcg: 0.4, test: { 'err@10': 0.2, 'ndcg@10': 0.4, 'ndcg@1': 0.3 } },
      'a,"b"': { loss: null, ndcg: 0.5, test: { 'ndcg@10': 0.5, 'ndcg@1': 0.35, 'err@10': 0.25 } },
    },
  },
  {
    step: 10,
    rankers: {
      naive: { loss: 1.5, ndcg: 0.6, test: { 'ndcg@10': 0.6, 'ndcg@1': 0.5, 'err@10': 0.3 }, validation: { 'ndcg@10': 0.55 } },
      'a,"b"': { loss: 1.25, ndcg: 0.7, test: { 'ndcg@10': 0.7, 'ndcg@1': 0.6, 'err@10': 0.35 } },
    },
  },
];

describe('metricsCsv', () => {
  it('writes a header and one row per point × ranker, measures in a stable order', () => {
    const lines = metricsCsv(points, ['naive', 'a,"b"']).split('\r\n');
    expect(lines[0]).toBe('step,ranker,loss,test_ndcg@1,test_ndcg@10,test_err@10,validation_ndcg@10');
    expect(lines.slice(1, -1)).toEqual([
      '0,naive,,0.3,0.4,0.2,',
      '0,"a,""b""",,0.35,0.5,0.25,',
      '10,naive,1.5,0.5,0.6,0.3,0.55',
      '10,"a,""b""",1.25,0.6,0.7,0.35,',
    ]);
    expect(lines[lines.length - 1]).toBe('');
  });

  it('finds ranker ids itself and leaves out validation columns when there are none', () => {
    const csv = metricsCsv([{ step: 5, rankers: { x: { loss: NaN, ndcg: 0.1, test: { 'ndcg@10': 0.1 } } } }]);
    expect(csv).toBe('step,ranker,loss,test_ndcg@10\r\n5,x,,0.1\r\n');
  });

  it('quotes per RFC 4180', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a "q"')).toBe('"a ""q"""');
    expect(csvField('line\nbreak')).toBe('"line\nbreak"');
  });
});
