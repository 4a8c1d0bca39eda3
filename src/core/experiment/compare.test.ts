import { describe, expect, it } from 'vitest';
import { comparisonConfigs, meanCi, summarizeComparison, tQuantile975 } from './compare';
import { defaultConfig } from './config';

describe('meanCi', () => {
  it('matches a hand computation: [1, 2, 3] → mean 2, sd 1, half-width t(2)·1/√3', () => {
    const r = meanCi([1, 2, 3]);
    expect(r.mean).toBe(2);
    expect(r.ci95).toBeCloseTo((4.303 * 1) / Math.sqrt(3), 6);
    expect(r.n).toBe(3);
  });
  it('has no interval for one value and nothing for none', () => {
    expect(meanCi([0.5])).toEqual({ mean: 0.5, ci95: NaN, n: 1 });
    expect(meanCi([]).n).toBe(0);
  });
  it('t quantiles: 12.706 at 1 df, 2.042 at 30, 1.96 beyond; refuses df < 1', () => {
    expect(tQuantile975(1)).toBe(12.706);
    expect(tQuantile975(30)).toBe(2.042);
    expect(tQuantile975(100)).toBe(1.96);
    expect(() => tQuantile975(0)).toThrow(/degrees of freedom/);
  });
});

describe('comparisonConfigs', () => {
  it('one config per seed, one ranker per estimator, all with the template model and loss', () => {
    const base = defaultConfig();
    base.rankers[0].loss = 'ranknet';
    const configs = comparisonConfigs(base, [1, 2, 3], ['naive', 'ips', 'oracle']);
    expect(configs.map((c) => c.seed)).toEqual([1, 2, 3]);
    for (const c of configs) {
      expect(c.rankers.map((r) => [r.id, r.estimator, r.loss])).toEqual([
        ['naive', 'naive', 'ranknet'],
        ['ips', 'ips', 'ranknet'],
        ['oracle', 'oracle', 'ranknet'],
      ]);
      expect(c.rankers.every((r) => r.model.kind === base.rankers[0].model.kind)).toBe(true);
      expect(c.clicks).toEqual(base.clicks);
    }
    // Deep copies: editing one seed's config leaves the others alone.
    configs[0].rankers[0].clip = 0.5;
    expect(configs[1].rankers[0].clip).toBe(0);
  });
  it('refuses empty seed or estimator lists and more than six estimators', () => {
    expect(() => comparisonConfigs(defaultConfig(), [])).toThrow(/seed/);
    expect(() => comparisonConfigs(defaultConfig(), [1], [])).toThrow(/estimator/);
    expect(() => comparisonConfigs(defaultConfig(), [1], ['naive', 'ips', 'dla', 'rem', 'paird', 'pal', 'oracle'])).toThrow(/at most 6/);
  });
});

describe('summarizeComparison', () => {
  it('averages each estimator and measure over seeds, ignoring missing values', () => {
    const s = summarizeComparison([
      { naive: { 'ndcg@10': 0.5 }, ips: { 'ndcg@10': 0.7 } },
      { naive: { 'ndcg@10': 0.6 }, ips: { 'ndcg@10': 0.8 } },
      { naive: { 'ndcg@10': NaN } },
    ]);
    expect(s.naive['ndcg@10'].mean).toBeCloseTo(0.55, 10);
    expect(s.naive['ndcg@10'].n).toBe(2);
    expect(s.ips['ndcg@10'].mean).toBeCloseTo(0.75, 10);
    expect(s.ips['ndcg@10'].ci95).toBeCloseTo((12.706 * Math.sqrt(0.005)) / Math.sqrt(2), 6);
  });
});
