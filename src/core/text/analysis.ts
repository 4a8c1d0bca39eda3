import { stemmer } from 'stemmer';
import { tokenize } from './analysis-tokenize';

export { MAX_TOKEN_CHARS, tokenize, tokenRanges, tokens } from './analysis-tokenize';

/**
 * English analysis as Anserini's DefaultEnglishAnalyzer does it (its default for every English
 * collection, MS MARCO included): StandardTokenizer → EnglishPossessiveFilter → LowerCaseFilter →
 * StopFilter (Lucene's EnglishAnalyzer.ENGLISH_STOP_WORDS_SET) → PorterStemFilter.
 *
 * Here: the whole text is lowercased with String.prototype.toLowerCase, tokenised (see
 * analysis-tokenize.ts for how that differs from StandardTokenizer), a trailing 's (', ’ or ＇)
 * is cut, stopwords are dropped and the rest is stemmed by the `stemmer` package.
 *
 * Lowercasing: JavaScript applies full Unicode case mapping (İ → i + combining dot, a final Σ →
 * ς), Lucene's LowerCaseFilter Character.toLowerCase per code point (İ → i, Σ → σ). Only such
 * letters differ.
 *
 * Stemming: `stemmer` (words/stemmer 2.0.1) is Martin Porter's 1980 algorithm as his reference
 * implementation has it, with its two departures from the paper (step 2 maps -bli → -ble, not
 * -abli → -able, and adds -logi → -log), the same algorithm Lucene's PorterStemmer implements
 * (it is a port of the same reference code, release 3). analysis-porter.test.ts checks the two
 * against each other (a transcription of Lucene's stemmer, 30,000 generated words): they agree
 * except on two kinds of non-word. A token that is a bare suffix, where `stemmer`'s regular
 * expressions need a letter before the suffix and Lucene does not: "ies" (Lucene "i", stemmer
 * "ie"), "sses" ("ss" / "sse"), "eed" and "eeds" ("eed" / "e"). And a consonant + "yy" before
 * -ed/-ing ("syying": Lucene reads the second y as a consonant and undoubles it, "sy"; stemmer
 * gives "syi").
 */

/**
 * Lucene's EnglishAnalyzer.ENGLISH_STOP_WORDS_SET (the set StandardAnalyzer and StopAnalyzer
 * used before Lucene 8): 33 words, the default of Anserini's DefaultEnglishAnalyzer.
 */
export const LUCENE_ENGLISH_STOPWORDS: ReadonlySet<string> = new Set([
  'a', 'an', 'and', 'are', 'as', 'at', 'be', 'but', 'by', 'for', 'if', 'in', 'into', 'is', 'it',
  'no', 'not', 'of', 'on', 'or', 'such', 'that', 'the', 'their', 'then', 'there', 'these',
  'they', 'this', 'to', 'was', 'will', 'with',
]);

export interface AnalyzerOptions {
  /** Lowercased words dropped before stemming (default: LUCENE_ENGLISH_STOPWORDS; empty set: keep all). */
  stopwords?: ReadonlySet<string>;
  /** Porter stemming (default true). */
  stem?: boolean;
  /** Cut a trailing 's, as EnglishPossessiveFilter (default true). */
  possessive?: boolean;
}

/** The settings an index was built with, in a form that can be stored and compared. */
export interface AnalyzerSettings {
  stopwords: string[];
  stem: boolean;
  possessive: boolean;
}

const APOSTROPHE = 0x27;
const RIGHT_SINGLE_QUOTE = 0x2019;
const FULLWIDTH_APOSTROPHE = 0xff07;
const LOWER_S = 0x73;

/** Tokens whose analysis is remembered; past this the memo starts again (a long tail of rare tokens would only grow it). */
export const MEMO_LIMIT = 1 << 18;

/** V8 makes slices of 13 or more characters views into their parent string. */
const SLICE_MIN_CHARS = 13;
const codes: number[] = [];

/**
 * A copy of `s` that does not keep a longer string alive. A token is a slice of its document's
 * text; kept as a Map key (a term, a memo entry) it would pin the whole document in memory.
 */
export function detach(s: string): string {
  if (s.length < SLICE_MIN_CHARS) return s;
  let out = '';
  // In pieces, so a long string never becomes a huge argument list.
  for (let from = 0; from < s.length; from += 4096) {
    const to = Math.min(s.length, from + 4096);
    codes.length = to - from;
    for (let i = from; i < to; i++) codes[i - from] = s.charCodeAt(i);
    out += String.fromCharCode(...codes);
  }
  return out;
}

export class EnglishAnalyzer {
  readonly settings: AnalyzerSettings;
  private readonly stopwords: ReadonlySet<string>;
  private readonly memo = new Map<string, string | null>();

  constructor(options: AnalyzerOptions = {}) {
    this.stopwords = options.stopwords ?? LUCENE_ENGLISH_STOPWORDS;
    this.settings = {
      stopwords: [...this.stopwords].sort(),
      stem: options.stem ?? true,
      possessive: options.possessive ?? true,
    };
  }

  /** The index term of one lowercased token, or null for a stopword. Not memoised: see `term`. */
  analyzeToken(token: string): string | null {
    let t = token;
    if (this.settings.possessive && t.length >= 2 && t.charCodeAt(t.length - 1) === LOWER_S) {
      const q = t.charCodeAt(t.length - 2);
      if (q === APOSTROPHE || q === RIGHT_SINGLE_QUOTE || q === FULLWIDTH_APOSTROPHE) t = t.slice(0, -2);
    }
    if (this.stopwords.has(t)) return null;
    return this.settings.stem ? stemmer(t) : t;
  }

  /** analyzeToken, memoised: stemming is regex work, and most tokens of a text are frequent words. */
  term(token: string): string | null {
    const known = this.memo.get(token);
    if (known !== undefined) return known;
    const key = detach(token);
    const term = this.analyzeToken(key);
    if (this.memo.size >= MEMO_LIMIT) this.memo.clear();
    this.memo.set(key, term);
    return term;
  }

  /** The text as tokenised: lowercased (tokens are ranges of this string). */
  normalize(text: string): string {
    return text.toLowerCase();
  }

  /** Calls `emit` with the lowercased tokens of `text` (before possessive, stopword and stemming steps). */
  forEachToken(text: string, emit: (token: string) => void): void {
    tokenize(this.normalize(text), emit);
  }

  /** The terms of `text`, in order, repeats kept. */
  analyze(text: string): string[] {
    const out: string[] = [];
    this.forEachToken(text, (token) => {
      const term = this.term(token);
      if (term !== null) out.push(term);
    });
    return out;
  }
}
