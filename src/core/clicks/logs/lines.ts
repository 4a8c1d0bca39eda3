import { DataError } from '../../data/parse/errors';
import { parseFiniteNumber, parseIntToken } from '../../data/text/fields';
import { LineStream, type ParseReport } from '../../data/text/lines';
import { detectClickLogFormat } from './detect';
import { CLICK_LOG_LABELS, type ClickLogFormat, type ClickLogParserOptions } from './types';

/**
 * The click-log parsers' line skeleton: the shared LineStream (data/text/lines.ts) named by a
 * click-log format. Subclasses override `lineSkipped`, because dropping a line of a session
 * means dropping the session.
 */
export abstract class ClickLineParser extends LineStream {
  constructor(file: string, format: ClickLogFormat, opts: ClickLogParserOptions = {}) {
    super(
      file,
      {
        label: CLICK_LOG_LABELS[format],
        lookalike: (f, line) => {
          const guess = detectClickLogFormat(f, line).format;
          return guess !== null && guess !== format ? CLICK_LOG_LABELS[guess] : null;
        },
      },
      opts,
    );
  }

  /** Call once after the last push: parses the unterminated last line and checks the whole. */
  protected end(): ParseReport {
    this.endLines();
    return this.report();
  }

  /** The error for a file that yielded no session. */
  protected noSessions(nothing: string): DataError {
    return this.nothingRead('session', nothing);
  }
}

/**
 * Splits on single tabs (empty fields kept: "a\t\tb" is three fields), storing at most `max`
 * fields into `out`; returns how many fields there are in all.
 */
export function splitTabs(line: string, out: string[], max: number): number {
  let count = 0;
  let start = 0;
  for (;;) {
    const tab = line.indexOf('\t', start);
    const end = tab < 0 ? line.length : tab;
    if (count < max) out[count] = line.slice(start, end);
    count++;
    if (tab < 0) return count;
    start = tab + 1;
  }
}

/** A click bit: exactly "0" or "1", or why not. */
export function clickOf(token: string): 0 | 1 | string {
  if (token === '0') return 0;
  if (token === '1') return 1;
  return 'click must be 0 or 1';
}

/** Dwell time: a finite number ≥ 0; an empty field means unknown (NaN). */
export function dwellOf(token: string, what = 'dwell time'): number | string {
  if (token.length === 0) return NaN;
  const n = parseFiniteNumber(token, what);
  if (!n.ok) return n.reason;
  if (n.value < 0) return `${what} must not be negative`;
  return n.value;
}

/** A 1-based rank or position: a positive integer no larger than `max`, or why not. */
export function rankOf(token: string, what: string, max: number): number | string {
  const value = parseIntToken(token);
  if (!Number.isInteger(value)) return `${what} is not an integer`;
  if (value < 1) return `${what} must be 1 or more (ranks are 1-based)`;
  if (value > max) return `${what} is larger than ${max.toLocaleString('en')}, the most slots a session may have`;
  return value;
}

/** Sessions longer than this are refused: the log is sessions × k, and k is the longest session. */
export const MAX_SLOTS = 1000;

/** The `k` option, checked: an integer from 1 to MAX_SLOTS, or undefined. */
export function checkK(file: string, k: number | undefined): number | undefined {
  if (k === undefined) return undefined;
  if (!Number.isInteger(k) || k < 1 || k > MAX_SLOTS) {
    throw new DataError({ kind: 'value', file, reason: `the k option must be an integer from 1 to ${MAX_SLOTS.toLocaleString('en')}, not ${k}` });
  }
  return k;
}
