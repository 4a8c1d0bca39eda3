import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isDataError } from '../../data/parse/errors';
import { type ClickLog } from '../log';
import { CLICK_MODEL_NAMES, clickModelParams, evaluateClickModel, fitClickModel, splitSessions, type ClickModelName } from '.';
import { handLog, toyLog, uniformParams } from './toy-logs';

// The same attractiveness table as fit.test.ts (150 queries × 20 docs, seed 1).
const A = uniformParams(150 * 20, 1, 0.1, 0.9);

describe('degenerate and bad logs', () => {
  const all = (c: number) =>
    handLog(
      3,
      Array.from({ length: 20 }, (_, s) => [s % 3, [[s % 4, c], [(s + 1) % 4, c], [(s + 2) % 4, c]]] as [number, [number, number][]]),
    );

  for (const c of [0, 1]) {
    it(`a log with ${c ? 'only clicks' : 'no clicks at all'}: every model gives finite numbers`, () => {
      const log = all(c);
      for (const model of CLICK_MODEL_NAMES) {
        for (const prior of [{ a: 1, b: 1 }, { a: 0, b: 0 }]) {
          const f = fitClickModel(log, model, { prior });
          const e = evaluateClickModel(f, log);
          const numbers = [e.logLikelihood, e.perplexity, e.conditionalPerplexity, ...e.perplexityAtRank, ...e.conditionalPerplexityAtRank, ...f.attractiveness];
          for (const x of numbers) expect(Number.isFinite(x), `${model} ${JSON.stringify(prior)}`).toBe(true);
          expect(e.perplexity).toBeGreaterThanOrEqual(1);
          expect(JSON.stringify(clickModelParams(f))).not.toMatch(/null|NaN/);
        }
      }
    });
  }

  it('ranks no session showed get null perplexity, and do not count in the mean', () => {
    const log = handLog(3, [
      [0, [[0, 1]]],
      [0, [[1, 0], [0, 1]]],
    ]);
    const e = evaluateClickModel(fitClickModel(log, 'pbm'), log);
    expect(e.perplexityAtRank[2]).toBeNull();
    expect(e.perplexity).toBeCloseTo((e.perplexityAtRank[0]! + e.perplexityAtRank[1]!) / 2, 12);
  });

  const bad = (log: ClickLog, re: RegExp) => {
    for (const model of CLICK_MODEL_NAMES) {
      let err: unknown;
      try {
        fitClickModel(log, model, { name: 'bad.tsv' });
      } catch (e) {
        err = e;
      }
      expect(isDataError(err)).toBe(true);
      expect((err as Error).message).toMatch(re);
      expect((err as Error).message).toMatch(/^bad\.tsv: /);
    }
  };

  it('a test log whose sessions show nothing', () => {
    const f = fitClickModel(handLog(1, [[0, [[0, 1]]]]), 'pbm');
    const empty = handLog(1, [[0, []]]);
    expect(() => evaluateClickModel(f, empty, { name: 'test.tsv' })).toThrow(/test\.tsv: no session shows a result/);
  });
  it('an empty log', () => bad({ k: 10, query: new Int32Array(0), shown: new Int32Array(0), clicks: new Uint8Array(0), queryIds: [] }, /no sessions/));
  it('k = 0', () => bad({ k: 0, query: new Int32Array(1), shown: new Int32Array(0), clicks: new Uint8Array(0), queryIds: ['q'] }, /k \(results per session\) must be a positive integer/));
  it('a document index out of range', () => {
    const log = handLog(2, [[0, [[0, 1], [1, 0]]]]);
    log.shown[1] = 7;
    bad(log, /session 1, rank 2: document index 7 is out of range \(the log has 2 documents\)/);
  });
  it('a query index out of range', () => {
    const log = handLog(2, [[0, [[0, 1]]]]);
    log.query[0] = 3;
    bad(log, /session 1: query index 3 is out of range/);
  });
  it('a click on an empty slot, a document after an empty slot, a click that is not 0/1', () => {
    const a = handLog(2, [[0, [[0, 1]]]]);
    a.clicks[1] = 1;
    bad(a, /rank 2: a click on an empty slot/);
    const b = handLog(2, [[0, [[0, 1], [1, 0]]]]);
    b.shown[0] = -1;
    b.clicks[0] = 0;
    bad(b, /rank 2: a document after an empty slot/);
    const c = handLog(2, [[0, [[0, 1], [1, 0]]]]);
    c.clicks[0] = 2;
    bad(c, /click must be 0 or 1, got 2/);
  });
  it('arrays that do not match sessions × k', () => {
    bad({ k: 2, query: new Int32Array(2), shown: new Int32Array(3), clicks: new Uint8Array(4), queryIds: ['q'] }, /shown has 3 slots, expected sessions × k = 2 × 2/);
  });
  it('bad options', () => {
    const log = all(0);
    expect(() => fitClickModel(log, 'pbm', { maxIterations: 0 })).toThrow(/maxIterations/);
    expect(() => fitClickModel(log, 'pbm', { tolerance: -1 })).toThrow(/tolerance/);
    expect(() => fitClickModel(log, 'pbm', { prior: { a: -1, b: 1 } })).toThrow(/prior/);
  });

  it('any small log: finite log-likelihood ≤ 0 and perplexities ≥ 1 for every model', () => {
    const logArb = fc
      .record({ k: fc.integer({ min: 1, max: 5 }), sessions: fc.integer({ min: 1, max: 15 }) })
      .chain(({ k, sessions }) =>
        fc.record({
          k: fc.constant(k),
          rows: fc.array(fc.record({ q: fc.integer({ min: 0, max: 2 }), n: fc.integer({ min: 1, max: k }), docs: fc.array(fc.integer({ min: 0, max: 5 }), { minLength: k, maxLength: k }), clicks: fc.array(fc.integer({ min: 0, max: 1 }), { minLength: k, maxLength: k }) }), { minLength: sessions, maxLength: sessions }),
        }),
      );
    fc.assert(
      fc.property(logArb, fc.constantFrom(...CLICK_MODEL_NAMES), ({ k, rows }, model: ClickModelName) => {
        const log = handLog(k, rows.map((r) => [r.q, r.docs.slice(0, r.n).map((d, i) => [d, r.clicks[i]] as [number, number])]));
        const e = evaluateClickModel(fitClickModel(log, model, { maxIterations: 5 }), log);
        expect(Number.isFinite(e.logLikelihood) && e.logLikelihood <= 0).toBe(true);
        for (const p of [e.perplexity, e.conditionalPerplexity, ...e.perplexityAtRank.filter((x) => x !== null)]) expect(p).toBeGreaterThanOrEqual(1);
      }),
      { numRuns: 150 },
    );
  });
});

describe('splitSessions', () => {
  const log = toyLog({ sessions: 1000, queries: 10, docsPerQuery: 10, k: 5, seed: 1, truth: { model: 'cascade', attractiveness: A } });

  it('splits sessions by a seeded shuffle: same seed, same split; sizes; every session once', () => {
    const a = splitSessions(log, 0.25);
    const b = splitSessions(log, 0.25, 42);
    const c = splitSessions(log, 0.25, 7);
    expect(a.test.query.length).toBe(250);
    expect(a.train.query.length).toBe(750);
    expect(b.test.shown).toEqual(a.test.shown);
    expect(c.test.shown).not.toEqual(a.test.shown);
    // Every session (as its shown row) lands in exactly one part.
    const rows = (l: ClickLog) => Array.from({ length: l.query.length }, (_, s) => `${l.query[s]}:${Array.from(l.shown.subarray(s * 5, s * 5 + 5))}:${Array.from(l.clicks.subarray(s * 5, s * 5 + 5))}`);
    expect([...rows(a.train), ...rows(a.test)].sort()).toEqual(rows(log).sort());
  });

  it('keeps at least one session on each side, and rejects fractions outside (0, 1)', () => {
    const two = handLog(1, [[0, [[0, 1]]], [0, [[0, 0]]]]);
    expect(splitSessions(two, 0.01).test.query.length).toBe(1);
    expect(splitSessions(two, 0.99).train.query.length).toBe(1);
    expect(() => splitSessions(two, 0)).toThrow(/between 0 and 1/);
    expect(() => splitSessions(two, 1)).toThrow(/between 0 and 1/);
    expect(() => splitSessions(handLog(1, [[0, [[0, 1]]]]), 0.5)).toThrow(/at least 2/);
  });
});
