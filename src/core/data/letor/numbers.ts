/**
 * Number parsing straight from bytes: LETOR files are tens of millions of "idx:val" tokens, and
 * building a string per token just to call Number() would dominate the parse. The fast path is
 * Clinger's: up to 15 significant digits and a power of ten within ±22 are exact in a double, so
 * one multiplication or division gives the correctly rounded result. Anything else falls back to
 * Number() on the token text, which is exact.
 */
export const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);

const ZERO = 48;
const NINE = 57;
const DOT = 46;
const MINUS = 45;
const PLUS = 43;
const LOWER_E = 101;
const UPPER_E = 69;

function slowParse(buf: Uint8Array, start: number, end: number): number {
  let text = '';
  for (let i = start; i < end; i++) text += String.fromCharCode(buf[i]);
  // Number() accepts "", " ", "0x1f", "Infinity": the caller's grammar check already refused those.
  return Number(text);
}

/**
 * Parses a decimal number in buf[start, end): optional sign, digits, optional fraction, optional
 * exponent. Returns NaN when the bytes are not such a number (including "nan", "inf", "1e", "").
 */
export function parseDecimal(buf: Uint8Array, start: number, end: number): number {
  let i = start;
  let negative = false;
  if (i < end && (buf[i] === MINUS || buf[i] === PLUS)) {
    negative = buf[i] === MINUS;
    i++;
  }
  let mantissa = 0;
  let significant = 0;
  let digits = 0;
  let fractionDigits = 0;
  // Digits beyond what a double holds exactly: their presence sends the token to the exact slow path.
  let droppedDigits = 0;
  for (; i < end; i++) {
    const c = buf[i];
    if (c < ZERO || c > NINE) break;
    digits++;
    if (significant < 16) {
      mantissa = mantissa * 10 + (c - ZERO);
      if (mantissa !== 0) significant++;
    } else droppedDigits++;
  }
  if (i < end && buf[i] === DOT) {
    i++;
    for (; i < end; i++) {
      const c = buf[i];
      if (c < ZERO || c > NINE) break;
      digits++;
      if (significant < 16) {
        mantissa = mantissa * 10 + (c - ZERO);
        fractionDigits++;
        if (mantissa !== 0) significant++;
      } else droppedDigits++;
    }
  }
  if (digits === 0) return Number.NaN;
  let exponent = 0;
  if (i < end && (buf[i] === LOWER_E || buf[i] === UPPER_E)) {
    i++;
    let expNegative = false;
    if (i < end && (buf[i] === MINUS || buf[i] === PLUS)) {
      expNegative = buf[i] === MINUS;
      i++;
    }
    let expDigits = 0;
    for (; i < end; i++) {
      const c = buf[i];
      if (c < ZERO || c > NINE) break;
      if (exponent < 100000) exponent = exponent * 10 + (c - ZERO);
      expDigits++;
    }
    if (expDigits === 0) return Number.NaN;
    if (expNegative) exponent = -exponent;
  }
  if (i !== end) return Number.NaN;
  if (significant >= 16 || droppedDigits > 0) return slowParse(buf, start, end);
  const scale = exponent - fractionDigits;
  let value: number;
  if (scale === 0) value = mantissa;
  else if (scale > 0 && scale <= 22) value = mantissa * POW10[scale];
  else if (scale < 0 && scale >= -22) value = mantissa / POW10[-scale];
  else return slowParse(buf, start, end);
  return negative ? -value : value;
}

/** Parses unsigned decimal digits in buf[start, end); -1 if empty, not all digits, or over 2^31. */
export function parseIndex(buf: Uint8Array, start: number, end: number): number {
  if (start >= end) return -1;
  let n = 0;
  for (let i = start; i < end; i++) {
    const c = buf[i];
    if (c < ZERO || c > NINE) return -1;
    n = n * 10 + (c - ZERO);
    if (n > 0x7fffffff) return -1;
  }
  return n;
}

