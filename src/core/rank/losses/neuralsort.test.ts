import '@tensorflow/tfjs-core/dist/register_all_gradients';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { useCpuBackend } from '../../../test-support/cpu-backend';
import { createNeuralSortLoss, neuralSortLoss } from './neuralsort';
import { expectGradientMatchesFiniteDifferences, expectNoLeak, logSumExp64, lossOf, withPadAt } from './test-helpers';

beforeAll(async () => {
  await useCpuBackend();
});

/**
 * Float64 reference for one list: P̂[r, :] = softmax(((n + 1 − 2r) s − A_s 1)/τ) for r = 1..n, and
 * −(1/n) Σ_r Σ_j T[r, j] log P̂[r, j] with T uniform over the label group that holds rank r.
 */
function reference(scores: number[], labels: number[], temperature = 1): number {
  const n = scores.length;
  const spread = scores.map((sj) => scores.reduce((sum, sk) => sum + Math.abs(sj - sk), 0));
  const sortedLabels = [...labels].sort((a, b) => b - a);
  let loss = 0;
  for (let r = 1; r <= n; r++) {
    const logits = scores.map((sj, j) => ((n + 1 - 2 * r) * sj - spread[j]) / temperature);
    const lse = logSumExp64(logits);
    const group = labels.map((y, j) => (y === sortedLabels[r - 1] ? j : -1)).filter((j) => j >= 0);
    loss -= group.reduce((sum, j) => sum + (logits[j] - lse) / group.length, 0);
  }
  return loss / n;
}

const gumbel = (u: number) => -Math.log(-Math.log(u));

describe('neuralSortLoss', () => {
  it('matches a hand-computed case', () => {
    // scores [1, 2, 0], n = 3, A_s 1 = [|1−2| + |1−0|, 1 + 2, 1 + 2] = [2, 3, 3].
    // Row logits (n + 1 − 2r) s − A_s 1: r=1: 2s − A = [0, 1, −3]; r=2: 0·s − A = [−2, −3, −3]; r=3: −2s − A = [−4, −7, −3].
    // P̂ rows: [0.265388, 0.721399, 0.013213], [0.576117, 0.211942, 0.211942], [0.265388, 0.013213, 0.721399].
    // labels [2, 1, 0] sort to docs 0, 1, 2: loss −(log 0.265388 + log 0.211942 + log 0.721399)/3 = 1.068190.
    expect(lossOf(neuralSortLoss, { scores: [[1, 2, 0]], labels: [[2, 1, 0]] })).toBeCloseTo(1.06819, 5);
  });

  it('spreads a row’s target over tied labels', () => {
    // labels [1, 1, 0]: rows 1 and 2 put 1/2 on docs 0 and 1, row 3 all on doc 2 (P̂ as above):
    //   −(½ log 0.265388 + ½ log 0.721399 + ½ log 0.576117 + ½ log 0.211942 + log 0.721399)/3 = 0.734857.
    expect(lossOf(neuralSortLoss, { scores: [[1, 2, 0]], labels: [[1, 1, 0]] })).toBeCloseTo(0.734857, 5);
    // The tied documents' slots can swap without changing anything.
    expect(lossOf(neuralSortLoss, { scores: [[2, 1, 0]], labels: [[1, 1, 0]] })).toBeCloseTo(0.734857, 5);
  });

  it('matches the float64 reference on random lists and temperatures (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }).chain((n) =>
          fc.record({
            scores: fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: n, maxLength: n }),
            labels: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: n, maxLength: n }),
            temperature: fc.constantFrom(0.5, 1, 2),
          }),
        ),
        ({ scores, labels, temperature }) => {
          fc.pre(labels.some((l) => l > 0));
          const value = lossOf(createNeuralSortLoss({ temperature }), { scores: [scores], labels: [labels] });
          const expected = reference(scores, labels, temperature);
          expect(Math.abs(value - expected)).toBeLessThan(1e-4 * Math.max(1, expected));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('with uniforms, averages the loss of Gumbel-perturbed scores over samples', () => {
    const scores = [0.4, -0.3, 1.1];
    const labels = [1, 0, 2];
    // u = e^−1 gives Gumbel noise −log(−log u) = 0: the deterministic loss.
    const noNoise = Math.exp(-1);
    const deterministic = lossOf(neuralSortLoss, { scores: [scores], labels: [labels] });
    expect(lossOf(neuralSortLoss, { scores: [scores], labels: [labels], uniforms: [[[noNoise, noNoise, noNoise]]] })).toBeCloseTo(deterministic, 5);
    const u = [
      [0.2, 0.7, 0.5],
      [0.9, 0.1, 0.6],
    ];
    const expected = u.map((row) => reference(scores.map((s, i) => s + gumbel(row[i])), labels)).reduce((a, b) => a + b) / 2;
    expect(lossOf(neuralSortLoss, { scores: [scores], labels: [labels], uniforms: u.map((row) => [row]) })).toBeCloseTo(expected, 5);
  });

  it('averages over lists with a positive label', () => {
    const a = reference([1, 2, 0], [2, 1, 0]);
    const b = reference([0.5, -1], [0, 1]);
    const batch = { scores: [[1, 2, 0], [0.5, -1, 30], [2, 1, 3]], labels: [[2, 1, 0], [0, 1, 4], [0, 0, 0]], mask: [[1, 1, 1], [1, 1, 0], [1, 1, 1]] };
    expect(lossOf(neuralSortLoss, batch)).toBeCloseTo((a + b) / 2, 5);
    expect(lossOf(neuralSortLoss, { scores: [[1, 2]], labels: [[0, 0]] })).toBe(0);
  });

  it('its gradient matches finite differences (deterministic and with Gumbel noise)', () => {
    expectGradientMatchesFiniteDifferences(neuralSortLoss, { scores: [[1, 2, 0]], labels: [[2, 1, 0]] });
    const c = { scores: [[0.3, -1.2, 2.0, 0.7, 0.1], [1.5, 0.4, -0.3, 5, 0]], labels: [[0, 1, 2, 0, 1], [1, 0, 2, 3, 0]], mask: [[1, 1, 1, 1, 1], [1, 1, 1, 0, 0]] };
    const grad = expectGradientMatchesFiniteDifferences(neuralSortLoss, c);
    expect(grad[1][3]).toBe(0);
    const uniforms = [[[0.3, 0.8, 0.5, 0.2, 0.6], [0.7, 0.4, 0.9, 0.5, 0.5]]];
    expectGradientMatchesFiniteDifferences(neuralSortLoss, { ...c, uniforms });
  });

  it('pads anywhere change nothing, and it does not leak', () => {
    const c = { scores: [[1, 2, 0, -0.5]], labels: [[2, 1, 0, 1]] };
    for (let at = 0; at <= 4; at++) expect(lossOf(neuralSortLoss, withPadAt(c, at))).toBeCloseTo(lossOf(neuralSortLoss, c), 5);
    expectNoLeak(neuralSortLoss, withPadAt(c, 4));
    expectNoLeak(neuralSortLoss, { ...c, uniforms: [[[0.1, 0.2, 0.3, 0.4]], [[0.5, 0.6, 0.7, 0.8]]] });
  });
});
