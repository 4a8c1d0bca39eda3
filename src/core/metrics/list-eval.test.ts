import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { GainKind } from './gain';
import { evaluateLists, type ListEvalOptions, type NoRelevantPolicy } from './list-eval';
import { formatListMeasure, parseListMeasures, type ListMeasure } from './measures';
import { meanNdcg, ndcgPerQuery } from './ndcg';

const offsets = (...sizes: number[]): Int32Array => {
  const o = new Int32Array(sizes.length + 1);
  sizes.forEach((s, q) => (o[q + 1] = o[q] + s));
  return o;
};
const L3 = Math.log2(3); // ≈ 1.58496; 1/log2(3) ≈ 0.63093 is the discount at rank 2
const M = (s: string): ListMeasure[] => parseListMeasures(s);
const exp2: ListEvalOptions = { gain: 'exp2', noRelevant: 'drop' };

/** Every measure's value for one list. */
function one(scores: ArrayLike<number>, labels: ArrayLike<number>, measures: string, opts: Partial<ListEvalOptions> = {}): Record<string, number> {
  const r = evaluateLists(scores, labels, offsets(labels.length), M(measures), { ...exp2, ...opts });
  return Object.fromEntries(Object.entries(r.perQuery).map(([key, v]) => [key, v[0]]));
}

describe('hand-computed list: labels [2, 0, 1] ranked as given', () => {
  // Scores [3, 2, 1] rank the documents in list order: ranked labels 2, 0, 1.
  const scores = [3, 2, 1];
  const labels = [2, 0, 1];

  it('DCG and nDCG, exp2 gains', () => {
    // Gains 2²−1 = 3, 0, 2¹−1 = 1.  DCG@3 = 3/1 + 0/log2(3) + 1/log2(4) = 3 + 0 + 0.5 = 3.5
    // Ideal order [2, 1, 0]: IDCG@3 = 3 + 1/log2(3) + 0 = 3.63093;  nDCG@3 = 3.5 / 3.63093 ≈ 0.96394
    // @1: DCG = 3 = IDCG → 1.   @2: DCG = 3, IDCG = 3.63093 → 0.82623
    const v = one(scores, labels, 'dcg@3,ndcg@3,ndcg@1,ndcg@2');
    expect(v['dcg@3']).toBe(3.5);
    expect(v['ndcg@3']).toBeCloseTo(3.5 / (3 + 1 / L3), 14);
    expect(v['ndcg@3']).toBeCloseTo(0.96394, 5);
    expect(v['ndcg@1']).toBe(1);
    expect(v['ndcg@2']).toBeCloseTo(3 / (3 + 1 / L3), 14);
  });

  it('DCG and nDCG, linear gains', () => {
    // Gains 2, 0, 1.  DCG@3 = 2 + 0 + 1/2 = 2.5;  IDCG@3 = 2 + 1/log2(3) = 2.63093;  nDCG ≈ 0.95023
    const v = one(scores, labels, 'dcg@3,ndcg@3', { gain: 'linear' });
    expect(v['dcg@3']).toBe(2.5);
    expect(v['ndcg@3']).toBeCloseTo(2.5 / (2 + 1 / L3), 14);
    expect(v['ndcg@3']).toBeCloseTo(0.95023, 5);
  });

  it('ERR@3 with ymax 4 and with the default ymax (the largest label, 2)', () => {
    // ymax 4: R = (2^y − 1)/16 → R(2) = 3/16, R(0) = 0, R(1) = 1/16.
    // ERR = R₁/1 + (1−R₁)·R₂/2 + (1−R₁)(1−R₂)·R₃/3 = 3/16 + 0 + (13/16)·(1/16)/3 = 0.1875 + 13/768 ≈ 0.204427
    expect(one(scores, labels, 'err@3', { ymax: 4 })['err@3']).toBeCloseTo(3 / 16 + 13 / 768, 14);
    // ymax 2: R(2) = 3/4, R(1) = 1/4.  ERR = 3/4 + (1/4)·(1/4)/3 = 0.75 + 1/48 ≈ 0.770833
    expect(one(scores, labels, 'err@3')['err@3']).toBeCloseTo(3 / 4 + 1 / 48, 14);
    // ERR@1 = R₁ = 3/4.
    expect(one(scores, labels, 'err@1')['err@1']).toBe(0.75);
  });

  it('AP, RR, P@k and recall@k', () => {
    // Relevant (y ≥ 1) at ranks 1 and 3, 2 relevant in all.
    // AP = (P@1 + P@3)/2 = (1 + 2/3)/2 = 5/6.  RR = 1/1.
    // P@1 = 1, P@2 = 1/2, P@3 = 2/3, P@5 = 2/5 (÷ k even beyond the list).
    // R@1 = 1/2, R@2 = 1/2, R@3 = 2/2.
    const v = one(scores, labels, 'map,mrr,p@1,p@2,p@3,p@5,recall@1,recall@2,recall@3');
    expect(v.map).toBeCloseTo(5 / 6, 15);
    expect(v.mrr).toBe(1);
    expect([v['p@1'], v['p@2'], v['p@3'], v['p@5']]).toEqual([1, 1 / 2, 2 / 3, 2 / 5]);
    expect([v['recall@1'], v['recall@2'], v['recall@3']]).toEqual([1 / 2, 1 / 2, 1]);
  });
});

describe('more hand-computed cases', () => {
  it('a first relevant document at rank 3', () => {
    // Labels [0, 0, 3, 1], scores [4, 3, 2, 1]: relevant at ranks 3 and 4.
    // RR = 1/3.  AP = (1/3 + 2/4)/2 = 5/12.  P@2 = 0.  R@3 = 1/2.
    // exp2 DCG@4 = 7/log2(4) + 1/log2(5) = 3.5 + 0.43068;  IDCG@4 = 7 + 1/log2(3) = 7.63093
    // ERR@4 (ymax 3): R = 7/8 at rank 3, 1/8 at rank 4 → 7/8/3 + (1/8)(1/8)/4 = 0.291667 + 0.003906
    const v = one([4, 3, 2, 1], [0, 0, 3, 1], 'mrr,map,p@2,recall@3,ndcg@4,err@4');
    expect(v.mrr).toBeCloseTo(1 / 3, 15);
    expect(v.map).toBeCloseTo(5 / 12, 15);
    expect(v['p@2']).toBe(0);
    expect(v['recall@3']).toBe(0.5);
    expect(v['ndcg@4']).toBeCloseTo((3.5 + 1 / Math.log2(5)) / (7 + 1 / L3), 14);
    expect(v['err@4']).toBeCloseTo(7 / 8 / 3 + 1 / 8 / 8 / 4, 14);
  });

  it('ERR with ymax 4 on grades 4 and 3', () => {
    // Ranked [4, 3, 0]: R = 15/16, 7/16, 0.  ERR = 15/16 + (1/16)(7/16)/2 = 0.9375 + 7/512 = 0.951171875
    expect(one([3, 2, 1], [4, 3, 0], 'err@10', { ymax: 4 })['err@10']).toBe(0.951171875);
    // A label above ymax counts as ymax: 5 clamps to 4.
    expect(one([3, 2, 1], [5, 3, 0], 'err@10', { ymax: 4 })['err@10']).toBe(0.951171875);
  });

  it('the default ymax is the largest label in all the data, at least 1', () => {
    // Two queries; the largest label (3) is in q1, so q0's R(1) = 1/8 → ERR = 1/8.
    const r = evaluateLists([1, 1, 1], [1, 0, 3], offsets(2, 1), M('err@5'), exp2);
    expect(r.perQuery['err@5'][0]).toBe(1 / 8);
    // Only 0/1 labels: ymax = 1, R(1) = 1/2.
    expect(one([1], [1], 'err@5')['err@5']).toBe(0.5);
  });

  it('ties: equal scores keep document order', () => {
    // Scores [1, 2, 2], labels [2, 0, 1]: doc1 and doc2 tie (doc1 first), then doc0 → ranked labels [0, 1, 2].
    // exp2 DCG@3 = 0 + 1/log2(3) + 3/2 = 2.13093; IDCG = 3 + 1/log2(3) = 3.63093 → 0.58688
    // RR = 1/2; AP = (1/2 + 2/3)/2 = 7/12; P@1 = 0; P@2 = 1/2.
    const v = one([1, 2, 2], [2, 0, 1], 'ndcg@3,mrr,map,p@1,p@2');
    expect(v['ndcg@3']).toBeCloseTo((1 / L3 + 3 / 2) / (3 + 1 / L3), 14);
    expect(v.mrr).toBe(0.5);
    expect(v.map).toBeCloseTo(7 / 12, 15);
    expect(v['p@1']).toBe(0);
    expect(v['p@2']).toBe(0.5);
    // All scores equal: evaluated as listed. [2, 1, 0] is ideal.
    expect(one([7, 7, 7], [2, 1, 0], 'ndcg@3')['ndcg@3']).toBe(1);
    // −0 and +0 tie too; NaN ranks last: [NaN, −0, 0] ranks doc1, doc2, doc0 → labels [0, 1, 2].
    expect(one([Number.NaN, -0, 0], [2, 0, 1], 'mrr')['mrr']).toBe(0.5);
  });

  it('all-zero labels: NaN except P@k (0) and DCG@k (0); the query counts as the policy says', () => {
    const all = 'ndcg@10,dcg@10,err@10,map,mrr,p@10,recall@10';
    const v = one([0.3, 0.1, 0.2], [0, 0, 0], all);
    for (const key of ['ndcg@10', 'err@10', 'map', 'mrr', 'recall@10']) expect(v[key]).toBeNaN();
    expect(v['p@10']).toBe(0);
    expect(v['dcg@10']).toBe(0);
    for (const [policy, value, counted] of [
      ['drop', 0, 0],
      ['zero', 0, 1],
      ['one', 1, 1],
    ] as const) {
      const r = evaluateLists([0.3, 0.1, 0.2], [0, 0, 0], offsets(3), M(all), { gain: 'exp2', noRelevant: policy });
      expect(r.counted).toBe(counted);
      expect(r.withoutRelevant).toBe(1);
      for (const key of Object.keys(r.mean)) expect(r.mean[key]).toBe(value);
    }
  });

  it('a single document', () => {
    // Label 3 (ymax 3): nDCG 1, ERR = 7/8, AP 1, RR 1, P@10 = 1/10, R@10 = 1, DCG = 7.
    expect(one([0.5], [3], 'ndcg@10,err@10,map,mrr,p@10,recall@10,dcg@10')).toEqual({
      'ndcg@10': 1,
      'err@10': 7 / 8,
      map: 1,
      mrr: 1,
      'p@10': 0.1,
      'recall@10': 1,
      'dcg@10': 7,
    });
    const z = one([0.5], [0], 'ndcg@1,mrr,p@1');
    expect(z['ndcg@1']).toBeNaN();
    expect(z.mrr).toBeNaN();
    expect(z['p@1']).toBe(0);
  });

  it('k larger than the list: nDCG, DCG, ERR, AP, RR, recall as at k = n; P still ÷ k', () => {
    const s = [0.2, 0.9, 0.5, 0.1];
    const y = [1, 0, 2, 3];
    const big = one(s, y, 'ndcg@50,dcg@50,err@50,map@50,mrr@50,recall@50,p@50');
    const at4 = one(s, y, 'ndcg@4,dcg@4,err@4,map,mrr,recall@4,p@4');
    expect(big['ndcg@50']).toBe(at4['ndcg@4']);
    expect(big['dcg@50']).toBe(at4['dcg@4']);
    expect(big['err@50']).toBe(at4['err@4']);
    expect(big['map@50']).toBe(at4.map);
    expect(big['mrr@50']).toBe(at4.mrr);
    expect(big['recall@50']).toBe(1);
    // 3 relevant: P@4 = 3/4, P@50 = 3/50.
    expect(at4['p@4']).toBe(3 / 4);
    expect(big['p@50']).toBe(3 / 50);
  });

  it('AP and RR with a cutoff only look at the top k (AP@k still ÷ all relevant, as trec_eval map_cut)', () => {
    // Ranked labels [0, 1, 0, 1]: AP@2 = (1/2)/2 = 1/4; AP = (1/2 + 2/4)/2 = 1/2; RR@1 = 0; RR@2 = 1/2.
    const v = one([4, 3, 2, 1], [0, 1, 0, 1], 'map@2,map,mrr@1,mrr@2');
    expect(v).toEqual({ 'map@2': 0.25, map: 0.5, 'mrr@1': 0, 'mrr@2': 0.5 });
  });

  it('labels that are not integers: the ideal order is found by sorting', () => {
    // Labels [0.5, 1.5], scores [2, 1] → ranked [0.5, 1.5]; linear DCG = 0.5 + 1.5/log2(3); IDCG = 1.5 + 0.5/log2(3).
    const v = one([2, 1], [0.5, 1.5], 'ndcg@2', { gain: 'linear' });
    expect(v['ndcg@2']).toBeCloseTo((0.5 + 1.5 / L3) / (1.5 + 0.5 / L3), 14);
    // Only 0.5: no label ≥ 1, so no relevant document → NaN.
    expect(one([2, 1], [0.5, 0], 'ndcg@2')['ndcg@2']).toBeNaN();
  });

  it('each query is ranked among its own documents; empty queries have no relevant document', () => {
    const r = evaluateLists([0.1, 0.2, 10, 20], [0, 1, 1, 0], offsets(2, 0, 2), M('ndcg@10,p@1'), exp2);
    expect(Array.from(r.perQuery['ndcg@10'])).toEqual([1, Number.NaN, 1 / L3]);
    expect(Array.from(r.perQuery['p@1'])).toEqual([1, 0, 0]);
    expect(r.counted).toBe(2);
    expect(r.withoutRelevant).toBe(1);
  });

  it('asking twice for the same measure computes it once', () => {
    const r = evaluateLists([1, 2], [1, 0], offsets(2), [{ name: 'ndcg', k: 2 }, { name: 'ndcg', k: 2 }], exp2);
    expect(Object.keys(r.perQuery)).toEqual(['ndcg@2']);
  });
});

describe('the noRelevant policy applies to every measure alike', () => {
  // q0: labels [2, 0, 1] ranked as given (values above); q1: labels [0, 0] (no relevant document).
  const scores = [3, 2, 1, 0.5, 0.7];
  const labels = [2, 0, 1, 0, 0];
  const qo = offsets(3, 2);
  const measures = M('ndcg@3,map,mrr,p@2,recall@2');
  const q0 = { 'ndcg@3': 3.5 / (3 + 1 / L3), map: 5 / 6, mrr: 1, 'p@2': 1 / 2, 'recall@2': 1 / 2 };
  const run = (noRelevant: NoRelevantPolicy) => evaluateLists(scores, labels, qo, measures, { gain: 'exp2', noRelevant });

  it('drop: the mean is over q0 only', () => {
    const r = run('drop');
    expect(r.counted).toBe(1);
    for (const [key, v] of Object.entries(q0)) expect(r.mean[key]).toBeCloseTo(v, 14);
  });
  it('zero: q1 counts 0 for every measure (for P@k that is its own value)', () => {
    const r = run('zero');
    expect(r.counted).toBe(2);
    for (const [key, v] of Object.entries(q0)) expect(r.mean[key]).toBeCloseTo(v / 2, 14);
  });
  it('one: q1 counts 1 for every measure, P@k included', () => {
    const r = run('one');
    expect(r.counted).toBe(2);
    for (const [key, v] of Object.entries(q0)) expect(r.mean[key]).toBeCloseTo((v + 1) / 2, 14);
    // Per query the values do not depend on the policy.
    expect(r.perQuery['p@2'][1]).toBe(0);
    expect(r.perQuery.map[1]).toBeNaN();
  });
});

describe('input checks', () => {
  const ok: ListEvalOptions = { gain: 'exp2', noRelevant: 'drop' };
  it('says what is wrong', () => {
    expect(() => evaluateLists([1, 2], [1, 0], Int32Array.of(0, 3), M('map'), ok)).toThrow(/reaches row 3 but there are 2 scores/);
    expect(() => evaluateLists([1, 2, 3], [1, 0], Int32Array.of(0, 3), M('map'), ok)).toThrow(/reaches row 3 but there are 2 labels/);
    expect(() => evaluateLists([1, 2], [1, 0], Int32Array.of(0, 2, 1), M('map'), ok)).toThrow(/must not decrease: query 2 starts at row 1/);
    expect(() => evaluateLists([1], [1], new Int32Array(0), M('map'), ok)).toThrow(/at least one entry/);
    expect(() => evaluateLists([1], [1], Int32Array.of(0, 1), [{ name: 'p' }], ok)).toThrow(/p needs a cutoff/);
    expect(() => evaluateLists([1], [1], Int32Array.of(0, 1), M('err@3'), { ...ok, ymax: 0 })).toThrow(/ymax must be a positive number/);
    expect(() => evaluateLists([1], [1], Int32Array.of(0, 1), M('map'), { ...ok, noRelevant: 'skip' as NoRelevantPolicy })).toThrow(/noRelevant must be/);
    expect(() => evaluateLists([1], [1], Int32Array.of(0, 1), M('map'), { ...ok, gain: 'log' as GainKind })).toThrow(/gain must be/);
  });
  it('no queries: empty results, nothing counted', () => {
    const r = evaluateLists([], [], Int32Array.of(0), M('ndcg@10'), ok);
    expect(r.counted).toBe(0);
    expect(r.mean['ndcg@10']).toBe(0);
    expect(r.perQuery['ndcg@10'].length).toBe(0);
  });
});

// ---- Properties ----

const ALL = 'ndcg@K,dcg@K,err@K,map,mrr,p@K,recall@K,map@K,mrr@K';
const allAt = (k: number) => M(ALL.replaceAll('K', String(k)));
const BOUNDED = (k: number) => allAt(k).filter((m) => m.name !== 'dcg').map(formatListMeasure);

const listArb = fc
  .array(fc.record({ label: fc.integer({ min: 0, max: 4 }), score: fc.oneof(fc.integer({ min: -3, max: 3 }), fc.double({ min: -1e6, max: 1e6, noNaN: true })) }), {
    minLength: 1,
    maxLength: 40,
  })
  .map((docs) => ({ labels: docs.map((d) => d.label), scores: docs.map((d) => d.score) }));
const distinctListArb = fc
  .uniqueArray(fc.integer({ min: -1000, max: 1000 }), { minLength: 1, maxLength: 40 })
  .chain((scores) => fc.array(fc.integer({ min: 0, max: 4 }), { minLength: scores.length, maxLength: scores.length }).map((labels) => ({ labels, scores })));
const kArb = fc.integer({ min: 1, max: 50 });
const gainArb = fc.constantFrom<GainKind>('exp2', 'linear');
const hasRelevant = (labels: number[]) => labels.some((l) => l >= 1);
const all1 = (scores: number[], labels: number[], k: number, gain: GainKind) =>
  Object.fromEntries(Object.entries(evaluateLists(scores, labels, offsets(labels.length), allAt(k), { gain, noRelevant: 'drop' }).perQuery).map(([key, v]) => [key, v[0]]));

describe('list-mode properties', () => {
  it('every measure but DCG lies in [0, 1]; NaN exactly for a query without a relevant document (P: 0)', () => {
    fc.assert(
      fc.property(listArb, kArb, gainArb, ({ labels, scores }, k, g) => {
        const v = all1(scores, labels, k, g);
        for (const key of BOUNDED(k)) {
          if (!hasRelevant(labels) && !key.startsWith('p@')) {
            expect(v[key]).toBeNaN();
            continue;
          }
          expect(v[key]).toBeGreaterThanOrEqual(0);
          expect(v[key]).toBeLessThanOrEqual(1 + 1e-12);
        }
        expect(v[`dcg@${k}`]).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 400 },
    );
  });

  it('the ideal order scores 1 (nDCG, AP, RR; recall@k once k covers the relevant documents)', () => {
    fc.assert(
      fc.property(listArb, kArb, gainArb, ({ labels }, k, g) => {
        fc.pre(hasRelevant(labels));
        const v = all1(labels, labels, k, g);
        expect(v[`ndcg@${k}`]).toBeCloseTo(1, 12);
        expect(v.map).toBe(1);
        expect(v.mrr).toBe(1);
        const nRel = labels.filter((l) => l >= 1).length;
        if (k >= nRel) expect(v[`recall@${k}`]).toBe(1);
        expect(v[`p@${k}`]).toBe(Math.min(k, nRel) / k);
      }),
      { numRuns: 300 },
    );
  });

  it('permuting documents among positions with equal labels leaves every measure unchanged (distinct scores)', () => {
    // With distinct scores the ranked label sequence only depends on which label each score sits on.
    const withPerm = distinctListArb.chain((l) =>
      fc.array(fc.nat(), { minLength: l.labels.length * 2, maxLength: l.labels.length * 2 }).map((swaps) => ({ ...l, swaps })),
    );
    fc.assert(
      fc.property(withPerm, kArb, gainArb, ({ labels, scores, swaps }, k, g) => {
        const permuted = [...scores];
        // Random transpositions, each within a group of equal labels.
        for (let t = 0; t + 1 < swaps.length; t += 2) {
          const i = swaps[t] % labels.length;
          const group = labels.map((l, j) => (l === labels[i] ? j : -1)).filter((j) => j >= 0);
          const j = group[swaps[t + 1] % group.length];
          [permuted[i], permuted[j]] = [permuted[j], permuted[i]];
        }
        expect(all1(permuted, labels, k, g)).toEqual(all1(scores, labels, k, g));
      }),
      { numRuns: 300 },
    );
  });

  it('adding irrelevant documents below position k leaves nDCG@k (and ERR@k, P@k, recall@k, RR@k) unchanged', () => {
    const arb = fc.tuple(listArb, kArb, gainArb, fc.array(fc.tuple(fc.nat(), fc.double({ min: 0.001, max: 1e3, noNaN: true })), { minLength: 1, maxLength: 20 }));
    fc.assert(
      fc.property(arb, ([{ labels, scores }, k, g, extra]) => {
        fc.pre(hasRelevant(labels));
        // The lowest score among the current top min(k, n); new documents score strictly below it.
        const top = [...scores].sort((a, b) => b - a).slice(0, k);
        const floor = top[top.length - 1];
        const s = [...scores];
        const y = [...labels];
        for (const [at, below] of extra) {
          const pos = at % (s.length + 1);
          s.splice(pos, 0, floor - below);
          y.splice(pos, 0, 0);
        }
        const before = all1(scores, labels, k, g);
        const after = all1(s, y, k, g);
        for (const key of [`ndcg@${k}`, `err@${k}`, `p@${k}`, `recall@${k}`, `mrr@${k}`]) expect(after[key]).toBe(before[key]);
      }),
      { numRuns: 300 },
    );
  });

  it('every ranking path gives identical values: heap or full sort, packed float32 keys or comparator', () => {
    const f32 = fc.oneof(fc.integer({ min: -3, max: 3 }), fc.float({ noNaN: false }));
    const query = fc.array(fc.record({ s: f32, y: fc.integer({ min: 0, max: 4 }) }), { maxLength: 60 });
    fc.assert(
      fc.property(fc.array(query, { minLength: 1, maxLength: 6 }), kArb, gainArb, fc.constantFrom<NoRelevantPolicy>('drop', 'zero', 'one'), (qs, k, g, pol) => {
        const scores = Float32Array.from(qs.flat().map((d) => d.s));
        const labels = Int8Array.from(qs.flat().map((d) => d.y));
        const qo = offsets(...qs.map((q) => q.length));
        const measures = allAt(k);
        const base = evaluateLists(scores, labels, qo, measures, { gain: g, noRelevant: pol, strategy: 'full', packed: false });
        for (const strategy of ['full', 'partial', 'auto'] as const) {
          for (const packed of [true, false]) {
            const r = evaluateLists(scores, labels, qo, measures, { gain: g, noRelevant: pol, strategy, packed });
            expect(r).toEqual(base);
          }
        }
        // Plain arrays (packed through a float32 scratch, labels not typed) agree too.
        expect(evaluateLists(Array.from(scores), Array.from(labels), qo, measures, { gain: g, noRelevant: pol })).toEqual(base);
      }),
      { numRuns: 300 },
    );
  });

  it('the ideal order from the label histogram equals the one from a sort', () => {
    // A far-away label in an extra query makes the label range too wide for the histogram.
    fc.assert(
      fc.property(fc.array(listArb, { minLength: 1, maxLength: 5 }), kArb, gainArb, (lists, k, g) => {
        const scores = lists.flatMap((l) => l.scores);
        const labels = lists.flatMap((l) => l.labels);
        const qo = offsets(...lists.map((l) => l.labels.length));
        const hist = evaluateLists(scores, labels, qo, M(`ndcg@${k}`), { gain: g, noRelevant: 'zero' });
        const wide = evaluateLists([...scores, 0], [...labels, -10_000], offsets(...lists.map((l) => l.labels.length), 1), M(`ndcg@${k}`), {
          gain: g,
          noRelevant: 'zero',
        });
        expect(Array.from(wide.perQuery[`ndcg@${k}`].subarray(0, lists.length))).toEqual(Array.from(hist.perQuery[`ndcg@${k}`]));
      }),
      { numRuns: 200 },
    );
  });

  it('meanNdcg and ndcgPerQuery (the app charts) are evaluateLists', () => {
    fc.assert(
      fc.property(fc.array(listArb, { minLength: 1, maxLength: 5 }), kArb, gainArb, fc.constantFrom<NoRelevantPolicy>('drop', 'zero', 'one'), (lists, k, g, pol) => {
        const scores = Float32Array.from(lists.flatMap((l) => l.scores));
        const labels = Int8Array.from(lists.flatMap((l) => l.labels));
        const qo = offsets(...lists.map((l) => l.labels.length));
        const r = evaluateLists(scores, labels, qo, [{ name: 'ndcg', k }], { gain: g, noRelevant: pol });
        expect(meanNdcg(scores, labels, qo, { k, gain: g, noRelevant: pol })).toBe(r.mean[`ndcg@${k}`]);
        expect(ndcgPerQuery(scores, labels, qo, k, g)).toEqual(r.perQuery[`ndcg@${k}`]);
      }),
      { numRuns: 100 },
    );
  });
});
