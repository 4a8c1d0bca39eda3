import { estimate, type Prior, type SessionData } from './common';

/**
 * DCM (Guo, Liu and Wang 2009; the book §3.6, MLE in §4.1.2): cascade with a chance λ_r of going
 * on after a click at rank r. With the paper's assumption that the user examined every result down
 * to the last click and stopped there satisfied (down to the last rank when there is no click),
 * the likelihood factorises and the MLE is closed-form:
 *   α_qd = clicks ÷ impressions at ranks ≤ the last click (all ranks in a session without clicks);
 *   λ_r  = clicks at r that are not the session's last ÷ clicks at r.
 */
export function fitDcm(data: SessionData, nPairs: number, prior: Prior): { attractiveness: Float64Array; lambda: Float64Array } {
  const { k, n, pair, clicks, sessions } = data;
  const numA = new Float64Array(nPairs);
  const denA = new Float64Array(nPairs);
  const numL = new Float64Array(k);
  const denL = new Float64Array(k);
  for (let s = 0; s < sessions; s++) {
    const base = s * k;
    const m = n[s];
    let last = m - 1;
    while (last >= 0 && !clicks[base + last]) last--;
    const upTo = last < 0 ? m - 1 : last;
    for (let r = 0; r <= upTo; r++) {
      const p = pair[base + r];
      denA[p]++;
      if (clicks[base + r]) {
        numA[p]++;
        denL[r]++;
        if (r !== last) numL[r]++;
      }
    }
  }
  const attr = new Float64Array(nPairs);
  for (let p = 0; p < nPairs; p++) attr[p] = estimate(numA[p], denA[p], prior);
  const lambda = new Float64Array(k);
  for (let r = 0; r < k; r++) lambda[r] = estimate(numL[r], denL[r], prior);
  return { attractiveness: attr, lambda };
}
