/**
 * Word tokens of a text, as a subset of the Unicode word-break rules (UAX #29) that Lucene's
 * StandardTokenizer implements, so that BM25 terms agree with Anserini's on English text.
 *
 * What a token is here:
 * - a run of letters (\p{L}, \p{Nl}) and decimal digits (\p{Nd}), letters and digits mixed
 *   ("mp3", "covid19"), with combining marks and format characters (\p{M}, \p{Cf}) inside it;
 * - continued across one joiner between two letters or two digits, as UAX #29 rules WB6/7 and
 *   WB11/12 say: an apostrophe or a period between letters or between digits ("don't", "o'neil",
 *   "u.s.a", "3.14", "1'000"), a colon or middle dot between letters, a comma or semicolon between
 *   digits ("1,000"). A joiner at the end is not part of the token ("dogs'" → "dogs", "U.S." →
 *   "u.s");
 * - underscores and other connector punctuation (\p{Pc}) join whatever they touch ("foo_bar");
 * - each Han ideograph and each Hiragana character is a token of its own (as in Lucene);
 * - tokens longer than 255 UTF-16 units are chopped into pieces of 255, as StandardTokenizer
 *   chops at its default maxTokenLength.
 * Everything else separates tokens.
 *
 * Where Lucene's StandardTokenizer (UAX #29 via JFlex) differs:
 * - emoji sequences are tokens in Lucene (<EMOJI>); here they separate words;
 * - Katakana is a letter here, so it joins adjacent Latin letters; UAX #29 keeps Katakana runs apart;
 * - the finer rules are left out: Hebrew letters with quotes (WB7a–c), regional indicators,
 *   extend characters right after a joiner, and the Unicode version (whatever the JavaScript
 *   engine's \p tables are, against the version Lucene's grammar was generated from).
 * Lowercasing is done by the caller before tokenising (see analysis.ts).
 */

const OTHER = 0;
const LETTER = 1;
const DIGIT = 2;
/** Combining marks and format characters: part of the word they follow (WB4). */
const EXTEND = 3;
/** Han and Hiragana: one token per character. */
const IDEO = 4;
/** Joins letter·letter and digit·digit (WB6/7, WB11/12): . ' ‘ ’ and their variants. */
const MIDNUMLET = 5;
/** Joins letter·letter only: : · and their variants. */
const MIDLETTER = 6;
/** Joins digit·digit only: , ; and their variants. */
const MIDNUM = 7;
/** Connector punctuation (ExtendNumLet, WB13a/b): joins anything word-like. */
const CONNECTOR = 8;

export const MAX_TOKEN_CHARS = 255;

const MIDNUMLET_CHARS = [0x2e, 0x27, 0x2018, 0x2019, 0x2024, 0xfe52, 0xff07, 0xff0e];
const MIDLETTER_CHARS = [0x3a, 0xb7, 0x387, 0x55f, 0x5f4, 0x2027, 0xfe13, 0xfe55, 0xff1a];
const MIDNUM_CHARS = [0x2c, 0x3b, 0x37e, 0x589, 0x60c, 0x60d, 0x66c, 0x7f8, 0x2044, 0xfe10, 0xfe14, 0xfe50, 0xfe54, 0xff0c, 0xff1b];

const IDEO_RE = /^[\p{Ideographic}\p{Script=Hiragana}]$/u;
const LETTER_RE = /^[\p{L}\p{Nl}]$/u;
const DIGIT_RE = /^\p{Nd}$/u;
const EXTEND_RE = /^[\p{M}\p{Cf}]$/u;
const CONNECTOR_RE = /^\p{Pc}$/u;

function classifyCodePoint(cp: number): number {
  if (MIDNUMLET_CHARS.includes(cp)) return MIDNUMLET;
  if (MIDLETTER_CHARS.includes(cp)) return MIDLETTER;
  if (MIDNUM_CHARS.includes(cp)) return MIDNUM;
  // Zero-width space is a format character but a word boundary in UAX #29.
  if (cp === 0x200b) return OTHER;
  const ch = String.fromCodePoint(cp);
  if (LETTER_RE.test(ch) || DIGIT_RE.test(ch)) {
    if (IDEO_RE.test(ch)) return IDEO;
    return DIGIT_RE.test(ch) ? DIGIT : LETTER;
  }
  if (EXTEND_RE.test(ch)) return EXTEND;
  if (CONNECTOR_RE.test(ch)) return CONNECTOR;
  return OTHER;
}

const ASCII = new Uint8Array(128);
for (let c = 0; c < 128; c++) ASCII[c] = classifyCodePoint(c);

/** Classes of the whole BMP, built on the first non-ASCII character (~65k regex tests, once). */
let bmp: Uint8Array | null = null;

function bmpTable(): Uint8Array {
  if (bmp === null) {
    const table = new Uint8Array(0x10000);
    for (let c = 0; c < 0x10000; c++) table[c] = c >= 0xd800 && c <= 0xdfff ? OTHER : classifyCodePoint(c);
    bmp = table;
  }
  return bmp;
}

/** Class of the character starting at i (code unit c), for c ≥ 128; a lone surrogate is OTHER. */
function wideClass(text: string, i: number, c: number): number {
  if (c < 0xd800 || c > 0xdfff) return bmpTable()[c];
  const cp = text.codePointAt(i)!;
  return cp > 0xffff ? classifyCodePoint(cp) : OTHER;
}

/** UTF-16 units of the character starting at i (code unit c). */
function widthAt(text: string, i: number, c: number): number {
  if (c < 0xd800 || c > 0xdbff || i + 1 >= text.length) return 1;
  const d = text.charCodeAt(i + 1);
  return d >= 0xdc00 && d <= 0xdfff ? 2 : 1;
}

function emitChopped(from: number, to: number, emit: (start: number, end: number) => void): void {
  while (to - from > MAX_TOKEN_CHARS) {
    emit(from, from + MAX_TOKEN_CHARS);
    from += MAX_TOKEN_CHARS;
  }
  emit(from, to);
}

/** Calls `emit` with each token of `text` in order (no lowercasing; see the module comment). */
export function tokenize(text: string, emit: (token: string) => void): void {
  tokenRanges(text, (start, end) => emit(text.slice(start, end)));
}

/**
 * Calls `emit` with the [start, end) range of each token of `text`, in order: for callers that
 * look tokens up without making a string of each (the indexer's hash table).
 */
export function tokenRanges(text: string, emit: (start: number, end: number) => void): void {
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    const cls = c < 128 ? ASCII[c] : wideClass(text, i, c);
    const w = c < 0xd800 ? 1 : widthAt(text, i, c);
    if (cls === IDEO) {
      emit(i, i + w);
      i += w;
      continue;
    }
    if (cls !== LETTER && cls !== DIGIT && cls !== CONNECTOR) {
      i += w;
      continue;
    }
    const start = i;
    // The class of the last letter, digit or connector: what a joiner is checked against.
    let last = cls;
    let hasWord = cls !== CONNECTOR;
    i += w;
    while (i < n) {
      const d = text.charCodeAt(i);
      const k = d < 128 ? ASCII[d] : wideClass(text, i, d);
      if (k === LETTER || k === DIGIT || k === CONNECTOR) {
        last = k;
        if (k !== CONNECTOR) hasWord = true;
        i += d < 0xd800 ? 1 : widthAt(text, i, d);
        continue;
      }
      if (k === EXTEND) {
        i += d < 0xd800 ? 1 : widthAt(text, i, d);
        continue;
      }
      // Joiners are all single BMP units; the character after one decides.
      if ((k === MIDNUMLET || k === MIDLETTER || k === MIDNUM) && i + 1 < n && (last === LETTER || last === DIGIT)) {
        const e = text.charCodeAt(i + 1);
        const next = e < 128 ? ASCII[e] : wideClass(text, i + 1, e);
        if (next === last && (last === LETTER ? k !== MIDNUM : k !== MIDLETTER)) {
          i += 1;
          continue;
        }
      }
      break;
    }
    if (hasWord) emitChopped(start, i, emit);
  }
}

/** The tokens of `text` as an array (tests and one-off use; indexing uses tokenize's callback). */
export function tokens(text: string): string[] {
  const out: string[] = [];
  tokenize(text, (t) => out.push(t));
  return out;
}
