import { describe, expect, it } from 'vitest';
import { defaultConfig, parseConfig, type ExperimentConfig } from '../../../core/experiment/config';
import { compareTable, formatMeanCi } from './compare-table';
import { applyPreset, matchPreset, PRESETS } from '../../../core/experiment/presets';
import { newRanker, rankerIdFor, MAX_RANKERS } from './rankers';

function withData(): ExperimentConfig {
  const r = parseConfig({ version: 1, seed: 5, data: { kind: 'synthetic', queries: 60, docsPerQuery: 12 } });
  if (!r.ok) throw new Error(r.error);
  return r.config;
}

describe('presets', () => {
  it('are valid configs, keep data and seed, and are recognised again', () => {
    const base = withData();
    for (const p of PRESETS) {
      const c = applyPreset(base, p.id);
      expect(c.data).toEqual(base.data);
      expect(c.seed).toBe(5);
      expect(matchPreset(c)).toBe(p.id);
    }
  });

  it('the default config is the labels-only preset, and a hand edit is custom', () => {
    expect(matchPreset(defaultConfig())).toBe('labels');
    const teaching = applyPreset(defaultConfig(), 'teaching');
    expect(teaching.rankers.map((r) => r.estimator)).toEqual(['naive', 'ips', 'dla', 'oracle']);
    expect(teaching.clicks.model).toMatchObject({ model: 'pbm', eta: 1 });
    expect(teaching.train.loss).toBe('softmax');
    const edited = structuredClone(teaching);
    edited.clicks.model.eta = 2;
    expect(matchPreset(edited)).toBeNull();
  });
});

describe('ranker ids and new rankers', () => {
  it('name the estimator and stay unique', () => {
    const rankers = applyPreset(defaultConfig(), 'teaching').rankers;
    expect(rankerIdFor('rem', rankers)).toBe('rem');
    expect(rankerIdFor('ips', rankers)).toBe('ips-2');
    // Renaming a ranker to its own estimator keeps its id.
    expect(rankerIdFor('ips', rankers, 1)).toBe('ips');
    const next = newRanker(rankers);
    expect(next.estimator).toBe('rem');
    expect(next.model).toEqual(rankers[rankers.length - 1].model);
    let many = rankers;
    while (many.length < MAX_RANKERS) many = [...many, newRanker(many)];
    expect(new Set(many.map((r) => r.id)).size).toBe(MAX_RANKERS);
    expect(parseConfig({ ...defaultConfig(), rankers: many }).ok).toBe(true);
  });
});

describe('compare table', () => {
  it('orders estimators, marks the best mean per column and shows ± CI', () => {
    const t = compareTable({
      oracle: { 'ndcg@10': { mean: 0.9, ci95: 0.01, n: 3 }, 'err@10': { mean: 0.5, ci95: 0.02, n: 3 } },
      naive: { 'ndcg@10': { mean: 0.8, ci95: 0.02, n: 3 }, 'err@10': { mean: 0.55, ci95: 0.02, n: 3 } },
    });
    expect(t.rows).toEqual(['naive', 'oracle']);
    expect(t.measures).toEqual(['ndcg@10', 'err@10']);
    expect(t.isBest('oracle', 'ndcg@10')).toBe(true);
    expect(t.isBest('naive', 'ndcg@10')).toBe(false);
    expect(t.isBest('naive', 'err@10')).toBe(true);
    expect(formatMeanCi(t.cell('oracle', 'ndcg@10'))).toBe('0.9000 ± 0.0100');
    expect(formatMeanCi({ mean: 0.7, ci95: NaN, n: 1 })).toBe('0.7000');
    expect(formatMeanCi(undefined)).toBe('—');
  });
});
