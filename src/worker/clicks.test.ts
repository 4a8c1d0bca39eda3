import { describe, expect, it } from 'vitest';
import { generateSynthetic } from '../core/data/synthetic';
import { syntheticDataSchema } from '../core/experiment/config';
import { simulateClickPanel } from './clicks';

const ds = generateSynthetic(syntheticDataSchema.parse({ kind: 'synthetic', queries: 60, docsPerQuery: 12, features: 8 }), 3);

describe('simulateClickPanel', () => {
  it('recovers PBM examination (1/r) from a randomised log', () => {
    const out = simulateClickPanel(ds, 'synthetic', { model: { model: 'pbm', eta: 1 }, policy: 'random', sessions: 20_000, seed: 5, fit: true });
    if (!out.ok) throw new Error(out.error);
    const r = out.result;
    expect(r.k).toBe(10);
    expect(r.ctrByRank[0]).toBeGreaterThan(r.ctrByRank[9]);
    expect(r.trueExamination[1]).toBeCloseTo(0.5);
    expect(r.fitted!.examination[0]).toBeCloseTo(1);
    expect(Math.abs(r.fitted!.examination[1] - 0.5)).toBeLessThan(0.1);
    expect(r.fitted!.perplexity).toBeGreaterThan(1);
    expect(r.sampleSessions).toHaveLength(5);
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  });

  it('gives every model a true examination curve starting at 1 for cascade-family models', () => {
    for (const model of ['cascade', 'dbn', 'ubm', 'dcm']) {
      const out = simulateClickPanel(ds, 'synthetic', { model: { model }, policy: 'production', sessions: 2000, seed: 1, fit: false });
      if (!out.ok) throw new Error(out.error);
      expect(out.result.trueExamination[0]).toBeCloseTo(1);
      expect(out.result.trueExamination[9]).toBeLessThanOrEqual(1);
      expect(out.result.fitted).toBeUndefined();
    }
  });

  it('refuses bad parameters with a readable message', () => {
    const out = simulateClickPanel(ds, 'synthetic', { model: { model: 'pbm', eta: -1 }, policy: 'random', sessions: 100, seed: 1, fit: true });
    expect(out).toEqual({ ok: false, error: expect.stringContaining('eta must be ≥ 0, got -1') });
    const bad = simulateClickPanel(ds, 'synthetic', { model: { epsMinus: 0.5, epsPlus: 0.2 }, policy: 'random', sessions: 100, seed: 1, fit: false });
    expect(bad.ok).toBe(false);
  });
});
