import { describe, expect, it } from 'vitest';
import { createRng } from '../../experiment/rng';
import { clickProbability, pbmPropensities, simulatePbmSessions } from './clicks';
import { hardNegativePool, sampleLabelList, splitQueries } from './data';
import { allQueries, corpus } from './test-fixtures';

describe('adaptation data', () => {
  it('splits by query, seeded, with the requested share', () => {
    const a = splitQueries(allQueries, 0.3, 5);
    const b = splitQueries(allQueries, 0.3, 5);
    expect(a.validation.map((q) => q.id)).toEqual(b.validation.map((q) => q.id));
    expect(a.validation.length).toBe(Math.round(allQueries.length * 0.3));
    expect(a.train.length + a.validation.length).toBe(allQueries.length);
    const ids = new Set(a.train.map((q) => q.id));
    expect(a.validation.some((q) => ids.has(q.id))).toBe(false);
    expect(splitQueries(allQueries, 0.3, 6).validation.map((q) => q.id)).not.toEqual(a.validation.map((q) => q.id));
    expect(() => splitQueries(allQueries, 1, 1)).toThrow(/between 0 and 1/);
  });

  it('samples lists: a positive first, then judged, never a judged passage as a negative, skipTop honoured, reproducible', () => {
    for (const kind of ['random', 'hard'] as const) {
      const rng = createRng(1);
      for (const q of allQueries.slice(0, 10)) {
        const judged = new Set(q.judged.map((j) => j.passage));
        const list = sampleLabelList(q, corpus.length, 8, { kind, skipTopUnlabelled: 3 }, rng);
        expect(list.length).toBe(8);
        expect(list[0].label).toBeGreaterThan(0);
        expect(new Set(list.map((i) => i.passage)).size).toBe(8);
        const negatives = list.slice(q.judged.length);
        expect(list.slice(0, q.judged.length).every((i) => judged.has(i.passage))).toBe(true);
        expect(negatives.every((i) => i.label === 0 && !judged.has(i.passage))).toBe(true);
        if (kind === 'hard') {
          const skipped = q.candidates.filter((p) => !judged.has(p)).slice(0, 3);
          expect(negatives.some((i) => skipped.includes(i.passage))).toBe(false);
          const pool = new Set(hardNegativePool(q, 3));
          expect(negatives.every((i) => pool.has(i.passage))).toBe(true);
        }
      }
      const again = (seed: number) => sampleLabelList(allQueries[0], corpus.length, 8, { kind, skipTopUnlabelled: 3 }, createRng(seed));
      expect(again(4)).toEqual(again(4));
    }
    // With the pool used up, hard negatives fall back to the corpus (still never judged).
    const q = { ...allQueries[0], candidates: allQueries[0].candidates.slice(0, 6) };
    const list = sampleLabelList(q, corpus.length, 10, { kind: 'hard', skipTopUnlabelled: 0 }, createRng(2));
    expect(list.length).toBe(10);
    expect(list.slice(4).every((i) => !q.judged.some((j) => j.passage === i.passage))).toBe(true);
  });

  it('simulates PBM clicks: CTR at rank r ≈ θ_r · P(click | grade)', () => {
    const s = { topK: 6, eta: 1, epsilonMinus: 0.1, epsilonPlus: 0.9, sessionsPerQuery: 4000 };
    const queries = allQueries.slice(0, 3);
    const sim = simulatePbmSessions(queries, s, 2, createRng(9));
    expect(sim.query.length).toBe(3 * 4000);
    const theta = pbmPropensities(6, 1);
    expect(theta[2]).toBeCloseTo(1 / 3, 12);
    expect(clickProbability(2, 2, 0.1, 0.9)).toBeCloseTo(0.9, 12);
    expect(clickProbability(1, 2, 0.1, 0.9)).toBeCloseTo(0.1 + 0.8 / 3, 12);
    for (let qi = 0; qi < 3; qi++) {
      for (let r = 0; r < 6; r++) {
        let clicks = 0;
        for (let i = qi * 4000; i < (qi + 1) * 4000; i++) clicks += sim.clicks[i * 6 + r];
        const p = theta[r] * clickProbability(sim.shown[qi].labels[r], 2, 0.1, 0.9);
        // 4 standard errors of a binomial proportion over 4000 sessions.
        expect(Math.abs(clicks / 4000 - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / 4000) + 1e-9);
      }
    }
    // Some sessions have no click: they are kept (the estimators skip them).
    let empty = 0;
    for (let i = 0; i < sim.query.length; i++) if (sim.clicks.subarray(i * 6, i * 6 + 6).every((c) => c === 0)) empty++;
    expect(empty).toBeGreaterThan(0);
  });
});
