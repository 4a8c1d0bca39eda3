import { describe, expect, it } from 'vitest';
import { generateSynthetic } from '../core/data/synthetic';
import { syntheticDataSchema } from '../core/experiment/config';
import type { ClickSimRequest } from '../core/clicks/simulate/request';
import { ClickPanelService, simulateClickPanel, simulateClickPanelAsync, type ClickProgressEvent, type ClickSimResult } from './clicks';

const ds = generateSynthetic(syntheticDataSchema.parse({ kind: 'synthetic', queries: 60, docsPerQuery: 12, features: 8 }), 3);

function run(req: Partial<ClickSimRequest>, data = ds): ClickSimResult {
  const out = simulateClickPanel(data, 'synthetic', { model: {}, policy: 'random', sessions: 5000, seed: 1, fit: false, ...req });
  if (!out.ok) throw new Error(out.error);
  return out.result;
}

function error(req: Partial<ClickSimRequest>): string {
  const out = simulateClickPanel(ds, 'synthetic', { model: {}, policy: 'random', sessions: 1000, seed: 1, fit: false, ...req });
  if (out.ok) throw new Error('expected a refusal');
  return out.error;
}

describe('simulateClickPanel', () => {
  it('recovers PBM examination (1/r) from a randomised log', () => {
    const r = run({ model: { model: 'pbm', eta: 1 }, sessions: 20_000, seed: 5, fit: true });
    expect(r.k).toBe(10);
    expect(r.ymax).toBe(r.dataTopGrade);
    expect(r.ctrByRank[0]).toBeGreaterThan(r.ctrByRank[9]);
    expect(r.trueExamination[1]).toBeCloseTo(0.5);
    const f = r.fitted!;
    expect(f.model).toBe('pbm');
    expect(f.examination[0]).toBeCloseTo(1);
    expect(Math.abs(f.examination[1] - 0.5)).toBeLessThan(0.1);
    expect(f.perplexity).toBeGreaterThan(1);
    // A fitted model cannot beat the truth by much on 5,000 held-out sessions.
    expect(f.perplexity).toBeGreaterThan(f.truePerplexity - 0.01);
    expect(f.perplexity - f.truePerplexity).toBeLessThan(0.05);
    expect(f.predictedCtr[0]).toBeCloseTo(r.ctrByRank[0], 1);
    expect(r.sampleSessions).toHaveLength(5);
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  });

  it('gives every model a true examination curve starting at 1 for cascade-family models', () => {
    for (const model of ['cascade', 'dbn', 'ubm', 'dcm']) {
      const r = run({ model: { model }, policy: 'production', sessions: 2000 });
      expect(r.trueExamination[0]).toBeCloseTo(1);
      expect(r.trueExamination[9]).toBeLessThanOrEqual(1);
      expect(r.fitted).toBeUndefined();
      expect(r.intervention).toBeUndefined();
    }
  });

  it('estimates propensities from RandTop-n under the eye-tracking table, intervals covering the truth', () => {
    const r = run({ model: { model: 'pbm', table: 'eye-tracking' }, intervention: { kind: 'randtop' }, sessions: 50_000, seed: 3 });
    expect(r.examinationShape).toBe('eye-tracking');
    const iv = r.intervention!;
    expect(iv).toMatchObject({ kind: 'randtop', n: 10, fraction: 1, intervened: 50_000, confidence: 0.95 });
    expect(iv.estimates).toHaveLength(10);
    expect(iv.estimates[0].propensity).toBe(1);
    const truth2 = 0.61 / 0.68;
    expect(iv.estimates[1].low).toBeLessThan(truth2);
    expect(iv.estimates[1].high).toBeGreaterThan(truth2);
    expect(iv.estimates[1].high - iv.estimates[1].low).toBeLessThan(0.1);
    expect(Math.abs(iv.eta.eta - 1)).toBeLessThan(0.1);
    expect(r.sampleSessions[0].intervention).toBe('top 10 shuffled');
  });

  it('estimates propensities from swap interventions on a fraction of the sessions', () => {
    const r = run({ model: { model: 'pbm', eta: 1 }, policy: 'production', intervention: { kind: 'swap', n: 5, fraction: 0.5 }, sessions: 40_000, seed: 2 });
    const iv = r.intervention!;
    expect(iv.kind).toBe('swap');
    expect(iv.estimates.map((e) => e.rank)).toEqual([1, 2, 3, 4, 5]);
    expect(iv.intervened / 40_000).toBeCloseTo(0.5, 1);
    expect(iv.estimates[1].low).toBeLessThan(0.5);
    expect(iv.estimates[1].high).toBeGreaterThan(0.5);
  });

  it('fits each of the five click models, with held-out perplexity next to the truth', () => {
    for (const fit of ['pbm', 'cascade', 'dcm', 'dbn', 'ubm'] as const) {
      const r = run({ model: { model: 'dbn' }, sessions: 4000, fit });
      const f = r.fitted!;
      expect(f.model).toBe(fit);
      expect(f.examination).toHaveLength(10);
      expect(f.examination[0]).toBeCloseTo(1);
      expect(f.perplexity).toBeGreaterThan(1);
      expect(f.perplexityAtRank).toHaveLength(10);
      expect(Number.isFinite(f.truePerplexity)).toBe(true);
      expect(f.trainSessions + f.testSessions).toBe(4000);
    }
  });

  it('recovers DBN continuation γ when DBN is fitted to a DBN log', () => {
    const r = run({ model: { model: 'dbn', dbn: { gamma: 0.7 } }, sessions: 20_000, fit: 'dbn' });
    const gamma = r.fitted!.params.find((p) => p.name.startsWith('continuation'))!;
    expect(gamma.truth).toBe(0.7);
    expect(Math.abs(gamma.fitted - 0.7)).toBeLessThan(0.05);
    const dcm = run({ model: { model: 'dcm' }, sessions: 5000, fit: 'dcm' });
    expect(dcm.fitted!.rankParams[0].truth).toEqual(Array(10).fill(0.5));
  });

  it('takes top-k, ymax, trust bias, the seed and a Plackett–Luce policy', () => {
    const r = run({ model: { topK: 5, ymax: 4, trustBias: { epsPlus: [1, 1, 0.9, 0.9, 0.9], epsMinus: [0.4, 0.2, 0.1, 0.1, 0.1] } }, policy: { kind: 'pl', temperature: 0.5 } });
    expect(r.k).toBe(5);
    expect(r.ctrByRank).toHaveLength(5);
    expect(r.trustBias).toBe(true);
    expect(r.policy).toContain('plackett-luce');
    expect(r.seed).toBe(1);
    const again = run({ model: { topK: 5 }, seed: 9 });
    expect(run({ model: { topK: 5 }, seed: 9 }).ctrByRank).toEqual(again.ctrByRank);
    expect(run({ model: { topK: 5 }, seed: 10 }).ctrByRank).not.toEqual(again.ctrByRank);
  });

  it('names documents by their ids when the data has them, else <qid>:<position>', () => {
    const plain = run({ sessions: 10 });
    expect(plain.hasDocIds).toBe(false);
    expect(plain.sampleSessions[0].docs[0].doc).toMatch(new RegExp(`^${plain.sampleSessions[0].query}:\\d+$`));
    const named = run({ sessions: 10 }, { ...ds, docIds: Array.from(ds.labels, (_, i) => `doc-${i}`) });
    expect(named.hasDocIds).toBe(true);
    expect(named.sampleSessions[0].docs.every((d) => /^doc-\d+$/.test(d.doc))).toBe(true);
  });

  it('refuses bad parameters with a readable message', () => {
    expect(error({ model: { model: 'pbm', eta: -1 } })).toContain('eta must be ≥ 0, got -1');
    expect(error({ model: { epsMinus: 0.5, epsPlus: 0.2 } })).toContain('epsMinus must not exceed epsPlus');
    expect(error({ model: { table: 'eye-tracking', topK: 12 } })).toBe("click model: table 'eye-tracking' covers ranks 1..10 but topK is 12");
    expect(error({ model: { ymax: 2 } })).toMatch(/outside the click model's grades 0..2 \(set ymax/);
    expect(error({ seed: -1 })).toMatch(/^seed must be a whole number from 0 to 4294967295/);
    expect(error({ sessions: 0 })).toMatch(/^sessions must be a whole number from 1/);
    expect(error({ intervention: { kind: 'randtop', n: 11 } })).toBe("intervention.n (11) must not exceed the click model's topK (10)");
    expect(error({ intervention: { kind: 'swap', fraction: 1 } })).toMatch(/must be below 1 for swap/);
    expect(error({ intervention: { kind: 'swap', fraction: 1.5 } })).toBe('intervention.fraction must be a probability in [0, 1], got 1.5');
    expect(error({ policy: { kind: 'pl', temperature: 0 } })).toBe('policy.temperature must be > 0, got 0');
    expect(error({ policy: 'scores' })).toMatch(/needs a score file or a TREC run/);
    expect(error({ fit: 'xyz' })).toBe("fit: the model must be one of pbm, cascade, dcm, dbn, ubm, got 'xyz'");
    expect(error({ fit: 'dbn', sessions: 5 })).toMatch(/fitting DBN needs at least 8 sessions/);
  });
});

describe('the click panel in the worker', () => {
  const req: ClickSimRequest = { model: { model: 'dbn' }, policy: { kind: 'pl', temperature: 1 }, intervention: { kind: 'swap', fraction: 0.5 }, sessions: 12_000, seed: 3, fit: 'ubm' };

  it('gives the same result async, with progress through every phase', async () => {
    const progress: Omit<ClickProgressEvent, 'type'>[] = [];
    const out = await simulateClickPanelAsync(ds, 'synthetic', req, { sliceMs: 0, onProgress: (p) => progress.push(p) });
    const sync = simulateClickPanel(ds, 'synthetic', req);
    if (!out.ok || !sync.ok) throw new Error('expected results');
    expect({ ...out.result, ms: 0 }).toEqual({ ...sync.result, ms: 0 });
    expect([...new Set(progress.map((p) => p.phase))]).toEqual(['sessions', 'ranking', 'intervention', 'clicks', 'summary', 'fit']);
    const fits = progress.filter((p) => p.phase === 'fit');
    expect(fits.every((p) => p.model === 'ubm')).toBe(true);
    expect(fits[fits.length - 1].done).toBe(out.result.fitted!.iterations);
  });

  it('cancels the run in flight, and says so', async () => {
    const events: ClickProgressEvent[] = [];
    const service = new ClickPanelService((e) => {
      events.push(e);
      if (events.length === 1) service.cancel();
    });
    const out = await service.run(ds, 'synthetic', { ...req, sessions: 400_000 });
    expect(out).toEqual({ ok: false, cancelled: true, error: 'Cancelled' });
    expect(events[0].type).toBe('click-progress');
    // The service takes the next run as usual.
    const next = await service.run(ds, 'synthetic', { ...req, sessions: 1000, fit: false });
    expect(next.ok).toBe(true);
  });
});
