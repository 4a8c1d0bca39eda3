import type { Rng } from '../../experiment/rng';

/**
 * sfc32 with its state in a Uint32Array, so hot loops can copy it into four local variables,
 * run the generator inline (no closure call per draw) and store it back. It is the same generator
 * as experiment/rng.ts; the state is seeded from a project Rng (a named fork of the config's seed),
 * so every draw of a simulation still comes from the seed.
 */
export class Sfc32 {
  readonly state = new Uint32Array(4);

  constructor(seedFrom: Rng) {
    for (let i = 0; i < 4; i++) this.state[i] = Math.floor(seedFrom.next() * 4294967296) >>> 0;
    for (let i = 0; i < 12; i++) this.u32();
  }

  /** Next 32 random bits as an unsigned integer. */
  u32(): number {
    const s = this.state;
    const a = s[0] | 0;
    const b = s[1] | 0;
    const c = s[2] | 0;
    const d = s[3] | 0;
    const t = (((a + b) | 0) + d) | 0;
    s[3] = (d + 1) | 0;
    s[0] = b ^ (b >>> 9);
    s[1] = (c + (c << 3)) | 0;
    s[2] = (((c << 21) | (c >>> 11)) + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1) with 32 bits. */
  float(): number {
    return this.u32() * 2.3283064365386963e-10;
  }

  /** Uniform integer in [0, n), n ≤ 2^32. */
  int(n: number): number {
    return Math.floor(this.u32() * 2.3283064365386963e-10 * n);
  }
}

/** 2^−32: a uint32 draw times this is uniform in [0, 1). */
export const INV_2_32 = 2.3283064365386963e-10;
