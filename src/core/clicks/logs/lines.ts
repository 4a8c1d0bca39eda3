import { createSkipReport, DataError, isDataError, recordSkip, type SkipReport } from '../../data/parse/errors';
import type { ChunkConsumer } from '../../data/parse/stream';
import { WarningList } from '../../data/text/columns';
import { Utf8Stage } from '../../data/text/decode';
import { isBlank, parseFiniteNumber, parseIntToken } from '../../data/text/fields';
import { MAX_LINE_CHARS, type ParseReport } from '../../data/text/lines';
import { detectClickLogFormat } from './detect';
import { CLICK_LOG_LABELS, type ClickLogFormat, type ClickLogParserOptions } from './types';

/**
 * The streaming line skeleton of the click-log parsers. It is the text parsers' LineParser
 * (data/text/lines.ts) with two differences: messages name click-log formats (LineParser only
 * knows text-ranking ones), and a parser hears about each line it skipped, because dropping a
 * line of a session means dropping the session.
 *
 * Bytes come in through push(), cut anywhere; complete lines go to `parseLine` with their 1-based
 * number. Blank lines are skipped but counted, CR before LF is dropped, a missing final newline
 * is fine. Only DataError leaves a parser; 'format' and 'value' errors are skippable.
 */
export abstract class ClickLineParser implements ChunkConsumer {
  protected readonly warnings = new WarningList();
  protected readonly skipped: SkipReport = createSkipReport();
  /** Records (lines) accepted: the progress count. */
  protected records = 0;
  protected readonly skipBad: boolean;
  private readonly stage: Utf8Stage;
  private carry = '';
  private lineNo = 0;
  private contentLines = 0;
  private ended = false;

  constructor(
    protected readonly file: string,
    private readonly format: ClickLogFormat,
    opts: ClickLogParserOptions = {},
  ) {
    this.stage = new Utf8Stage(file, CLICK_LOG_LABELS[format]);
    this.skipBad = opts.skipBadLines ?? false;
  }

  /** Parses one non-blank line (CR removed); throws DataError for a bad one. */
  protected abstract parseLine(line: string, lineNo: number): void;

  /** Called after a bad line was recorded as skipped: drop what it belonged to. */
  protected abstract lineSkipped(lineNo: number): void;

  get rows(): number {
    return this.records;
  }

  push(chunk: Uint8Array): void {
    if (this.ended) throw new Error('push() after finish()');
    const text = this.stage.decode(chunk, () => this.lineNo + 1);
    let nl = text.indexOf('\n');
    if (nl < 0) {
      this.carry += text;
      this.checkCarry();
      return;
    }
    this.emit(this.carry.length > 0 ? this.carry + text.slice(0, nl) : text.slice(0, nl));
    let start = nl + 1;
    while ((nl = text.indexOf('\n', start)) >= 0) {
      this.emit(text.slice(start, nl));
      start = nl + 1;
    }
    this.carry = text.slice(start);
    this.checkCarry();
  }

  /** Call once after the last push: parses the unterminated last line and checks the whole. */
  protected end(): ParseReport {
    if (this.ended) throw new Error('finish() called twice');
    this.ended = true;
    this.stage.end(this.lineNo + 1);
    if (this.carry.length > 0) this.emit(this.carry);
    this.carry = '';
    if (this.stage.bytes === 0) throw this.error('format', 'file is empty');
    if (this.contentLines === 0) throw this.error('format', 'file is empty (only blank lines)');
    return this.report();
  }

  protected report(): ParseReport {
    return { warnings: this.warnings.toArray(), skipped: this.skipped };
  }

  /**
   * The error for a file that yielded no session: everything was skipped (say the first
   * reason), or there was nothing to read (say what was missing).
   */
  protected noSessions(nothing: string): DataError {
    const first = this.skipped.first[0];
    if (first) {
      return new DataError({
        kind: 'format',
        file: this.file,
        line: first.line,
        reason: `no session could be read: ${this.skipped.count.toLocaleString('en')} bad line(s) were skipped; the first: ${first.reason}`,
      });
    }
    return new DataError({ kind: 'format', file: this.file, reason: nothing });
  }

  protected error(kind: 'format' | 'value' | 'limit', reason: string, line?: number, token?: string): DataError {
    return new DataError({ kind, file: this.file, line, reason, token });
  }

  private emit(raw: string): void {
    const lineNo = ++this.lineNo;
    const line = raw.length > 0 && raw.charCodeAt(raw.length - 1) === 13 ? raw.slice(0, -1) : raw;
    if (line.length === 0 || (line.charCodeAt(0) <= 32 && isBlank(line))) return;
    this.contentLines++;
    try {
      this.parseLine(line, lineNo);
    } catch (e) {
      if (!isDataError(e)) throw e;
      const explained = this.records === 0 && this.skipped.count === 0 ? this.withFormatHint(e, line) : e;
      if (!this.skipBad || (e.kind !== 'format' && e.kind !== 'value')) throw explained;
      recordSkip(this.skipped, explained);
      this.lineSkipped(lineNo);
    }
  }

  /** On the first data line, a failure most often means a different format: say which it looks like. */
  private withFormatHint(e: DataError, line: string): DataError {
    const guess = detectClickLogFormat(this.file, line);
    if (guess.format === null || guess.format === this.format) return e;
    return new DataError({
      kind: e.kind,
      file: e.file,
      line: e.line,
      column: e.column,
      token: e.token,
      reason: `${e.reason}; this looks like ${CLICK_LOG_LABELS[guess.format]}, not ${CLICK_LOG_LABELS[this.format]}`,
    });
  }

  private checkCarry(): void {
    if (this.carry.length > MAX_LINE_CHARS) {
      throw new DataError({
        kind: 'limit',
        file: this.file,
        line: this.lineNo + 1,
        reason: `line is longer than ${MAX_LINE_CHARS.toLocaleString('en')} characters: is this ${CLICK_LOG_LABELS[this.format]}?`,
      });
    }
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
