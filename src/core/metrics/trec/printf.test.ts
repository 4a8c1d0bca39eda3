import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatFixed, formatFixedWidth, formatLong, padRight } from './printf';

describe('printf %.Nf as glibc prints it', () => {
  it('rounds exact binary ties to even, where toFixed rounds up', () => {
    expect(formatFixed(0.03125, 4)).toBe('0.0312');
    expect((0.03125).toFixed(4)).toBe('0.0313');
    expect(formatFixed(0.09375, 4)).toBe('0.0938'); // 937.5 → 938 (even)
    expect(formatFixed(0.15625, 4)).toBe('0.1562');
    expect(formatFixed(0.5, 0)).toBe('0');
    expect(formatFixed(1.5, 0)).toBe('2');
    expect(formatFixed(2.5, 0)).toBe('2');
    expect(formatFixed(0.125, 2)).toBe('0.12');
    expect(formatFixed(0.375, 2)).toBe('0.38');
  });

  it('rounds the exact value of the double, not its shortest decimal form', () => {
    // 0.00005 is stored as 5.000000000000000240e-5, above the tie: up.
    expect(formatFixed(0.00005, 4)).toBe('0.0001');
    // 1.0005 is stored as 1.000499999999999945, below the tie: down.
    expect(formatFixed(1.0005, 3)).toBe('1.000');
    expect(formatFixed(1 / 3, 4)).toBe('0.3333');
    expect(formatFixed(2 / 3, 4)).toBe('0.6667');
  });

  it('pads, signs and prints large and tiny values', () => {
    expect(formatFixedWidth(0.1, 6, 4)).toBe('0.1000');
    expect(formatFixedWidth(0.1, 3, 2)).toBe('0.10');
    expect(formatFixedWidth(0, 8, 4)).toBe('  0.0000');
    expect(formatFixed(-0.00001, 4)).toBe('-0.0000');
    expect(formatFixed(-0, 4)).toBe('-0.0000');
    expect(formatFixed(123456789.123456, 4)).toBe('123456789.1235');
    expect(formatFixed(1e21, 2)).toBe('1000000000000000000000.00');
    expect(formatFixed(5e-324, 4)).toBe('0.0000');
    expect(formatFixed(Infinity, 4)).toBe('inf');
    expect(formatFixed(NaN, 4)).toBe('nan');
  });

  it('agrees with toFixed everywhere except exact ties (x·32 odd at 4 decimals)', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1e6, noNaN: true }), (x) => {
        const tie = Number.isInteger(x * 32) && (x * 32) % 2 === 1;
        if (tie) expect(formatFixed(x, 4)).not.toBe(x.toFixed(4));
        else expect(formatFixed(x, 4)).toBe(x.toFixed(4));
      }),
      { numRuns: 5000 },
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000 }), (j) => {
        const x = (2 * j + 1) / 32;
        const units = Math.floor(x * 10000); // x·10⁴ = k + 0.5 exactly
        const expected = units % 2 === 0 ? units : units + 1;
        expect(formatFixed(x, 4)).toBe((expected / 10000).toFixed(4));
      }),
    );
  });

  it('%-22s and %ld', () => {
    expect(padRight('map', 22)).toBe('map                   ');
    expect(padRight('iprec_at_recall_0.10_long_name', 22)).toBe('iprec_at_recall_0.10_long_name');
    expect(formatLong(10)).toBe('10');
    expect(formatLong(2.9)).toBe('2');
  });
});
