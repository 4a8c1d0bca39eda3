import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CLICK_MODELS, clickModel, EYE_TRACKING_TABLE, type ClickModelInput } from './config';
import { clickProbabilities, compileClickModel, examinationByRank, relevanceToClick, type CompiledClickModel } from './semantics';

const compile = (c: ClickModelInput) => compileClickModel(clickModel(c));
const probs = (c: ClickModelInput, grades: number[]) => Array.from(clickProbabilities(compile(c), grades));

/**
 * The generative story of each model written out as a probability tree over its hidden variables
 * (examination, attractiveness, satisfaction, continuation), independent of the closed forms in
 * semantics.ts: the marginal P(C_r) is the total probability of the branches that click at r.
 */
function bruteForce(m: CompiledClickModel, grades: number[]): number[] {
  const n = Math.min(grades.length, m.k);
  const out = new Array<number>(n).fill(0);
  const a = (r: number) => m.attractiveness[r * m.grades + grades[r]];
  const walk = (r: number, p: number, lastClick: number, examined: boolean): void => {
    if (r === n || p === 0) return;
    switch (m.model) {
      case 'pbm': {
        const pc = m.examination[r] * a(r);
        out[r] += p * pc;
        // Clicks at other ranks are independent: branch only to keep one walk for all models.
        walk(r + 1, p, lastClick, true);
        return;
      }
      case 'ubm': {
        const e = m.ubmGamma[r * m.k + (r + 1 - lastClick) - 1];
        out[r] += p * e * a(r);
        walk(r + 1, p * e * a(r), r + 1, true);
        walk(r + 1, p * (1 - e * a(r)), lastClick, true);
        return;
      }
      default: {
        if (!examined) return;
        out[r] += p * a(r);
        // Clicked branch.
        if (m.model === 'cascade') {
          /* stops */
        } else if (m.model === 'dcm') walk(r + 1, p * a(r) * m.lambda[r], r + 1, true);
        else {
          const s = m.satisfaction[grades[r]];
          walk(r + 1, p * a(r) * (1 - s) * m.continuation, r + 1, true);
        }
        // Not clicked.
        walk(r + 1, p * (1 - a(r)) * (m.model === 'dbn' ? m.continuation : 1), lastClick, true);
      }
    }
  };
  walk(0, 1, 0, true);
  return out;
}

describe('relevance → click', () => {
  it("is ULTRA's ε− + (ε+ − ε−)(2^y − 1)/(2^ymax − 1)", () => {
    expect(relevanceToClick(0, 0.1, 1, 4)).toBeCloseTo(0.1, 15);
    expect(relevanceToClick(4, 0.1, 1, 4)).toBeCloseTo(1, 15);
    expect(relevanceToClick(2, 0.1, 1, 4)).toBeCloseTo(0.1 + 0.9 * (3 / 15), 15);
    expect(relevanceToClick(1, 0, 1, 1)).toBe(1);
  });
});

describe('examination', () => {
  it('is (1/k)^η, or the table raised to η', () => {
    expect(Array.from(examinationByRank(1, 4))).toEqual([1, 1 / 2, 1 / 3, 1 / 4]);
    expect(Array.from(examinationByRank(2, 3))).toEqual([1, 1 / 4, 1 / 9]);
    expect(Array.from(examinationByRank(0, 3))).toEqual([1, 1, 1]);
    const eye = examinationByRank(2, 10, 'eye-tracking');
    expect(Array.from(eye)).toEqual(EYE_TRACKING_TABLE.map((t) => t ** 2));
    expect(EYE_TRACKING_TABLE).toEqual([0.68, 0.61, 0.48, 0.34, 0.28, 0.2, 0.11, 0.1, 0.08, 0.06]);
  });
});

describe('click probabilities, hand-computed', () => {
  it('PBM: θ_r · a(y)', () => {
    const p = probs({ model: 'pbm', eta: 1, topK: 3 }, [4, 0, 2]);
    expect(p[0]).toBeCloseTo(1, 12);
    expect(p[1]).toBeCloseTo(0.1 / 2, 12);
    expect(p[2]).toBeCloseTo((0.1 + 0.9 * 0.2) / 3, 12);
    const eye = probs({ model: 'pbm', eta: 1, table: 'eye-tracking', epsMinus: 0, epsPlus: 1, ymax: 1 }, [1, 1, 0]);
    expect(eye).toEqual([0.68, 0.61, 0]);
  });

  it('cascade stops at the first click: a, (1 − a)a, (1 − a)²a', () => {
    // ymax 1, ε− 0.5, ε+ 0.5: every document attracts with 1/2.
    const p = probs({ model: 'cascade', epsMinus: 0.5, epsPlus: 0.5, ymax: 1, topK: 3 }, [0, 1, 0]);
    expect(p).toEqual([0.5, 0.25, 0.125]);
    // A sure click at rank 1 hides everything below.
    expect(probs({ model: 'cascade', topK: 3 }, [4, 4, 4])).toEqual([1, 0, 0]);
  });

  it('DCM: continues after a click with λ_r', () => {
    const p = probs({ model: 'dcm', epsMinus: 0.5, epsPlus: 0.5, ymax: 1, topK: 3, dcm: { lambda: [0.6, 0.2, 0.9] } }, [0, 0, 0]);
    // E_2 = 0.5 + 0.5·0.6 = 0.8; E_3 = 0.8·(0.5 + 0.5·0.2) = 0.48.
    expect(p[0]).toBeCloseTo(0.5, 12);
    expect(p[1]).toBeCloseTo(0.4, 12);
    expect(p[2]).toBeCloseTo(0.24, 12);
    // λ ≡ 0 is cascade, λ ≡ 1 examines everything.
    expect(probs({ model: 'dcm', dcm: { lambda: 0 }, topK: 3 }, [2, 1, 3])).toEqual(probs({ model: 'cascade', topK: 3 }, [2, 1, 3]));
    expect(probs({ model: 'dcm', dcm: { lambda: 1 }, epsMinus: 0.3, epsPlus: 0.3, topK: 3 }, [2, 1, 3]).map((x) => +x.toFixed(12))).toEqual([0.3, 0.3, 0.3]);
  });

  it('DBN: with γ = 1 and σ ≡ 0 every result is examined (PBM with η = 0); with σ ≡ 1 it is cascade', () => {
    const grades = [3, 0, 4, 1, 2];
    const noStop = probs({ model: 'dbn', dbn: { gamma: 1, satisfaction: [0, 0, 0, 0, 0] }, topK: 5 }, grades);
    const pbm0 = probs({ model: 'pbm', eta: 0, topK: 5 }, grades);
    noStop.forEach((p, r) => expect(p).toBeCloseTo(pbm0[r], 12));
    const sat = probs({ model: 'dbn', dbn: { gamma: 1, satisfaction: [1, 1, 1, 1, 1] }, topK: 5 }, grades);
    const cascade = probs({ model: 'cascade', topK: 5 }, grades);
    sat.forEach((p, r) => expect(p).toBeCloseTo(cascade[r], 12));
    // Hand case: a = 0.5 everywhere, γ = 0.8, σ = 0.5 → E_2 = 0.8·(1 − 0.25) = 0.6.
    const h = probs({ model: 'dbn', epsMinus: 0.5, epsPlus: 0.5, ymax: 1, topK: 2, dbn: { gamma: 0.8, satisfaction: [0.5, 0.5] } }, [0, 1]);
    expect(h[0]).toBeCloseTo(0.5, 12);
    expect(h[1]).toBeCloseTo(0.3, 12);
  });

  it("DBN's default satisfaction is ERR's (2^y − 1)/2^ymax", () => {
    const m = compile({ model: 'dbn' });
    expect(Array.from(m.satisfaction)).toEqual([0, 1 / 16, 3 / 16, 7 / 16, 15 / 16]);
  });

  it('UBM: examination by rank and distance to the last click', () => {
    // γ_{r,d}: rank 1 {d=1: 0.9}; rank 2 {d=1: 0.8, d=2: 0.4}.
    const p = probs({ model: 'ubm', epsMinus: 0.5, epsPlus: 0.5, ymax: 1, topK: 2, ubm: { gamma: [[0.9], [0.8, 0.4]] } }, [0, 0]);
    expect(p[0]).toBeCloseTo(0.45, 12);
    // Clicked at 1 (0.45): d = 1 → 0.8·0.5; not clicked (0.55): d = 2 → 0.4·0.5.
    expect(p[1]).toBeCloseTo(0.45 * 0.4 + 0.55 * 0.2, 12);
    // γ independent of the distance is PBM.
    const pbm = probs({ model: 'pbm', eta: 1.3, topK: 4 }, [1, 2, 3, 0]);
    const theta = Array.from(examinationByRank(1.3, 4));
    const ubm = probs({ model: 'ubm', topK: 4, ubm: { gamma: theta.map((t, r) => new Array(r + 1).fill(t)) } }, [1, 2, 3, 0]);
    ubm.forEach((x, r) => expect(x).toBeCloseTo(pbm[r], 12));
  });

  it('trust bias replaces ε± per rank', () => {
    const p = probs({ model: 'pbm', eta: 0, topK: 2, ymax: 1, trustBias: { epsPlus: [1, 0.7], epsMinus: [0.2, 0.05] } }, [1, 0]);
    expect(p).toEqual([1, 0.05]);
  });

  it('short lists: only the filled ranks', () => {
    expect(probs({ model: 'cascade', topK: 10 }, [4, 0])).toHaveLength(2);
  });
});

describe('click probabilities equal the generative story (brute force), for every model', () => {
  const prob = fc.double({ min: 0, max: 1, noNaN: true });
  it('on random lists and parameters', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...CLICK_MODELS),
        fc.integer({ min: 1, max: 6 }),
        fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 6 }),
        fc.record({ eta: fc.double({ min: 0, max: 3, noNaN: true }), lo: prob, hi: prob, gamma: prob, lambda: fc.array(prob, { minLength: 6, maxLength: 6 }), sat: fc.array(prob, { minLength: 4, maxLength: 4 }) }),
        (model, topK, grades, p) => {
          const m = compile({
            model,
            topK,
            eta: p.eta,
            ymax: 3,
            epsMinus: Math.min(p.lo, p.hi),
            epsPlus: Math.max(p.lo, p.hi),
            dbn: { gamma: p.gamma, satisfaction: p.sat },
            dcm: { lambda: p.lambda },
          });
          const exact = Array.from(clickProbabilities(m, grades));
          const tree = bruteForce(m, grades);
          expect(exact).toHaveLength(Math.min(topK, grades.length));
          exact.forEach((x, r) => {
            expect(x).toBeGreaterThanOrEqual(0);
            expect(x).toBeLessThanOrEqual(1 + 1e-12);
            expect(x).toBeCloseTo(tree[r], 12);
          });
        },
      ),
      { numRuns: 300 },
    );
  });
});
