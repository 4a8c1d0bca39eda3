import type { ClickLog } from '../log';
import type { Simulation } from '../simulate/simulate';

/**
 * Propensity estimates from randomised sessions: θ_k/θ_1 per rank (examination relative to rank 1,
 * which is what IPS needs), with normal-approximation confidence intervals.
 *
 * RandTop-n: on the sessions whose whole top n was shuffled, every rank shows the same mix of
 * documents, so R_k = Σ_s C_{s,k} / Σ_s C_{s,1} → θ_k/θ_1 under PBM. Both sums run over the same
 * sessions, so the interval uses the ratio estimator's linearisation (delta method):
 *   se(R_k) = sqrt( Σ_s (C_{s,k} − R_k C_{s,1})² / (N (N − 1)) ) / mean_s C_{s,1}.
 * Swap (rank 1 ↔ k): the policy's top document shows at rank k on the swapped sessions and at rank 1
 * on the untouched ones (both restricted to lists with a result at k, so they hold the same
 * queries): R_k = CTR_k(swapped with k) / CTR_1(untouched), two independent binomial proportions,
 *   se(R_k) = R_k · sqrt( (1 − p_a)/(n_a p_a) + (1 − p_b)/(n_b p_b) )   (delta method on the ratio).
 * Interval: R_k ± z · se with z the standard normal quantile of (1 + confidence)/2.
 */
export interface PropensityEstimate {
  /** 1-based rank. */
  rank: number;
  /** θ_rank / θ_1; NaN when there were no clicks to compare. */
  propensity: number;
  se: number;
  low: number;
  high: number;
  /** Sessions behind the estimate (for swap: swapped sessions with this rank). */
  sessions: number;
}

export interface PropensityEstimates {
  kind: 'randtop' | 'swap';
  confidence: number;
  /** Ranks 1..n; rank 1 is 1 with zero width by definition. */
  ranks: PropensityEstimate[];
}

/** Standard normal quantile (Acklam's rational approximation, relative error < 1.2e−9). */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new Error(`normal quantile of ${p}: p must be in (0, 1)`);
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const lowTail = 0.02425;
  if (p < lowTail) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  if (p > 1 - lowTail) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

function checkConfidence(confidence: number): number {
  if (!(confidence > 0 && confidence < 1)) throw new Error(`confidence must be in (0, 1), got ${confidence}`);
  return normalQuantile((1 + confidence) / 2);
}

function filledSlots(log: ClickLog, s: number): number {
  const sb = s * log.k;
  let n = 0;
  while (n < log.k && log.shown[sb + n] >= 0) n++;
  return n;
}

function estimate(rank: number, propensity: number, se: number, z: number, sessions: number): PropensityEstimate {
  return { rank, propensity, se, low: propensity - z * se, high: propensity + z * se, sessions };
}

/** RandTop-n estimates from the sessions whose whole top n was shuffled. */
export function estimateRandTop(log: ClickLog, applied: Uint16Array, n: number, confidence = 0.95): PropensityEstimates {
  const z = checkConfidence(confidence);
  const k = log.k;
  const sessions: number[] = [];
  for (let s = 0; s < applied.length; s++) if (applied[s] === n) sessions.push(s);
  const N = sessions.length;
  const sum = new Float64Array(n);
  for (const s of sessions) for (let r = 0; r < n; r++) sum[r] += log.clicks[s * k + r];
  const ranks: PropensityEstimate[] = [estimate(1, sum[0] > 0 ? 1 : NaN, 0, z, N)];
  const meanFirst = sum[0] / N;
  for (let r = 1; r < n; r++) {
    const R = sum[r] / sum[0];
    let ss = 0;
    for (const s of sessions) {
      const e = log.clicks[s * k + r] - R * log.clicks[s * k];
      ss += e * e;
    }
    const se = N > 1 && sum[0] > 0 ? Math.sqrt(ss / (N * (N - 1))) / meanFirst : NaN;
    ranks.push(estimate(r + 1, sum[0] > 0 ? R : NaN, se, z, N));
  }
  return { kind: 'randtop', confidence, ranks };
}

/** Swap-intervention estimates: swapped-to-k CTR@k over untouched CTR@1, lists with a result at k. */
export function estimateSwap(log: ClickLog, applied: Uint16Array, n: number, confidence = 0.95): PropensityEstimates {
  const z = checkConfidence(confidence);
  const k = log.k;
  // Untouched sessions by list length, so each rank compares with lists that reach it.
  const ctrlSessions = new Float64Array(k + 1);
  const ctrlClicks = new Float64Array(k + 1);
  const swapSessions = new Float64Array(n + 1);
  const swapClicks = new Float64Array(n + 1);
  for (let s = 0; s < applied.length; s++) {
    const filled = filledSlots(log, s);
    const a = applied[s];
    if (a === 0) {
      if (filled === 0) continue;
      ctrlSessions[filled]++;
      ctrlClicks[filled] += log.clicks[s * k];
    } else if (a <= filled) {
      swapSessions[a]++;
      swapClicks[a] += log.clicks[s * k + a - 1];
    }
  }
  // Suffix sums: untouched sessions with at least r results.
  for (let r = k - 1; r >= 1; r--) {
    ctrlSessions[r] += ctrlSessions[r + 1];
    ctrlClicks[r] += ctrlClicks[r + 1];
  }
  const ranks: PropensityEstimate[] = [estimate(1, ctrlClicks[1] > 0 ? 1 : NaN, 0, z, ctrlSessions[1])];
  for (let r = 2; r <= n; r++) {
    const na = swapSessions[r];
    const nb = ctrlSessions[r];
    const pa = na ? swapClicks[r] / na : NaN;
    const pb = nb ? ctrlClicks[r] / nb : NaN;
    const R = pb > 0 ? pa / pb : NaN;
    const se = pa > 0 && pb > 0 ? R * Math.sqrt((1 - pa) / (na * pa) + (1 - pb) / (nb * pb)) : NaN;
    ranks.push(estimate(r, R, se, z, na));
  }
  return { kind: 'swap', confidence, ranks };
}

/** The estimates a simulation's intervention allows (randtop or swap, as it was configured). */
export function estimatePropensities(sim: Simulation, confidence = 0.95): PropensityEstimates {
  if (!sim.intervention) throw new Error('this log has no intervention: simulate with randtop or swap to estimate propensities');
  const { config, n, applied } = sim.intervention;
  if (config.kind === 'swap' && config.fraction >= 1) throw new Error('swap estimates compare with untouched sessions: use a fraction below 1');
  return config.kind === 'randtop' ? estimateRandTop(sim.log, applied, n, confidence) : estimateSwap(sim.log, applied, n, confidence);
}

/**
 * η from the estimates, for examination θ_k^η (θ_k = 1/k unless a table is given): a weighted
 * least-squares fit of log R_k = η · log(θ_k/θ_1) through the origin, weights 1/var(log R_k) ≈
 * (R_k/se_k)². se is the fit's standard error under those weights.
 */
export function fitEta(est: PropensityEstimates, table?: readonly number[]): { eta: number; se: number } {
  let sxx = 0;
  let sxy = 0;
  for (const e of est.ranks) {
    if (e.rank === 1 || !(e.propensity > 0) || !(e.se > 0)) continue;
    const x = table ? Math.log(table[e.rank - 1] / table[0]) : -Math.log(e.rank);
    if (x === 0) continue;
    const w = (e.propensity / e.se) ** 2;
    sxx += w * x * x;
    sxy += w * x * Math.log(e.propensity);
  }
  return sxx > 0 ? { eta: sxy / sxx, se: 1 / Math.sqrt(sxx) } : { eta: NaN, se: NaN };
}
