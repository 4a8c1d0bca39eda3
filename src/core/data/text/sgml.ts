import { createSkipReport, DataError, isDataError, recordSkip, type SkipReport } from '../parse/errors';
import type { ChunkConsumer } from '../parse/stream';
import { WarningList } from './columns';
import { countNewlines, Utf8Stage } from './decode';
import { detectTextFormat, FORMAT_LABELS, type TextFormat } from './detect';
import type { ParseReport, TextParserOptions } from './lines';

/** A document or topic longer than this is a missing close tag, not a real block. */
export const MAX_BLOCK_CHARS = 1 << 26;
/** Room kept at the end of the buffer for an open/close tag cut by a chunk boundary. */
const MAX_TAG_CHARS = 256;

/**
 * The streaming skeleton of TREC's SGML files: a sequence of `<TAG> … </TAG>` blocks (DOC for
 * documents, top for topics), matched case-insensitively, with only whitespace between them. Each
 * complete block's inner text goes to `parseBlock` with the line its open tag is on. Blocks may be
 * cut anywhere by chunk boundaries; only the unfinished block stays buffered.
 */
export abstract class SgmlBlockParser implements ChunkConsumer {
  protected readonly warnings = new WarningList();
  protected readonly skipped: SkipReport = createSkipReport();
  protected records = 0;
  private readonly stage: Utf8Stage;
  private readonly tagRe: RegExp;
  private readonly skipBad: boolean;
  private buf = '';
  /** Line number of buf[0]. */
  private bufLine = 1;
  /** A position in buf whose line number is known, so lines are counted once, left to right. */
  private cursor = 0;
  private cursorLine = 1;
  /** Where the open tag of the unfinished block starts and ends in buf (-1: between blocks). */
  private open = -1;
  private openEnd = 0;
  private openLine = 0;
  private scanFrom = 0;
  private blocks = 0;
  private ended = false;

  constructor(
    protected readonly file: string,
    private readonly format: TextFormat,
    private readonly tag: string,
    opts: TextParserOptions = {},
  ) {
    this.stage = new Utf8Stage(file, FORMAT_LABELS[format]);
    this.tagRe = new RegExp(`<(/?)${tag}(?:\\s[^>]*)?>`, 'gi');
    this.skipBad = opts.skipBadLines ?? false;
  }

  /** Parses the text between `<TAG>` and `</TAG>`; throws DataError for a bad block. */
  protected abstract parseBlock(inner: string, line: number): void;

  get rows(): number {
    return this.records;
  }

  push(chunk: Uint8Array): void {
    if (this.ended) throw new Error('push() after finish()');
    const text = this.stage.decode(chunk, () => this.lineAt(this.buf.length));
    if (text.length === 0) return;
    this.buf += text;
    this.scan();
  }

  protected end(): ParseReport {
    if (this.ended) throw new Error('finish() called twice');
    this.ended = true;
    this.stage.end(this.lineAt(this.buf.length));
    const what = `<${this.tag}>`;
    if (this.open >= 0) {
      throw this.error('format', `${what} opened here is never closed: the file ends inside it (truncated?)`, this.openLine);
    }
    const rest = firstNonSpace(this.buf, 0);
    if (rest >= 0) throw this.outside(rest);
    if (this.stage.bytes === 0) throw this.error('format', 'file is empty');
    if (this.blocks === 0) throw this.error('format', 'file is empty (only blank lines)');
    if (this.records === 0 && this.skipped.count > 0) {
      const first = this.skipped.first[0];
      throw this.error('format', `no ${what} block could be read: all ${this.skipped.count.toLocaleString('en')} were skipped; the first: ${first.reason}`, first.line);
    }
    return { warnings: this.warnings.toArray(), skipped: this.skipped };
  }

  protected error(kind: 'format' | 'value' | 'limit', reason: string, line?: number, token?: string): DataError {
    return new DataError({ kind, file: this.file, line, reason, token });
  }

  private scan(): void {
    const re = this.tagRe;
    const buf = this.buf;
    let consumed = 0;
    re.lastIndex = this.scanFrom;
    for (let m = re.exec(buf); m !== null; m = re.exec(buf)) {
      const closing = m[1] === '/';
      if (this.open < 0) {
        if (closing) throw this.error('format', `</${this.tag}> without an opening <${this.tag}>`, this.lineAt(m.index), m[0]);
        const junk = firstNonSpace(buf, consumed);
        if (junk >= 0 && junk < m.index) throw this.outside(junk);
        this.open = m.index;
        this.openEnd = m.index + m[0].length;
        this.openLine = this.lineAt(m.index);
      } else {
        if (!closing) {
          throw this.error('format', `<${this.tag}> starts before the <${this.tag}> of line ${this.openLine.toLocaleString('en')} is closed`, this.lineAt(m.index), m[0]);
        }
        this.block(buf.slice(this.openEnd, m.index));
        consumed = m.index + m[0].length;
        this.open = -1;
      }
    }
    let keep: number;
    if (this.open >= 0) {
      keep = this.open;
      if (buf.length - keep > MAX_BLOCK_CHARS) {
        throw this.error('limit', `<${this.tag}> is not closed within ${MAX_BLOCK_CHARS.toLocaleString('en')} characters`, this.openLine);
      }
    } else {
      const rest = firstNonSpace(buf, consumed);
      // What is left must be whitespace or the start of the next open tag.
      if (rest >= 0 && (buf.charCodeAt(rest) !== 60 || buf.length - rest > MAX_TAG_CHARS)) throw this.outside(rest);
      keep = rest >= 0 ? rest : buf.length;
    }
    this.bufLine = this.lineAt(keep);
    this.buf = buf.slice(keep);
    this.cursor = 0;
    this.cursorLine = this.bufLine;
    if (this.open >= 0) {
      this.open -= keep;
      this.openEnd -= keep;
      this.scanFrom = Math.max(this.openEnd, this.buf.length - MAX_TAG_CHARS);
    } else this.scanFrom = 0;
  }

  private block(inner: string): void {
    this.blocks++;
    try {
      this.parseBlock(inner, this.openLine);
    } catch (e) {
      if (this.skipBad && isDataError(e) && (e.kind === 'format' || e.kind === 'value')) recordSkip(this.skipped, e);
      else throw e;
    }
  }

  private outside(at: number): DataError {
    const lineEnd = this.buf.indexOf('\n', at);
    const line = this.buf.slice(at, lineEnd < 0 ? this.buf.length : lineEnd);
    const guess = detectTextFormat(this.file, line);
    const hint = guess.format !== null && guess.format !== this.format ? `; this looks like ${FORMAT_LABELS[guess.format]}` : '';
    return this.error('format', `expected <${this.tag}> here, found text outside a <${this.tag}> … </${this.tag}> block (is this ${FORMAT_LABELS[this.format]}?)${hint}`, this.lineAt(at), line);
  }

  private lineAt(offset: number): number {
    if (offset < this.cursor) {
      this.cursor = 0;
      this.cursorLine = this.bufLine;
    }
    this.cursorLine += countNewlines(this.buf, this.cursor, offset);
    this.cursor = offset;
    return this.cursorLine;
  }
}

function firstNonSpace(s: string, from: number): number {
  for (let i = from; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!(c === 32 || (c >= 9 && c <= 13))) return i;
  }
  return -1;
}

const ENTITIES = new Map([
  ['amp', '&'],
  ['lt', '<'],
  ['gt', '>'],
  ['quot', '"'],
  ['apos', "'"],
  ['nbsp', ' '],
]);

/** The five XML entities, &nbsp; and numeric references; other SGML entities (&hyphen;, …) stay as written. */
export function decodeEntities(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(#[xX][0-9a-fA-F]{1,6}|#[0-9]{1,7}|[a-zA-Z]+);/g, (whole, name: string) => {
    if (name.charCodeAt(0) === 35) {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES.get(name.toLowerCase()) ?? whole;
  });
}

/** Markup → plain text: tags and comments become spaces, entities are decoded, whitespace collapses. */
export function markupToText(s: string): string {
  const stripped = s.replace(/<!--[\s\S]*?-->/g, ' ').replace(/<\/?[A-Za-z!?][^>]*>/g, ' ');
  return decodeEntities(stripped).replace(/\s+/g, ' ').trim();
}
