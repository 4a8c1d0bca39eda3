/**
 * Token text → term id (−1: a token analysis drops), looked up by a range of the document's
 * lowercased text. A known token then costs a hash over its characters and one comparison, not a
 * new string and a Map probe: most of an index build is this lookup, once per token.
 *
 * Open addressing with linear probing over a power-of-two slot array, at most half full. Bounded:
 * at `limit` entries the table empties and refills, since the long tail of rare tokens would
 * otherwise grow it without end while frequent tokens come back at once.
 */
export const MISSING = -2;

const EMPTY_SLOT = 0;

/** FNV-1a over UTF-16 code units of text[start, end). */
export function hashRange(text: string, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h | 0;
}

export class TokenTable {
  private keys: string[] = [];
  private hashes = new Int32Array(1024);
  private values = new Int32Array(1024);
  /** Entry number + 1, or EMPTY_SLOT. */
  private slots = new Int32Array(2048);
  private mask = 2047;

  constructor(private readonly limit: number) {}

  get size(): number {
    return this.keys.length;
  }

  /** The value stored for text[start, end) (whose hashRange is `hash`), or MISSING. */
  find(text: string, start: number, end: number, hash: number): number {
    const { slots, hashes, keys, mask } = this;
    const length = end - start;
    for (let s = hash & mask; ; s = (s + 1) & mask) {
      const e = slots[s];
      if (e === EMPTY_SLOT) return MISSING;
      if (hashes[e - 1] !== hash) continue;
      const key = keys[e - 1];
      if (key.length !== length) continue;
      let i = 0;
      while (i < length && key.charCodeAt(i) === text.charCodeAt(start + i)) i++;
      if (i === length) return this.values[e - 1];
    }
  }

  /** Stores `value` for `key` (absent: find() said MISSING); `hash` must be hashRange(key, 0, key.length). */
  insert(key: string, hash: number, value: number): void {
    if (this.keys.length >= this.limit) this.clear();
    const entry = this.keys.length;
    if (entry === this.hashes.length) {
      this.hashes = grow(this.hashes);
      this.values = grow(this.values);
    }
    this.keys.push(key);
    this.hashes[entry] = hash;
    this.values[entry] = value;
    if (2 * this.keys.length > this.slots.length) this.rehash(this.slots.length * 2);
    else this.place(entry);
  }

  clear(): void {
    this.keys = [];
    this.slots.fill(EMPTY_SLOT);
  }

  private place(entry: number): void {
    let s = this.hashes[entry] & this.mask;
    while (this.slots[s] !== EMPTY_SLOT) s = (s + 1) & this.mask;
    this.slots[s] = entry + 1;
  }

  private rehash(size: number): void {
    this.slots = new Int32Array(size);
    this.mask = size - 1;
    for (let e = 0; e < this.keys.length; e++) this.place(e);
  }
}

function grow(a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const next = new Int32Array(a.length * 2);
  next.set(a);
  return next;
}
