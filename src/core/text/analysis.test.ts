import { describe, expect, it } from 'vitest';
import { detach, EnglishAnalyzer, LUCENE_ENGLISH_STOPWORDS, MAX_TOKEN_CHARS, tokens } from './analysis';

const analyze = (text: string) => new EnglishAnalyzer().analyze(text);

describe('tokens (a subset of UAX #29 word breaks, as StandardTokenizer)', () => {
  it('splits on spaces, punctuation and symbols; keeps letters and digits together', () => {
    expect(tokens('hello, world! e-mail (mp3) covid19 foo/bar')).toEqual(['hello', 'world', 'e', 'mail', 'mp3', 'covid19', 'foo', 'bar']);
  });

  it('joins across one apostrophe or period between letters, and . , between digits', () => {
    expect(tokens("don't o'neil rock'n'roll u.s.a")).toEqual(["don't", "o'neil", "rock'n'roll", 'u.s.a']);
    expect(tokens('3.14 1,000,000 10:30 a.1')).toEqual(['3.14', '1,000,000', '10', '30', 'a', '1']);
    expect(tokens('a:b c·d 1;2')).toEqual(['a:b', 'c·d', '1;2']);
  });

  it('leaves a joiner at the end of a word out', () => {
    expect(tokens("dogs' end. U.S. 'quoted' 1,")).toEqual(['dogs', 'end', 'U.S', 'quoted', '1']);
  });

  it('treats typographic apostrophes like the ASCII one', () => {
    expect(tokens('john’s o‘neil')).toEqual(['john’s', 'o‘neil']);
  });

  it('joins words with underscores, and drops a run of underscores alone', () => {
    expect(tokens('foo_bar __init__ _ __')).toEqual(['foo_bar', '__init__']);
  });

  it('keeps accented letters and combining marks inside words; other numbers and symbols separate', () => {
    expect(tokens('café naïve résumé x²y ①')).toEqual(['café', 'naïve', 'résumé', 'x', 'y']);
    expect(tokens('soft\u00adhyphen zero\u200bwidth')).toEqual(['soft\u00adhyphen', 'zero', 'width']);
  });

  it('makes each Han ideograph and Hiragana character a token', () => {
    expect(tokens('漢字かな and カタカナ')).toEqual(['漢', '字', 'か', 'な', 'and', 'カタカナ']);
  });

  it('handles characters outside the BMP and lone surrogates', () => {
    expect(tokens('𝐀𝐁 x \ud800 y 𠀀')).toEqual(['𝐀𝐁', 'x', 'y', '𠀀']);
  });

  it('chops tokens longer than 255 characters as StandardTokenizer does', () => {
    const long = 'a'.repeat(MAX_TOKEN_CHARS * 2 + 10);
    expect(tokens(long).map((t) => t.length)).toEqual([255, 255, 10]);
  });

  it('gives nothing for empty or separator-only text', () => {
    expect(tokens('')).toEqual([]);
    expect(tokens(' \t\n—…!?')).toEqual([]);
  });
});

describe('EnglishAnalyzer (Anserini’s DefaultEnglishAnalyzer)', () => {
  it('has Lucene’s 33 English stopwords', () => {
    expect(LUCENE_ENGLISH_STOPWORDS.size).toBe(33);
    expect([...LUCENE_ENGLISH_STOPWORDS].sort().join(' ')).toBe(
      'a an and are as at be but by for if in into is it no not of on or such that the their then there these they this to was will with',
    );
  });

  it('lowercases, drops stopwords and stems with Porter', () => {
    expect(analyze('The Cats are RUNNING into the Houses')).toEqual(['cat', 'run', 'hous']);
    expect(analyze('What is the meaning of relational databases?')).toEqual(['what', 'mean', 'relat', 'databas']);
  });

  it('drops stopwords before stemming, as Lucene orders its filters', () => {
    // "thing" is not a stopword; "these" is, and so is never stemmed to "these" → "thes".
    expect(analyze('these things')).toEqual(['thing']);
  });

  it("cuts a possessive 's (any apostrophe) before the stopword test", () => {
    expect(analyze("John's dog’s owner＇s")).toEqual(['john', 'dog', 'owner']);
    // "it's" → "it", a stopword.
    expect(analyze("it's")).toEqual([]);
    // Only a trailing 's; other contractions stay one token.
    expect(analyze("don't isn't")).toEqual(["don't", "isn't"]);
  });

  it('can keep stopwords, skip stemming and keep possessives', () => {
    const plain = new EnglishAnalyzer({ stopwords: new Set(), stem: false, possessive: false });
    expect(plain.analyze("The dog's Houses")).toEqual(['the', "dog's", 'houses']);
    expect(plain.settings).toEqual({ stopwords: [], stem: false, possessive: false });
  });

  it('gives the same terms from the memo as without it', () => {
    const a = new EnglishAnalyzer();
    const text = 'Generalizations about generalization generalize the generalized';
    expect(a.analyze(text)).toEqual(a.analyze(text));
    expect(a.analyze(text)).toEqual(['gener', 'about', 'gener', 'gener', 'gener']);
  });
});

describe('detach', () => {
  it('copies a string without changing it', () => {
    for (const s of ['', 'short', 'a'.repeat(13), 'x'.repeat(10_000), 'mixed ü 𝐀 text here']) expect(detach(s)).toBe(s);
  });
});
