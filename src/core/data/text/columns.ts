/**
 * Growable typed-array columns, id interning and a capped warning list: the building blocks that
 * keep parsed text collections columnar (one typed array per field, no object per row).
 */

type NumericArray = Int8Array | Uint8Array | Int32Array | Float32Array | Float64Array;

export class NumberColumn<A extends NumericArray> {
  length = 0;
  private data: A;

  constructor(private readonly make: (n: number) => A) {
    this.data = make(1024);
  }

  push(value: number): void {
    if (this.length === this.data.length) {
      const next = this.make(this.data.length * 2);
      next.set(this.data as never);
      this.data = next;
    }
    this.data[this.length++] = value;
  }

  get(i: number): number {
    return this.data[i];
  }

  set(i: number, value: number): void {
    this.data[i] = value;
  }

  /** A right-sized copy, so the slack of doubling is not kept for the life of the dataset. */
  toArray(): A {
    return this.data.slice(0, this.length) as A;
  }
}

export const int8Column = () => new NumberColumn((n) => new Int8Array(n));
export const int32Column = () => new NumberColumn((n) => new Int32Array(n));
export const uint8Column = () => new NumberColumn((n) => new Uint8Array(n));
export const float32Column = () => new NumberColumn((n) => new Float32Array(n));
export const float64Column = () => new NumberColumn((n) => new Float64Array(n));

/** Distinct strings in first-seen order, each with its index. */
export class IdTable {
  readonly ids: string[] = [];
  private readonly index = new Map<string, number>();

  get size(): number {
    return this.ids.length;
  }

  intern(id: string): number {
    let i = this.index.get(id);
    if (i === undefined) {
      i = this.ids.length;
      this.index.set(id, i);
      this.ids.push(id);
    }
    return i;
  }

  /** Adds `id` if new; returns its index, or -1 when it was already there. */
  addNew(id: string): number {
    if (this.index.get(id) !== undefined) return -1;
    const i = this.ids.length;
    this.index.set(id, i);
    this.ids.push(id);
    return i;
  }

  indexOf(id: string): number {
    return this.index.get(id) ?? -1;
  }

  /** Hands over the map so a table can answer indexOf without rebuilding it. */
  map(): Map<string, number> {
    return this.index;
  }
}

/**
 * Finds rows by a pair of small integers (query index, doc index) with open addressing over an
 * Int32Array of row numbers. A Map keyed by q·2^32 + d did the same at several times the cost:
 * such keys are heap numbers, and judgements number in the millions.
 */
export class PairIndex {
  private table = new Int32Array(1 << 10).fill(-1);
  private count = 0;

  /** `first` and `second` are the columns the stored rows are looked up in. */
  constructor(
    private readonly first: NumberColumn<Int32Array>,
    private readonly second: NumberColumn<Int32Array>,
  ) {}

  /** The row already holding (a, b), or -1 after recording `row` as holding it. */
  findOrAdd(a: number, b: number, row: number): number {
    if (2 * (this.count + 1) > this.table.length) this.grow();
    const mask = this.table.length - 1;
    for (let h = pairHash(a, b) & mask; ; h = (h + 1) & mask) {
      const r = this.table[h];
      if (r < 0) {
        this.table[h] = row;
        this.count++;
        return -1;
      }
      if (this.first.get(r) === a && this.second.get(r) === b) return r;
    }
  }

  private grow(): void {
    const old = this.table;
    this.table = new Int32Array(old.length * 2).fill(-1);
    const mask = this.table.length - 1;
    for (const r of old) {
      if (r < 0) continue;
      let h = pairHash(this.first.get(r), this.second.get(r)) & mask;
      while (this.table[h] >= 0) h = (h + 1) & mask;
      this.table[h] = r;
    }
  }
}

function pairHash(a: number, b: number): number {
  let h = Math.imul(a, 0x9e3779b1) ^ Math.imul(b + 0x7f4a7c15, 0x85ebca77);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  return h ^ (h >>> 12);
}

const MAX_WARNINGS = 20;

/**
 * Warnings worth showing a person, capped: a file with a million duplicates should say so in one
 * line, not a million.
 */
export class WarningList {
  private readonly list: string[] = [];
  private more = 0;

  add(message: string): void {
    if (this.list.length < MAX_WARNINGS) this.list.push(message);
    else this.more++;
  }

  toArray(): string[] {
    return this.more > 0 ? [...this.list, `… and ${this.more.toLocaleString('en')} more warnings like these`] : [...this.list];
  }
}
