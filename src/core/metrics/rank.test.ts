import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ListRanker, scoresAreFloat32, type RankStrategy } from './rank';

/**
 * The reference order: Array.prototype.sort (stable) by descending score, NaN after every number;
 * ties, −0 vs +0 included, are left in document order by the stable sort itself.
 */
function reference(scores: ArrayLike<number>, from: number, to: number): number[] {
  const idx = Array.from({ length: to - from }, (_, i) => from + i);
  return idx.sort((a, b) => {
    const sa = scores[a];
    const sb = scores[b];
    const na = Number.isNaN(sa) ? 1 : 0;
    const nb = Number.isNaN(sb) ? 1 : 0;
    if (na !== nb) return na - nb;
    return sa > sb ? -1 : sa < sb ? 1 : 0;
  });
}

function rankWith(scores: ArrayLike<number>, from: number, to: number, depth: number, strategy: RankStrategy, packed: boolean): number[] {
  const ranker = new ListRanker(scores, to - from, { from, to }, { packed });
  const out = new Int32Array(to - from);
  const d = ranker.rank(from, to, depth, out, strategy);
  return Array.from(out.subarray(0, d));
}

/** Few distinct values, so ties are common; plus the awkward ones. */
const tieScore = fc.oneof(
  fc.integer({ min: -3, max: 3 }),
  fc.constantFrom(0, -0, Number.NaN, Infinity, -Infinity, 0.5, -0.5),
);
const f32Score = fc.oneof(tieScore, fc.float({ noDefaultInfinity: false }));
const f64Score = fc.oneof(tieScore, fc.double());

describe('ranking a list', () => {
  it('orders by descending score, ties in document order, NaN last', () => {
    const s = [1, Number.NaN, 3, 3, -0, 0, -Infinity, Number.NaN, 2];
    // 3 (row 2), 3 (row 3), 2, 1, −0 and 0 tie (rows 4, 5), −∞, then NaN rows 1 and 7.
    const expected = [2, 3, 8, 0, 4, 5, 6, 1, 7];
    for (const strategy of ['full', 'partial', 'auto'] as const) {
      for (const packed of [true, false]) {
        expect(rankWith(s, 0, s.length, s.length, strategy, packed)).toEqual(expected);
        expect(rankWith(Float32Array.from(s), 0, s.length, 4, strategy, packed)).toEqual(expected.slice(0, 4));
      }
    }
  });

  it('ranks only rows [from, to) and returns absolute rows', () => {
    const s = [9, 1, 5, 7, 9];
    expect(rankWith(s, 1, 4, 10, 'full', true)).toEqual([3, 2, 1]);
    expect(rankWith(s, 1, 4, 2, 'partial', false)).toEqual([3, 2]);
  });

  it('packs float32 scores, compares float64 ones', () => {
    expect(scoresAreFloat32(new Float32Array([0.1]), 0, 1)).toBe(true);
    expect(scoresAreFloat32([0.5, 2, Number.NaN, -Infinity], 0, 4)).toBe(true);
    expect(scoresAreFloat32([0.1], 0, 1)).toBe(false);
    expect(new ListRanker([0.1, 0.2], 2).packed).toBe(false);
    expect(new ListRanker(new Float32Array([0.1, 0.2]), 2).packed).toBe(true);
    expect(new ListRanker(new Float32Array([0.1, 0.2]), 2, undefined, { packed: false }).packed).toBe(false);
  });

  it('the top d by heap selection equals the first d of a full stable sort, on every path (float32 scores)', () => {
    fc.assert(
      fc.property(
        fc.array(f32Score, { minLength: 0, maxLength: 80 }),
        fc.integer({ min: 1, max: 100 }),
        fc.boolean(),
        (raw, depth, typed) => {
          const scores = typed ? Float32Array.from(raw) : raw.map(Math.fround);
          const ref = reference(scores, 0, scores.length).slice(0, depth);
          for (const strategy of ['full', 'partial', 'auto'] as const) {
            for (const packed of [true, false]) expect(rankWith(scores, 0, scores.length, depth, strategy, packed)).toEqual(ref);
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('the same for float64 scores (comparator path) and for a list inside a longer column', () => {
    fc.assert(
      fc.property(fc.array(f64Score, { minLength: 0, maxLength: 80 }), fc.integer({ min: 1, max: 100 }), fc.nat(), fc.nat(), (scores, depth, a, b) => {
        const from = Math.min(a, b) % (scores.length + 1);
        const to = from + (Math.max(a, b) % (scores.length - from + 1));
        const ref = reference(scores, from, to).slice(0, depth);
        for (const strategy of ['full', 'partial', 'auto'] as const) expect(rankWith(scores, from, to, depth, strategy, true)).toEqual(ref);
      }),
      { numRuns: 500 },
    );
  });

  it('one ranker reused across lists of varying length gives each list its own order', () => {
    fc.assert(
      fc.property(fc.array(fc.array(f32Score, { maxLength: 40 }), { minLength: 1, maxLength: 8 }), fc.integer({ min: 1, max: 50 }), (lists, depth) => {
        const scores = Float32Array.from(lists.flat());
        const maxLen = Math.max(...lists.map((l) => l.length));
        for (const packed of [true, false]) {
          const ranker = new ListRanker(scores, maxLen, undefined, { packed });
          const out = new Int32Array(maxLen);
          let from = 0;
          for (const l of lists) {
            const d = ranker.rank(from, from + l.length, depth, out);
            expect(Array.from(out.subarray(0, d))).toEqual(reference(scores, from, from + l.length).slice(0, depth));
            from += l.length;
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
