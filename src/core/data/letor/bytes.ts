import { DataError } from '../parse/errors';

/** Byte-level helpers shared by the LETOR readers: they work on Uint8Array, never on strings. */
export const NEWLINE = 10;
export const CR = 13;
export const SPACE = 32;
export const TAB = 9;
export const HASH = 35;
export const COLON = 58;

export function isSpace(c: number): boolean {
  return c === SPACE || c === TAB;
}

const tokenDecoder = new TextDecoder('utf-8');

export function decodeToken(buf: Uint8Array, start: number, end: number): string {
  return tokenDecoder.decode(buf.subarray(start, end));
}

export function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

export function startsWith(buf: Uint8Array, i: number, end: number, prefix: readonly number[]): boolean {
  if (end - i < prefix.length) return false;
  for (let k = 0; k < prefix.length; k++) if (buf[i + k] !== prefix[k]) return false;
  return true;
}

export function indexOfBytes(buf: Uint8Array, start: number, end: number, needle: readonly number[]): number {
  outer: for (let i = start; i + needle.length <= end; i++) {
    for (let k = 0; k < needle.length; k++) if (buf[i + k] !== needle[k]) continue outer;
    return i;
  }
  return -1;
}

export function bytesOf(text: string): number[] {
  return Array.from(text, (ch) => ch.charCodeAt(0));
}

/** Where a reader is (file and line), and how it reports a bad token there. */
export class LineContext {
  lineNo = 0;
  /** Offset in the current buffer where the current line starts (for columns). */
  lineStart = 0;

  constructor(readonly fileName: string) {}

  fail(reason: string, buf: Uint8Array, start: number, end: number): never {
    throw new DataError({
      kind: 'format',
      file: this.fileName,
      line: this.lineNo,
      column: start - this.lineStart + 1,
      token: decodeToken(buf, start, end),
      reason,
    });
  }
}

export function formatBytes(bytes: number): string {
  return bytes >= 1024 ** 3 ? `${(bytes / 1024 ** 3).toFixed(1)} GB` : `${Math.round(bytes / 1024 ** 2)} MB`;
}
