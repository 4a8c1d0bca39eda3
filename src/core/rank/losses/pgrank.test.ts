import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { beforeAll, describe, expect, it } from 'vitest';
import { useCpuBackend } from '../../../test-support/cpu-backend';
import { createRng } from '../../experiment/rng';
import { pgRankLoss, pgRankSurrogate } from './pgrank';
import { dcg64, expectGradientMatchesFiniteDifferences, expectNoLeak, gradOf, idealDcg64, lossOf, withPadAt } from './test-helpers';

beforeAll(async () => {
  await useCpuBackend();
});

/** Uniforms [nSamples][nLists][listSize] in (0, 1) from the project's seeded RNG, as the trainer draws them. */
function seededUniforms(seed: number, nSamples: number, nLists: number, listSize: number): number[][][] {
  const rng = createRng(seed);
  return Array.from({ length: nSamples }, () =>
    Array.from({ length: nLists }, () => Array.from({ length: listSize }, () => Math.min(1 - 1e-7, Math.max(1e-7, rng.next())))),
  );
}

function permutations(n: number): number[][] {
  if (n === 0) return [[]];
  return permutations(n - 1).flatMap((p) => Array.from({ length: n }, (_, at) => [...p.slice(0, at), n - 1, ...p.slice(at)]));
}

/** Exact E_π[nDCG] under the Plackett–Luce policy of `scores`, by enumerating every ranking (float64). */
function expectedNdcg(scores: number[], labels: number[]): number {
  return permutations(scores.length).reduce((sum, order) => {
    let p = 1;
    order.forEach((doc, r) => {
      p *= Math.exp(scores[doc]) / order.slice(r).reduce((z, k) => z + Math.exp(scores[k]), 0);
    });
    const ranks = new Array<number>(order.length);
    order.forEach((doc, r) => {
      ranks[doc] = r;
    });
    return sum + (p * dcg64(labels, ranks)) / idealDcg64(labels);
  }, 0);
}

// Hand-computed case: scores [1, 0], labels [1, 0], two samples.
// Gumbel −log(−log u): u = 0.5 → 0.366513; u = 0.1 → −0.834032; u = 0.9 → 2.250367.
// Sample 1, u = [0.5, 0.5]: keys [1.367, 0.367] → ranking (0, 1), nDCG 1, log π = 1 − log(e + 1) = −0.313262.
// Sample 2, u = [0.1, 0.9]: keys [0.166, 2.250] → ranking (1, 0), nDCG 1/log2 3 = 0.630930, log π = −1.313262.
// Baseline b = 0.815465; advantages ±0.184535.
const HAND = { scores: [[1, 0]], labels: [[1, 0]], uniforms: [[[0.5, 0.5]], [[0.1, 0.9]]] };

describe('pgRankLoss', () => {
  it('matches a hand-computed case: value −mean nDCG, surrogate −mean((r − b) log π)', () => {
    expect(lossOf(pgRankLoss, HAND)).toBeCloseTo(-0.815465, 5);
    // Surrogate −(0.184535 · (−0.313262) + (−0.184535) · (−1.313262))/2 = −0.092268.
    expect(lossOf(pgRankSurrogate, HAND)).toBeCloseTo(-0.092268, 5);
    // ∂/∂s_0: sample 1 d log π/ds_0 = 1 − σ(1) = 0.268941, sample 2 = −σ(1) = −0.731059:
    //   −(0.184535 · 0.268941 + 0.184535 · 0.731059)/2 = −0.092268; s_1 gets the opposite (PL gradients sum to 0).
    const grad = gradOf(pgRankLoss, HAND);
    expect(grad[0][0]).toBeCloseTo(-0.092268, 5);
    expect(grad[0][1]).toBeCloseTo(0.092268, 5);
  });

  it('has the surrogate’s gradient, which matches finite differences away from sampling boundaries', () => {
    // Fixed uniforms make the sampled rankings piecewise constant in the scores; with these the keys are
    // at least 0.05 apart, so the ±0.01 differences never reorder a sample and the surrogate is smooth.
    const c = {
      scores: [[0.3, -1.2, 2.0, 0.7], [1.5, 0.4, -0.3, 5]],
      labels: [[0, 1, 2, 0], [1, 0, 2, 3]],
      mask: [[1, 1, 1, 1], [1, 1, 1, 0]],
      uniforms: [
        [[0.31, 0.82, 0.55, 0.12], [0.66, 0.41, 0.93, 0.5]],
        [[0.9, 0.05, 0.24, 0.71], [0.18, 0.77, 0.36, 0.5]],
        [[0.45, 0.62, 0.08, 0.97], [0.52, 0.29, 0.84, 0.5]],
      ],
    };
    const keysApart = c.uniforms.every((sample) =>
      sample.every((row, b) => {
        const keys = row.map((u, i) => c.scores[b][i] - Math.log(-Math.log(u))).filter((_, i) => c.mask[b][i] === 1);
        return keys.every((k, i) => keys.every((k2, j) => i === j || Math.abs(k - k2) > 0.05));
      }),
    );
    expect(keysApart).toBe(true);
    const surrogateGrad = expectGradientMatchesFiniteDifferences(pgRankSurrogate, c);
    const lossGrad = gradOf(pgRankLoss, c);
    lossGrad.forEach((row, r) => row.forEach((g, i) => expect(g).toBeCloseTo(surrogateGrad[r][i], 6)));
    expect(lossGrad[1][3]).toBe(0);
  });

  it('estimates −∇ E[nDCG] without bias: many samples approach the exact gradient', () => {
    // n = 3: E[nDCG] is a sum over the 6 rankings; its gradient by float64 central differences.
    const scores = [0.2, 0.9, -0.4];
    const labels = [2, 0, 1];
    const exact = scores.map((_, i) => {
      const at = (d: number) => expectedNdcg(scores.map((s, k) => (k === i ? s + d : s)), labels);
      return -(at(1e-5) - at(-1e-5)) / 2e-5;
    });
    const nSamples = 20000;
    const grad = gradOf(pgRankLoss, { scores: [scores], labels: [labels], uniforms: seededUniforms(7, nSamples, 1, 3) })[0];
    // Exact ≈ [−0.0774, 0.0670, 0.0104]. Per-sample terms (r − b)·∇log π are below ~0.4 in size, so the
    // mean's standard error is below 0.4/√20000 ≈ 0.003 (this seed lands within 5e-4).
    grad.forEach((g, i) => expect(Math.abs(g - exact[i]), `d/ds_${i}: estimate ${g} vs exact ${exact[i]}`).toBeLessThan(0.01));
    // The value estimates −E[nDCG] too.
    expect(lossOf(pgRankLoss, { scores: [scores], labels: [labels], uniforms: seededUniforms(7, nSamples, 1, 3) })).toBeCloseTo(
      -expectedNdcg(scores, labels),
      2,
    );
  });

  it('puts pads last in every sample: pads anywhere, with any uniform, change nothing', () => {
    const base = lossOf(pgRankLoss, HAND);
    const baseSurrogate = lossOf(pgRankSurrogate, HAND);
    for (let at = 0; at <= 2; at++) {
      expect(lossOf(pgRankLoss, withPadAt(HAND, at))).toBeCloseTo(base, 5);
      expect(lossOf(pgRankSurrogate, withPadAt(HAND, at))).toBeCloseTo(baseSurrogate, 5);
    }
    // A pad whose uniform is nearly 1 would outrank every real document if it took part.
    const padded = withPadAt(HAND, 0);
    padded.uniforms = padded.uniforms?.map((sample) => sample.map((row) => [0.999999, ...row.slice(1)]));
    expect(lossOf(pgRankSurrogate, padded)).toBeCloseTo(baseSurrogate, 5);
  });

  it('leaves out lists without a positive label, and is 0 when none has one', () => {
    const batch = { scores: [[1, 0], [2, 3]], labels: [[1, 0], [0, 0]], uniforms: [[[0.5, 0.5], [0.3, 0.6]], [[0.1, 0.9], [0.8, 0.2]]] };
    expect(lossOf(pgRankLoss, batch)).toBeCloseTo(-0.815465, 5);
    expect(lossOf(pgRankLoss, { scores: [[2, 3]], labels: [[0, 0]], uniforms: [[[0.3, 0.6]]] })).toBe(0);
  });

  it('asks for uniforms of the right shape', () => {
    expect(() => lossOf(pgRankLoss, { scores: [[1, 0]], labels: [[1, 0]] })).toThrow(/pgrank: needs uniforms/);
    expect(() => lossOf(pgRankLoss, { scores: [[1, 0]], labels: [[1, 0]], uniforms: [[[0.5, 0.5, 0.5]]] })).toThrow(/\[nSamples ≥ 1, 1, 2\]/);
  });

  it('does not leak', () => {
    expectNoLeak(pgRankLoss, withPadAt(HAND, 1));
    expectNoLeak(pgRankSurrogate, HAND);
  });
});
