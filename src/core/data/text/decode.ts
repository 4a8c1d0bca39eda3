import { DataError } from '../parse/errors';

/**
 * UTF-8 bytes → text, chunk by chunk, for every text parser. A fatal streaming TextDecoder does the
 * work; this class only remembers enough (the bytes of an unfinished character, the byte count) to
 * say *where* decoding failed, because the decoder itself just says "invalid".
 */
export class Utf8Stage {
  /** Bytes decoded so far. */
  bytes = 0;
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  /** The tail of the input the decoder holds back: the start of a character split by a chunk boundary. */
  private pending: Uint8Array = new Uint8Array(0);

  /** `expected` completes "expected …" in messages about binary input, e.g. "a TREC qrels file". */
  constructor(
    private readonly file: string,
    private readonly expected: string,
  ) {}

  /**
   * Decodes one chunk. `lineAtStart` gives the line number the chunk starts on; it is only called
   * to place an error, so callers need not track it on the fast path.
   */
  decode(chunk: Uint8Array, lineAtStart: () => number): string {
    let text: string;
    try {
      text = this.decoder.decode(chunk, { stream: true });
    } catch {
      throw this.invalidAt(chunk, lineAtStart());
    }
    this.pending = incompleteTail(this.pending, chunk);
    this.bytes += chunk.length;
    const nul = text.indexOf('\u0000');
    if (nul >= 0) {
      throw new DataError({
        kind: 'format',
        file: this.file,
        line: lineAtStart() + countNewlines(text, 0, nul),
        reason: `contains NUL bytes: this is not a text file (expected ${this.expected})`,
      });
    }
    return text;
  }

  /** Flushes the decoder at end of input: a character cut off by the end of the file is an error. */
  end(line: number): void {
    try {
      this.decoder.decode();
    } catch {
      throw new DataError({
        kind: 'format',
        file: this.file,
        line,
        reason: `the file ends in the middle of a UTF-8 character (truncated, or not UTF-8 text; expected ${this.expected})`,
      });
    }
  }

  private invalidAt(chunk: Uint8Array, lineAtStart: number): DataError {
    const bytes = concat(this.pending, chunk);
    const at = Math.max(0, firstInvalidUtf8(bytes));
    let newlines = 0;
    for (let i = 0; i < at; i++) if (bytes[i] === 0x0a) newlines++;
    const fileOffset = this.bytes - this.pending.length + at;
    const shown = Array.from(bytes.subarray(at, at + 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
    return new DataError({
      kind: 'format',
      file: this.file,
      line: lineAtStart + newlines,
      reason: `invalid UTF-8 at byte ${fileOffset.toLocaleString('en')}: this is not a UTF-8 text file (expected ${this.expected})`,
      token: shown,
    });
  }
}

export function countNewlines(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = text.indexOf('\n', from); i >= 0 && i < to; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/**
 * The bytes of a character left unfinished at the end of (previous tail + chunk), which is known to
 * be valid UTF-8 so far. Only the last three bytes can belong to an unfinished character.
 */
function incompleteTail(prev: Uint8Array, chunk: Uint8Array): Uint8Array {
  const tail = chunk.length >= 3 ? chunk.subarray(chunk.length - 3) : concat(prev, chunk).subarray(-3);
  for (let i = tail.length - 1; i >= 0; i--) {
    const b = tail[i];
    if (b < 0x80) return new Uint8Array(0);
    if (b >= 0xc0) {
      const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
      return tail.length - i < need ? tail.slice(i) : new Uint8Array(0);
    }
  }
  return new Uint8Array(0);
}

/**
 * Index of the first byte of the first invalid sequence, by the WHATWG decoder's rules (no overlong
 * forms, no surrogates, nothing above U+10FFFF), or -1. A sequence cut off by the end is not
 * counted as invalid here: the next chunk may finish it.
 */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) lo = 0xa0;
      if (b === 0xed) hi = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) lo = 0x90;
      if (b === 0xf4) hi = 0x8f;
    } else return i;
    for (let k = 1; k <= need; k++) {
      if (i + k >= bytes.length) return -1;
      const c = bytes[i + k];
      if (c < lo || c > hi) return i;
      lo = 0x80;
      hi = 0xbf;
    }
    i += need + 1;
  }
  return -1;
}
