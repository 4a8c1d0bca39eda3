import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { PairIndex } from './pairs';

describe('PairIndex', () => {
  it('gives dense ids in first-seen order and finds them again, through rehashes', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.integer({ min: 0, max: 2 ** 31 - 1 })), { maxLength: 300 }), fc.array(fc.tuple(fc.nat(50), fc.nat(50)), { maxLength: 300 }), (big, small) => {
        const index = new PairIndex(4);
        const ref = new Map<string, number>();
        for (const [q, d] of [...big, ...small]) {
          const key = `${q},${d}`;
          const expected = ref.get(key) ?? ref.size;
          ref.set(key, expected);
          expect(index.add(q, d)).toBe(expected);
        }
        expect(index.size).toBe(ref.size);
        for (const [key, id] of ref) {
          const [q, d] = key.split(',').map(Number);
          expect(index.get(q, d)).toBe(id);
          expect([index.query[id], index.doc[id]]).toEqual([q, d]);
        }
        expect(index.get(-5, 3)).toBe(-1);
      }),
    );
  });
});
