/**
 * The two printf conversions trec_eval's output uses, reproduced digit for digit.
 *
 * glibc's `%.Nf` rounds the exact binary value of the double to N decimals, and an exact tie goes
 * to the even digit (round-half-even, the default rounding mode): 0.03125 prints as 0.0312.
 * JavaScript's toFixed also starts from the exact value but sends ties up (0.0313), so it cannot
 * be used. Ties are rare (at 4 decimals only odd multiples of 1/32 are ties: 0.03125, 0.09375,
 * ...) but such values are exactly what a mean of a few per-query fractions produces.
 */

const f64 = new DataView(new ArrayBuffer(8));

/** The exact value of a finite, non-negative double as mantissa × 2^exponent. */
function decompose(x: number): { mantissa: bigint; exponent: number } {
  f64.setFloat64(0, x);
  const bits = f64.getBigUint64(0);
  const biased = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & 0xfffffffffffffn;
  // Subnormals have no implicit leading 1 and the exponent of the smallest normal.
  return biased === 0 ? { mantissa: fraction, exponent: -1074 } : { mantissa: fraction | (1n << 52n), exponent: biased - 1075 };
}

/** printf("%.{precision}f", value) as glibc prints it (no width). */
export function formatFixed(value: number, precision: number): string {
  if (!Number.isInteger(precision) || precision < 0 || precision > 100) throw new RangeError(`precision ${precision} is not supported`);
  // glibc prints the sign of a NaN too ("-nan"); a NaN here carries no sign we could read.
  if (Number.isNaN(value)) return 'nan';
  const negative = value < 0 || Object.is(value, -0);
  if (!Number.isFinite(value)) return negative ? '-inf' : 'inf';

  const { mantissa, exponent } = decompose(Math.abs(value));
  const scaledNumerator = mantissa * 10n ** BigInt(precision);
  let units: bigint;
  if (exponent >= 0) units = scaledNumerator << BigInt(exponent);
  else {
    const denominator = 1n << BigInt(-exponent);
    units = scaledNumerator / denominator;
    const twiceRemainder = (scaledNumerator % denominator) * 2n;
    if (twiceRemainder > denominator || (twiceRemainder === denominator && (units & 1n) === 1n)) units += 1n;
  }

  const digits = units.toString().padStart(precision + 1, '0');
  const body = precision === 0 ? digits : `${digits.slice(0, digits.length - precision)}.${digits.slice(digits.length - precision)}`;
  return negative ? `-${body}` : body;
}

/** printf("%{width}.{precision}f", value): right-aligned in at least `width` characters. */
export function formatFixedWidth(value: number, width: number, precision: number): string {
  return formatFixed(value, precision).padStart(width, ' ');
}

/** printf("%-{width}s", text): left-aligned, padded with spaces, never cut. */
export function padRight(text: string, width: number): string {
  return text.padEnd(width, ' ');
}

/** printf("%ld", (long) value): C's conversion to long truncates toward zero. */
export function formatLong(value: number): string {
  return String(Math.trunc(value));
}
