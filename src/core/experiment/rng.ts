/**
 * Seeded pseudo-random numbers. Every random choice in RankPlay (data, splits, weight
 * initialisation, batch order, clicks) draws from an Rng derived from the config's seed,
 * so the same config reproduces the same run. sfc32 is small, fast and passes PractRand;
 * the 32-bit seed is expanded with splitmix32 so nearby seeds give unrelated streams.
 */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** Standard normal (Box–Muller). */
  normal(): number;
  /** An independent stream for a named purpose, so adding draws in one place never shifts another. */
  fork(label: string): Rng;
  /** The whole state as plain data (a checkpoint); drawing nothing. */
  getState(): RngState;
  /** Continues exactly where the stream that gave `state` was: the same draws, the same forks. */
  setState(state: RngState): void;
}

/**
 * Everything an Rng's future output depends on: sfc32's four 32-bit words, the seed its forks
 * derive from, and the second normal of the last Box–Muller pair when it has not been drawn yet.
 */
export interface RngState {
  words: [number, number, number, number];
  seed: number;
  spareNormal: number | null;
}

const isUint32 = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 0xffffffff;

/** Throws a readable error unless `state` could have come from getState(). */
export function checkRngState(state: RngState, what = 'random stream'): void {
  const ok =
    Array.isArray(state?.words) &&
    state.words.length === 4 &&
    state.words.every(isUint32) &&
    isUint32(state.seed) &&
    (state.spareNormal === null || (typeof state.spareNormal === 'number' && Number.isFinite(state.spareNormal)));
  if (!ok) throw new Error(`${what}: not a saved random-stream state`);
}

function splitmix32(state: number): () => number {
  let s = state >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** FNV-1a hash of a label, used to derive fork seeds. */
function hashLabel(label: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

export function createRng(seed: number): Rng {
  const seedGen = splitmix32(seed);
  let a = seedGen();
  let b = seedGen();
  let c = seedGen();
  let d = seedGen();
  let rootSeed = seed >>> 0;
  let spareNormal: number | null = null;

  const nextUint32 = (): number => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) >>> 0;
    return t;
  };
  // Discard the first outputs: sfc32's recommended warm-up.
  for (let i = 0; i < 12; i++) nextUint32();

  const rng: Rng = {
    next: () => nextUint32() / 4294967296,
    int: (n: number) => Math.floor((nextUint32() / 4294967296) * n),
    normal: () => {
      if (spareNormal !== null) {
        const v = spareNormal;
        spareNormal = null;
        return v;
      }
      let u = 0;
      while (u === 0) u = rng.next();
      const v = rng.next();
      const r = Math.sqrt(-2 * Math.log(u));
      spareNormal = r * Math.sin(2 * Math.PI * v);
      return r * Math.cos(2 * Math.PI * v);
    },
    fork: (label: string) => createRng((Math.imul(rootSeed ^ hashLabel(label), 0x9e3779b1) + hashLabel(label)) >>> 0),
    getState: () => ({ words: [a >>> 0, b >>> 0, c >>> 0, d >>> 0], seed: rootSeed, spareNormal }),
    setState: (state: RngState) => {
      checkRngState(state);
      [a, b, c, d] = state.words;
      rootSeed = state.seed;
      spareNormal = state.spareNormal;
    },
  };
  return rng;
}

/** In-place Fisher–Yates shuffle driven by `rng`. */
export function shuffleInPlace<T>(items: T[] | Int32Array, rng: Rng): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const tmp = items[i];
    items[i] = items[j];
    items[j] = tmp;
  }
}
