import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import type { Tokenizer } from '@huggingface/tokenizers';
import { createRng, shuffleInPlace, type Rng } from '../../experiment/rng';
import { softmaxLoss } from '../../rank/losses';
import { applySchedule, clippedStep, createOptimizer } from '../../rank/optim';
import { bertLogits } from './bert';
import type { BertConfig } from './config';
import { encodePair, padPairs, type EncodedPair } from './encode';
import { basicTokens } from './wordpiece';

/**
 * Training a cross-encoder from scratch on graded judgements: listwise softmax cross-entropy over
 * lists of one query's passages (its judged ones plus passages sampled from the corpus as
 * negatives), Adam with warm-up and linear decay, dropout at HF BERT's places, global-norm
 * clipping. Every random choice comes from the seed, so a run is reproducible on one backend.
 */

/** One training query with its judged passages (indices into the corpus) and grades. */
export interface JudgedQuery {
  query: string;
  passages: number[];
  labels: number[];
  /** Unjudged passages a first stage ranks high for this query (e.g. BM25's top): hard negatives. */
  hardNegatives?: number[];
}

export interface TrainData {
  corpus: readonly string[];
  queries: readonly JudgedQuery[];
}

export interface CrossEncoderTrainOptions {
  seed: number;
  steps: number;
  /** Lists (queries) per step; a step's batch holds listsPerStep × listSize pairs. */
  listsPerStep: number;
  listSize: number;
  /** Slots kept for sampled corpus negatives even when a query has many judged passages. */
  minNegatives: number;
  learningRate: number;
  warmupSteps: number;
  /** Pair length in tokens (passages cut first). */
  maxLength: number;
  /** Dropout on hidden states and attention probabilities while training (0 = off). */
  dropout: number;
  clipNorm: number;
  /**
   * Share of lists made from the corpus alone (0 = none): a few words drawn from one passage act
   * as its query, the passage is the positive, sampled passages the negatives (the inverse cloze
   * task). It teaches "query words appear in the passage", which a few dozen judged queries are too
   * few to teach a model that starts from random weights.
   */
  pseudoQueryShare: number;
  /** Share of a judged query's negatives drawn from its hardNegatives rather than the whole corpus. */
  hardNegativeShare: number;
}

export interface TrainStep {
  step: number;
  loss: number;
  learningRate: number;
  gradNorm: number;
}

interface ListItem {
  passage: number;
  label: number;
}

/**
 * One list: a random positive, then the query's other judged passages in random order, then
 * negatives, each from the query's hard negatives with probability `hardShare`, else from the corpus.
 */
export function sampleList(q: JudgedQuery, corpusSize: number, listSize: number, minNegatives: number, rng: Rng, hardShare = 0): ListItem[] {
  const judged = q.passages.map((p, i) => ({ passage: p, label: q.labels[i] }));
  shuffleInPlace(judged, rng);
  const firstPositive = judged.findIndex((j) => j.label > 0);
  if (firstPositive > 0) [judged[0], judged[firstPositive]] = [judged[firstPositive], judged[0]];
  const items = judged.slice(0, Math.max(1, listSize - minNegatives));
  const taken = new Set(q.passages);
  // Rejection sampling: judged passages are a small part of the corpus, so this ends quickly; the
  // attempt cap only matters for a corpus that is nearly all judged for this query.
  const hard = q.hardNegatives ?? [];
  for (let attempts = 0; items.length < listSize && attempts < 50 * listSize; attempts++) {
    const p = hard.length > 0 && rng.next() < hardShare ? hard[rng.int(hard.length)] : rng.int(corpusSize);
    if (taken.has(p)) continue;
    taken.add(p);
    items.push({ passage: p, label: 0 });
  }
  return items;
}

/**
 * The corpus's most widespread words (in more than `share` of the passages): function words
 * ("the", "how", "with") that every passage shares with every query, so matching them says nothing.
 */
export function commonWords(corpus: readonly string[], share = 0.1): string[] {
  const df = new Map<string, number>();
  for (const p of corpus) for (const w of new Set(basicTokens(p))) df.set(w, (df.get(w) ?? 0) + 1);
  return [...df].filter(([w, n]) => n > share * corpus.length && /\p{L}/u.test(w)).map(([w]) => w).sort();
}

/**
 * A pseudo-query for a passage: 2–4 of its distinctive words (not common, with a letter, at least 3
 * characters) and 0–2 common words, in random order. The common words also occur in the sampled
 * negatives, so the model learns that matching them is worth nothing, as real queries need.
 */
export function pseudoQuery(passage: string, rng: Rng, common: readonly string[] = []): string | null {
  const skip = new Set(common);
  const words = [...new Set(basicTokens(passage).filter((w) => w.length >= 3 && /\p{L}/u.test(w) && !skip.has(w)))];
  if (words.length < 2) return null;
  shuffleInPlace(words, rng);
  const picked = words.slice(0, 2 + rng.int(Math.min(3, words.length - 1)));
  const fillers = common.length > 0 ? rng.int(3) : 0;
  for (let i = 0; i < fillers; i++) picked.push(common[rng.int(common.length)]);
  shuffleInPlace(picked, rng);
  return picked.join(' ');
}

/** listwise targets: exponential gains 2^y − 1, as nDCG weighs grades. */
const gainOf = (label: number): number => 2 ** Math.max(0, label) - 1;

/**
 * Trains `params` (tfjs variables, updated in place) and reports every step. The tokenizer is the
 * model's own (@huggingface/tokenizers), used exactly as at inference.
 */
export async function trainCrossEncoder(
  c: BertConfig,
  params: ReadonlyMap<string, tf.Variable>,
  tokenizer: Tokenizer,
  data: TrainData,
  opts: CrossEncoderTrainOptions,
  onStep?: (s: TrainStep) => void,
): Promise<TrainStep[]> {
  const usable = data.queries.filter((q) => q.labels.some((y) => y > 0));
  if (usable.length === 0 && opts.pseudoQueryShare <= 0) throw new Error('no training query has a relevant passage');
  const common = opts.pseudoQueryShare > 0 ? commonWords(data.corpus) : [];
  const rng = createRng(opts.seed);
  const listRng = rng.fork('lists');
  const dropRng = rng.fork('dropout');
  const optimizer = createOptimizer('adam', opts.learningRate);
  const variables = [...params.values()];
  const schedule = { kind: 'warmup-linear' as const, warmupSteps: opts.warmupSteps, finalFraction: 0 };
  const dropout = opts.dropout > 0 ? { hidden: opts.dropout, attention: opts.dropout, seed: () => dropRng.int(2 ** 31) } : undefined;
  const history: TrainStep[] = [];
  let order: number[] = [];
  try {
    for (let step = 0; step < opts.steps; step++) {
      const pairs: EncodedPair[] = [];
      const gains: number[] = [];
      for (let lists = 0, attempts = 0; lists < opts.listsPerStep; attempts++) {
        if (attempts > 100 * opts.listsPerStep) throw new Error('could not sample full training lists: the corpus is too small for the list size');
        let query: string | null = null;
        let items: ListItem[];
        if (usable.length === 0 || listRng.next() < opts.pseudoQueryShare) {
          const p = listRng.int(data.corpus.length);
          query = pseudoQuery(data.corpus[p], listRng, common);
          items = sampleList({ query: '', passages: [p], labels: [1] }, data.corpus.length, opts.listSize, opts.listSize - 1, listRng);
        } else {
          if (order.length === 0) {
            order = usable.map((_, i) => i);
            shuffleInPlace(order, listRng);
          }
          const q = usable[order.pop() as number];
          query = q.query;
          items = sampleList(q, data.corpus.length, opts.listSize, opts.minNegatives, listRng, opts.hardNegativeShare);
        }
        if (query === null || items.length < opts.listSize) continue;
        lists++;
        for (const it of items) {
          pairs.push(encodePair(tokenizer, query, data.corpus[it.passage], opts.maxLength));
          gains.push(gainOf(it.label));
        }
      }
      const batch = padPairs(pairs, c.pad_token_id);
      const learningRate = applySchedule(optimizer, opts.learningRate, schedule, step, opts.steps);
      const shape: [number, number] = [opts.listsPerStep, opts.listSize];
      const { loss, norm } = clippedStep(
        optimizer,
        () =>
          tf.tidy(() => {
            const scores = tf.reshape(bertLogits(c, params, batch, { dropout }), shape) as tf.Tensor2D;
            return softmaxLoss({ scores, labels: tf.tensor2d(gains, shape), mask: tf.ones(shape) as tf.Tensor2D });
          }),
        variables,
        opts.clipNorm,
      );
      const [lossValue, normValue] = [(await loss.data())[0], (await norm.data())[0]];
      tf.dispose([loss, norm]);
      if (!Number.isFinite(lossValue)) throw new Error(`training diverged at step ${step + 1} (loss ${lossValue}); lower the learning rate`);
      const s = { step: step + 1, loss: lossValue, learningRate, gradNorm: normValue };
      history.push(s);
      onStep?.(s);
    }
  } finally {
    optimizer.dispose();
  }
  return history;
}
