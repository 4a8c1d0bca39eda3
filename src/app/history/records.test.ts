import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../core/experiment/config';
import { applyPreset } from '../../core/experiment/presets';
import type { MetricPoint } from '../../core/experiment/runner';
import { bestPerMeasure, buildRecord, compareChartRows, compareSeries, compareTableRows, defaultRunName, finalMetrics, shortDate } from './records';

function point(step: number, values: Record<string, number>): MetricPoint {
  const rankers: MetricPoint['rankers'] = {};
  for (const [id, v] of Object.entries(values)) {
    rankers[id] = { loss: 1, ndcg: v, test: { 'ndcg@1': v / 2, 'ndcg@3': v / 1.5, 'ndcg@5': v / 1.2, 'ndcg@10': v, 'err@10': v / 3 } };
  }
  return { step, rankers };
}

const at = new Date(2026, 10, 29, 14, 2).getTime();

describe('history records', () => {
  it('names a run after its preset, steps and time', () => {
    expect(shortDate(at)).toBe('29 Nov 14:02');
    expect(defaultRunName(applyPreset(defaultConfig(), 'teaching'), 400, at)).toBe('Teaching preset · 400 steps · 29 Nov 14:02');
    const custom = { ...defaultConfig(), rankers: [defaultConfig().rankers[0]] };
    expect(defaultRunName(custom, 1, at)).toBe('Custom setup · 1 step · 29 Nov 14:02');
  });

  it('builds a record with copies and the last point as final', () => {
    const points = [point(0, { linear: 0.4, mlp: 0.5 }), point(10, { linear: 0.6, mlp: 0.7 })];
    const config = defaultConfig();
    const r = buildRecord({ config, points, backend: 'wasm', at });
    expect(r.final.mlp['ndcg@10']).toBe(0.7);
    expect(r.name).toContain('10 steps');
    expect(r.points).not.toBe(points);
    expect(r.config).not.toBe(config);
    expect(finalMetrics([])).toEqual({});
    expect(buildRecord({ config, points, backend: null, at, name: '  mine ' }).name).toBe('mine');
  });

  it('compares runs: one series per run × ranker, rows over the union of steps, best per column', () => {
    const config = defaultConfig();
    const a = buildRecord({ config, points: [point(0, { linear: 0.4, mlp: 0.5 }), point(10, { linear: 0.6, mlp: 0.7 })], backend: 'wasm', at, name: 'A' });
    const b = buildRecord({ config, points: [point(0, { linear: 0.3, mlp: 0.2 }), point(5, { linear: 0.9, mlp: 0.1 })], backend: 'wasm', at, name: 'B' });
    const series = compareSeries([a, b]);
    expect(series.map((s) => s.label)).toEqual(['A · linear', 'A · mlp', 'B · linear', 'B · mlp']);
    const rows = compareChartRows([a, b], series);
    expect(rows.map((r) => r.step)).toEqual([0, 5, 10]);
    expect(rows[1]).toEqual({ step: 5, s0: null, s1: null, s2: 0.9, s3: 0.1 });
    const table = compareTableRows([a, b], series);
    const best = bestPerMeasure(table);
    expect(best['ndcg@10']).toBe(0.9);
    expect(best['err@10']).toBeCloseTo(0.3);
  });
});
