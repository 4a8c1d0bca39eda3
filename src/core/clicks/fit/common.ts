import type { ClickLog } from '../log';
import { PairIndex } from './pairs';

/** The five models of Chuklin, Markov and de Rijke, "Click Models for Web Search" (2015), ch. 3. */
export const CLICK_MODEL_NAMES = ['pbm', 'cascade', 'dcm', 'dbn', 'ubm'] as const;
export type ClickModelName = (typeof CLICK_MODEL_NAMES)[number];

export function isClickModelName(v: unknown): v is ClickModelName {
  return typeof v === 'string' && (CLICK_MODEL_NAMES as readonly string[]).includes(v);
}

/**
 * The floor (and 1 − the ceiling) of every fitted probability and every predicted probability of
 * an observed event, as in PyClick: an impossible event under a model (a second click under
 * cascade) costs log(1e-6) instead of −∞, and log-likelihoods stay finite.
 */
export const PROB_MIN = 1e-6;

export const clampProb = (p: number): number => (p < PROB_MIN ? PROB_MIN : p > 1 - PROB_MIN ? 1 - PROB_MIN : p);

/**
 * Beta pseudo-counts added to every estimate: θ = (expected successes + a) / (trials + a + b).
 * The default (1, 1) is PyClick's MLE smoothing (a fresh parameter reads 1/2); it keeps logs with
 * no clicks, or only clicks, away from 0 and 1, and it is the value an unseen parameter takes.
 */
export interface Prior {
  a: number;
  b: number;
}

export const DEFAULT_PRIOR: Prior = { a: 1, b: 1 };

export function estimate(num: number, den: number, prior: Prior): number {
  const d = den + prior.a + prior.b;
  // No observation and no prior (a = b = 0): nothing to estimate from; read 1/2.
  return d > 0 ? clampProb((num + prior.a) / d) : 0.5;
}

/**
 * A log prepared for fitting or prediction: per session the number of filled slots, and per slot
 * the (query, document) pair id (−1 for an empty slot or, in a test log, a pair the model never saw).
 */
export interface SessionData {
  k: number;
  sessions: number;
  /** Filled slots per session. */
  n: Int32Array;
  /** sessions × k pair ids, as `shown`. */
  pair: Int32Array;
  /** The log's clicks (same layout). */
  clicks: Uint8Array;
}

/** Filled slots of every session (empty slots are a −1 suffix). */
export function shownCounts(log: ClickLog): Int32Array {
  const sessions = log.query.length;
  const k = log.k;
  const n = new Int32Array(sessions);
  for (let s = 0; s < sessions; s++) {
    const base = s * k;
    let m = 0;
    while (m < k && log.shown[base + m] >= 0) m++;
    n[s] = m;
  }
  return n;
}

/** Indexes every (query, document) pair of a training log. */
export function indexTrainingLog(log: ClickLog): { data: SessionData; pairs: PairIndex } {
  const sessions = log.query.length;
  const k = log.k;
  const n = shownCounts(log);
  const pairs = new PairIndex(Math.min(sessions * k, 1 << 20));
  const pair = new Int32Array(sessions * k).fill(-1);
  for (let s = 0; s < sessions; s++) {
    const q = log.query[s];
    const base = s * k;
    for (let r = 0; r < n[s]; r++) pair[base + r] = pairs.add(q, log.shown[base + r]);
  }
  return { data: { k, sessions, n, pair, clicks: log.clicks }, pairs };
}

/** Per pair: impressions (slots where it was shown) and clicks. */
export function pairCounts(data: SessionData, nPairs: number): { impressions: Float64Array; clicks: Float64Array } {
  const impressions = new Float64Array(nPairs);
  const clicks = new Float64Array(nPairs);
  const { k, n, pair } = data;
  for (let s = 0; s < data.sessions; s++) {
    const base = s * k;
    for (let r = 0; r < n[s]; r++) {
      const p = pair[base + r];
      impressions[p]++;
      clicks[p] += data.clicks[base + r];
    }
  }
  return { impressions, clicks };
}

export function mean(a: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i];
  return a.length ? sum / a.length : NaN;
}
