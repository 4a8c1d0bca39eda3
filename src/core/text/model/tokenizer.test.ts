import { Tokenizer } from '@huggingface/tokenizers';
import { describe, expect, it } from 'vitest';
import { encodePair, encodePairs, loadTokenizer, padPairs } from './encode';
import { basicTokens, SPECIAL_TOKENS, tokenizerConfigJson, tokenizerJson, trainWordPiece, vocabTxt } from './wordpiece';

const HAND_VOCAB = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', 'the', 'cat', 'sat', '##s', 'on', 'mat', '.', 'c', '##a', '##t', '?'];

/** Through JSON text, as the files are read in the app. */
const load = (vocab: string[]) => loadTokenizer(JSON.parse(JSON.stringify(tokenizerJson(vocab))), JSON.parse(JSON.stringify(tokenizerConfigJson(vocab, 256))));

const CORPUS = [
  'The quick brown fox jumps over the lazy dog.',
  'Foxes are quick; dogs are lazy, mostly.',
  'A dog and a fox: the quickest animals? Jumping foxes!',
  'Café owners serve coffee to quick foxes and lazy dogs.',
  'Dogs jump, foxes jump, everyone jumps over the quick fence.',
];

describe('WordPiece tokenizer files', () => {
  it('load in @huggingface/tokenizers and encode a pair as BERT does', () => {
    const tok = load(HAND_VOCAB);
    const enc = tok.encode('The CATS sat', { text_pair: 'on the mat.', return_token_type_ids: true });
    expect(enc.tokens).toEqual(['[CLS]', 'the', 'cat', '##s', 'sat', '[SEP]', 'on', 'the', 'mat', '.', '[SEP]']);
    expect(enc.ids).toEqual([2, 5, 6, 8, 7, 3, 9, 5, 10, 11, 3]);
    expect(enc.token_type_ids).toEqual([0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1]);
    expect(enc.attention_mask).toEqual(new Array(11).fill(1));
    // Accents stripped with lowercasing (strip_accents: null follows lowercase), unknown words → [UNK], pieces by longest match.
    expect(tok.encode('Thé dog ca', { text_pair: 'cat?' }).tokens).toEqual(['[CLS]', 'the', '[UNK]', 'c', '##a', '[SEP]', 'cat', '?', '[SEP]']);
    expect(tok.encode('cat').tokens).toEqual(['[CLS]', 'cat', '[SEP]']);
  });

  it('writes the HF layout: specials first, vocab.txt in id order, BertTokenizer config', () => {
    const json = tokenizerJson(HAND_VOCAB) as { model: { vocab: Record<string, number>; type: string }; added_tokens: { id: number; content: string }[] };
    expect(json.model.type).toBe('WordPiece');
    expect(json.model.vocab['##s']).toBe(8);
    expect(json.added_tokens.map((t) => [t.id, t.content])).toEqual(SPECIAL_TOKENS.map((t, i) => [i, t]));
    expect(vocabTxt(HAND_VOCAB).split('\n').slice(0, 3)).toEqual(['[PAD]', '[UNK]', '[CLS]']);
    const cfg = tokenizerConfigJson(HAND_VOCAB, 256) as Record<string, unknown>;
    expect(cfg.tokenizer_class).toBe('BertTokenizer');
    expect(cfg.do_lower_case).toBe(true);
    expect(Object.keys(cfg.added_tokens_decoder as object)).toEqual(['0', '1', '2', '3', '4']);
  });

  it('trains a vocabulary that spells every corpus word without [UNK], deterministically', () => {
    const vocab = trainWordPiece(CORPUS, { vocabSize: 300 });
    expect(trainWordPiece(CORPUS, { vocabSize: 300 })).toEqual(vocab);
    expect(vocab.slice(0, 5)).toEqual([...SPECIAL_TOKENS]);
    expect(new Set(vocab).size).toBe(vocab.length);
    expect(vocab.length).toBeLessThanOrEqual(300);
    // Frequent words are whole tokens; accents are gone before counting.
    for (const w of ['the', 'quick', 'foxes', 'lazy']) expect(vocab).toContain(w);
    expect(vocab.some((t) => t.includes('é'))).toBe(false);
    expect(vocab.some((t) => t.startsWith('##') && t.length > 3)).toBe(true);
    const tok = load(vocab);
    for (const text of CORPUS) {
      const enc = tok.encode(text);
      expect(enc.tokens).not.toContain('[UNK]');
      expect(enc.tokens.length).toBeGreaterThanOrEqual(basicTokens(text).length + 2);
    }
    // A word never seen is still spelled from pieces; ASCII the corpus lacks only with asciiAlphabet.
    expect(tok.encode('jumpers').tokens).not.toContain('[UNK]');
    expect(tok.encode('R&D 42% #1').tokens).toContain('[UNK]');
    const ascii = load(trainWordPiece(CORPUS, { vocabSize: 400, asciiAlphabet: true }));
    expect(ascii.encode('R&D 42% #1').tokens).not.toContain('[UNK]');
  });

  it('a tiny budget still holds the specials and the alphabet', () => {
    const vocab = trainWordPiece(['ab ba'], { vocabSize: 9 });
    expect(vocab).toEqual(['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', 'a', 'b', '##a', '##b']);
  });
});

describe('pair encoding for the model', () => {
  const tok: Tokenizer = load(HAND_VOCAB);

  it('gives what the tokenizer gives when the pair fits', () => {
    const enc = tok.encode('the cat', { text_pair: 'sat on the mat', return_token_type_ids: true });
    expect(encodePair(tok, 'the cat', 'sat on the mat', 64)).toEqual({ ids: enc.ids, types: enc.token_type_ids });
  });

  it('truncates the passage first, then the query, keeping the special tokens', () => {
    // [CLS] the cat [SEP] sat on the mat [SEP] = 9 tokens.
    expect(encodePair(tok, 'the cat', 'sat on the mat', 7)).toEqual({ ids: [2, 5, 6, 3, 7, 9, 3], types: [0, 0, 0, 0, 1, 1, 1] });
    expect(encodePair(tok, 'the cat', 'sat on the mat', 5)).toEqual({ ids: [2, 5, 6, 3, 3], types: [0, 0, 0, 0, 1] });
    expect(encodePair(tok, 'the cat', 'sat on the mat', 4)).toEqual({ ids: [2, 5, 3, 3], types: [0, 0, 0, 1] });
    expect(() => encodePair(tok, 'a', 'b', 2)).toThrow(/maxLength/);
  });

  it('pads a batch to its longest pair with [PAD] = 0 and mask 0', () => {
    const b = encodePairs(tok, [{ query: 'cat', passage: 'mat' }, { query: 'the cat', passage: 'sat on the mat' }], 64);
    expect(b.batch).toBe(2);
    expect(b.seqLen).toBe(9);
    expect(Array.from(b.inputIds.slice(0, 9))).toEqual([2, 6, 3, 10, 3, 0, 0, 0, 0]);
    expect(Array.from(b.tokenTypeIds.slice(0, 9))).toEqual([0, 0, 0, 1, 1, 0, 0, 0, 0]);
    expect(Array.from(b.attentionMask.slice(0, 9))).toEqual([1, 1, 1, 1, 1, 0, 0, 0, 0]);
    expect(Array.from(b.attentionMask.slice(9))).toEqual(new Array(9).fill(1));
    expect(() => padPairs([])).toThrow();
  });
});
