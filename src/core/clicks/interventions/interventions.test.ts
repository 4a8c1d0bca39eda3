import { describe, expect, it } from 'vitest';
import { generateSynthetic } from '../../data/synthetic';
import { clickModel, EYE_TRACKING_TABLE, type ClickModelInput } from '../models/config';
import { productionPolicy } from '../policies/production';
import { simulateClicks } from '../simulate/simulate';
import { parseIntervention, type InterventionInput } from './config';
import { estimatePropensities, fitEta, normalQuantile, type PropensityEstimates } from './estimate';

const ds = generateSynthetic({ queries: 300, docsPerQuery: 25, features: 8, relevance: 'linear', noise: 0.5, labelDistribution: [0.4, 0.3, 0.15, 0.1, 0.05] }, 21);
const production = productionPolicy(ds, 10, { seed: 2, fraction: 0.05 });

function run(model: ClickModelInput, intervention: InterventionInput, sessions: number, seed: number) {
  const parsed = parseIntervention(intervention);
  if (!parsed.ok) throw new Error(parsed.error);
  return simulateClicks(ds, production, clickModel(model), { sessions, seed, intervention: parsed.value });
}

const truth = (eta: number, r: number) => (1 / r) ** eta;

function covered(est: PropensityEstimates, expected: (r: number) => number): boolean[] {
  return est.ranks.slice(1).map((e) => e.low <= expected(e.rank) && expected(e.rank) <= e.high);
}

describe('normal quantile', () => {
  it('matches known values', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963985, 8);
    expect(normalQuantile(0.5)).toBe(0);
    expect(normalQuantile(0.995)).toBeCloseTo(2.575829304, 8);
    expect(normalQuantile(0.001)).toBeCloseTo(-3.090232306, 7);
  });
});

describe('interventions change only what they say', () => {
  it('randtop shuffles exactly the top n of a fraction of the sessions', () => {
    const sim = run({ model: 'pbm' }, { kind: 'randtop', n: 4, fraction: 0.5 }, 4000, 3);
    const { log, intervention } = sim;
    let shuffled = 0;
    for (let s = 0; s < 4000; s++) {
      const q = log.query[s];
      const shown = Array.from(log.shown.subarray(s * 10, s * 10 + 10));
      const ranked = Array.from(production.ranked.subarray(q * 10, q * 10 + 10));
      expect(shown.slice(4)).toEqual(ranked.slice(4));
      if (intervention!.applied[s] === 0) expect(shown).toEqual(ranked);
      else {
        expect(intervention!.applied[s]).toBe(4);
        expect([...shown.slice(0, 4)].sort()).toEqual([...ranked.slice(0, 4)].sort());
        shuffled++;
      }
    }
    expect(Math.abs(shuffled / 4000 - 0.5)).toBeLessThan(0.05);
  });

  it('swap exchanges rank 1 and rank k, k uniform in 2..n', () => {
    const { log, intervention } = run({ model: 'pbm' }, { kind: 'swap', n: 5, fraction: 0.6 }, 5000, 3);
    const partners = new Float64Array(6);
    for (let s = 0; s < 5000; s++) {
      const q = log.query[s];
      const shown = Array.from(log.shown.subarray(s * 10, s * 10 + 10));
      const ranked = Array.from(production.ranked.subarray(q * 10, q * 10 + 10));
      const k = intervention!.applied[s];
      partners[k]++;
      if (k) [ranked[0], ranked[k - 1]] = [ranked[k - 1], ranked[0]];
      expect(shown).toEqual(ranked);
    }
    expect(Math.abs(partners[0] / 5000 - 0.4)).toBeLessThan(0.04);
    for (let k = 2; k <= 5; k++) expect(Math.abs(partners[k] / 5000 - 0.15)).toBeLessThan(0.03);
  });
});

describe('propensity estimates recover the true examination (PBM)', () => {
  for (const [kind, fraction] of [['randtop', 1], ['swap', 0.5]] as const) {
    for (const eta of [1, 2]) {
      it(`${kind}, η = ${eta}: (1/k)^η within the confidence intervals, η within its error`, () => {
        const sim = run({ model: 'pbm', eta }, { kind, fraction }, 600_000, 17);
        const est = estimatePropensities(sim, 0.999);
        expect(est.ranks).toHaveLength(10);
        expect(est.ranks[0]).toMatchObject({ rank: 1, propensity: 1, se: 0 });
        expect(covered(est, (r) => truth(eta, r)).every(Boolean), JSON.stringify(est.ranks)).toBe(true);
        // Intervals are informative, not just wide.
        for (const e of est.ranks.slice(1)) expect(e.high - e.low).toBeLessThan(0.1);
        const fit = fitEta(est);
        expect(Math.abs(fit.eta - eta)).toBeLessThan(4 * fit.se);
        expect(Math.abs(fit.eta - eta)).toBeLessThan(0.05);
      });
    }
  }

  it('95% intervals cover the truth about 95% of the time (calibration over seeds)', () => {
    let hits = 0;
    let total = 0;
    for (let seed = 0; seed < 12; seed++) {
      for (const [kind, fraction] of [['randtop', 1], ['swap', 0.5]] as const) {
        const est = estimatePropensities(run({ model: 'pbm', eta: 1 }, { kind, fraction }, 60_000, 100 + seed), 0.95);
        for (const c of covered(est, (r) => truth(1, r))) {
          hits += c ? 1 : 0;
          total++;
        }
      }
    }
    // 216 intervals: at 95% the coverage is 0.95 ± 0.015 (s.d.).
    expect(hits / total).toBeGreaterThan(0.89);
    expect(hits / total).toBeLessThanOrEqual(0.995);
  });

  it('with an examination table: θ_k^η / θ_1^η, and η fitted against the table', () => {
    const sim = run({ model: 'pbm', eta: 1.5, table: 'eye-tracking' }, { kind: 'randtop', fraction: 1 }, 400_000, 8);
    const est = estimatePropensities(sim, 0.999);
    const expected = (r: number) => (EYE_TRACKING_TABLE[r - 1] / EYE_TRACKING_TABLE[0]) ** 1.5;
    expect(covered(est, expected).every(Boolean)).toBe(true);
    const fit = fitEta(est, EYE_TRACKING_TABLE);
    expect(Math.abs(fit.eta - 1.5)).toBeLessThan(4 * fit.se);
  });

  it('randtop on the top 5 only estimates ranks 1..5', () => {
    const est = estimatePropensities(run({ model: 'pbm' }, { kind: 'randtop', n: 5, fraction: 0.3 }, 200_000, 4));
    expect(est.ranks.map((e) => e.rank)).toEqual([1, 2, 3, 4, 5]);
    expect(est.ranks[4].sessions).toBeGreaterThan(50_000);
  });
});

describe('bad input', () => {
  it('names the field and the value', () => {
    expect(parseIntervention({ kind: 'randtop', fraction: 1.5 })).toEqual({ ok: false, error: 'intervention.fraction must be a probability in [0, 1], got 1.5' });
    expect(parseIntervention({ kind: 'swap', n: 1 })).toEqual({ ok: false, error: 'intervention.n must be ≥ 2, got 1' });
    expect(parseIntervention({ kind: 'shuffle' })).toMatchObject({ ok: false, error: expect.stringContaining("kind must be 'randtop' or 'swap'") });
  });

  it('refuses estimates the log cannot give', () => {
    const plain = simulateClicks(ds, production, clickModel(), { sessions: 100, seed: 1 });
    expect(() => estimatePropensities(plain)).toThrow('this log has no intervention');
    expect(() => estimatePropensities(run({ model: 'pbm' }, { kind: 'swap', fraction: 1 }, 100, 1))).toThrow('use a fraction below 1');
    expect(() => estimatePropensities(run({ model: 'pbm' }, { kind: 'randtop', fraction: 1 }, 100, 1), 1)).toThrow('confidence must be in (0, 1), got 1');
  });
});
