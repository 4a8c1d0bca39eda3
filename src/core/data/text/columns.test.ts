import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IdTable, int32Column, PairIndex, WarningList } from './columns';

describe('PairIndex', () => {
  it('finds exactly the pairs added before, through table growth', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat({ max: 60 }), fc.nat({ max: 60 })), { maxLength: 3000 }), (pairs) => {
        const a = int32Column();
        const b = int32Column();
        const index = new PairIndex(a, b);
        const reference = new Map<string, number>();
        for (const [x, y] of pairs) {
          const found = index.findOrAdd(x, y, a.length);
          const expected = reference.get(`${x},${y}`);
          if (expected === undefined) {
            expect(found).toBe(-1);
            reference.set(`${x},${y}`, a.length);
            a.push(x);
            b.push(y);
          } else expect(found).toBe(expected);
        }
      }),
      { numRuns: 30 },
    );
  });
});

describe('IdTable', () => {
  it('interns in first-seen order and refuses a repeated new id', () => {
    const t = new IdTable();
    expect([t.intern('b'), t.intern('a'), t.intern('b')]).toEqual([0, 1, 0]);
    expect(t.addNew('a')).toBe(-1);
    expect(t.addNew('c')).toBe(2);
    expect(t.ids).toEqual(['b', 'a', 'c']);
    expect(t.indexOf('c')).toBe(2);
    expect(t.indexOf('zz')).toBe(-1);
  });
});

describe('WarningList', () => {
  it('keeps the first 20 and counts the rest', () => {
    const w = new WarningList();
    for (let i = 0; i < 25; i++) w.add(`w${i}`);
    const list = w.toArray();
    expect(list).toHaveLength(21);
    expect(list[20]).toBe('… and 5 more warnings like these');
  });
});
