import { BertNormalizer, BertPreTokenizer } from '@huggingface/tokenizers';

/**
 * Builds a WordPiece vocabulary from a text collection and writes it as Hugging Face tokenizer
 * files (tokenizer.json, tokenizer_config.json, vocab.txt) for a BERT-style uncased model.
 * Words are split exactly as inference will split them: by @huggingface/tokenizers' own
 * BertNormalizer and BertPreTokenizer, the same package that tokenises at inference time.
 */

/** [PAD] must be 0: the model's pad_token_id and the padding RankPlay adds both assume it. */
export const SPECIAL_TOKENS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'] as const;
export const CONTINUATION = '##';
/** Longer "words" (URLs, hashes) become [UNK], as in BERT. */
const MAX_WORD_CHARS = 100;

export interface WordPieceOptions {
  /** Total vocabulary size, special tokens included (the result may be smaller on a small corpus). */
  vocabSize: number;
  /** Least count for a whole word or a merged piece to enter the vocabulary. Default 2. */
  minFrequency?: number;
  /** Share of the budget (after the alphabet) given to whole words before pieces. Default 0.75. */
  wholeWordShare?: number;
  /**
   * Also hold every printable ASCII character (lowercase) the corpus lacks, so a user's "&" or "7"
   * is spelled rather than turning its whole word into [UNK]. Default false (costs ~130 entries).
   */
  asciiAlphabet?: boolean;
}

const normalizer = new BertNormalizer({ type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, lowercase: true });
const preTokenizer = new BertPreTokenizer();

/** BERT's basic tokenisation: clean, lowercase, strip accents, split on whitespace and punctuation. */
export function basicTokens(text: string): string[] {
  return preTokenizer.pre_tokenize_text(normalizer.normalize(text));
}

/** Code-point order, so the vocabulary does not depend on the locale. */
const byCodePoint = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Most frequent first; ties in code-point order, so the vocabulary is a function of the corpus alone. */
function byCount(counts: Map<string, number>): [string, number][] {
  return [...counts].sort((a, b) => b[1] - a[1] || byCodePoint(a[0], b[0]));
}

/**
 * A WordPiece vocabulary in id order: the special tokens, every character seen (word-initial and
 * "##" forms, so no seen word becomes [UNK]) and optionally printable ASCII, the most frequent whole words, then "##" pieces for
 * the remaining words, found by BPE-style merges of the most frequent adjacent pair (what HF's
 * WordPiece trainer does). Whole words first keeps frequent terms atomic, which a small model
 * learns to match more easily; the pieces give rare and unseen words a spelling to be read by.
 */
export function trainWordPiece(texts: Iterable<string>, opts: WordPieceOptions): string[] {
  const minFrequency = opts.minFrequency ?? 2;
  const wordCounts = new Map<string, number>();
  for (const text of texts) {
    for (const w of basicTokens(text)) if ([...w].length <= MAX_WORD_CHARS) wordCounts.set(w, (wordCounts.get(w) ?? 0) + 1);
  }
  const vocab: string[] = [...SPECIAL_TOKENS];
  const known = new Set<string>(vocab);
  const add = (token: string): boolean => {
    if (known.has(token) || vocab.length >= opts.vocabSize) return false;
    known.add(token);
    vocab.push(token);
    return true;
  };

  const chars = new Set<string>();
  for (const w of wordCounts.keys()) for (const ch of w) chars.add(ch);
  const alphabet = [...chars].sort(byCodePoint);
  for (const ch of alphabet) add(ch);
  for (const ch of alphabet) add(CONTINUATION + ch);
  // The corpus's own characters come first, so they win in a tight budget.
  const ascii = opts.asciiAlphabet ? Array.from({ length: 94 }, (_, i) => String.fromCharCode(33 + i)).filter((ch) => ch === ch.toLowerCase()) : [];
  for (const ch of ascii) add(ch);
  for (const ch of ascii) add(CONTINUATION + ch);

  const wholeWordBudget = vocab.length + Math.floor((opts.vocabSize - vocab.length) * (opts.wholeWordShare ?? 0.75));
  const rest = new Map<string, number>();
  for (const [w, n] of byCount(wordCounts)) {
    if (known.has(w)) continue;
    if (n >= minFrequency && vocab.length < wholeWordBudget) add(w);
    else rest.set(w, n);
  }
  for (const piece of mergePieces(rest, opts.vocabSize - vocab.length, minFrequency)) add(piece);
  return vocab;
}

/** Joins two symbols of one word: "##" is kept only at the start of the left one. */
const joined = (a: string, b: string): string => a + b.slice(CONTINUATION.length);

/**
 * BPE over the words the vocabulary does not hold whole: each word starts as its characters
 * (all but the first with "##"), and the most frequent adjacent pair, counted over word
 * frequencies, is merged until `budget` new symbols are made or no pair occurs `minFrequency` times.
 */
function mergePieces(words: Map<string, number>, budget: number, minFrequency: number): string[] {
  const seqs = [...words].map(([w, n]) => ({ symbols: [...w].map((ch, i) => (i === 0 ? ch : CONTINUATION + ch)), n }));
  const made: string[] = [];
  while (made.length < budget) {
    const pairs = new Map<string, { a: string; b: string; n: number }>();
    for (const { symbols, n } of seqs) {
      for (let i = 0; i + 1 < symbols.length; i++) {
        const key = `${symbols[i]}\u0000${symbols[i + 1]}`;
        const p = pairs.get(key);
        if (p) p.n += n;
        else pairs.set(key, { a: symbols[i], b: symbols[i + 1], n });
      }
    }
    let best: { a: string; b: string; n: number } | null = null;
    for (const p of pairs.values()) {
      if (!best || p.n > best.n || (p.n === best.n && byCodePoint(joined(p.a, p.b), joined(best.a, best.b)) < 0)) best = p;
    }
    if (!best || best.n < minFrequency) break;
    const merged = joined(best.a, best.b);
    for (const s of seqs) {
      const out: string[] = [];
      for (let i = 0; i < s.symbols.length; i++) {
        if (i + 1 < s.symbols.length && s.symbols[i] === best.a && s.symbols[i + 1] === best.b) {
          out.push(merged);
          i++;
        } else out.push(s.symbols[i]);
      }
      s.symbols = out;
    }
    if (!made.includes(merged)) made.push(merged);
  }
  return made;
}

const addedToken = (content: string) => ({ content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true });

/**
 * tokenizer.json in the `tokenizers` library's format for an uncased BERT: BertNormalizer
 * (lowercase, accents stripped), BertPreTokenizer, WordPiece with "##" continuations, and the
 * [CLS] A [SEP] / [CLS] A [SEP] B:1 [SEP]:1 templates. No truncation or padding: the caller
 * truncates the passage side first and pads a batch to its longest pair (see encode.ts).
 */
export function tokenizerJson(vocab: readonly string[]): Record<string, unknown> {
  const id = (t: string) => {
    const i = vocab.indexOf(t);
    if (i < 0) throw new Error(`the vocabulary has no ${t}`);
    return i;
  };
  if (vocab[0] !== '[PAD]') throw new Error('[PAD] must have id 0');
  const seq = (s: 'A' | 'B', typeId: number) => ({ Sequence: { id: s, type_id: typeId } });
  const tok = (t: string, typeId: number) => ({ SpecialToken: { id: t, type_id: typeId } });
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: SPECIAL_TOKENS.map((t) => ({ id: id(t), ...addedToken(t) })),
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [tok('[CLS]', 0), seq('A', 0), tok('[SEP]', 0)],
      pair: [tok('[CLS]', 0), seq('A', 0), tok('[SEP]', 0), seq('B', 1), tok('[SEP]', 1)],
      special_tokens: Object.fromEntries(['[CLS]', '[SEP]'].map((t) => [t, { id: t, ids: [id(t)], tokens: [t] }])),
    },
    decoder: { type: 'WordPiece', prefix: CONTINUATION, cleanup: true },
    model: {
      type: 'WordPiece',
      unk_token: '[UNK]',
      continuing_subword_prefix: CONTINUATION,
      max_input_chars_per_word: MAX_WORD_CHARS,
      vocab: Object.fromEntries(vocab.map((t, i) => [t, i])),
    },
  };
}

/** tokenizer_config.json as transformers writes it for a BertTokenizer(Fast). */
export function tokenizerConfigJson(vocab: readonly string[], modelMaxLength: number): Record<string, unknown> {
  return {
    added_tokens_decoder: Object.fromEntries(SPECIAL_TOKENS.map((t) => [String(vocab.indexOf(t)), addedToken(t)])),
    clean_up_tokenization_spaces: true,
    cls_token: '[CLS]',
    do_lower_case: true,
    mask_token: '[MASK]',
    model_max_length: modelMaxLength,
    pad_token: '[PAD]',
    sep_token: '[SEP]',
    strip_accents: null,
    tokenize_chinese_chars: true,
    tokenizer_class: 'BertTokenizer',
    unk_token: '[UNK]',
  };
}

/** vocab.txt: one token per line, line number = id (what the slow BertTokenizer reads). */
export function vocabTxt(vocab: readonly string[]): string {
  return vocab.join('\n') + '\n';
}
