import { EYE_TRACKING_TABLE, type ClickModelConfig, type ClickModelName } from './config';

/**
 * The click models, exactly. Ranks r are 1-based, grades y are 0..ymax, E_r / C_r are the
 * examination and click of the result at rank r. References: Chuklin, Markov & de Rijke (2015),
 * "Click Models for Web Search" (CMWS, chapter 3); ULTRA (Ai et al. 2018/2021) for the
 * relevance→click mapping; Agarwal et al. (2019) for trust bias.
 *
 * Attractiveness (every model; ULTRA's mapping, per rank only under trust bias):
 *   a(r, y) = P(C_r = 1 | E_r = 1, y) = ε−_r + (ε+_r − ε−_r) · (2^y − 1) / (2^ymax − 1)
 *   with ε±_r = trustBias.eps±[r−1] when trust bias is set, else the global ε±.
 * Examination table θ_r = (1/r)^η, or table[r−1]^η (e.g. the eye-tracking preset).
 *
 * - PBM (CMWS ch. 3): E_r ~ Bernoulli(θ_r) independently; C_r = E_r · A_r, A_r ~ Bernoulli(a(r, y_r)).
 *   P(C_r) = θ_r · a(r, y_r).
 * - Cascade (Craswell et al. 2008; CMWS ch. 3): the user reads top-down, E_1 = 1; clicks an examined
 *   result with a(r, y_r) and stops after the first click; E_{r+1} = E_r · (1 − C_r). At most one click.
 *   (η and the table play no part.)
 * - DCM (Guo et al. 2009; CMWS ch. 3): as cascade, but after a click at rank r the user continues
 *   with λ_r: E_{r+1} = E_r · (1 − C_r + C_r · L_r), L_r ~ Bernoulli(λ_r).
 * - DBN (Chapelle & Zhang 2009; CMWS ch. 3): E_1 = 1; C_r = E_r · A_r; a click satisfies with
 *   σ(y_r) (satisfaction per grade; 'err' = (2^y − 1)/2^ymax); an unsatisfied user continues with
 *   γ: P(E_{r+1} = 1 | E_r = 1, S_r = 0) = γ, P(E_{r+1} = 1 | S_r = 1) = 0. With γ = 1, σ ≡ 1 it is
 *   cascade; with γ = 1, σ ≡ 0 every result is examined (PBM with η = 0).
 * - UBM (Dupret & Piwowarski 2008; CMWS ch. 3): P(E_r = 1 | C_1..C_{r−1}) = γ_{r,d} where d = r − r'
 *   and r' is the rank of the last click above r (r' = 0, so d = r, when there was none);
 *   C_r = E_r · A_r. The default γ_{r,d} = θ_d makes the first scan PBM and restarts it after a click.
 *
 * Empty slots (lists shorter than k) are never examined or clicked.
 */

export interface CompiledClickModel {
  model: ClickModelName;
  /** Slots per session. */
  k: number;
  ymax: number;
  /** ymax + 1. */
  grades: number;
  /** θ_r^η per rank (index r − 1). */
  examination: Float64Array;
  /** a(r, y), rank-major: index (r − 1) · grades + y. */
  attractiveness: Float64Array;
  /** DBN σ(y) per grade. */
  satisfaction: Float64Array;
  /** DBN γ. */
  continuation: number;
  /** DCM λ_r per rank (index r − 1). */
  lambda: Float64Array;
  /** UBM γ_{r,d} at (r − 1) · k + (d − 1); entries with d > r are unused (0). */
  ubmGamma: Float64Array;
}

/** ULTRA's relevance → click probability: ε− + (ε+ − ε−)(2^y − 1)/(2^ymax − 1). */
export function relevanceToClick(y: number, epsMinus: number, epsPlus: number, ymax: number): number {
  return epsMinus + (epsPlus - epsMinus) * ((2 ** y - 1) / (2 ** ymax - 1));
}

/** θ_r^η for r = 1..k: (1/r)^η, or the given table's values raised to η. */
export function examinationByRank(eta: number, k: number, table?: readonly number[] | 'eye-tracking'): Float64Array {
  const t = table === 'eye-tracking' ? EYE_TRACKING_TABLE : table;
  const out = new Float64Array(k);
  // 0^0 = 1 in JavaScript, which is what η = 0 means (no position bias) even for a 0 table entry.
  for (let r = 0; r < k; r++) out[r] = t ? t[r] ** eta : (1 / (r + 1)) ** eta;
  return out;
}

export function compileClickModel(c: ClickModelConfig): CompiledClickModel {
  const k = c.topK;
  const grades = c.ymax + 1;
  const examination = examinationByRank(c.eta, k, c.table);
  const attractiveness = new Float64Array(k * grades);
  for (let r = 0; r < k; r++) {
    const lo = c.trustBias ? c.trustBias.epsMinus[r] : c.epsMinus;
    const hi = c.trustBias ? c.trustBias.epsPlus[r] : c.epsPlus;
    for (let y = 0; y < grades; y++) attractiveness[r * grades + y] = relevanceToClick(y, lo, hi, c.ymax);
  }
  const sat = c.dbn.satisfaction;
  const satisfaction = new Float64Array(grades);
  for (let y = 0; y < grades; y++) satisfaction[y] = sat === 'err' ? (2 ** y - 1) / 2 ** c.ymax : sat[y];
  const lambda = new Float64Array(k);
  for (let r = 0; r < k; r++) lambda[r] = typeof c.dcm.lambda === 'number' ? c.dcm.lambda : c.dcm.lambda[r];
  const ubmGamma = new Float64Array(k * k);
  for (let r = 0; r < k; r++) {
    for (let d = 1; d <= r + 1; d++) ubmGamma[r * k + d - 1] = c.ubm.gamma === 'distance' ? examination[d - 1] : c.ubm.gamma[r][d - 1];
  }
  return { model: c.model, k, ymax: c.ymax, grades, examination, attractiveness, satisfaction, continuation: c.dbn.gamma, lambda, ubmGamma };
}

/**
 * The exact marginal click probability P(C_r = 1) of each rank of one list, given its grades in
 * display order (at most k; the rest are empty slots). Closed forms / dynamic programmes over the
 * definitions above; the simulator is tested against these.
 */
export function clickProbabilities(m: CompiledClickModel, grades: ArrayLike<number>): Float64Array {
  const n = Math.min(grades.length, m.k);
  const out = new Float64Array(n);
  const a = (r: number) => m.attractiveness[r * m.grades + grades[r]];
  switch (m.model) {
    case 'pbm':
      for (let r = 0; r < n; r++) out[r] = m.examination[r] * a(r);
      return out;
    case 'cascade':
    case 'dcm':
    case 'dbn': {
      let examined = 1;
      for (let r = 0; r < n; r++) {
        const ar = a(r);
        out[r] = examined * ar;
        if (m.model === 'cascade') examined *= 1 - ar;
        else if (m.model === 'dcm') examined *= 1 - ar + ar * m.lambda[r];
        else examined *= m.continuation * (1 - ar * m.satisfaction[grades[r]]);
      }
      return out;
    }
    case 'ubm': {
      // last[j] = P(the last click above the current rank is at rank j), j = 0 for none.
      const last = new Float64Array(n + 1);
      last[0] = 1;
      for (let r = 1; r <= n; r++) {
        const ar = a(r - 1);
        let click = 0;
        for (let j = 0; j < r; j++) {
          const pc = last[j] * m.ubmGamma[(r - 1) * m.k + (r - j - 1)] * ar;
          click += pc;
          last[j] -= pc;
        }
        last[r] = click;
        out[r - 1] = click;
      }
      return out;
    }
  }
}
