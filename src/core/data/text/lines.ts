import { createSkipReport, DataError, isDataError, recordSkip, type SkipReport } from '../parse/errors';
import type { ChunkConsumer, DriveOptions } from '../parse/stream';
import { WarningList } from './columns';
import { Utf8Stage } from './decode';
import { detectTextFormat, FORMAT_LABELS, type TextFormat } from './detect';
import { isBlank } from './fields';

export interface TextParserOptions {
  /**
   * Record lines (or SGML blocks) that fail to parse in `skipped` instead of stopping at the first.
   * Problems with the file as a whole (binary, invalid UTF-8, empty, truncated) still stop it.
   */
  skipBadLines?: boolean;
}

export type TextParseOptions = TextParserOptions & DriveOptions;

/** What every text parser reports besides its data. */
export interface ParseReport {
  /** Things a person should know that did not stop the parse (duplicates, missing header, …). */
  warnings: string[];
  skipped: SkipReport;
}

/** Longer than any real line; past it the input is almost surely not the format asked for. */
export const MAX_LINE_CHARS = 1 << 24;

/** How a line format names itself and recognises look-alikes, for messages. */
export interface LineFormat {
  /** e.g. "a TREC qrels file (qid iter docno rel)". */
  label: string;
  /** The label of another format this line looks like, or null. */
  lookalike(file: string, line: string): string | null;
}

/**
 * The streaming skeleton of every line-based parser (text-ranking files and click logs): bytes
 * in through push(), cut anywhere (inside a UTF-8 character, between CR and LF); complete lines
 * out to `parseLine` with their 1-based number. Blank lines are skipped but counted, CR before
 * LF is dropped, a missing final newline is fine. Only DataError leaves a parser; 'format' and
 * 'value' errors are skippable, and a subclass hears of each skipped line (`lineSkipped`).
 */
export abstract class LineStream implements ChunkConsumer {
  protected readonly warnings = new WarningList();
  protected readonly skipped: SkipReport = createSkipReport();
  /** Records accepted: the progress count. */
  protected records = 0;
  protected readonly skipBad: boolean;
  private readonly stage: Utf8Stage;
  /** The unfinished last line of what has been decoded so far. */
  private carry = '';
  private lineNo = 0;
  private contentLines = 0;
  private ended = false;

  constructor(
    protected readonly file: string,
    /** The format this parser reads, to tell a wrong-format file from a damaged one. */
    private readonly format: LineFormat,
    opts: TextParserOptions = {},
  ) {
    this.stage = new Utf8Stage(file, format.label);
    this.skipBad = opts.skipBadLines ?? false;
  }

  /** Parses one non-blank line (CR already removed); throws DataError for a bad one. */
  protected abstract parseLine(line: string, lineNo: number): void;

  /** Called after a bad line was recorded as skipped: drop what it belonged to (default: nothing). */
  protected lineSkipped(lineNo: number): void {
    void lineNo;
  }

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

  /** Call once after the last push: parses the unterminated last line and checks the file is not empty. */
  protected endLines(): void {
    if (this.ended) throw new Error('finish() called twice');
    this.ended = true;
    this.stage.end(this.lineNo + 1);
    if (this.carry.length > 0) this.emit(this.carry);
    this.carry = '';
    if (this.stage.bytes === 0) throw this.error('format', 'file is empty');
    if (this.contentLines === 0) throw this.error('format', 'file is empty (only blank lines)');
  }

  protected report(): ParseReport {
    return { warnings: this.warnings.toArray(), skipped: this.skipped };
  }

  /** The error for a file that yielded nothing: everything was skipped (say the first reason), or there was nothing to read. */
  protected nothingRead(what: string, nothing: string): DataError {
    const first = this.skipped.first[0];
    if (first) {
      return new DataError({
        kind: 'format',
        file: this.file,
        line: first.line,
        reason: `no ${what} could be read: ${this.skipped.count.toLocaleString('en')} bad line(s) were skipped; the first: ${first.reason}`,
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
    const other = this.format.lookalike(this.file, line);
    if (other === null) return e;
    return new DataError({
      kind: e.kind,
      file: e.file,
      line: e.line,
      column: e.column,
      token: e.token,
      reason: `${e.reason}; this looks like ${other}, not ${this.format.label}`,
    });
  }

  private checkCarry(): void {
    if (this.carry.length > MAX_LINE_CHARS) {
      throw new DataError({
        kind: 'limit',
        file: this.file,
        line: this.lineNo + 1,
        reason: `line is longer than ${MAX_LINE_CHARS.toLocaleString('en')} characters: is this ${this.format.label}?`,
      });
    }
  }
}

/** The text-ranking formats' line parser: LineStream named by a TextFormat. */
export abstract class LineParser extends LineStream {
  constructor(file: string, format: TextFormat, opts: TextParserOptions = {}) {
    super(
      file,
      {
        label: FORMAT_LABELS[format],
        lookalike: (f, line) => {
          const guess = detectTextFormat(f, line).format;
          return guess !== null && guess !== format ? FORMAT_LABELS[guess] : null;
        },
      },
      opts,
    );
  }

  /** Parses the last line and checks the whole; every line skipped is an error. */
  protected end(): ParseReport {
    this.endLines();
    if (this.records === 0 && this.skipped.count > 0) {
      const first = this.skipped.first[0];
      throw new DataError({
        kind: 'format',
        file: this.file,
        line: first.line,
        reason: `no line could be read: all ${this.skipped.count.toLocaleString('en')} were skipped; the first: ${first.reason}`,
      });
    }
    return this.report();
  }
}
