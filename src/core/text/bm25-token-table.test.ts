import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hashRange, MISSING, TokenTable } from './bm25-token-table';

describe('TokenTable', () => {
  it('finds what was inserted by a range of another string, and nothing else', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.string({ minLength: 1, maxLength: 8 }), { maxLength: 3000 }), (keys) => {
        const table = new TokenTable(1 << 20);
        keys.forEach((k, i) => table.insert(k, hashRange(k, 0, k.length), i));
        expect(table.size).toBe(keys.length);
        keys.forEach((k, i) => {
          const text = `<<${k}>>`;
          expect(table.find(text, 2, 2 + k.length, hashRange(text, 2, 2 + k.length))).toBe(i);
        });
        const absent = '\u0000not-a-key';
        expect(table.find(absent, 0, absent.length, hashRange(absent, 0, absent.length))).toBe(MISSING);
      }),
      { numRuns: 30, seed: 8 },
    );
  });

  it('empties itself at its limit and goes on working', () => {
    const table = new TokenTable(100);
    for (let i = 0; i < 250; i++) table.insert(`k${i}`, hashRange(`k${i}`, 0, `k${i}`.length), i);
    expect(table.size).toBe(50);
    expect(table.find('k249', 0, 4, hashRange('k249', 0, 4))).toBe(249);
    expect(table.find('k10', 0, 3, hashRange('k10', 0, 3))).toBe(MISSING);
  });
});
