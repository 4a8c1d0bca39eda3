import { createRng, shuffleInPlace, type Rng } from '../../experiment/rng';
import type { AdaptData, AdaptQuery, NegativeSampling } from './types';

/**
 * What the adaptation trainer samples from the user's collection: query-level splits, judged lists
 * with negatives (labels signal), and the exponential gains the listwise losses take.
 */

/**
 * Splits queries into adapt-train and validation by query (never by pair, so no validation query's
 * passages were seen with that query in training). Seeded; the validation share is rounded, with at
 * least one query on each side when there are two or more.
 */
export function splitQueries(queries: readonly AdaptQuery[], validationFraction: number, seed: number): { train: AdaptQuery[]; validation: AdaptQuery[] } {
  if (!(validationFraction > 0 && validationFraction < 1)) throw new Error(`the validation share must be between 0 and 1, got ${validationFraction}`);
  const order = queries.map((_, i) => i);
  shuffleInPlace(order, createRng(seed).fork('split'));
  let nVal = Math.round(queries.length * validationFraction);
  if (queries.length >= 2) nVal = Math.min(queries.length - 1, Math.max(1, nVal));
  const val = new Set(order.slice(0, nVal));
  // Original order within each side, so a split reads like the input.
  return { train: queries.filter((_, i) => !val.has(i)), validation: queries.filter((_, i) => val.has(i)) };
}

export interface ListItem {
  passage: number;
  label: number;
}

/** Listwise targets: exponential gains 2^y − 1, as nDCG (exp2) weighs grades. */
export const gainOf = (label: number): number => 2 ** Math.max(0, label) - 1;

export const hasRelevant = (q: AdaptQuery): boolean => q.judged.some((j) => j.label > 0);

/**
 * The hard-negative pool of a query: its first-stage candidates that are not judged, without the
 * top `skipTopUnlabelled` of those (near the top an unjudged passage is often an unjudged relevant one).
 */
export function hardNegativePool(q: AdaptQuery, skipTopUnlabelled: number): number[] {
  const judged = new Set(q.judged.map((j) => j.passage));
  return q.candidates.filter((p) => !judged.has(p)).slice(Math.max(0, skipTopUnlabelled));
}

/**
 * One training list of at most `listSize` passages: a random judged positive first, then the other
 * judged passages in random order (at most listSize − 1, so a negative always fits), then negatives.
 * Negatives are never judged passages: 'hard' draws from hardNegativePool without replacement and
 * falls back to the corpus once the pool is used up; 'random' draws from the corpus. Shorter than
 * listSize only when the corpus has too few unjudged passages left (the trainer masks the rest).
 */
export function sampleLabelList(q: AdaptQuery, corpusSize: number, listSize: number, negatives: NegativeSampling, rng: Rng, hardPool?: readonly number[]): ListItem[] {
  const judged = q.judged.map((j) => ({ passage: j.passage, label: j.label }));
  shuffleInPlace(judged, rng);
  const firstPositive = judged.findIndex((j) => j.label > 0);
  if (firstPositive > 0) [judged[0], judged[firstPositive]] = [judged[firstPositive], judged[0]];
  const items = judged.slice(0, Math.max(1, listSize - 1));
  const taken = new Set(q.judged.map((j) => j.passage));
  if (negatives.kind === 'hard') {
    const pool = (hardPool ?? hardNegativePool(q, negatives.skipTopUnlabelled)).filter((p) => !taken.has(p));
    shuffleInPlace(pool, rng);
    while (items.length < listSize && pool.length > 0) {
      const p = pool.pop() as number;
      taken.add(p);
      items.push({ passage: p, label: 0 });
    }
  }
  // Rejection sampling: judged passages are a small share of a corpus, so this ends quickly; the cap
  // only matters for a corpus (nearly) all judged or taken for this query.
  for (let attempts = 0; items.length < listSize && attempts < 50 * listSize; attempts++) {
    const p = rng.int(corpusSize);
    if (taken.has(p)) continue;
    taken.add(p);
    items.push({ passage: p, label: 0 });
  }
  return items;
}

/** Grade of a passage for a query (unjudged = 0, as trec_eval). */
export function gradeMap(q: AdaptQuery): Map<number, number> {
  return new Map(q.judged.map((j) => [j.passage, j.label]));
}

/** The highest grade anywhere in the data (at least 1), for the graded click probability. */
export function maxGrade(data: AdaptData): number {
  let m = 1;
  for (const q of [...data.train, ...data.validation]) for (const j of q.judged) m = Math.max(m, j.label);
  return m;
}

/** Corpus indices must be whole numbers inside the corpus; a message names the query. */
export function checkQueries(queries: readonly AdaptQuery[], corpusSize: number, what: string): void {
  const ok = (p: number) => Number.isInteger(p) && p >= 0 && p < corpusSize;
  for (const q of queries) {
    const bad = [...q.candidates, ...q.judged.map((j) => j.passage)].find((p) => !ok(p));
    if (bad !== undefined) throw new Error(`${what} query '${q.id}': passage ${bad} is not in the corpus (0..${corpusSize - 1})`);
    const badLabel = q.judged.find((j) => !(Number.isFinite(j.label) && j.label >= 0));
    if (badLabel) throw new Error(`${what} query '${q.id}': grade ${badLabel.label} of passage ${badLabel.passage} is not a grade ≥ 0`);
  }
}
