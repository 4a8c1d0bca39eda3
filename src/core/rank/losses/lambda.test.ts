import '@tensorflow/tfjs-core/dist/register_all_gradients';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { useCpuBackend } from '../../../test-support/cpu-backend';
import { createLambdaLoss, lambdaLoss, lambdaRankLoss } from './lambda';
import { expectGradientMatchesFiniteDifferences, expectNoLeak, lossOf, orderDescending, softplus64, withPadAt } from './test-helpers';

beforeAll(async () => {
  await useCpuBackend();
});

/**
 * Scores on a 0.01 grid: the weights depend on the order of the scores, and doubles closer than float32
 * can tell apart (or denormals) would tie in the loss but not in the float64 reference.
 */
const CENTI_SCORE = fc.integer({ min: -400, max: 400 }).map((v) => v / 100);

type Scheme = 'lambdaRank' | 'ndcgLoss2PP';

/**
 * Float64 transcription of allRank's lambdaLoss (allrank/models/losses/lambdaLoss.py) for one
 * unpadded list, k = None, reduction "sum", reduction_log "binary": sort by prediction, G = (2^y − 1)
 * / maxDCG in predicted order, D_r = log2(1 + r), and for pairs with y_r > y_q in predicted order
 * −log2 σ(sigma (ŝ_r − ŝ_q))^w.
 */
function allRankLambdaLoss(pred: number[], labels: number[], scheme: Scheme, mu = 10, sigma = 1): number {
  const n = pred.length;
  const order = orderDescending(pred);
  const predSorted = order.map((i) => pred[i]);
  const trueByPred = order.map((i) => labels[i]);
  const trueSorted = [...labels].sort((a, b) => b - a);
  const D = Array.from({ length: n + 1 }, (_, r) => Math.log2(2 + r)); // D[r] for 1-based position r + 1
  const maxDcg = trueSorted.reduce((s, y, r) => s + (2 ** y - 1) / D[r], 0);
  const G = trueByPred.map((y) => (2 ** y - 1) / maxDcg);
  let loss = 0;
  for (let r = 0; r < n; r++) {
    for (let q = 0; q < n; q++) {
      if (!(trueByPred[r] > trueByPred[q])) continue;
      const gainGap = Math.abs(G[r] - G[q]);
      const lambdaRank = Math.abs(1 / D[r] - 1 / D[q]) * gainGap;
      const d = Math.abs(r - q);
      const ndcgLoss2 = Math.abs(1 / Math.log2(1 + d) - 1 / Math.log2(2 + d)) * gainGap;
      const w = scheme === 'lambdaRank' ? lambdaRank : mu * ndcgLoss2 + lambdaRank;
      loss += (w * softplus64(-sigma * (predSorted[r] - predSorted[q]))) / Math.LN2;
    }
  }
  return loss;
}

// Hand-computed case shared below: scores [1, 2, 0], labels [2, 1, 0].
// Current ranking by score: doc 1, doc 0, doc 2 → ranks 2, 1, 3 (1-based) for docs 0, 1, 2.
// Gains 2^y − 1 = [3, 1, 0]; IDCG = 3/log2 2 + 1/log2 3 = 3.630930. Discounts at current ranks:
// doc 0: 1/log2 3 = 0.630930, doc 1: 1, doc 2: 1/log2 4 = 0.5.
// Pair losses log(1 + e^−(s_i − s_j)): (0,1) 1.313262, (0,2) 0.313262, (1,2) 0.126928.
const HAND = { scores: [[1, 2, 0]], labels: [[2, 1, 0]] };

/** One list of 2–8 documents with centi-rounded scores and grades 0–4 (the allRank comparisons). */
const RANDOM_LIST = fc.integer({ min: 2, max: 8 }).chain((n) =>
  fc.record({
    scores: fc.array(CENTI_SCORE, { minLength: n, maxLength: n }),
    labels: fc.array(fc.integer({ min: 0, max: 4 }), { minLength: n, maxLength: n }),
  }),
);

describe('lambdaRankLoss', () => {
  it('matches a hand-computed case: pairs weighted by |ΔNDCG| under the current ranking, summed', () => {
    // |ΔNDCG|: (0,1) 2·|0.630930 − 1|/3.630930 = 0.203292; (0,2) 3·|0.630930 − 0.5|/3.630930 = 0.108179;
    // (1,2) 1·|1 − 0.5|/3.630930 = 0.137706.
    // Loss 0.203292·1.313262 + 0.108179·0.313262 + 0.137706·0.126928 = 0.266976 + 0.033888 + 0.017479 = 0.318343.
    expect(lossOf(lambdaRankLoss, HAND)).toBeCloseTo(0.318343, 5);
  });

  it('is allRank lambdaRank_scheme in natural log (allRank uses log2)', () => {
    fc.assert(
      fc.property(
        RANDOM_LIST,
        ({ scores, labels }) => {
          fc.pre(new Set(labels).size > 1);
          const expected = allRankLambdaLoss(scores, labels, 'lambdaRank') * Math.LN2;
          expect(lossOf(lambdaRankLoss, { scores: [scores], labels: [labels] })).toBeCloseTo(expected, 4);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('its gradient is LambdaRank’s λ and matches finite differences', () => {
    const grad = expectGradientMatchesFiniteDifferences(lambdaRankLoss, HAND);
    // λ_0 = −Σ_j |ΔNDCG_0j| σ(−(s_0 − s_j)) = −0.203292·σ(1) − 0.108179·σ(−1) = −0.177716.
    const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
    expect(grad[0][0]).toBeCloseTo(-0.203292 * sigmoid(1) - 0.108179 * sigmoid(-1), 5);
    const c = { scores: [[0.3, -1.2, 2.0, 0.7, 0.1], [1.5, 0.4, -0.3, 5, 0]], labels: [[0, 1, 2, 0, 1], [1, 0, 2, 3, 0]], mask: [[1, 1, 1, 1, 1], [1, 1, 1, 0, 0]] };
    expectGradientMatchesFiniteDifferences(lambdaRankLoss, c);
  });

  it('leaves out lists without pairs, pads anywhere change nothing, and it does not leak', () => {
    const base = lossOf(lambdaRankLoss, HAND);
    expect(lossOf(lambdaRankLoss, { scores: [[1, 2, 0], [3, 1, 2]], labels: [[2, 1, 0], [1, 1, 1]] })).toBeCloseTo(base, 5);
    expect(lossOf(lambdaRankLoss, { scores: [[1, 2]], labels: [[0, 0]] })).toBe(0);
    for (let at = 0; at <= 3; at++) expect(lossOf(lambdaRankLoss, withPadAt(HAND, at))).toBeCloseTo(base, 5);
    expectNoLeak(lambdaRankLoss, withPadAt(HAND, 0));
  });
});

describe('lambdaLoss (NDCG-Loss2++)', () => {
  it('matches a hand-computed case', () => {
    // δ_d = 1/log2(1 + d) − 1/log2(2 + d): δ_1 = 0.369070, δ_2 = 0.130930. Rank gaps: (0,1) 1, (0,2) 1, (1,2) 2.
    // w = |ΔG| (10 δ + |ΔD⁻¹|) with ΔG over IDCG 3.630930:
    //   (0,1): 2/3.630930 · (3.690702 + 0.369070) = 2.236217;  (0,2): 3/3.630930 · (3.690702 + 0.130930) = 3.157565;
    //   (1,2): 1/3.630930 · (1.309298 + 0.5) = 0.498301.
    // Loss Σ w · log(1 + e^−Δs) / ln 2 = 4.236817 + 1.427033 + 0.091248 = 5.755098.
    expect(lossOf(lambdaLoss, HAND)).toBeCloseTo(5.755098, 4);
  });

  it('matches allRank’s lambdaLoss(weighing_scheme="ndcgLoss2PP_scheme", mu=10, sigma=1) on random lists (property)', () => {
    fc.assert(
      fc.property(
        RANDOM_LIST,
        ({ scores, labels }) => {
          fc.pre(new Set(labels).size > 1);
          const expected = allRankLambdaLoss(scores, labels, 'ndcgLoss2PP');
          expect(Math.abs(lossOf(lambdaLoss, { scores: [scores], labels: [labels] }) - expected)).toBeLessThan(1e-4 * Math.max(1, expected));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('takes mu and sigma like allRank', () => {
    const scores = [0.2, 1.4, -0.7, 0.9];
    const labels = [3, 0, 1, 2];
    const custom = createLambdaLoss({ mu: 2, sigma: 0.5 });
    expect(lossOf(custom, { scores: [scores], labels: [labels] })).toBeCloseTo(allRankLambdaLoss(scores, labels, 'ndcgLoss2PP', 2, 0.5), 4);
  });

  it('averages lists (allRank sums the batch) and leaves out lists without pairs', () => {
    const a = allRankLambdaLoss([1, 2, 0], [2, 1, 0], 'ndcgLoss2PP');
    const b = allRankLambdaLoss([0.5, -1], [0, 1], 'ndcgLoss2PP');
    const batch = { scores: [[1, 2, 0], [0.5, -1, 30], [2, 2, 2]], labels: [[2, 1, 0], [0, 1, 4], [0, 0, 0]], mask: [[1, 1, 1], [1, 1, 0], [1, 1, 1]] };
    expect(lossOf(lambdaLoss, batch)).toBeCloseTo((a + b) / 2, 4);
  });

  it('its gradient matches finite differences', () => {
    expectGradientMatchesFiniteDifferences(lambdaLoss, HAND);
    const c = { scores: [[0.3, -1.2, 2.0, 0.7, 0.1], [1.5, 0.4, -0.3, 5, 0]], labels: [[0, 1, 2, 0, 1], [1, 0, 2, 3, 0]], mask: [[1, 1, 1, 1, 1], [1, 1, 1, 0, 0]] };
    expectGradientMatchesFiniteDifferences(lambdaLoss, c);
  });

  it('pads anywhere change nothing, and it does not leak', () => {
    const base = lossOf(lambdaLoss, HAND);
    for (let at = 0; at <= 3; at++) expect(lossOf(lambdaLoss, withPadAt(HAND, at))).toBeCloseTo(base, 4);
    expectNoLeak(lambdaLoss, withPadAt(HAND, 3));
  });
});
