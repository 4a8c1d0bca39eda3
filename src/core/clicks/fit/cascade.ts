import { estimate, type Prior, type SessionData } from './common';

/**
 * Cascade model (Craswell et al. 2008; the book §3.4, MLE in §4.1): the user scans down, clicks the
 * first attractive result and stops. Maximum likelihood in closed form: α_qd = clicks ÷
 * impressions, counting only ranks up to and including the session's first click (all ranks when
 * there is none). Clicks below the first are impossible under the model and are ignored in
 * fitting (prediction gives them probability PROB_MIN).
 */
export function fitCascade(data: SessionData, nPairs: number, prior: Prior): { attractiveness: Float64Array } {
  const { k, n, pair, clicks, sessions } = data;
  const num = new Float64Array(nPairs);
  const den = new Float64Array(nPairs);
  for (let s = 0; s < sessions; s++) {
    const base = s * k;
    for (let r = 0; r < n[s]; r++) {
      const p = pair[base + r];
      den[p]++;
      if (clicks[base + r]) {
        num[p]++;
        break;
      }
    }
  }
  const attr = new Float64Array(nPairs);
  for (let p = 0; p < nPairs; p++) attr[p] = estimate(num[p], den[p], prior);
  return { attractiveness: attr };
}
