import { int32s, type Growable } from './builder';

/**
 * Lists of token ids without an array per list: list i is tokens[offsets[i]] ..
 * tokens[offsets[i+1] - 1]. Baidu-ULTR ships text as anonymised token ids; keeping them as ids
 * (not strings) is what a text model needs and takes 4 bytes a token.
 */
export interface TokenLists {
  offsets: Int32Array;
  tokens: Int32Array;
}

export function tokenList(lists: TokenLists, i: number): Int32Array {
  return lists.tokens.subarray(lists.offsets[i], lists.offsets[i + 1]);
}

export function listCount(lists: TokenLists): number {
  return lists.offsets.length - 1;
}

const MAX_TOKEN = 2 ** 31 - 1;

/**
 * Appends the \x01-separated token ids of `field` to `out`. Empty pieces (a doubled or trailing
 * \x01) are skipped, as the reference loaders do. At most `max` ids are kept. Returns null, or the piece that is not an id
 * (the tokens appended before it are left for the caller to roll back).
 */
export function appendTokens(field: string, out: Growable<Int32Array>, max = Infinity): string | null {
  let value = 0;
  let digits = 0;
  let start = 0;
  let kept = 0;
  for (let i = 0; i <= field.length; i++) {
    const c = i < field.length ? field.charCodeAt(i) : 1;
    if (c === 1) {
      if (digits > 0) {
        if (value > MAX_TOKEN) return field.slice(start, i);
        // Past `max` the ids are still checked, only not kept.
        if (kept++ < max) out.push(value);
      }
      value = 0;
      digits = 0;
      start = i + 1;
      continue;
    }
    const d = c - 48;
    if (d < 0 || d > 9 || digits > 10) return field.slice(start, nextSeparator(field, i));
    value = value * 10 + d;
    digits++;
  }
  return null;
}

function nextSeparator(field: string, from: number): number {
  const i = field.indexOf('\u0001', from);
  return i < 0 ? field.length : i;
}

/** Builds TokenLists one list at a time. */
export class TokenListsBuilder {
  readonly tokens = int32s();
  private readonly offsets = int32s();

  constructor() {
    this.offsets.push(0);
  }

  get size(): number {
    return this.offsets.length - 1;
  }

  /** Closes the list made of the tokens appended since the last call. */
  close(): void {
    this.offsets.push(this.tokens.length);
  }

  /** Appends a list copied from `src[from..to)`. */
  add(src: Growable<Int32Array>, from: number, to: number): void {
    for (let i = from; i < to; i++) this.tokens.push(src.get(i));
    this.close();
  }

  build(): TokenLists {
    return { offsets: this.offsets.toArray(), tokens: this.tokens.toArray() };
  }
}
