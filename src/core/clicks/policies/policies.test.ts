import { describe, expect, it } from 'vitest';
import type { RankingDataset } from '../../data/dataset';
import { generateSynthetic } from '../../data/synthetic';
import { meanNdcg } from '../../metrics/ndcg';
import { clickModel } from '../models/config';
import { simulateClicks } from '../simulate/simulate';
import { buildPolicy, parsePolicy } from './config';
import { plackettLucePolicy, queryOfRow, randomPolicy, rankTopK, scoresPolicy } from './policy';
import { fitLinearScorer, productionPolicy, scoreRows } from './production';
import { docName, scoresFromRun } from './run';

const ds = generateSynthetic({ queries: 400, docsPerQuery: 30, features: 10, relevance: 'linear', noise: 0.5, labelDistribution: [0.4, 0.3, 0.15, 0.1, 0.05] }, 5);
const ndcg10 = (scores: ArrayLike<number>) => meanNdcg(scores, ds.labels, ds.qidOffsets, { k: 10, gain: 'exp2', noRelevant: 'drop' });

/** One query whose documents have the given scores (labels all 0, one feature = the score). */
function oneQuery(scores: number[]): RankingDataset {
  return {
    qidOffsets: Int32Array.of(0, scores.length),
    features: Float32Array.from(scores),
    labels: new Int8Array(scores.length),
    nFeatures: 1,
    queryIds: ['q'],
  };
}

/** Frequencies of (rank, row) over many sampled sessions of a one-query set. */
function rankFrequencies(data: RankingDataset, policy: Parameters<typeof simulateClicks>[1], sessions: number) {
  const k = policy.k;
  const { log } = simulateClicks(data, policy, clickModel({ topK: k }), { sessions, seed: 9 });
  const n = data.labels.length;
  const freq = Array.from({ length: k }, () => new Float64Array(n));
  for (let s = 0; s < sessions; s++) for (let r = 0; r < k; r++) freq[r][log.shown[s * k + r]] += 1 / sessions;
  return { freq, log };
}

describe('production ranker (least squares on a labelled fraction)', () => {
  it('is decent but imperfect: well above random, below a fit on all queries', () => {
    const p = productionPolicy(ds, 10, { seed: 1, fraction: 0.01 });
    expect(p.scorer.trainQueries.length).toBe(4);
    const random = Float64Array.from(ds.labels, (_, i) => Math.sin(i * 12.9898) * 43758.5453 % 1);
    const full = scoreRows(ds, fitLinearScorer(ds, { seed: 1, fraction: 1 }));
    const prod = ndcg10(p.scores);
    expect(prod).toBeGreaterThan(ndcg10(random) + 0.1);
    expect(prod).toBeLessThan(ndcg10(full) + 1e-9);
    expect(ndcg10(full)).toBeLessThan(1);
  });

  it('recovers an exact linear relation (the solve is right)', () => {
    // labels = 2·x0 − x1 on 3 grades, rank by the fit = rank by the truth.
    const n = 200;
    const features = new Float32Array(n * 2);
    const labels = new Int8Array(n);
    for (let i = 0; i < n; i++) {
      features[2 * i] = (i % 3) as number;
      features[2 * i + 1] = ((i * 7) % 2) as number;
      labels[i] = 2 * features[2 * i] - features[2 * i + 1] + 1;
    }
    const lin: RankingDataset = { qidOffsets: Int32Array.of(0, 100, 200), features, labels, nFeatures: 2, queryIds: ['a', 'b'] };
    const fit = fitLinearScorer(lin, { seed: 0, fraction: 1, ridge: 1e-9 });
    expect(fit.weights[0]).toBeCloseTo(2, 5);
    expect(fit.weights[1]).toBeCloseTo(-1, 5);
    expect(fit.bias).toBeCloseTo(1, 5);
  });

  it('is seeded: same seed, same ranker; another seed, other training queries', () => {
    const a = productionPolicy(ds, 10, { seed: 4, fraction: 0.05 });
    const b = productionPolicy(ds, 10, { seed: 4, fraction: 0.05 });
    const c = productionPolicy(ds, 10, { seed: 8, fraction: 0.05 });
    expect(b.ranked).toEqual(a.ranked);
    expect(Array.from(c.scorer.trainQueries)).not.toEqual(Array.from(a.scorer.trainQueries));
  });

  it('refuses a fraction outside (0, 1]', () => {
    expect(() => productionPolicy(ds, 10, { seed: 1, fraction: 0 })).toThrow('production ranker: fraction must be in (0, 1], got 0');
  });
});

describe('deterministic rankings', () => {
  it('rank by score descending, ties in list order, −1 past the end of short lists', () => {
    const data: RankingDataset = { ...oneQuery([0, 0, 0, 0]), qidOffsets: Int32Array.of(0, 3, 4) , queryIds: ['a', 'b'] };
    expect(Array.from(rankTopK(data, [1, 3, 1, 5], 3))).toEqual([1, 0, 2, 3, -1, -1]);
    expect(queryOfRow(data, 2)).toBe(0);
    expect(queryOfRow(data, 3)).toBe(1);
  });

  it('refuse NaN scores and a wrong count', () => {
    const data = oneQuery([1, 2, 3]);
    expect(() => scoresPolicy(data, [1, NaN, 2], 3)).toThrow("scores: the score of document 1 of query 'q' (row 1) is NaN");
    expect(() => scoresPolicy(data, [1, 2], 3)).toThrow('scores: 2 scores for 3 documents');
  });
});

describe('stochastic policies', () => {
  it('random: every document equally likely at every rank', () => {
    const data = oneQuery([5, 4, 3, 2, 1]);
    const { freq } = rankFrequencies(data, randomPolicy(3), 60_000);
    // Each frequency ~ 1/5 with s.d. sqrt(0.2·0.8/60 000) ≈ 0.0016.
    for (const rank of freq) for (const f of rank) expect(Math.abs(f - 0.2)).toBeLessThan(0.01);
  });

  it('Plackett–Luce: first and second documents drawn ∝ exp(s/T) from those left', () => {
    const s = [0, 1, 2];
    const T = 1.5;
    const data = oneQuery(s);
    const { freq, log } = rankFrequencies(data, plackettLucePolicy(data, s, T, 3), 80_000);
    const w = s.map((x) => Math.exp(x / T));
    const total = w.reduce((a, b) => a + b);
    for (let i = 0; i < 3; i++) expect(Math.abs(freq[0][i] - w[i] / total)).toBeLessThan(0.01);
    // P(first = 2, second = 1) = p_2 · w_1 / (total − w_2).
    let pair = 0;
    for (let x = 0; x < 80_000; x++) if (log.shown[x * 3] === 2 && log.shown[x * 3 + 1] === 1) pair++;
    expect(Math.abs(pair / 80_000 - (w[2] / total) * (w[1] / (total - w[2])))).toBeLessThan(0.01);
  });

  it('Plackett–Luce with temperature → 0 is the deterministic ranking', () => {
    const prod = productionPolicy(ds, 10, { seed: 1, fraction: 0.05 });
    const cold = plackettLucePolicy(ds, prod.scores, 1e-7, 10);
    const { log } = simulateClicks(ds, cold, clickModel(), { sessions: 3000, seed: 4 });
    let same = 0;
    for (let x = 0; x < 3000; x++) {
      const q = log.query[x];
      if (log.shown.subarray(x * 10, x * 10 + 10).every((row, r) => row === prod.ranked[q * 10 + r])) same++;
    }
    expect(same).toBe(3000);
    // And a hot one is close to random: the top document changes between sessions of a query.
    const hot = simulateClicks(ds, plackettLucePolicy(ds, prod.scores, 1e3, 10), clickModel(), { sessions: 3000, seed: 4 }).log;
    let top = 0;
    for (let x = 0; x < 3000; x++) if (hot.shown[x * 10] === prod.ranked[hot.query[x] * 10]) top++;
    expect(top / 3000).toBeLessThan(0.1);
  });

  it('refuses a temperature that is not positive', () => {
    expect(() => plackettLucePolicy(ds, new Float64Array(ds.labels.length), 0, 10)).toThrow('temperature must be > 0');
  });
});

describe('TREC run as the logging policy', () => {
  it("ranks as trec_eval orders the run; documents it leaves out come after, in list order", () => {
    const data: RankingDataset = { ...oneQuery([0, 0, 0, 0]), queryIds: ['7'] };
    // Rows are named 7:0 .. 7:3. The run: 7:2 first, 7:0 and 7:3 tie (docno descending: 7:3 first), plus a stranger.
    const run = {
      queryIds: ['7', '8'],
      docIds: ['7:2', '7:0', '7:3', 'x', 'y'],
      query: Int32Array.of(0, 0, 0, 0, 1),
      doc: Int32Array.of(0, 1, 2, 3, 4),
      score: Float64Array.of(9, 5, 5, 1, 3),
    };
    const r = scoresFromRun(data, run);
    expect(r.matched).toBe(3);
    expect(r.unmatched).toBe(2);
    expect(r.queriesWithoutRun).toBe(0);
    expect(Array.from(rankTopK(data, r.scores, 4))).toEqual([2, 3, 0, 1]);
    expect(docName(data, 3, 0)).toBe('7:3');
    expect(docName(data, 3, 0, ['a', 'b', 'c', 'd'])).toBe('d');
  });
});

describe('policy config', () => {
  it('has defaults and readable errors', () => {
    expect(parsePolicy({ kind: 'production' })).toEqual({ ok: true, value: { kind: 'production', fraction: 0.01, ridge: 0.1 } });
    expect(parsePolicy({ kind: 'pl' })).toMatchObject({ ok: true, value: { temperature: 1, base: 'production' } });
    expect(parsePolicy({ kind: 'pl', temperature: 0 })).toEqual({ ok: false, error: 'policy.temperature must be > 0, got 0' });
    expect(parsePolicy({ kind: 'production', fraction: 2 })).toEqual({ ok: false, error: 'policy.fraction must be in (0, 1], got 2' });
    expect(parsePolicy({ kind: 'greedy' })).toMatchObject({ ok: false, error: expect.stringContaining("kind must be one of 'production', 'random', 'pl', 'scores', 'feature'") });
    expect(parsePolicy({ kind: 'feature', feature: 0 })).toEqual({ ok: false, error: 'policy.feature must be ≥ 1, got 0' });
  });

  it('builds each policy; scores-based ones need scores', () => {
    expect(buildPolicy(ds, { kind: 'random' }, 10, 1).kind).toBe('random');
    expect(buildPolicy(ds, { kind: 'production', fraction: 0.01, ridge: 0.1 }, 10, 1).kind).toBe('deterministic');
    expect(buildPolicy(ds, { kind: 'pl', temperature: 1, base: 'production', fraction: 0.01, ridge: 0.1 }, 10, 1).kind).toBe('plackett-luce');
    expect(() => buildPolicy(ds, { kind: 'scores' }, 10, 1)).toThrow("the 'scores' policy needs per-document scores");
    const scored = buildPolicy(ds, { kind: 'scores' }, 10, 1, ds.hiddenScores);
    expect(scored.kind).toBe('deterministic');
    // A feature column: the same ranking as its values as scores.
    const byFeature = buildPolicy(ds, { kind: 'feature', feature: 3 }, 10, 1);
    const third = Float64Array.from(ds.labels, (_, row) => ds.features[row * ds.nFeatures + 2]);
    expect(byFeature).toMatchObject({ kind: 'deterministic', name: 'feature 3' });
    if (byFeature.kind === 'deterministic') expect(byFeature.ranked).toEqual(rankTopK(ds, third, 10));
    expect(() => buildPolicy(ds, { kind: 'feature', feature: 11 }, 10, 1)).toThrow('feature must be an integer in 1..10 (the data\'s features), got 11');
  });
});
