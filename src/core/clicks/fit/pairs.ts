/**
 * (query, document) → dense pair id, the key of every per-pair click-model parameter
 * (attractiveness, satisfaction). An open-addressing hash table over two Int32Arrays, so a log of
 * tens of millions of impressions is indexed without an object or a string per impression, and
 * without packing both indices into one number (which could pass 2^53 on large logs).
 */
export class PairIndex {
  private keysQ: Int32Array;
  private keysD: Int32Array;
  private ids: Int32Array;
  private mask: number;
  private count = 0;
  /** Query index of each pair id. */
  query: Int32Array;
  /** Document index of each pair id. */
  doc: Int32Array;

  constructor(expected = 1024) {
    let cap = 16;
    while (cap < expected * 2) cap *= 2;
    this.keysQ = new Int32Array(cap);
    this.keysD = new Int32Array(cap);
    this.ids = new Int32Array(cap).fill(-1);
    this.mask = cap - 1;
    this.query = new Int32Array(Math.max(16, expected));
    this.doc = new Int32Array(Math.max(16, expected));
  }

  get size(): number {
    return this.count;
  }

  private static hash(q: number, d: number): number {
    let h = Math.imul(q ^ 0x5bd1e995, 0x9e3779b1) ^ d;
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
    return (h ^ (h >>> 16)) >>> 0;
  }

  /** The pair's id, or -1 when the pair is not in the index. */
  get(q: number, d: number): number {
    let i = PairIndex.hash(q, d) & this.mask;
    for (;;) {
      const id = this.ids[i];
      if (id < 0) return -1;
      if (this.keysQ[i] === q && this.keysD[i] === d) return id;
      i = (i + 1) & this.mask;
    }
  }

  /** The pair's id, adding the pair (with the next id) when it is new. */
  add(q: number, d: number): number {
    let i = PairIndex.hash(q, d) & this.mask;
    for (;;) {
      const id = this.ids[i];
      if (id < 0) break;
      if (this.keysQ[i] === q && this.keysD[i] === d) return id;
      i = (i + 1) & this.mask;
    }
    const id = this.count++;
    this.keysQ[i] = q;
    this.keysD[i] = d;
    this.ids[i] = id;
    if (id >= this.query.length) {
      const grow = (a: Int32Array) => {
        const b = new Int32Array(a.length * 2);
        b.set(a);
        return b;
      };
      this.query = grow(this.query);
      this.doc = grow(this.doc);
    }
    this.query[id] = q;
    this.doc[id] = d;
    // Keep the load factor under 1/2 so probes stay short.
    if (this.count * 2 > this.ids.length) this.rehash();
    return id;
  }

  private rehash(): void {
    const cap = this.ids.length * 2;
    this.keysQ = new Int32Array(cap);
    this.keysD = new Int32Array(cap);
    this.ids = new Int32Array(cap).fill(-1);
    this.mask = cap - 1;
    for (let id = 0; id < this.count; id++) {
      const q = this.query[id];
      const d = this.doc[id];
      let i = PairIndex.hash(q, d) & this.mask;
      while (this.ids[i] >= 0) i = (i + 1) & this.mask;
      this.keysQ[i] = q;
      this.keysD[i] = d;
      this.ids[i] = id;
    }
  }
}
