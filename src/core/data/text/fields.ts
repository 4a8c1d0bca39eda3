/**
 * Field splitting and number reading for whitespace-separated formats, written as plain loops:
 * they run once per line of files with millions of lines, where a regex split costs several times
 * more.
 */

function isSpace(c: number): boolean {
  // The ASCII whitespace C's isspace() knows, which is what trec_eval splits on.
  return c === 32 || (c >= 9 && c <= 13);
}

/**
 * Splits `line` on runs of whitespace, storing at most `max` fields into `out` (reused between
 * calls), and returns how many fields there are in all, so callers can say "found 7".
 */
export function splitWhitespace(line: string, out: string[], max: number): number {
  let count = 0;
  let i = 0;
  const n = line.length;
  while (i < n) {
    while (i < n && isSpace(line.charCodeAt(i))) i++;
    if (i >= n) break;
    const start = i;
    while (i < n && !isSpace(line.charCodeAt(i))) i++;
    if (count < max) out[count] = line.slice(start, i);
    count++;
  }
  return count;
}

export function isBlank(line: string): boolean {
  for (let i = 0; i < line.length; i++) if (!isSpace(line.charCodeAt(i))) return false;
  return true;
}

/** An optionally signed run of decimal digits, as a number; NaN for anything else. */
export function parseIntToken(token: string): number {
  let i = 0;
  const n = token.length;
  let sign = 1;
  if (n > 0 && (token.charCodeAt(0) === 45 || token.charCodeAt(0) === 43)) {
    if (token.charCodeAt(0) === 45) sign = -1;
    i = 1;
  }
  if (i >= n) return NaN;
  let value = 0;
  for (; i < n; i++) {
    const d = token.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return NaN;
    value = value * 10 + d;
  }
  return sign * value;
}

export type NumberCheck = { ok: true; value: number } | { ok: false; reason: string };

const NON_FINITE = /^[+-]?(nan|inf|infinity)$/i;

/** Only digits, signs, '.', 'e', 'E': keeps Number() from reading "0x1f" or "0b1" as numbers. */
function decimalChars(token: string): boolean {
  for (let i = 0; i < token.length; i++) {
    const c = token.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46 || c === 101 || c === 69)) return false;
  }
  return true;
}

/**
 * A finite decimal number (what C's atof reads, less hex and partial numbers). NaN and infinities
 * are refused with their own reason: a document scored NaN has no place in a ranking.
 */
export function parseFiniteNumber(token: string, what: string): NumberCheck {
  const value = token.length > 0 && decimalChars(token) ? Number(token) : NaN;
  if (Number.isFinite(value)) return { ok: true, value };
  if (NON_FINITE.test(token) || (decimalChars(token) && !Number.isNaN(Number(token)))) {
    return { ok: false, reason: `${what} must be a finite number, not NaN or infinity` };
  }
  return { ok: false, reason: `${what} is not a number` };
}
