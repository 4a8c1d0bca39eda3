import type { GainKind } from './gain';
import { averagePrecision, dcgAt, errAt, precisionAt, recallAt, reciprocalRank } from './kernels';
import { checkListMeasure, formatListMeasure, type ListMeasure, type ListMeasureName } from './measures';
import { ListRanker, type RankStrategy } from './rank';

/**
 * What a query with no relevant document (no label ≥ 1) contributes to each mean: nothing
 * ('drop', ULTRA's choice and the default), 0 ('zero', trec_eval's), or 1 ('one').
 */
export type NoRelevantPolicy = 'drop' | 'zero' | 'one';

export interface ListEvalOptions {
  gain: GainKind;
  noRelevant: NoRelevantPolicy;
  /** ERR's top grade: R = (2^y − 1) / 2^ymax. Default: the largest label in the data, at least 1. */
  ymax?: number;
  /** Internal: forces a ranking path (tests check every path gives the same values). */
  strategy?: RankStrategy;
  /** Internal: false forces the comparator ranking even for float32 scores. */
  packed?: boolean;
}

export interface ListEvalResult {
  /**
   * Per measure (keyed by `formatListMeasure`, e.g. `ndcg@10`, `map`), one value per query.
   * NaN for a query with no relevant document, except `p` (0: no relevant document in the top
   * k) and `dcg` (its value, 0 with integer labels), which are defined there.
   */
  perQuery: Record<string, Float64Array>;
  /** Per measure, the mean over the counted queries (0 when none is counted). */
  mean: Record<string, number>;
  /** Queries in every mean: all of them under 'zero' and 'one', those with a relevant document under 'drop'. */
  counted: number;
  /** Queries without any relevant document. */
  withoutRelevant: number;
}

/** A measure with its key and cutoff resolved (Infinity = the whole list). */
interface Spec {
  name: ListMeasureName;
  key: string;
  k: number;
}

/** Label ranges up to this size are counted in a histogram to build the ideal order in O(n). */
const MAX_HISTOGRAM = 4096;

function checkInputs(scores: ArrayLike<number>, labels: ArrayLike<number>, qidOffsets: Int32Array, opts: ListEvalOptions): void {
  if (qidOffsets.length < 1) throw new Error('qidOffsets needs at least one entry (nQueries + 1 offsets)');
  if (qidOffsets[0] < 0) throw new Error(`qidOffsets[0] is ${qidOffsets[0]}: offsets cannot be negative`);
  for (let q = 0; q + 1 < qidOffsets.length; q++) {
    if (qidOffsets[q + 1] < qidOffsets[q]) {
      throw new Error(`qidOffsets must not decrease: query ${q + 1} starts at row ${qidOffsets[q + 1]}, before query ${q} (row ${qidOffsets[q]})`);
    }
  }
  const end = qidOffsets[qidOffsets.length - 1];
  if (end > scores.length) throw new Error(`qidOffsets reaches row ${end} but there are ${scores.length} scores`);
  if (end > labels.length) throw new Error(`qidOffsets reaches row ${end} but there are ${labels.length} labels`);
  if (opts.gain !== 'exp2' && opts.gain !== 'linear') throw new Error(`gain must be 'exp2' or 'linear', got '${String(opts.gain)}'`);
  if (opts.noRelevant !== 'drop' && opts.noRelevant !== 'zero' && opts.noRelevant !== 'one') {
    throw new Error(`noRelevant must be 'drop', 'zero' or 'one', got '${String(opts.noRelevant)}'`);
  }
  if (opts.ymax !== undefined && !(Number.isFinite(opts.ymax) && opts.ymax > 0)) {
    throw new Error(`ymax must be a positive number, got ${String(opts.ymax)}`);
  }
}

/** Cached prefix views of a buffer: a query takes a view of its length without allocating. */
class Prefixes {
  private readonly views: Float64Array[] = [];
  constructor(readonly buf: Float64Array) {}
  of(n: number): Float64Array {
    let v = this.views[n];
    if (v === undefined) v = this.views[n] = this.buf.subarray(0, n);
    return v;
  }
}

/**
 * List-mode evaluation: every query's candidate list is ranked by `scores` (descending; ties in
 * document order, NaN last: see `rank.ts`) and each measure is computed on that one ranking with
 * the shared kernels. The ideal ranking for nDCG is the list's own labels sorted descending.
 * A label ≥ 1 is relevant (AP, RR, P, recall, and which queries have a relevant document).
 *
 * Measures: nDCG@k and DCG@k with the chosen gain; ERR@k with R = (2^y − 1)/2^ymax (labels
 * above ymax count as ymax); AP (÷ all relevant documents in the list, so AP@k is trec_eval's
 * map_cut); RR; P@k (÷ k, even when the list is shorter); recall@k. No cutoff = the whole list.
 *
 * Queries without a relevant document: their per-query value is NaN for nDCG, ERR, AP, RR and
 * recall (undefined there), while P@k and DCG@k keep their value (0 with integer labels). Every
 * mean then treats such a query the same way, so all means are over the same `counted` queries:
 * 'drop' leaves it out of every mean, P@k and DCG included; 'zero' adds 0 (for P@k, its own
 * value); 'one' adds 1 to every mean, P@k and DCG included (a query with nothing to find counts
 * as perfectly served). A mean over no query is 0.
 *
 * Queries are rows [qidOffsets[q], qidOffsets[q + 1]) of the columns. Work per query is one
 * ranking (a bounded heap of the top k when every measure has a cutoff well below the list
 * length, otherwise a full sort) plus O(n) for the labels; nothing is allocated per query
 * (buffers are sized to the longest list once per call).
 */
export function evaluateLists(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  qidOffsets: Int32Array,
  measures: readonly ListMeasure[],
  opts: ListEvalOptions,
): ListEvalResult {
  checkInputs(scores, labels, qidOffsets, opts);
  const nQ = qidOffsets.length - 1;
  const first = qidOffsets[0];
  const last = qidOffsets[nQ];

  // One spec per distinct key: `ndcg@10` asked twice is computed once.
  const specs: Spec[] = [];
  for (const m of measures) {
    checkListMeasure(m);
    const key = formatListMeasure(m);
    if (!specs.some((s) => s.key === key)) specs.push({ name: m.name, key, k: m.k ?? Infinity });
  }
  const nM = specs.length;
  let depth = 0;
  let idealDepth = 0;
  let needErr = false;
  for (const s of specs) {
    depth = Math.max(depth, s.k);
    if (s.name === 'ndcg') idealDepth = Math.max(idealDepth, s.k);
    if (s.name === 'err') needErr = true;
  }

  // One pass over the labels: their range (for the histogram and ymax) and whether they are integers.
  let maxLen = 0;
  for (let q = 0; q < nQ; q++) maxLen = Math.max(maxLen, qidOffsets[q + 1] - qidOffsets[q]);
  let lo = Infinity;
  let hi = -Infinity;
  let integral = true;
  const typedInts = labels instanceof Int8Array || labels instanceof Uint8Array || labels instanceof Int16Array || labels instanceof Int32Array;
  for (let i = first; i < last; i++) {
    const y = labels[i];
    if (y < lo) lo = y;
    if (y > hi) hi = y;
    if (!typedInts && integral && !Number.isInteger(y)) integral = false;
  }
  const ymax = opts.ymax ?? Math.max(1, hi);
  if (needErr && !Number.isFinite(ymax)) throw new Error(`ERR needs a finite top grade; the labels reach ${hi}`);
  const useHistogram = idealDepth > 0 && integral && last > first && hi - lo < MAX_HISTOGRAM;

  const ev = new QueryEvaluator(scores, labels, specs, {
    maxLen,
    depth,
    idealDepth,
    histogram: useHistogram ? { lo, hi } : null,
    gain: opts.gain,
    ymax,
    strategy: opts.strategy ?? 'auto',
    ranker: new ListRanker(scores, maxLen, { from: first, to: last }, { packed: opts.packed }),
    nQ,
  });
  const sums = new Float64Array(nM);
  const substitute = opts.noRelevant === 'one' ? 1 : 0;
  let counted = 0;
  let withoutRelevant = 0;
  for (let q = 0; q < nQ; q++) {
    const hasRelevant = ev.query(q, qidOffsets[q], qidOffsets[q + 1]);
    if (hasRelevant) {
      for (let m = 0; m < nM; m++) sums[m] += ev.columns[m][q];
      counted++;
    } else {
      withoutRelevant++;
      if (opts.noRelevant !== 'drop') {
        for (let m = 0; m < nM; m++) sums[m] += substitute;
        counted++;
      }
    }
  }

  const perQuery: Record<string, Float64Array> = {};
  specs.forEach((spec, m) => (perQuery[spec.key] = ev.columns[m]));
  const mean: Record<string, number> = {};
  for (let m = 0; m < nM; m++) mean[specs[m].key] = counted === 0 ? 0 : sums[m] / counted;
  return { perQuery, mean, counted, withoutRelevant };
}

interface EvaluatorConfig {
  maxLen: number;
  /** Ranks needed: the largest cutoff (Infinity: the whole list). */
  depth: number;
  /** Ideal ranks needed: the largest nDCG cutoff (0: no nDCG). */
  idealDepth: number;
  /** Integer label range for the counting path, or null to sort the labels. */
  histogram: { lo: number; hi: number } | null;
  gain: GainKind;
  ymax: number;
  strategy: RankStrategy;
  ranker: ListRanker;
  nQ: number;
}

/**
 * One query at a time, with every buffer allocated up front. A method per query (rather than a
 * loop inside `evaluateLists`) lets the engine optimise it as an ordinary hot function.
 */
class QueryEvaluator {
  readonly columns: Float64Array[];
  private readonly order: Int32Array;
  private readonly ranked: Prefixes;
  private readonly ideal: Prefixes;
  private readonly negLabels: Prefixes;
  private readonly hist: Int32Array;

  constructor(
    private readonly scores: ArrayLike<number>,
    private readonly labels: ArrayLike<number>,
    private readonly specs: readonly Spec[],
    private readonly cfg: EvaluatorConfig,
  ) {
    this.columns = specs.map(() => new Float64Array(cfg.nQ));
    this.order = new Int32Array(cfg.maxLen);
    this.ranked = new Prefixes(new Float64Array(cfg.maxLen));
    this.ideal = new Prefixes(new Float64Array(Math.min(cfg.maxLen, cfg.idealDepth)));
    // Without the histogram, the ideal order is a sort of the negated labels.
    this.negLabels = new Prefixes(new Float64Array(cfg.idealDepth > 0 && cfg.histogram === null ? cfg.maxLen : 0));
    this.hist = new Int32Array(cfg.histogram ? cfg.histogram.hi - cfg.histogram.lo + 1 : 0);
  }

  /**
   * Relevant documents among rows [from, to) and, when nDCG is asked for, the ideal order's top
   * labels (descending) in `ideal`.
   */
  private labelPass(from: number, to: number): number {
    const labels = this.labels;
    const n = to - from;
    const nIdeal = Math.min(n, this.cfg.idealDepth);
    let numRel = 0;
    const h = this.cfg.histogram;
    if (h !== null) {
      const { lo, hi } = h;
      const hist = this.hist;
      hist.fill(0);
      for (let i = from; i < to; i++) hist[labels[i] - lo]++;
      for (let y = Math.max(1, lo); y <= hi; y++) numRel += hist[y - lo];
      const buf = this.ideal.buf;
      let pos = 0;
      for (let y = hi; y >= lo && pos < nIdeal; y--) {
        for (let c = hist[y - lo]; c > 0 && pos < nIdeal; c--) buf[pos++] = y;
      }
    } else {
      for (let i = from; i < to; i++) if (labels[i] >= 1) numRel++;
      if (nIdeal > 0) {
        const neg = this.negLabels.buf;
        for (let i = 0; i < n; i++) neg[i] = -labels[from + i];
        this.negLabels.of(n).sort();
        const buf = this.ideal.buf;
        for (let r = 0; r < nIdeal; r++) buf[r] = -neg[r];
      }
    }
    return numRel;
  }

  /** Evaluates query q (rows [from, to)) into `columns[·][q]`; returns whether it has a relevant document. */
  query(q: number, from: number, to: number): boolean {
    const n = to - from;
    const numRel = this.labelPass(from, to);
    const hasRelevant = numRel > 0;
    const cfg = this.cfg;
    const d = cfg.ranker.rank(from, to, cfg.depth, this.order, cfg.strategy);
    const order = this.order;
    const labels = this.labels;
    const rankedBuf = this.ranked.buf;
    for (let r = 0; r < d; r++) rankedBuf[r] = labels[order[r]];

    const specs = this.specs;
    for (let m = 0; m < specs.length; m++) {
      const spec = specs[m];
      const kk = Math.min(spec.k, n);
      const rel = this.ranked.of(kk);
      let v: number;
      switch (spec.name) {
        case 'ndcg':
          v = hasRelevant ? dcgAt(rel, kk, cfg.gain) / dcgAt(this.ideal.of(kk), kk, cfg.gain) : NaN;
          break;
        case 'dcg':
          v = dcgAt(rel, kk, cfg.gain);
          break;
        case 'err':
          v = hasRelevant ? errAt(rel, kk, cfg.ymax) : NaN;
          break;
        case 'ap':
          v = hasRelevant ? averagePrecision(rel, numRel) : NaN;
          break;
        case 'rr':
          v = hasRelevant ? reciprocalRank(rel) : NaN;
          break;
        case 'p':
          // Divided by k, not by the list length: missing positions count as not relevant.
          v = precisionAt(rel, spec.k);
          break;
        case 'recall':
          v = hasRelevant ? recallAt(rel, kk, numRel) : NaN;
          break;
      }
      this.columns[m][q] = v;
    }
    return hasRelevant;
  }
}
