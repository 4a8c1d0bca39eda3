import type { FittedClickModel } from './model';

/** Per-session buffers for `predictSession` (one per evaluation, sized to the longest session). */
export interface PredictScratch {
  a: Float64Array;
  sat: Float64Array;
  /** UBM: P(last click so far at j, no click since), index j + 1. */
  lastAt: Float64Array;
}

export function predictScratch(k: number): PredictScratch {
  return { a: new Float64Array(k), sat: new Float64Array(k), lastAt: new Float64Array(k + 1) };
}

/**
 * Click probabilities of one session under a fitted model, from the model's parameters alone
 * (pair id −1: the unseen-pair default; ranks beyond the fitted k: the rank default):
 *   cond[r] = P(C_r = c_r | C_1..C_{r−1}), the observed click or skip given the clicks above
 *     (Σ log cond is the session's log-likelihood, the chain rule);
 *   marg[r] = P(C_r = 1), the click probability at r predicted without looking at the session's
 *     clicks (the book's click perplexity, §5.2, and PyClick's predict_click_probs).
 * For PBM the two coincide: its clicks are independent given the parameters.
 */
export function predictSession(
  m: FittedClickModel,
  pair: Int32Array,
  clicks: Uint8Array,
  base: number,
  n: number,
  cond: Float64Array,
  marg: Float64Array,
  scratch: PredictScratch,
): void {
  const { a, sat, lastAt } = scratch;
  const A = m.attractiveness;
  const defA = m.defaults.attractiveness;
  const defRank = m.defaults.rank;
  const k = m.k;
  for (let r = 0; r < n; r++) {
    const p = pair[base + r];
    a[r] = p >= 0 ? A[p] : defA;
  }
  switch (m.model) {
    case 'pbm': {
      const E = m.examination!;
      for (let r = 0; r < n; r++) {
        const pc = a[r] * (r < k ? E[r] : defRank);
        marg[r] = pc;
        cond[r] = clicks[base + r] ? pc : 1 - pc;
      }
      return;
    }
    case 'cascade': {
      let reach = 1;
      let clicked = false;
      for (let r = 0; r < n; r++) {
        marg[r] = a[r] * reach;
        reach *= 1 - a[r];
        const c = clicks[base + r];
        // Below the first click the user has left: no click is certain, a click impossible.
        if (clicked) cond[r] = c ? 0 : 1;
        else cond[r] = c ? a[r] : 1 - a[r];
        if (c) clicked = true;
      }
      return;
    }
    case 'dcm': {
      const L = m.lambda!;
      let em = 1;
      let ec = 1;
      for (let r = 0; r < n; r++) {
        const lr = r < k ? L[r] : defRank;
        const ar = a[r];
        marg[r] = ar * em;
        em *= lr * ar + (1 - ar);
        if (clicks[base + r]) {
          cond[r] = ar * ec;
          ec = lr;
        } else {
          const q = 1 - ar * ec;
          cond[r] = q;
          ec = (ec * (1 - ar)) / q;
        }
      }
      return;
    }
    case 'dbn': {
      const S = m.satisfaction!;
      const defS = m.defaults.satisfaction;
      const g = m.gamma!;
      let em = 1;
      let ec = 1;
      for (let r = 0; r < n; r++) {
        const p = pair[base + r];
        sat[r] = p >= 0 ? S[p] : defS;
      }
      for (let r = 0; r < n; r++) {
        const ar = a[r];
        marg[r] = ar * em;
        em *= g * (1 - ar * sat[r]);
        if (clicks[base + r]) {
          cond[r] = ar * ec;
          ec = g * (1 - sat[r]);
        } else {
          const q = 1 - ar * ec;
          cond[r] = q;
          ec = (ec * (1 - ar) * g) / q;
        }
      }
      return;
    }
    case 'ubm': {
      const G = m.examination!;
      const gamma = (r: number, d: number) => (r < k ? G[r * k + d - 1] : defRank);
      let prev = -1;
      for (let r = 0; r < n; r++) {
        const pc = a[r] * gamma(r, r - prev);
        if (clicks[base + r]) {
          cond[r] = pc;
          prev = r;
        } else cond[r] = 1 - pc;
      }
      // P(C_r = 1) sums over where the last click above r was (j = −1: none):
      // lastAt[j + 1] = P(C_j = 1 and no click in j+1..r−1), updated as r moves down.
      lastAt[0] = 1;
      for (let r = 0; r < n; r++) {
        let pr = 0;
        for (let j = -1; j < r; j++) {
          const pc = a[r] * gamma(r, r - j);
          pr += lastAt[j + 1] * pc;
          lastAt[j + 1] *= 1 - pc;
        }
        lastAt[r + 1] = pr;
        marg[r] = pr;
      }
      return;
    }
  }
}
