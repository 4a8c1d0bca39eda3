import { describe, expect, it } from 'vitest';
import type { RankingDataset } from '../../data/dataset';
import { generateSynthetic } from '../../data/synthetic';
import type { ClickLog } from '../log';
import { clickModel, type ClickModelInput } from '../models/config';
import { clickProbabilities, compileClickModel } from '../models/semantics';
import { plackettLucePolicy, randomPolicy, scoresPolicy, type LoggingPolicy } from '../policies/policy';
import { productionPolicy } from '../policies/production';
import { simulateClicks, type SimulateOptions } from './simulate';
import { summarizeLog } from './summary';
import { writeClickLogTsv } from './tsv';

// Lists of 4..16 documents: some shorter than the top 10, so empty slots are exercised.
const ds: RankingDataset = generateSynthetic(
  { queries: 60, docsPerQuery: 16, docsPerQueryMin: 4, features: 6, relevance: 'linear', noise: 0.3, labelDistribution: [0.4, 0.3, 0.15, 0.1, 0.05] },
  11,
);
const production = productionPolicy(ds, 10, { seed: 3, fraction: 0.2 });

function simulate(model: ClickModelInput, policy: LoggingPolicy = production, opts: Partial<SimulateOptions> = {}) {
  return simulateClicks(ds, policy, clickModel(model), { sessions: 20_000, seed: 1, ...opts });
}

/** Checks every structural promise of a ClickLog simulated on `ds` (plain checks: millions of slots). */
function checkShape(log: ClickLog) {
  const k = log.k;
  const problem = (): string | null => {
    for (let s = 0; s < log.query.length; s++) {
      const q = log.query[s];
      const from = ds.qidOffsets[q];
      const to = ds.qidOffsets[q + 1];
      const seen = new Set<number>();
      let ended = false;
      for (let r = 0; r < k; r++) {
        const row = log.shown[s * k + r];
        if (row < 0) {
          ended = true;
          if (log.clicks[s * k + r] !== 0) return `session ${s}: a click on the empty slot ${r + 1}`;
          continue;
        }
        if (ended) return `session ${s}: a result after an empty slot`;
        if (row < from || row >= to) return `session ${s}: row ${row} is not a document of query ${q}`;
        if (seen.has(row)) return `session ${s}: row ${row} shown twice`;
        seen.add(row);
      }
      if (seen.size !== Math.min(k, to - from)) return `session ${s}: ${seen.size} results shown from a list of ${to - from}`;
    }
    return null;
  };
  expect(problem()).toBeNull();
}

/**
 * Observed clicks per rank against the model's exact probabilities for the lists actually shown:
 * the expected count is Σ_s P(C_r | list_s) and the variance Σ_s p(1 − p), so a correct simulator
 * lands within a few standard deviations (5 here: a false alarm is ~1e−6 per rank).
 */
function expectCtrMatchesModel(log: ClickLog, model: ClickModelInput) {
  const m = compileClickModel(clickModel(model));
  const k = log.k;
  const expected = new Float64Array(k);
  const variance = new Float64Array(k);
  const observed = new Float64Array(k);
  const grades: number[] = [];
  for (let s = 0; s < log.query.length; s++) {
    grades.length = 0;
    for (let r = 0; r < k && log.shown[s * k + r] >= 0; r++) grades.push(ds.labels[log.shown[s * k + r]]);
    const p = clickProbabilities(m, grades);
    for (let r = 0; r < p.length; r++) {
      expected[r] += p[r];
      variance[r] += p[r] * (1 - p[r]);
      observed[r] += log.clicks[s * k + r];
    }
  }
  for (let r = 0; r < k; r++) {
    expect(Math.abs(observed[r] - expected[r]), `rank ${r + 1}: observed ${observed[r]}, expected ${expected[r].toFixed(1)}`).toBeLessThanOrEqual(5 * Math.sqrt(variance[r]) + 1e-9);
  }
}

const MODELS: ClickModelInput[] = [
  { model: 'pbm', eta: 1 },
  { model: 'pbm', eta: 2, table: 'eye-tracking' },
  { model: 'pbm', eta: 1, trustBias: { epsPlus: [1, 0.95, 0.9, 0.85, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8], epsMinus: [0.3, 0.25, 0.2, 0.15, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1] } },
  { model: 'cascade' },
  { model: 'dcm', dcm: { lambda: [0.9, 0.8, 0.7, 0.6, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5] } },
  { model: 'dbn', dbn: { gamma: 0.8 } },
  { model: 'dbn', dbn: { gamma: 1, satisfaction: [0, 0, 0, 0, 0] } },
  { model: 'ubm', eta: 1 },
  { model: 'ubm', topK: 3, ubm: { gamma: [[0.9], [0.8, 0.5], [0.9, 0.4, 0.3]] } },
];

describe('simulated CTR by rank matches the click model', () => {
  for (const model of MODELS) {
    it(JSON.stringify(model), () => {
      const k = clickModel(model).topK;
      const policy = k === 10 ? production : productionPolicy(ds, k, { seed: 3, fraction: 0.2 });
      const { log } = simulate(model, policy, { sessions: 100_000 });
      checkShape(log);
      expectCtrMatchesModel(log, model);
    });
  }

  it('under the random and Plackett–Luce policies too', () => {
    for (const policy of [randomPolicy(10), plackettLucePolicy(ds, production.scores, 0.5, 10)]) {
      for (const model of [{ model: 'pbm' as const }, { model: 'dbn' as const }]) {
        const { log } = simulate(model, policy, { sessions: 50_000 });
        checkShape(log);
        expectCtrMatchesModel(log, model);
      }
    }
  });

  it('cascade clicks at most once per session; DBN with γ = 1, σ ≡ 1 behaves as cascade', () => {
    for (const model of [{ model: 'cascade' as const }, { model: 'dbn' as const, dbn: { gamma: 1, satisfaction: [1, 1, 1, 1, 1] } }]) {
      const { log } = simulate(model);
      for (let s = 0; s < log.query.length; s++) {
        let n = 0;
        for (let r = 0; r < 10; r++) n += log.clicks[s * 10 + r];
        expect(n).toBeLessThanOrEqual(1);
      }
    }
  });

  it('with per-rank CTR summaries as ClickLog computes them', () => {
    const { log } = simulate({ model: 'pbm' });
    const s = summarizeLog(log);
    expect(s.sessions).toBe(20_000);
    let clicks = 0;
    for (const c of log.clicks) clicks += c;
    expect(s.clicks).toBe(clicks);
    expect(s.ctrByRank[0]).toBeGreaterThan(s.ctrByRank[9]);
    let without = 0;
    for (let i = 0; i < log.query.length; i++) if (!log.clicks.subarray(i * 10, i * 10 + 10).some((c) => c === 1)) without++;
    expect(s.sessionsWithoutClick).toBe(without);
  });
});

describe('reproducibility', () => {
  const policies: LoggingPolicy[] = [production, randomPolicy(10), plackettLucePolicy(ds, production.scores, 1, 10)];
  it('same seed, same log; different seed, different log (every model and policy kind)', () => {
    for (const model of MODELS.filter((m) => !m.topK)) {
      for (const policy of policies) {
        const a = simulate(model, policy, { sessions: 2000, seed: 5 }).log;
        const b = simulate(model, policy, { sessions: 2000, seed: 5 }).log;
        const c = simulate(model, policy, { sessions: 2000, seed: 6 }).log;
        expect(b.query).toEqual(a.query);
        expect(b.shown).toEqual(a.shown);
        expect(b.clicks).toEqual(a.clicks);
        expect(c.clicks).not.toEqual(a.clicks);
      }
    }
  });

  it('an intervention on no session leaves the log as it was', () => {
    const plain = simulate({ model: 'pbm' }).log;
    for (const kind of ['randtop', 'swap'] as const) {
      const sim = simulate({ model: 'pbm' }, production, { intervention: { kind, fraction: 0 } });
      expect(sim.log.shown).toEqual(plain.shown);
      expect(sim.log.clicks).toEqual(plain.clicks);
      expect(sim.intervention!.applied.every((a) => a === 0)).toBe(true);
    }
  });

  it('the query stream does not depend on the policy or the model', () => {
    const a = simulate({ model: 'pbm' }, production).log;
    const b = simulate({ model: 'ubm' }, randomPolicy(10)).log;
    expect(b.query).toEqual(a.query);
  });
});

describe('sessions', () => {
  it("'uniform' draws queries uniformly", () => {
    const { log } = simulate({ model: 'pbm' }, production, { sessions: 60_000 });
    const counts = new Float64Array(60);
    for (const q of log.query) counts[q]++;
    // Each count ~ Binomial(60 000, 1/60): mean 1000, s.d. ≈ 31.
    for (const c of counts) expect(Math.abs(c - 1000)).toBeLessThan(160);
  });

  it("'per-query' gives every query N sessions, in query order", () => {
    const { log } = simulate({ model: 'cascade' }, production, { sessions: 3, sessionMode: 'per-query' });
    expect(log.query.length).toBe(180);
    expect(Array.from(log.query.subarray(0, 7))).toEqual([0, 0, 0, 1, 1, 1, 2]);
    expect(log.queryIds).toBe(ds.queryIds);
    expect(log.dwell).toBeUndefined();
    expect(log.docIds).toBeUndefined();
  });
});

describe('bad input', () => {
  it('is refused with a reason', () => {
    expect(() => simulate({ model: 'pbm' }, production, { sessions: 0 })).toThrow('sessions must be a positive integer, got 0');
    expect(() => simulate({ model: 'pbm' }, production, { seed: -1 })).toThrow('seed must be an integer in [0, 2^32), got -1');
    expect(() => simulate({ model: 'pbm', topK: 5 })).toThrow('the policy ranks the top 10 but the click model shows 5 (topK)');
    expect(() => simulate({ model: 'pbm', ymax: 2 })).toThrow(/label [34] of document \d+ of query 'q\d+' is outside the click model's grades 0..2 \(set ymax/);
    expect(() => simulate({ model: 'pbm' }, production, { intervention: { kind: 'randtop', n: 11, fraction: 1 } })).toThrow("intervention.n (11) must not exceed the click model's topK (10)");
    expect(() => simulate({ model: 'pbm' }, production, { sessions: 50_000_000 })).toThrow('simulate fewer sessions');
  });
});

describe('plain TSV', () => {
  it('writes one line per shown result: session, query, rank, doc, click', () => {
    const small = simulateClicks(ds, scoresPolicy(ds, production.scores, 3), clickModel({ topK: 3 }), { sessions: 4, seed: 2 }).log;
    let text = '';
    const lines = writeClickLogTsv(small, ds, (chunk) => (text += chunk), { chunkLines: 5 });
    const rows = text.trimEnd().split('\n');
    expect(rows).toHaveLength(lines);
    expect(lines).toBe(12);
    const [session, query, rank, doc, click] = rows[1].split('\t');
    expect(session).toBe('0');
    expect(query).toBe(ds.queryIds[small.query[0]]);
    expect(rank).toBe('2');
    expect(doc).toBe(`${query}:${small.shown[1] - ds.qidOffsets[small.query[0]]}`);
    expect(click).toBe(String(small.clicks[1]));
    // Document ids, when the data has them, replace <qid>:<position>.
    const ids = Array.from(ds.labels, (_, i) => `doc${i}`);
    let named = '';
    writeClickLogTsv(small, ds, (chunk) => (named += chunk), { docIds: ids });
    expect(named.split('\n')[0].split('\t')[3]).toBe(`doc${small.shown[0]}`);
  });
});
