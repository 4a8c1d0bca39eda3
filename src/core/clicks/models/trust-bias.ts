/**
 * A trust-bias preset, for showing the effect without typing 2 × k probabilities. Agarwal et al.
 * (2019, "Addressing trust bias for unbiased learning-to-rank") observed that users click an
 * irrelevant result more readily when it is ranked high, because they trust the ranker. Here,
 * with Δ = ε+ − ε−:
 *   ε−_r = ε− + 0.3·Δ/r          (noise clicks: +30% of the gap at rank 1, fading as 1/r)
 *   ε+_r = ε+ − 0.1·Δ·(1 − 1/r)  (clicks on the top grade: slightly fewer further down)
 * so ε−_r ≤ ε+_r whenever ε− ≤ ε+. The shape is illustrative, not fitted to any log. Under it
 * CTR@k ÷ CTR@1 no longer measures examination alone: an intervention's propensity estimates are
 * biased (the affine correction of Vardasbi et al. 2020 is what undoes it).
 */
export function trustBiasPreset(epsMinus: number, epsPlus: number, k: number): { epsPlus: number[]; epsMinus: number[] } {
  const gap = epsPlus - epsMinus;
  const round = (v: number) => Math.round(v * 1e6) / 1e6;
  const plus: number[] = [];
  const minus: number[] = [];
  for (let r = 1; r <= k; r++) {
    minus.push(round(epsMinus + (0.3 * gap) / r));
    plus.push(round(epsPlus - 0.1 * gap * (1 - 1 / r)));
  }
  return { epsPlus: plus, epsMinus: minus };
}
