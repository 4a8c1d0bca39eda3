/**
 * The one error type every parser throws: where (file, line, column), what (the token) and why,
 * in words a person can act on. Anything else escaping a parser is a bug (the fuzz tests say so).
 */
export type DataErrorKind = 'format' | 'value' | 'limit' | 'io' | 'cancelled';

export interface DataErrorInit {
  kind: DataErrorKind;
  file: string;
  reason: string;
  /** 1-based line number, when the problem is on a line. */
  line?: number;
  /** 1-based column (in bytes for binary parsers), when known. */
  column?: number;
  /** The offending text, shortened. */
  token?: string;
}

const MAX_TOKEN_CHARS = 40;

export function shortToken(token: string): string {
  const printable = token.replace(/[\u0000-\u001f\u007f-\u009f\ufffd]/g, '?');
  return printable.length > MAX_TOKEN_CHARS ? `${printable.slice(0, MAX_TOKEN_CHARS)}…` : printable;
}

function locate(init: DataErrorInit): string {
  const parts = [init.file];
  if (init.line !== undefined) parts.push(`line ${init.line.toLocaleString('en')}`);
  if (init.column !== undefined) parts.push(`column ${init.column}`);
  return parts.join(', ');
}

export class DataError extends Error {
  readonly kind: DataErrorKind;
  readonly file: string;
  readonly reason: string;
  readonly line?: number;
  readonly column?: number;
  readonly token?: string;

  constructor(init: DataErrorInit) {
    const token = init.token !== undefined ? ` ('${shortToken(init.token)}')` : '';
    super(`${locate(init)}: ${init.reason}${token}`);
    this.name = 'DataError';
    this.kind = init.kind;
    this.file = init.file;
    this.reason = init.reason;
    this.line = init.line;
    this.column = init.column;
    this.token = init.token !== undefined ? shortToken(init.token) : undefined;
  }
}

export function isDataError(e: unknown): e is DataError {
  return e instanceof DataError;
}

/** Lines dropped under "skip bad lines": how many, and the first few with why. */
export interface SkipReport {
  count: number;
  first: { line: number; reason: string }[];
}

const SKIP_EXAMPLES = 5;

export function createSkipReport(): SkipReport {
  return { count: 0, first: [] };
}

export function recordSkip(report: SkipReport, error: DataError): void {
  report.count++;
  if (report.first.length < SKIP_EXAMPLES) report.first.push({ line: error.line ?? 0, reason: error.message });
}

/** The warning a "skip bad lines" load shows: how many, where, and the first one's reason. */
export function describeSkips(fileName: string, report: SkipReport): string | null {
  if (report.count === 0) return null;
  const lines = report.first.map((s) => s.line.toLocaleString('en')).join(', ');
  const first = report.first[0] ? ` The first: ${report.first[0].reason}` : '';
  return `${fileName}: skipped ${report.count.toLocaleString('en')} bad line(s), first at line(s) ${lines}.${first}`;
}
