/**
 * Growable typed-array columns, id interning and a capped warning list: the building blocks that
 * keep parsed text collections columnar (one typed array per field, no object per row).
 */

type NumericArray = Int8Array | Int32Array | Float64Array;

export class NumberColumn<A extends NumericArray> {
  length = 0;
  private data: A;

  constructor(private readonly make: (n: number) => A) {
    this.data = make(1024);
  }

  push(value: number): void {
    if (this.length === this.data.length) {
      const next = this.make(this.data.length * 2);
      next.set(this.data);
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
    if (this.index.has(id)) return -1;
    return this.intern(id);
  }

  indexOf(id: string): number {
    return this.index.get(id) ?? -1;
  }

  /** Hands over the map so a table can answer indexOf without rebuilding it. */
  map(): Map<string, number> {
    return this.index;
  }
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
