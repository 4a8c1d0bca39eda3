import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isDataError } from '../../data/parse/errors';
import { selectSessions, type ClickLog } from '../log';
import { CLICK_MODEL_NAMES, PROB_MIN, attractivenessOf, clickModelParams, evaluateClickModel, fitClickModel, splitSessions, type ClickModelName, type FittedClickModel } from '.';
import { handLog, powerExamination, toyLog, uniformParams, type ToyTruth } from './toy-logs';

const K = 10;
const QUERIES = 150;
const DPQ = 20;
const A = uniformParams(QUERIES * DPQ, 1, 0.1, 0.9);
const S = uniformParams(QUERIES * DPQ, 2, 0.2, 0.8);

/** Mean |fitted α − true α| over the pairs of a model fitted on a toy log (α scaled by `scale`). */
function attrError(f: FittedClickModel, truth: Float64Array, scale = 1): { mae: number; bias: number } {
  let mae = 0;
  let bias = 0;
  for (let p = 0; p < f.pairs.size; p++) {
    const d = f.attractiveness[p] * scale - truth[f.pairs.doc[p]];
    mae += Math.abs(d);
    bias += d;
  }
  return { mae: mae / f.pairs.size, bias: bias / f.pairs.size };
}

function heldOut(truth: ToyTruth, sessions = 80_000) {
  const log = toyLog({ sessions, queries: QUERIES, docsPerQuery: DPQ, k: K, seed: 11, truth });
  return splitSessions(log, 0.25, 42);
}

describe('parameter recovery on logs generated with known parameters', () => {
  it('PBM recovers the examination curve (1/r)^η, relative to rank 1, and attractiveness', () => {
    for (const eta of [1, 0.5]) {
      const exam = powerExamination(K, eta);
      const { train } = heldOut({ model: 'pbm', attractiveness: A, examination: exam });
      const f = fitClickModel(train, 'pbm');
      const rel = (clickModelParams(f) as { examinationRelative: number[] }).examinationRelative;
      for (let r = 0; r < K; r++) expect(Math.abs(rel[r] - exam[r]), `η=${eta} rank ${r + 1}`).toBeLessThan(0.03);
      expect(attrError(f, A, f.examination![0]).mae).toBeLessThan(0.07);
      // The default prior shrinks α toward 0.5, which flattens the curve a little; plain maximum
      // likelihood recovers it closer.
      const ml = fitClickModel(train, 'pbm', { prior: { a: 0, b: 0 } });
      for (let r = 0; r < K; r++) expect(Math.abs(ml.examination![r] / ml.examination![0] - exam[r]), `η=${eta} rank ${r + 1}, ML`).toBeLessThan(0.015);
    }
  });

  it('cascade recovers attractiveness without bias', () => {
    const { train } = heldOut({ model: 'cascade', attractiveness: A });
    const f = fitClickModel(train, 'cascade');
    const e = attrError(f, A);
    expect(e.mae).toBeLessThan(0.07);
    expect(Math.abs(e.bias)).toBeLessThan(0.01);
    expect(f.fit.method).toBe('mle');
  });

  it('DCM recovers attractiveness and λ at the top ranks', () => {
    const lambda = Float64Array.from({ length: K }, (_, r) => 0.3 + 0.05 * r);
    const { train } = heldOut({ model: 'dcm', attractiveness: A, lambda });
    const f = fitClickModel(train, 'dcm');
    expect(attrError(f, A).mae).toBeLessThan(0.07);
    // The MLE's "the last click satisfied" assumption biases λ low where users went on without
    // clicking again, which grows down the list; the top ranks are close.
    for (let r = 0; r < 3; r++) expect(Math.abs(f.lambda![r] - lambda[r])).toBeLessThan(0.03);
  });

  it('DBN recovers γ, attractiveness and satisfaction', () => {
    const { train } = heldOut({ model: 'dbn', attractiveness: A, satisfaction: S, gamma: 0.9 });
    const f = fitClickModel(train, 'dbn');
    expect(Math.abs(f.gamma! - 0.9)).toBeLessThan(0.02);
    expect(attrError(f, A).mae).toBeLessThan(0.07);
    let sat = 0;
    for (let p = 0; p < f.pairs.size; p++) sat += Math.abs(f.satisfaction![p] - S[f.pairs.doc[p]]);
    expect(sat / f.pairs.size).toBeLessThan(0.12);
  });

  it('UBM recovers examination by rank and distance to the previous click', () => {
    const g = new Float64Array(K * K);
    for (let r = 0; r < K; r++) for (let d = 1; d <= r + 1; d++) g[r * K + d - 1] = d === r + 1 ? 0.9 / (r + 1) : Math.min(0.95, 1 / d);
    const { train } = heldOut({ model: 'ubm', attractiveness: A, examination: g });
    const f = fitClickModel(train, 'ubm');
    const rows = (clickModelParams(f) as { examination: number[][] }).examination;
    expect(rows.map((row) => row.length)).toEqual(Array.from({ length: K }, (_, r) => r + 1));
    // Well-populated cells: right after a click (d = 1) and with no click above (d = r).
    for (let r = 1; r < K; r++) expect(Math.abs(rows[r][0] - g[r * K])).toBeLessThan(0.05);
    for (let r = 0; r < 5; r++) expect(Math.abs(rows[r][r] - g[r * K + r])).toBeLessThan(0.05);
  });
});

describe('held-out comparison: the generating model fits best', () => {
  const scores = (truth: ToyTruth) => {
    const { train, test } = heldOut(truth, 60_000);
    return Object.fromEntries(CLICK_MODEL_NAMES.map((m) => [m, evaluateClickModel(fitClickModel(train, m), test)]));
  };

  it('on DBN data, DBN beats PBM, cascade and DCM in perplexity, conditional perplexity and log-likelihood', () => {
    const e = scores({ model: 'dbn', attractiveness: A, satisfaction: S, gamma: 0.9 });
    for (const wrong of ['pbm', 'cascade', 'dcm'] as const) {
      expect(e.dbn.perplexity).toBeLessThan(e[wrong].perplexity);
      expect(e.dbn.conditionalPerplexity).toBeLessThan(e[wrong].conditionalPerplexity);
      expect(e.dbn.logLikelihood).toBeGreaterThan(e[wrong].logLikelihood);
    }
  });

  it('on UBM data, UBM beats PBM, cascade and DBN', () => {
    const g = new Float64Array(K * K);
    for (let r = 0; r < K; r++) for (let d = 1; d <= r + 1; d++) g[r * K + d - 1] = d === r + 1 ? 0.9 / (r + 1) : Math.min(0.95, 1 / d);
    const e = scores({ model: 'ubm', attractiveness: A, examination: g });
    for (const wrong of ['pbm', 'cascade', 'dbn'] as const) {
      expect(e.ubm.perplexity).toBeLessThan(e[wrong].perplexity);
      expect(e.ubm.logLikelihood).toBeGreaterThan(e[wrong].logLikelihood);
    }
  });
});

describe('EM', () => {
  it('never lowers the training log-likelihood (pure ML, no prior), and stops at the tolerance', () => {
    const log = toyLog({ sessions: 5_000, queries: 20, docsPerQuery: 12, k: 6, seed: 5, truth: { model: 'dbn', attractiveness: A, satisfaction: S, gamma: 0.8 } });
    for (const model of ['pbm', 'ubm', 'dbn'] as const) {
      const lls: number[] = [];
      const f = fitClickModel(log, model, { prior: { a: 0, b: 0 }, maxIterations: 40, tolerance: 0, onIteration: (_, ll) => lls.push(ll) });
      expect(lls.length).toBe(40);
      expect(f.fit.iterations).toBe(40);
      for (let i = 1; i < lls.length; i++) expect(lls[i], `${model} iteration ${i + 1}`).toBeGreaterThanOrEqual(lls[i - 1] - 1e-12);
      const g = fitClickModel(log, model, { tolerance: 1e-3 });
      expect(g.fit.converged).toBe(true);
      expect(g.fit.iterations).toBeLessThan(50);
      expect(g.fit.secondsPerIteration).toBeGreaterThan(0);
    }
  });
});

describe('log-likelihood and perplexity by hand', () => {
  // Training: q0 shows d0, d1. Cascade counts ranks up to the first click:
  //   α(d0) = (1 click + 1) / (3 impressions + 2) = 0.4, α(d1) = (1 + 1) / (2 + 2) = 0.5.
  const train = handLog(2, [
    [0, [[0, 1], [1, 0]]],
    [0, [[0, 0], [1, 1]]],
    [0, [[1, 0], [0, 0]]],
  ]);
  // Test: (d0 skip, d1 click) and (d1 click, d2 click); d2 is unseen → α = 0.5.
  const test = handLog(2, [
    [0, [[0, 0], [1, 1]]],
    [0, [[1, 1], [2, 1]]],
  ]);

  it('cascade on a 2-session log', () => {
    const f = fitClickModel(train, 'cascade');
    expect(attractivenessOf(f, 0, 0)).toBeCloseTo(0.4, 12);
    expect(attractivenessOf(f, 0, 1)).toBeCloseTo(0.5, 12);
    const e = evaluateClickModel(f, test);
    // Session 1: P(C1 = 0) = 0.6, P(C2 = 1 | C1 = 0) = 0.5. Session 2: P(C1 = 1) = 0.5, and a second
    // click is impossible under cascade: PROB_MIN.
    const ll = ((Math.log(0.6) + Math.log(0.5)) / 2 + (Math.log(0.5) + Math.log(PROB_MIN)) / 2) / 2;
    expect(e.logLikelihood).toBeCloseTo(ll, 12);
    // Perplexity uses P(C_r = 1) unconditioned: rank 2 is reached with P(no click at 1).
    //   Session 1: rank 1 skip 1 − 0.4 = 0.6; rank 2 click 0.6 · 0.5 = 0.3.
    //   Session 2: rank 1 click 0.5; rank 2 click (1 − 0.5) · 0.5 = 0.25.
    const p1 = 2 ** (-(Math.log2(0.6) + Math.log2(0.5)) / 2);
    const p2 = 2 ** (-(Math.log2(0.3) + Math.log2(0.25)) / 2);
    expect(e.perplexityAtRank[0]).toBeCloseTo(p1, 12);
    expect(e.perplexityAtRank[1]).toBeCloseTo(p2, 12);
    expect(e.perplexity).toBeCloseTo((p1 + p2) / 2, 12);
    const c2 = 2 ** (-(Math.log2(0.5) + Math.log2(PROB_MIN)) / 2);
    expect(e.conditionalPerplexityAtRank[1]).toBeCloseTo(c2, 9);
    expect(e.unseenPairs).toBe(1);
    expect(e.unseenImpressions).toBe(1);
    expect(e.sessions).toBe(2);
    expect(e.impressions).toBe(4);
  });

  it('PBM with given parameters on a 2-session log', () => {
    const f = fitClickModel(train, 'pbm');
    // Overwrite the fit with round numbers: γ = (0.9, 0.5), α(d0) = 0.4, α(d1) = 0.5, unseen 0.5.
    f.examination!.set([0.9, 0.5]);
    f.attractiveness[f.pairs.get(0, 0)] = 0.4;
    f.attractiveness[f.pairs.get(0, 1)] = 0.5;
    const e = evaluateClickModel(f, test);
    // P(C) per rank: s1: 1 − 0.36 = 0.64, 0.25; s2: 0.45, 0.25. PBM's clicks are independent, so
    // conditional = unconditional.
    expect(e.logLikelihood).toBeCloseTo(((Math.log(0.64) + Math.log(0.25)) / 2 + (Math.log(0.45) + Math.log(0.25)) / 2) / 2, 12);
    expect(e.perplexityAtRank[0]).toBeCloseTo(2 ** (-(Math.log2(0.64) + Math.log2(0.45)) / 2), 12);
    expect(e.perplexityAtRank[1]).toBeCloseTo(4, 12);
    expect(e.conditionalPerplexityAtRank).toEqual(e.perplexityAtRank);
  });

  it('DCM: λ_r = non-last clicks ÷ clicks at r', () => {
    const log = handLog(3, [
      [0, [[0, 1], [1, 1], [2, 0]]],
      [0, [[0, 1], [1, 0], [2, 0]]],
      [0, [[0, 0], [1, 1], [2, 1]]],
    ]);
    const f = fitClickModel(log, 'dcm', { prior: { a: 0, b: 0 } });
    expect(Array.from(f.lambda!)).toEqual([0.5, 0.5, PROB_MIN]);
    // α counts ranks up to the last click: d0 2/3; d1 2/2 (session 2's last click is rank 1); d2 1/1.
    expect(attractivenessOf(f, 0, 0)).toBeCloseTo(2 / 3, 12);
    expect(attractivenessOf(f, 0, 1)).toBeCloseTo(1 - PROB_MIN, 12);
    expect(attractivenessOf(f, 0, 2)).toBeCloseTo(1 - PROB_MIN, 12);
  });
});

describe('unseen pairs, and logs parsed separately', () => {
  const train = handLog(2, [
    [0, [[0, 1], [1, 0]]],
    [1, [[2, 0], [3, 1]]],
  ]);

  it('unseen pairs and queries get the default and are counted', () => {
    const test = handLog(2, [
      [0, [[1, 0], [3, 0]]], // (q0, d3) unseen
      [2, [[4, 1], [5, 0]]], // q2 unseen: both pairs unseen
      [2, [[4, 0]]],
    ]);
    test.queryIds = ['q0', 'q1', 'q2'];
    test.docIds = ['d0', 'd1', 'd2', 'd3', 'd4', 'd5'];
    train.docIds = ['d0', 'd1', 'd2', 'd3'];
    for (const model of CLICK_MODEL_NAMES) {
      const f = fitClickModel(train, model);
      const e = evaluateClickModel(f, test);
      expect(e.unseenPairs).toBe(3);
      expect(e.unseenImpressions).toBe(4);
      expect(e.unseenQueries).toBe(1);
      expect(f.defaults.attractiveness).toBe(0.5);
      expect(attractivenessOf(f, 2, 4)).toBe(0.5);
      const byMean = fitClickModel(train, model, { unseen: 'mean' });
      const mean = byMean.attractiveness.reduce((a, b) => a + b, 0) / byMean.attractiveness.length;
      expect(byMean.defaults.attractiveness).toBeCloseTo(mean, 12);
      expect((clickModelParams(byMean).attractiveness as { default: number }).default).toBeCloseTo(mean, 12);
    }
  });

  it('a query of the shared id table that training never showed is unseen', () => {
    const log = handLog(1, [[0, [[0, 1]]], [1, [[1, 0]]], [1, [[2, 1]]]]);
    const f = fitClickModel(selectSessions(log, [0]), 'cascade');
    const e = evaluateClickModel(f, selectSessions(log, [1, 2]));
    expect(e.unseenQueries).toBe(1);
    expect(e.unseenPairs).toBe(2);
  });

  it('a test log with its own id tables is matched to the training log by id', () => {
    const same = handLog(2, [
      [1, [[3, 1], [2, 0]]],
      [0, [[1, 0], [0, 1]]],
    ]);
    same.docIds = train.docIds;
    same.queryIds = train.queryIds;
    // The same sessions, with ids numbered in another order.
    const other: ClickLog = {
      k: 2,
      query: Int32Array.from([0, 1]),
      shown: Int32Array.from([0, 1, 2, 3]),
      clicks: same.clicks,
      queryIds: ['q1', 'q0'],
      docIds: ['d3', 'd2', 'd1', 'd0'],
    };
    for (const model of CLICK_MODEL_NAMES) {
      const f = fitClickModel(train, model);
      const a = evaluateClickModel(f, same);
      const b = evaluateClickModel(f, other);
      expect(b).toEqual(a);
      expect(b.unseenPairs).toBe(0);
    }
  });

  it('refuses to match documents named by id against documents named by row', () => {
    const f = fitClickModel(train, 'pbm');
    const rows = handLog(2, [[0, [[0, 1]]]], false);
    expect(() => evaluateClickModel(f, rows, { name: 'test.tsv' })).toThrow(/test\.tsv: documents cannot be matched/);
  });
});
