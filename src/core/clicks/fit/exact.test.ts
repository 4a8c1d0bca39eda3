import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { ClickModelName } from './common';
import { dbnScratch, dbnSessionPosteriors } from './dbn';
import type { FittedClickModel } from './model';
import { PairIndex } from './pairs';
import { predictScratch, predictSession } from './predict';

/**
 * Exactness against brute force: every model's generative process is enumerated coin flip by coin
 * flip, which gives the exact probability of each click vector and the exact posteriors of the
 * hidden variables; the closed forms used for prediction and for DBN's E-step must agree.
 */

type Flip = (p: number) => boolean;

/** All outcomes of a random program and their probabilities (depth-first over its coin flips). */
function enumerate<T>(program: (flip: Flip) => T): { value: T; prob: number }[] {
  const out: { value: T; prob: number }[] = [];
  const pending: boolean[][] = [[]];
  while (pending.length) {
    const script = pending.pop()!;
    const taken: boolean[] = [];
    let prob = 1;
    const flip: Flip = (p) => {
      let b: boolean;
      if (taken.length < script.length) b = script[taken.length];
      else {
        pending.push([...taken, false]);
        b = true;
      }
      taken.push(b);
      prob *= b ? p : 1 - p;
      return b;
    };
    const value = program(flip);
    out.push({ value, prob });
  }
  return out;
}

interface Params {
  a: number[];
  s: number[];
  exam: number[];
  ubm: number[]; // n × n, [r·n + d − 1]
  lambda: number[];
  gamma: number;
}

/** The generative process of each model on n results (hidden variables included where asked). */
function clicksOf(model: ClickModelName, P: Params, n: number, flip: Flip): number[] {
  const c = new Array<number>(n).fill(0);
  switch (model) {
    case 'pbm':
      for (let r = 0; r < n; r++) c[r] = flip(P.exam[r]) && flip(P.a[r]) ? 1 : 0;
      return c;
    case 'ubm': {
      let prev = -1;
      for (let r = 0; r < n; r++) {
        if (flip(P.ubm[r * n + r - prev - 1]) && flip(P.a[r])) {
          c[r] = 1;
          prev = r;
        }
      }
      return c;
    }
    case 'cascade':
      for (let r = 0; r < n; r++) if (flip(P.a[r])) return (c[r] = 1), c;
      return c;
    case 'dcm':
      for (let r = 0; r < n; r++) {
        if (flip(P.a[r])) {
          c[r] = 1;
          if (!flip(P.lambda[r])) return c;
        }
      }
      return c;
    case 'dbn':
      for (let r = 0; r < n; r++) {
        if (flip(P.a[r])) {
          c[r] = 1;
          if (flip(P.s[r])) return c;
        }
        if (r < n - 1 && !flip(P.gamma)) return c;
      }
      return c;
  }
}

/** A fitted model holding P for one session whose result r is pair r. */
function modelOf(model: ClickModelName, P: Params, n: number): FittedClickModel {
  const pairs = new PairIndex();
  for (let r = 0; r < n; r++) pairs.add(0, r);
  return {
    model,
    k: n,
    pairs,
    queryIds: ['q'],
    attractiveness: Float64Array.from(P.a),
    satisfaction: Float64Array.from(P.s),
    examination: model === 'ubm' ? Float64Array.from(P.ubm) : Float64Array.from(P.exam),
    lambda: Float64Array.from(P.lambda),
    gamma: P.gamma,
    defaults: { attractiveness: 0.5, satisfaction: 0.5, rank: 0.5, policy: 'prior' },
    fit: { method: 'mle', iterations: 0, converged: true, trainLogLikelihood: null, trainSessions: 0, seconds: 0, secondsPerIteration: null, prior: { a: 1, b: 1 }, tolerance: 0, maxIterations: 1 },
  };
}

const prob = fc.double({ min: 0.02, max: 0.98, noNaN: true });
const paramsArb = (n: number) =>
  fc.record({
    a: fc.array(prob, { minLength: n, maxLength: n }),
    s: fc.array(prob, { minLength: n, maxLength: n }),
    exam: fc.array(prob, { minLength: n, maxLength: n }),
    ubm: fc.array(prob, { minLength: n * n, maxLength: n * n }),
    lambda: fc.array(prob, { minLength: n, maxLength: n }),
    gamma: prob,
  });

const MODELS: ClickModelName[] = ['pbm', 'cascade', 'dcm', 'dbn', 'ubm'];

describe('click probabilities match the enumerated generative process', () => {
  for (const model of MODELS) {
    it(`${model}: Π cond = P(click vector) and marg = P(C_r = 1), for every click vector`, () => {
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 4 }).chain((n) => fc.tuple(fc.constant(n), paramsArb(n))), ([n, P]) => {
          const dist = new Map<string, number>();
          const margExact = new Float64Array(n);
          for (const { value, prob: p } of enumerate((flip) => clicksOf(model, P, n, flip))) {
            const key = value.join('');
            dist.set(key, (dist.get(key) ?? 0) + p);
            for (let r = 0; r < n; r++) margExact[r] += value[r] * p;
          }
          const m = modelOf(model, P, n);
          const pair = Int32Array.from({ length: n }, (_, r) => r);
          const cond = new Float64Array(n);
          const marg = new Float64Array(n);
          let total = 0;
          for (let v = 0; v < 1 << n; v++) {
            const clicks = Uint8Array.from({ length: n }, (_, r) => (v >> r) & 1);
            predictSession(m, pair, clicks, 0, n, cond, marg, predictScratch(n));
            const p = cond.reduce((x, y) => x * y, 1);
            const exact = dist.get(Array.from(clicks).join('')) ?? 0;
            expect(p).toBeCloseTo(exact, 12);
            total += p;
            for (let r = 0; r < n; r++) expect(marg[r]).toBeCloseTo(margExact[r], 12);
          }
          expect(total).toBeCloseTo(1, 12);
        }),
        { numRuns: 60 },
      );
    });
  }
});

describe("DBN's E-step equals the exact posteriors", () => {
  it('P(A_r | C), P(S_r | C) and the expected γ-trials, for every click vector', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }).chain((n) => fc.tuple(fc.constant(n), paramsArb(n))), ([n, P]) => {
        // Hidden state per path: A_r, S_r, and per transition whether a γ-trial happened and went on.
        const paths = enumerate((flip) => {
          const A: number[] = [];
          const S: number[] = [];
          const trial: number[] = [];
          const went: number[] = [];
          const C: number[] = [];
          let examined = true;
          for (let r = 0; r < n; r++) {
            A[r] = flip(P.a[r]) ? 1 : 0;
            C[r] = examined && A[r] ? 1 : 0;
            S[r] = C[r] && flip(P.s[r]) ? 1 : 0;
            trial[r] = examined && !S[r] && r < n - 1 ? 1 : 0;
            went[r] = trial[r] && flip(P.gamma) ? 1 : 0;
            examined = !!went[r];
          }
          return { A, S, trial, went, C };
        });
        const scratch = dbnScratch(n);
        for (let v = 0; v < 1 << n; v++) {
          const clicks = Array.from({ length: n }, (_, r) => (v >> r) & 1);
          const match = paths.filter((p) => p.value.C.every((c, r) => c === clicks[r]));
          const z = match.reduce((s, p) => s + p.prob, 0);
          const likelihood = dbnSessionPosteriors(P.a, P.s, P.gamma, clicks, 0, n, scratch);
          expect(likelihood).toBeCloseTo(z, 12);
          if (z < 1e-9) continue;
          const post = (f: (p: (typeof match)[number]['value']) => number) => match.reduce((s, p) => s + p.prob * f(p.value), 0) / z;
          for (let r = 0; r < n; r++) {
            expect(scratch.postA[r]).toBeCloseTo(post((h) => h.A[r]), 10);
            if (clicks[r]) expect(scratch.postS[r]).toBeCloseTo(post((h) => h.S[r]), 10);
            if (r < n - 1) {
              expect(scratch.w1[r]).toBeCloseTo(post((h) => h.trial[r] * h.went[r]), 10);
              expect(scratch.w0[r]).toBeCloseTo(post((h) => h.trial[r] * (1 - h.went[r])), 10);
            }
          }
        }
      }),
      { numRuns: 60 },
    );
  });
});
