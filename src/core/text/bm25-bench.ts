import { createRng, type Rng } from '../experiment/rng';
import { tokenRanges } from './analysis';
import { Bm25Searcher } from './bm25';
import { Bm25IndexBuilder, indexBytes } from './bm25-index';

/**
 * A benchmark of BM25 on a generated MS MARCO-shaped collection: passages of 40–80 words (mean
 * 60, MS MARCO's mean is ~56) drawn from a Zipfian vocabulary whose top ranks are English function
 * words (so stopword removal matters as it does on real text) and the rest pseudo-words. It times
 * a tokenise-only pass over the same text (lowercase + find the token boundaries, no string made
 * per token: the floor any indexer pays), the index build (the same, plus stopwords, Porter, term
 * ids and postings), and queries of 2–6 content words. Everything is measured in one run, so the
 * ratio of build to tokenise carries over between machines; the times do not.
 */
export interface Bm25BenchOptions {
  passages: number;
  queries: number;
  k: number;
  seed: number;
  /** Distinct words of the generated vocabulary. */
  vocabulary: number;
}

export const BM25_BENCH_DEFAULTS: Bm25BenchOptions = { passages: 200_000, queries: 1_000, k: 1_000, seed: 42, vocabulary: 200_000 };

export interface Bm25BenchResult {
  passages: number;
  words: number;
  chars: number;
  generateSeconds: number;
  tokenizeSeconds: number;
  indexSeconds: number;
  passagesPerSecond: number;
  /** Index build time ÷ tokenise-only time (≥ 1; the floor is 1). */
  indexOverTokenize: number;
  terms: number;
  postings: number;
  indexBytes: number;
  queries: number;
  k: number;
  meanQueryMs: number;
  p50QueryMs: number;
  p95QueryMs: number;
  /** Mean postings scored per query (the work term-at-a-time scoring does). */
  meanPostingsPerQuery: number;
}

const FUNCTION_WORDS = (
  'the of and a to in is for that on with as was by it are this be or from at an which his not ' +
  'have he were has but its they their had can also one all been more other we there when what'
).split(' ');
const SYLLABLES = 'ba be bi bo bu ca ce co da de di do fa fe fi ga go ha he hi ka ke ko la le li lo lu ma me mi mo na ne ni no pa pe pi po ra re ri ro sa se si so ta te ti to va ve vi wa we ya yo za zo'.split(' ');

/** A Zipf(1) sampler over ranks 0..n−1 by inverse CDF. */
function zipf(n: number, rng: Rng): () => number {
  const cdf = new Float64Array(n);
  let sum = 0;
  for (let r = 0; r < n; r++) cdf[r] = sum += 1 / (r + 1);
  return () => {
    const u = rng.next() * sum;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid] < u) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

function vocabulary(n: number, rng: Rng): string[] {
  const words = [...FUNCTION_WORDS];
  const seen = new Set(words);
  while (words.length < n) {
    let w = '';
    const syllables = 2 + rng.int(3);
    for (let i = 0; i < syllables; i++) w += SYLLABLES[rng.int(SYLLABLES.length)];
    if (rng.next() < 0.15) w += 's';
    if (!seen.has(w)) {
      seen.add(w);
      words.push(w);
    }
  }
  return words;
}

export function generatePassages(options: Pick<Bm25BenchOptions, 'passages' | 'seed' | 'vocabulary'>): { texts: string[]; words: string[]; draw: () => number } {
  const rng = createRng(options.seed);
  const words = vocabulary(options.vocabulary, rng.fork('vocabulary'));
  const draw = zipf(words.length, rng.fork('zipf'));
  const texts: string[] = [];
  const parts: string[] = [];
  for (let p = 0; p < options.passages; p++) {
    const n = 40 + rng.int(41);
    parts.length = 0;
    for (let i = 0; i < n; i++) {
      let w = words[draw()];
      if (i === 0) w = w[0].toUpperCase() + w.slice(1);
      parts.push(rng.next() < 0.05 ? `${w},` : w);
    }
    texts.push(parts.join(' ') + '.');
  }
  return { texts, words, draw };
}

const seconds = (t0: number) => (performance.now() - t0) / 1000;

export function benchBm25(opts: Partial<Bm25BenchOptions> = {}, onStage?: (stage: string) => void): Bm25BenchResult {
  const o = { ...BM25_BENCH_DEFAULTS, ...opts };
  let t0 = performance.now();
  const { texts, words, draw } = generatePassages(o);
  const generateSeconds = seconds(t0);
  let chars = 0;
  for (const t of texts) chars += t.length;

  // Warm the JIT on a slice of the text for each pass, so none pays for compilation alone.
  const warm = texts.slice(0, Math.min(2_000, texts.length));
  let count = 0;
  const countToken = () => void count++;
  for (const t of warm) tokenRanges(t.toLowerCase(), countToken);
  const warmBuilder = new Bm25IndexBuilder();
  warm.forEach((t, i) => warmBuilder.add(`w${i}`, t));
  warmBuilder.finish();

  onStage?.('tokenise');
  count = 0;
  t0 = performance.now();
  for (const t of texts) tokenRanges(t.toLowerCase(), countToken);
  const tokenizeSeconds = seconds(t0);
  const tokenCount = count;

  onStage?.('index');
  t0 = performance.now();
  const builder = new Bm25IndexBuilder();
  for (let i = 0; i < texts.length; i++) builder.add(String(i), texts[i]);
  const index = builder.finish();
  const indexSeconds = seconds(t0);

  onStage?.('search');
  const searcher = new Bm25Searcher(index);
  const rng = createRng(o.seed + 1);
  const queries = Array.from({ length: o.queries }, () => {
    const n = 2 + rng.int(5);
    const q: string[] = [];
    // Content words: ranks past the function words, drawn with the same Zipf skew.
    while (q.length < n) {
      const r = draw();
      if (r >= FUNCTION_WORDS.length) q.push(words[r]);
    }
    return q.join(' ');
  });
  for (const q of queries.slice(0, 50)) searcher.search(q, o.k);
  const times = new Float64Array(queries.length);
  let postings = 0;
  for (let i = 0; i < queries.length; i++) {
    const s = performance.now();
    const parsed = searcher.parse(queries[i]);
    searcher.searchTerms(parsed.terms, o.k);
    times[i] = performance.now() - s;
    for (const t of parsed.terms) postings += searcher.df(t.termId);
  }
  const sorted = Float64Array.from(times).sort();
  const mean = times.reduce((a, b) => a + b, 0) / Math.max(1, times.length);

  return {
    passages: texts.length,
    words: tokenCount,
    chars,
    generateSeconds,
    tokenizeSeconds,
    indexSeconds,
    passagesPerSecond: texts.length / indexSeconds,
    indexOverTokenize: indexSeconds / tokenizeSeconds,
    terms: index.terms.size,
    postings: index.docs.length,
    indexBytes: indexBytes(index),
    queries: queries.length,
    k: o.k,
    meanQueryMs: mean,
    p50QueryMs: sorted[Math.floor(0.5 * (sorted.length - 1))] ?? 0,
    p95QueryMs: sorted[Math.floor(0.95 * (sorted.length - 1))] ?? 0,
    meanPostingsPerQuery: postings / Math.max(1, queries.length),
  };
}
