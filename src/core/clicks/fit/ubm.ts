import { estimate, type SessionData } from './common';
import { drain } from '../simulate/drive';
import { emSteps, LogProduct, type EmOptions, type EmProgress, type EmResult } from './em';

/**
 * UBM (Dupret and Piwowarski 2008; the book §3.5): P(C_r = 1 | C_<r) = α_qd · γ_{r,d}, where d is
 * the distance to the previous click (d = r, 1-based, when there was none). Examination is stored
 * k × k, [r·k + d − 1] with 0-based r. Given the clicks above, a rank's examination and
 * attractiveness are independent, so the E-step is PBM's with γ_{r,d} in place of γ_r (book §4.2.3).
 * Starting values: α = γ = 0.5.
 */
export function fitUbm(
  data: SessionData,
  nPairs: number,
  impressions: Float64Array,
  opts: EmOptions,
): { attractiveness: Float64Array; examination: Float64Array; em: EmResult } {
  return drain(fitUbmSteps(data, nPairs, impressions, opts));
}

/** `fitUbm` as steps: an EmProgress after each EM iteration. */
export function* fitUbmSteps(
  data: SessionData,
  nPairs: number,
  impressions: Float64Array,
  opts: EmOptions,
): Generator<EmProgress, { attractiveness: Float64Array; examination: Float64Array; em: EmResult }, void> {
  const { k, n, pair, clicks, sessions } = data;
  const attr = new Float64Array(nPairs).fill(0.5);
  const exam = new Float64Array(k * k).fill(0.5);
  const numA = new Float64Array(nPairs);
  const numE = new Float64Array(k * k);
  const denE = new Float64Array(k * k);
  let total = 0;
  for (let s = 0; s < sessions; s++) {
    const base = s * k;
    let prev = -1;
    for (let r = 0; r < n[s]; r++) {
      denE[r * k + r - prev - 1]++;
      if (clicks[base + r]) prev = r;
    }
    total += n[s];
  }
  const ll = new LogProduct();
  const em = yield* emSteps(opts, () => {
    numA.fill(0);
    numE.fill(0);
    ll.sum = 0;
    ll.prod = 1;
    for (let s = 0; s < sessions; s++) {
      const base = s * k;
      const m = n[s];
      let prev = -1;
      for (let r = 0; r < m; r++) {
        const p = pair[base + r];
        const g = r * k + r - prev - 1;
        const a = attr[p];
        const e = exam[g];
        if (clicks[base + r]) {
          numA[p] += 1;
          numE[g] += 1;
          ll.mul(a * e);
          prev = r;
        } else {
          const q = 1 - a * e;
          numA[p] += (a * (1 - e)) / q;
          numE[g] += (e * (1 - a)) / q;
          ll.mul(q);
        }
      }
    }
    for (let p = 0; p < nPairs; p++) attr[p] = estimate(numA[p], impressions[p], opts.prior);
    for (let g = 0; g < k * k; g++) exam[g] = estimate(numE[g], denE[g], opts.prior);
    return ll.total() / total;
  });
  return { attractiveness: attr, examination: exam, em };
}
