/**
 * Ranking the documents of one query by score, for list-mode evaluation.
 *
 * The order is a total order, the one a stable descending sort gives:
 *   - higher score first;
 *   - equal scores (−0 and +0 are equal) keep document order (the earlier row ranks higher), so a
 *     constant scorer is evaluated on the list as given;
 *   - NaN scores rank after every number, among themselves in document order.
 *
 * Finding the top d of n documents, two ways that give exactly the first d of that order:
 *   - a full sort (d close to n, or a measure needs the whole list). When every score is exactly a
 *     float32 (a Float32Array, as models produce, or numbers that survive Math.fround) and lists
 *     have at most 2^21 documents, each document becomes one float64 key = (descending order of
 *     the score's float32 bits) · 2^21 + position in the list. Keys are distinct integers below
 *     2^53, so the native comparator-free Float64Array sort (what a plain `scores.sort()` runs)
 *     orders them exactly, with no JavaScript call per comparison. Other scores (float64 values)
 *     are sorted with the order written as a comparator;
 *   - a partial selection (d ≤ n/4): a bounded max-heap of the best d rows seen so far, then a sort
 *     of those d. Most rows are rejected by one comparison with the worst kept score.
 * Because the order is total (the position breaks every tie), the paths cannot disagree; the
 * tests check them against a stable sort anyway.
 *
 * Buffers are allocated once per ranker, sized to the longest list; ranking a query allocates
 * nothing once each list length has been seen (typed-array views are cached by length).
 */

/** Lists up to this many documents use the packed keys (the position takes 21 bits of 53). */
export const MAX_PACKED_LIST = 1 << 21;
const POS_SCALE = MAX_PACKED_LIST;

/** 'auto' picks per query; the others force a path (tests check they agree). */
export type RankStrategy = 'auto' | 'full' | 'partial';

export interface ListRankerOptions {
  /** false: full sorts use the comparator even when the scores could be packed (tests compare the two). */
  packed?: boolean;
}

/**
 * Descending-order key of float32 bits `u`: smaller key = ranks higher. NaN → the largest key;
 * −0 → the key of +0.
 */
function descKey(u: number): number {
  if ((u & 0x7fffffff) > 0x7f800000) return 0xffffffff;
  if (u === 0x80000000) u = 0;
  // Map the sign-magnitude bits onto an unsigned order (negatives flipped), then reverse it.
  const asc = u & 0x80000000 ? ~u >>> 0 : (u | 0x80000000) >>> 0;
  return 0xffffffff - asc;
}

/** True if every score in [from, to) is a float32 value (or NaN): the packed keys are then exact. */
export function scoresAreFloat32(scores: ArrayLike<number>, from: number, to: number): boolean {
  if (scores instanceof Float32Array) return true;
  for (let i = from; i < to; i++) {
    const s = scores[i];
    if (Math.fround(s) !== s && s === s) return false;
  }
  return true;
}

export class ListRanker {
  /** Whether this ranker uses the packed keys (see the file comment). */
  readonly packed: boolean;
  private readonly keys: Float64Array;
  private readonly keyViews: Float64Array[] = [];
  private readonly idxViews: Int32Array[] = [];
  /** The float32 bits of `scores` when it is a Float32Array. */
  private readonly bits: Uint32Array | null;
  private readonly oneF32 = new Float32Array(1);
  private readonly oneU32 = new Uint32Array(this.oneF32.buffer);
  private readonly compare: (a: number, b: number) => number;

  /**
   * `scores` is the whole score column; `maxLen` the longest list that will be ranked;
   * `range` the rows that will be ranked (checked once for the packed path).
   */
  constructor(
    private readonly scores: ArrayLike<number>,
    maxLen: number,
    range: { from: number; to: number } = { from: 0, to: scores.length },
    opts: ListRankerOptions = {},
  ) {
    this.packed = opts.packed !== false && maxLen <= MAX_PACKED_LIST && scoresAreFloat32(scores, range.from, range.to);
    this.bits = this.packed && scores instanceof Float32Array ? new Uint32Array(scores.buffer, scores.byteOffset, scores.length) : null;
    this.keys = new Float64Array(this.packed ? maxLen : 0);
    const s = scores;
    this.compare = (a, b) => {
      const sa = s[a];
      const sb = s[b];
      if (sa > sb) return -1;
      if (sa < sb) return 1;
      if (sa === sb) return a - b;
      const na = sa !== sa;
      const nb = sb !== sb;
      if (na && nb) return a - b;
      return na ? 1 : -1;
    };
  }

  /**
   * Writes into `out[0 .. d)` the rows (absolute indices into the score column) ranked 1..d among
   * rows [from, to), where d = min(depth, to − from); returns d. `out` must hold to − from entries
   * (it is also the heap's and the comparator sort's work space).
   */
  rank(from: number, to: number, depth: number, out: Int32Array, strategy: RankStrategy = 'auto'): number {
    const n = to - from;
    const d = Math.min(depth, n);
    if (d <= 0) return 0;
    // A bounded heap costs about n + d·log(d)·log(n/d) steps against the sort's n·log(n).
    const partial = strategy === 'partial' || (strategy === 'auto' && d * 4 <= n);
    if (partial) {
      this.topCompared(from, n, d, out);
    } else if (this.packed) {
      this.sortPacked(from, n);
      const keys = this.keys;
      // The low 21 bits of the key are the position (division by 2^21 is exact).
      for (let r = 0; r < d; r++) {
        const key = keys[r];
        out[r] = from + (key - Math.floor(key / POS_SCALE) * POS_SCALE);
      }
    } else {
      const idx = this.idxView(out, n);
      for (let j = 0; j < n; j++) idx[j] = from + j;
      idx.sort(this.compare);
    }
    return d;
  }

  private keyOf(row: number, pos: number): number {
    let u: number;
    if (this.bits !== null) u = this.bits[row];
    else {
      this.oneF32[0] = this.scores[row];
      u = this.oneU32[0];
    }
    return descKey(u) * POS_SCALE + pos;
  }

  private keyView(n: number): Float64Array {
    let v = this.keyViews[n];
    if (v === undefined) v = this.keyViews[n] = this.keys.subarray(0, n);
    return v;
  }

  private idxView(buf: Int32Array, n: number): Int32Array {
    // Views of the caller's buffer, cached while the caller keeps passing the same buffer.
    let v = this.idxViews[n];
    if (v === undefined || v.buffer !== buf.buffer || v.byteOffset !== buf.byteOffset) v = this.idxViews[n] = buf.subarray(0, n);
    return v;
  }

  private sortPacked(from: number, n: number): void {
    const keys = this.keys;
    for (let j = 0; j < n; j++) keys[j] = this.keyOf(from + j, j);
    this.keyView(n).sort();
  }

  /**
   * The best d rows, ranked, in out[0 .. d): a max-heap (worst on top) of the best d seen so far,
   * then a sort of those d. Comparisons are exact for any numbers, so no packing is needed; most
   * rows fail the quick test against the worst kept score and cost one comparison.
   */
  private topCompared(from: number, n: number, d: number, out: Int32Array): void {
    const h = out;
    const cmp = this.compare;
    for (let j = 0; j < d; j++) {
      const row = from + j;
      let c = j;
      while (c > 0) {
        const p = (c - 1) >> 1;
        if (cmp(h[p], row) >= 0) break;
        h[c] = h[p];
        c = p;
      }
      h[c] = row;
    }
    const s = this.scores;
    let worst = s[h[0]];
    for (let j = d; j < n; j++) {
      const row = from + j;
      // Below the worst kept score (false for NaN on either side): cannot enter.
      if (s[row] < worst) continue;
      if (cmp(row, h[0]) >= 0) continue;
      let p = 0;
      for (;;) {
        let c = 2 * p + 1;
        if (c >= d) break;
        if (c + 1 < d && cmp(h[c + 1], h[c]) > 0) c++;
        if (cmp(h[c], row) <= 0) break;
        h[p] = h[c];
        p = c;
      }
      h[p] = row;
      worst = s[h[0]];
    }
    this.idxView(out, d).sort(cmp);
  }
}
