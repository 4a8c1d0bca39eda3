import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDecimal, parseIndex } from './numbers';

const enc = new TextEncoder();

/** parseDecimal over the whole of `text`, placed inside a larger buffer so start/end offsets matter. */
function dec(text: string): number {
  const bytes = enc.encode(`9${text}9`);
  return parseDecimal(bytes, 1, bytes.length - 1);
}

function idx(text: string): number {
  const bytes = enc.encode(`7${text}7`);
  return parseIndex(bytes, 1, bytes.length - 1);
}

/** Same number, bit for bit (-0 and 0 differ, NaN equals NaN). */
function expectSame(text: string): void {
  const got = dec(text);
  const want = Number(text);
  if (!Object.is(got, want)) expect.fail(`parseDecimal('${text}') = ${got}, Number() = ${want}`);
}

describe('parseDecimal', () => {
  it('agrees with Number() on hand-picked forms', () => {
    const forms = [
      '0', '-0', '+0', '1', '-1', '+1', '7', '42', '000', '007', '-007', '1234567890',
      '0.5', '.5', '-.5', '+.5', '5.', '-5.', '0.000000', '0.056537', '0.076923', '1.0', '00.0100',
      '1e5', '1E5', '1e+5', '1E-5', '-1.5e-3', '2.5E+10', '5.e3', '.5e1', '1e0', '1e-0', '1e22', '1e23',
      '1e-22', '1e-23', '1e308', '1e309', '1.7976931348623157e308', '1.7976931348623159e308', '4.9e-324',
      '5e-324', '2e-324', '1e-400', '1e400', '1e99999999999', '1e-99999999999', '2.2250738585072014e-308',
      // 15, 16, 17 and more significant digits (the fast path's limit and beyond).
      '123456789012345', '1234567890123456', '12345678901234567', '123456789012345678901234567890',
      '0.123456789012345', '0.1234567890123456', '0.12345678901234567', '9007199254740993', '9007199254740992',
      '0.1', '0.2', '0.3', '0.30000000000000004', '3.141592653589793', '2.718281828459045', '1.0000000000000002',
      '0.0119881192468859', '0.139842', '999999999999999', '9999999999999999', '99999999999999999',
      '0.00000000000000000000000001', '100000000000000000000000', '1000000000000000000000000000000',
      '000000000000000000000000000001', '0.000000000000000000000000000000000000000000001',
      '123456.789e-3', '8.589973e9', '1.401298464324817e-45', '3.4028234663852886e38',
    ];
    for (const f of forms) expectSame(f);
  });

  it('rejects what is not a decimal number', () => {
    for (const bad of ['', '.', '-', '+', '-.', '1e', '1e+', '1E-', 'e5', '.e5', 'nan', 'NaN', 'inf', '-inf', 'Infinity',
      '1.2.3', '0x10', '0b1', ' 1', '1 ', '1,5', '1_000', '--1', '+-1', '1e5.5', '1ee5', 'abc', '1a', '\u00001', '١']) {
      expect(dec(bad), bad).toBeNaN();
    }
  });

  it('reads only buf[start, end)', () => {
    const b = enc.encode('12.5e3');
    expect(parseDecimal(b, 0, 2)).toBe(12);
    expect(parseDecimal(b, 1, 4)).toBe(2.5);
    expect(parseDecimal(b, 0, 6)).toBe(12500);
    expect(parseDecimal(b, 3, 3)).toBeNaN();
  });

  it('equals Number() exactly for doubles printed by toString / toFixed / toExponential / toPrecision', () => {
    const printed = fc
      .tuple(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 5 }))
      .map(([v, k, how]) => {
        switch (how) {
          case 0:
            return String(v);
          case 1:
            return v.toFixed(k);
          case 2:
            return v.toExponential(k);
          case 3:
            return v.toPrecision(k + 1);
          case 4:
            return String(v).toUpperCase();
          default:
            return v >= 0 ? `+${v.toExponential(k)}` : v.toExponential(k);
        }
      });
    fc.assert(fc.property(printed, (text) => Object.is(dec(text), Number(text))), { numRuns: 3000 });
  });

  it('equals Number() for typical feature values (few digits, the fast path)', () => {
    const small = fc.tuple(fc.integer({ min: -1e9, max: 1e9 }), fc.integer({ min: 0, max: 9 })).map(([n, k]) => (n / 10 ** k).toFixed(k));
    fc.assert(fc.property(small, (text) => Object.is(dec(text), Number(text))), { numRuns: 2000 });
  });

  it('equals Number() (NaN included) on strings from the decimal grammar', () => {
    const digits = (max: number) => fc.string({ unit: fc.constantFrom('0', '1', '5', '9'), maxLength: max });
    const grammar = fc
      .tuple(
        fc.constantFrom('', '+', '-'),
        digits(25),
        fc.boolean(),
        digits(25),
        fc.option(fc.tuple(fc.constantFrom('e', 'E'), fc.constantFrom('', '+', '-'), fc.oneof(digits(4), fc.integer({ min: 0, max: 400 }).map(String)))),
      )
      .map(([sign, int, dot, frac, exp]) => `${sign}${int}${dot ? '.' : ''}${dot ? frac : ''}${exp ? exp.join('') : ''}`)
      .filter((t) => t !== '' && t !== '+' && t !== '-'); // Number('') is 0, not a grammar question
    fc.assert(fc.property(grammar, (text) => Object.is(dec(text), Number(text))), { numRuns: 3000 });
  });
});

describe('parseIndex', () => {
  it('parses unsigned decimal digits', () => {
    expect(idx('0')).toBe(0);
    expect(idx('1')).toBe(1);
    expect(idx('136')).toBe(136);
    expect(idx('00042')).toBe(42);
    expect(idx('2147483647')).toBe(2147483647);
  });

  it('returns -1 for empty, non-digits and values over 2^31 - 1', () => {
    for (const bad of ['', '-1', '+1', '1a', 'a1', '1.0', ' 1', '1e3', '2147483648', '99999999999999999999']) expect(idx(bad), bad).toBe(-1);
  });

  it('agrees with Number() on digit strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('0', '1', '2', '9'), minLength: 1, maxLength: 12 }), (text) => {
        const n = Number(text);
        expect(idx(text)).toBe(n > 0x7fffffff ? -1 : n);
      }),
      { numRuns: 1000 },
    );
  });
});
