import { drive, type ByteSource } from '../../data/parse/stream';
import { ClickLogBuilder, SessionBuffer } from './builder';
import { checkK, ClickLineParser, clickOf, dwellOf, MAX_SLOTS, rankOf, splitTabs } from './lines';
import type { ClickLogParseOptions, ClickLogParserOptions, ParsedClickLog } from './types';

const FIELDS = 'session, query, rank, doc, click[, dwell]';

interface OpenSession {
  id: string;
  query: string;
  line: number;
  poisoned: boolean;
}

/**
 * RankPlay's own click log: one line per shown result,
 *
 *     session <TAB> query <TAB> rank <TAB> doc <TAB> click [<TAB> dwell]
 *
 * - Fields are separated by single tabs; ids are kept exactly as written (spaces included).
 * - An optional header line is allowed: a first line whose rank field is not a number and whose
 *   click field says "click" (e.g. `session query rank doc click dwell`).
 * - The lines of a session are contiguous; a session id that comes back after other sessions is
 *   an error (its lines would be two sessions, or one split in two). Checking this keeps every
 *   session id in a Set while reading (tens of bytes a session, the size of its log row).
 * - Ranks are 1-based and, within a session, exactly 1, 2, 3, … in file order: a session not
 *   starting at 1, a gap, a repeated rank or ranks out of order is an error naming the session
 *   and the line. (ClickLog keeps empty slots only at the end of a session, so a gap cannot be
 *   stored.)
 * - Every line of a session names the same query.
 * - click is exactly 0 or 1; dwell, when given, a finite number ≥ 0 (seconds); an empty dwell
 *   field means unknown (NaN). Lines with and without dwell may mix; the log has `dwell` when
 *   any line gave one.
 * - k is the longest session, or the `k` option (lower slots dropped and counted).
 *
 * With skipBadLines, a bad line drops its whole session (the rest of its lines are ignored and the
 * session is counted in `stats.droppedSessions`).
 */
export class PlainTsvClickParser extends ClickLineParser {
  private readonly builder: ClickLogBuilder;
  private readonly buffer = new SessionBuffer();
  private readonly fields: string[] = [];
  private readonly seen = new Set<string>();
  private current: OpenSession | null = null;
  /** The session the line being parsed belongs to, once known: the one a bad line poisons. */
  private lineSession: OpenSession | null = null;
  private firstContent = true;

  constructor(file: string, opts: ClickLogParserOptions = {}) {
    super(file, 'plain-tsv', opts);
    this.builder = new ClickLogBuilder(checkK(file, opts.k));
  }

  protected parseLine(line: string, lineNo: number): void {
    this.lineSession = null;
    const f = this.fields;
    const n = splitTabs(line, f, 7);
    if (this.firstContent) {
      this.firstContent = false;
      if ((n === 5 || n === 6) && isHeader(f)) return;
    }
    if (n < 5 || n > 6) {
      // The session of a malformed line is known only if it names the open one.
      if (this.current && f[0] === this.current.id) this.lineSession = this.current;
      throw this.error('format', `expected 5 or 6 tab-separated fields (${FIELDS}), found ${n}`, lineNo, line);
    }
    const id = f[0];
    if (id.length === 0) throw this.error('value', 'session id is empty', lineNo, line);
    let session = this.current;
    if (session === null || id !== session.id) {
      this.closeSession();
      if (this.seen.has(id)) {
        throw this.error('value', `session '${id}' appeared earlier in the file: the lines of a session must be contiguous`, lineNo, id);
      }
      this.seen.add(id);
      session = { id, query: f[1], line: lineNo, poisoned: false };
      this.current = session;
    }
    this.lineSession = session;
    if (session.poisoned) return;
    this.readSlot(session, f, n, lineNo);
    this.records++;
  }

  private readSlot(session: OpenSession, f: string[], n: number, lineNo: number): void {
    if (f[1].length === 0) throw this.error('value', 'query id is empty', lineNo);
    if (f[1] !== session.query) {
      throw this.error('value', `session '${session.id}' changes query from '${session.query}' (line ${session.line.toLocaleString('en')}) to '${f[1]}'`, lineNo, f[1]);
    }
    const rank = rankOf(f[2].trim(), 'rank', MAX_SLOTS);
    if (typeof rank === 'string') throw this.error('value', rank, lineNo, f[2]);
    const expected = this.buffer.n + 1;
    if (rank !== expected) throw this.error('value', rankProblem(`session '${session.id}'`, 'rank', rank, expected, this.buffer.lines), lineNo, f[2]);
    if (f[3].length === 0) throw this.error('value', 'document id is empty', lineNo);
    const click = clickOf(f[4].trim());
    if (typeof click === 'string') throw this.error('value', click, lineNo, f[4]);
    const dwell = n === 6 ? dwellOf(f[5].trim()) : NaN;
    if (typeof dwell === 'string') throw this.error('value', dwell, lineNo, f[5]);
    this.buffer.add(f[3], click, dwell, lineNo);
  }

  protected override lineSkipped(): void {
    if (this.lineSession) this.lineSession.poisoned = true;
  }

  private closeSession(): void {
    const s = this.current;
    if (!s) return;
    if (s.poisoned) this.builder.stats.droppedSessions++;
    else this.builder.addSession(s.query, this.buffer);
    this.buffer.clear();
    this.current = null;
  }

  finish(): ParsedClickLog {
    const report = this.end();
    this.closeSession();
    if (this.builder.sessions === 0) throw this.noSessions('no sessions: the file has no result lines');
    return { format: 'plain-tsv', ...this.builder.build(), ...report };
  }
}

/**
 * The message for a rank that is not the next one of its session: `session` names it ("session
 * 's1'"), `word` is what the format calls a rank.
 */
export function rankProblem(session: string, word: 'rank' | 'position', rank: number, expected: number, lines: number[]): string {
  const order = `${word}s must be 1, 2, 3, … in order, each once`;
  if (expected === 1) return `${session} starts at ${word} ${rank}, not 1 (${order})`;
  if (rank < expected) return `${word} ${rank} of ${session} was already given on line ${lines[rank - 1].toLocaleString('en')} (${order})`;
  return `${word} ${rank} follows ${word} ${expected - 1} in ${session}: ${word} ${expected} is missing or out of order (${order})`;
}

function isNumeric(token: string): boolean {
  return /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/.test(token);
}

/** A header: the rank field is not a number and the click field names a click. */
function isHeader(f: string[]): boolean {
  return !isNumeric(f[2]) && /click/i.test(f[4]);
}

export async function parsePlainTsvClicks(source: ByteSource, opts: ClickLogParseOptions = {}): Promise<ParsedClickLog> {
  const parser = new PlainTsvClickParser(source.name, opts);
  await drive(source, parser, opts);
  return parser.finish();
}
