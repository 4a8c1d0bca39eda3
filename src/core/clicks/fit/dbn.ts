import { estimate, type SessionData } from './common';
import { drain } from '../simulate/drive';
import { emSteps, LogProduct, type EmOptions, type EmProgress, type EmResult } from './em';

/** Per-rank posteriors of one DBN session, written by `dbnSessionPosteriors`. */
export interface DbnScratch {
  /** P(A_r = 1 | clicks). */
  postA: Float64Array;
  /** P(S_r = 1 | clicks), for clicked ranks (0 elsewhere). */
  postS: Float64Array;
  /** Expected count of the γ-trial at r (E_r = 1 and S_r = 0) that went on: P(E_r, ¬S_r, E_{r+1} | clicks). */
  w1: Float64Array;
  /** … and that stopped: P(E_r, ¬S_r, ¬E_{r+1} | clicks). */
  w0: Float64Array;
  /** P(E_r = 1 | clicks above r), the forward pass. */
  eps: Float64Array;
  /** P(some click at rank ≥ r | E_r = 1), the backward pass; length k + 1. */
  car: Float64Array;
}

export function dbnScratch(k: number): DbnScratch {
  return {
    postA: new Float64Array(k),
    postS: new Float64Array(k),
    w1: new Float64Array(k),
    w0: new Float64Array(k),
    eps: new Float64Array(k),
    car: new Float64Array(k + 1),
  };
}

/**
 * The exact E-step of DBN for one session (no forward-backward over hidden states needed: the
 * clicks pin everything down to the last click l). With ε_r = P(E_r = 1 | C_<r) and
 * X_r = P(C_≥r has a click | E_r = 1) = α_r + (1 − α_r)·γ·X_{r+1}:
 *   ranks above l are examined; a skipped one there is unattractive and went on (γ-trial success);
 *   at l: P(S = 1 | C) = σ / Z with Z = 1 − (1 − σ)γX_{l+1}; the γ-trial is (1 − σ)γ(1 − X_{l+1})/Z
 *     successes and (1 − σ)(1 − γ)/Z failures;
 *   below l (every rank when there is no click): P(A_r = 1 | C) = α(1 − ε_r)/(1 − ε_r X_r), and
 *     the γ-trial weighs ε_r(1 − α)/(1 − ε_r X_r) split γ(1 − X_{r+1}) : (1 − γ).
 * These are the exact posteriors of Chapelle and Zhang's model (checked against enumeration in
 * exact.test.ts). PyClick approximates them: it takes ε_r unconditioned on the clicks above, treats
 * every rank of a session without clicks as examined, and counts one γ-trial per rank whether or
 * not the user was still there; here only trials that happened (E_r = 1, S_r = 0) count, in
 * expectation. Clicks are read from c[cBase .. cBase + n). Returns the session's likelihood
 * P(C_1..C_n).
 */
export function dbnSessionPosteriors(
  a: ArrayLike<number>,
  sat: ArrayLike<number>,
  gamma: number,
  c: ArrayLike<number>,
  cBase: number,
  n: number,
  out: DbnScratch,
): number {
  const { postA, postS, w1, w0, eps, car } = out;
  let e = 1;
  let prob = 1;
  let last = -1;
  for (let r = 0; r < n; r++) {
    eps[r] = e;
    const ar = a[r];
    if (c[cBase + r]) {
      prob *= ar * e;
      e = gamma * (1 - sat[r]);
      last = r;
    } else {
      const q = 1 - ar * e;
      prob *= q;
      e = (e * (1 - ar) * gamma) / q;
    }
  }
  car[n] = 0;
  for (let r = n - 1; r >= 0; r--) car[r] = a[r] + (1 - a[r]) * gamma * car[r + 1];
  for (let r = 0; r < n; r++) {
    const ar = a[r];
    if (c[cBase + r]) {
      postA[r] = 1;
      if (r === last) {
        const sr = sat[r];
        const z = 1 - (1 - sr) * gamma * car[r + 1];
        postS[r] = sr / z;
        w1[r] = ((1 - sr) * gamma * (1 - car[r + 1])) / z;
        w0[r] = ((1 - sr) * (1 - gamma)) / z;
      } else {
        postS[r] = 0;
        w1[r] = 1;
        w0[r] = 0;
      }
    } else if (r < last) {
      postA[r] = 0;
      postS[r] = 0;
      w1[r] = 1;
      w0[r] = 0;
    } else {
      const er = eps[r];
      const d = 1 - er * car[r];
      postA[r] = (ar * (1 - er)) / d;
      postS[r] = 0;
      const trial = (er * (1 - ar)) / d;
      w1[r] = trial * gamma * (1 - car[r + 1]);
      w0[r] = trial * (1 - gamma);
    }
  }
  return prob;
}

/**
 * DBN (Chapelle and Zhang 2009; the book §3.8): attractiveness α_qd, satisfaction σ_qd and one
 * continuation γ. EM with the exact E-step above. Starting values: α = σ = γ = 0.5.
 */
export function fitDbn(
  data: SessionData,
  nPairs: number,
  impressions: Float64Array,
  clicksPerPair: Float64Array,
  opts: EmOptions,
): { attractiveness: Float64Array; satisfaction: Float64Array; gamma: number; em: EmResult } {
  return drain(fitDbnSteps(data, nPairs, impressions, clicksPerPair, opts));
}

/** `fitDbn` as steps: an EmProgress after each EM iteration. */
export function* fitDbnSteps(
  data: SessionData,
  nPairs: number,
  impressions: Float64Array,
  clicksPerPair: Float64Array,
  opts: EmOptions,
): Generator<EmProgress, { attractiveness: Float64Array; satisfaction: Float64Array; gamma: number; em: EmResult }, void> {
  const { k, n, pair, clicks, sessions } = data;
  const attr = new Float64Array(nPairs).fill(0.5);
  const sat = new Float64Array(nPairs).fill(0.5);
  let gamma = 0.5;
  const numA = new Float64Array(nPairs);
  const numS = new Float64Array(nPairs);
  const a = new Float64Array(k);
  const sv = new Float64Array(k);
  const scratch = dbnScratch(k);
  let total = 0;
  for (let s = 0; s < sessions; s++) total += n[s];
  const ll = new LogProduct();
  const em = yield* emSteps(opts, () => {
    numA.fill(0);
    numS.fill(0);
    let numG = 0;
    let denG = 0;
    ll.sum = 0;
    ll.prod = 1;
    for (let s = 0; s < sessions; s++) {
      const base = s * k;
      const m = n[s];
      for (let r = 0; r < m; r++) {
        const p = pair[base + r];
        a[r] = attr[p];
        sv[r] = sat[p];
      }
      ll.mul(dbnSessionPosteriors(a, sv, gamma, clicks, base, m, scratch));
      const { postA, postS, w1, w0 } = scratch;
      for (let r = 0; r < m; r++) {
        const p = pair[base + r];
        numA[p] += postA[r];
        numS[p] += postS[r];
        if (r < m - 1) {
          numG += w1[r];
          denG += w1[r] + w0[r];
        }
      }
    }
    for (let p = 0; p < nPairs; p++) {
      attr[p] = estimate(numA[p], impressions[p], opts.prior);
      sat[p] = estimate(numS[p], clicksPerPair[p], opts.prior);
    }
    gamma = estimate(numG, denG, opts.prior);
    return ll.total() / total;
  });
  return { attractiveness: attr, satisfaction: sat, gamma, em };
}
