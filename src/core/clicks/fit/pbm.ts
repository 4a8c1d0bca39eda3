import { estimate, type SessionData } from './common';
import { drain } from '../simulate/drive';
import { emSteps, LogProduct, type EmOptions, type EmProgress, type EmResult } from './em';

/**
 * PBM (Craswell et al. 2008; the book §3.3): P(C_r = 1) = γ_r · α_qd, examination by rank only.
 * EM as in the book §4.2: for a skipped impression, P(A = 1 | C = 0) = α(1 − γ)/(1 − αγ) and
 * P(E = 1 | C = 0) = γ(1 − α)/(1 − αγ); a click means A = E = 1.
 *
 * Starting values: α = 0.5; γ_r = CTR at r ÷ the highest CTR over ranks (clamped to [0.01, 0.99];
 * 0.5 everywhere when there is no click). On a log with randomised rankings that is already the
 * answer's shape and EM converges in a few iterations; on a log ranked by relevance it starts too
 * steep and EM flattens it (from a flat start EM needs several times more iterations either way).
 *
 * γ and α are only identified up to a common scale (γ·c, α/c give the same clicks): where that
 * matters, read examination relative to rank 1.
 */
export function fitPbm(
  data: SessionData,
  nPairs: number,
  impressions: Float64Array,
  opts: EmOptions,
): { attractiveness: Float64Array; examination: Float64Array; em: EmResult } {
  return drain(fitPbmSteps(data, nPairs, impressions, opts));
}

/** `fitPbm` as steps: an EmProgress after each EM iteration. */
export function* fitPbmSteps(
  data: SessionData,
  nPairs: number,
  impressions: Float64Array,
  opts: EmOptions,
): Generator<EmProgress, { attractiveness: Float64Array; examination: Float64Array; em: EmResult }, void> {
  const { k, n, pair, clicks, sessions } = data;
  const attr = new Float64Array(nPairs).fill(0.5);
  const exam = new Float64Array(k);
  const numA = new Float64Array(nPairs);
  const numE = new Float64Array(k);
  const denE = new Float64Array(k);
  let total = 0;
  for (let s = 0; s < sessions; s++) for (let r = 0; r < n[s]; r++) denE[r]++;
  for (let r = 0; r < k; r++) total += denE[r];
  initExamination(data, denE, exam);
  const ll = new LogProduct();
  const em = yield* emSteps(opts, () => {
    numA.fill(0);
    numE.fill(0);
    ll.sum = 0;
    ll.prod = 1;
    for (let s = 0; s < sessions; s++) {
      const base = s * k;
      const m = n[s];
      for (let r = 0; r < m; r++) {
        const p = pair[base + r];
        const a = attr[p];
        const e = exam[r];
        if (clicks[base + r]) {
          numA[p] += 1;
          numE[r] += 1;
          ll.mul(a * e);
        } else {
          const q = 1 - a * e;
          numA[p] += (a * (1 - e)) / q;
          numE[r] += (e * (1 - a)) / q;
          ll.mul(q);
        }
      }
    }
    for (let p = 0; p < nPairs; p++) attr[p] = estimate(numA[p], impressions[p], opts.prior);
    for (let r = 0; r < k; r++) exam[r] = estimate(numE[r], denE[r], opts.prior);
    return ll.total() / total;
  });
  return { attractiveness: attr, examination: exam, em };
}

/** γ_r from CTR by rank, relative to the best rank (see fitPbm). */
function initExamination(data: SessionData, impressions: Float64Array, exam: Float64Array): void {
  const { k, n, clicks, sessions } = data;
  const ctr = new Float64Array(k);
  for (let s = 0; s < sessions; s++) for (let r = 0; r < n[s]; r++) ctr[r] += clicks[s * k + r];
  let best = 0;
  for (let r = 0; r < k; r++) {
    ctr[r] = impressions[r] ? ctr[r] / impressions[r] : 0;
    best = Math.max(best, ctr[r]);
  }
  for (let r = 0; r < k; r++) exam[r] = best > 0 ? Math.min(0.99, Math.max(0.01, ctr[r] / best)) : 0.5;
}
