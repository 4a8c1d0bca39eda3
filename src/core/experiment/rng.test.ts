import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRng, shuffleInPlace, type Rng, type RngState } from './rng';

const draw = (rng: Rng, n: number): number[] => Array.from({ length: n }, () => rng.next());
const seedArb = fc.integer({ min: 0, max: 0xffffffff });

describe('createRng', () => {
  it('gives the same sequence for the same seed (next, int and normal interleaved)', () => {
    fc.assert(
      fc.property(seedArb, (seed) => {
        const a = createRng(seed);
        const b = createRng(seed);
        const seqA = [a.next(), a.int(1000), a.normal(), a.normal(), a.normal(), a.next()];
        const seqB = [b.next(), b.int(1000), b.normal(), b.normal(), b.normal(), b.next()];
        expect(seqA).toEqual(seqB);
      }),
      { numRuns: 200 },
    );
  });

  it('gives different sequences for different seeds, including neighbouring seeds', () => {
    fc.assert(
      fc.property(seedArb, seedArb, (s1, s2) => {
        fc.pre(s1 !== s2);
        expect(draw(createRng(s1), 4)).not.toEqual(draw(createRng(s2), 4));
      }),
      { numRuns: 200 },
    );
    // Nearby seeds (the splitmix32 expansion should decorrelate them): no two of 0..99 share a first draw.
    const firsts = new Set(Array.from({ length: 100 }, (_, s) => createRng(s).next()));
    expect(firsts.size).toBe(100);
  });

  it('treats the seed as a uint32 (seed and seed + 2^32 are the same stream)', () => {
    expect(draw(createRng(7 + 2 ** 32), 5)).toEqual(draw(createRng(7), 5));
  });

  it('next() is in [0, 1)', () => {
    fc.assert(
      fc.property(seedArb, (seed) => {
        const rng = createRng(seed);
        for (let i = 0; i < 200; i++) {
          const v = rng.next();
          expect(v).toBeGreaterThanOrEqual(0);
          expect(v).toBeLessThan(1);
        }
      }),
      { numRuns: 50 },
    );
  });

  it('int(n) is an integer in [0, n)', () => {
    fc.assert(
      fc.property(seedArb, fc.integer({ min: 1, max: 2 ** 31 }), (seed, n) => {
        const rng = createRng(seed);
        for (let i = 0; i < 50; i++) {
          const v = rng.int(n);
          expect(Number.isInteger(v)).toBe(true);
          expect(v).toBeGreaterThanOrEqual(0);
          expect(v).toBeLessThan(n);
        }
      }),
      { numRuns: 100 },
    );
    // int(1) is always 0.
    const rng = createRng(3);
    for (let i = 0; i < 100; i++) expect(rng.int(1)).toBe(0);
  });

  it('next() and int(n) are roughly uniform (chi-square over 10 bins, 20k draws)', () => {
    const rng = createRng(2024);
    const N = 20_000;
    const bins = new Array(10).fill(0);
    const intBins = new Array(10).fill(0);
    for (let i = 0; i < N; i++) {
      bins[Math.floor(rng.next() * 10)]++;
      intBins[rng.int(10)]++;
    }
    const chi2 = (counts: number[]) => counts.reduce((s, c) => s + (c - N / 10) ** 2 / (N / 10), 0);
    // 9 degrees of freedom: P(chi2 > 30) ≈ 4e-4, so a fair generator essentially never fails.
    expect(chi2(bins)).toBeLessThan(30);
    expect(chi2(intBins)).toBeLessThan(30);
  });

  it('normal() has mean ≈ 0 and variance ≈ 1 over 20k draws', () => {
    for (const seed of [1, 42, 0xdeadbeef]) {
      const rng = createRng(seed);
      const N = 20_000;
      let sum = 0;
      let sumSq = 0;
      for (let i = 0; i < N; i++) {
        const v = rng.normal();
        expect(Number.isFinite(v)).toBe(true);
        sum += v;
        sumSq += v * v;
      }
      const mean = sum / N;
      const variance = sumSq / N - mean * mean;
      // Standard errors: mean 1/√20000 ≈ 0.007, variance √(2/20000) ≈ 0.01; tolerances are ~7σ.
      expect(Math.abs(mean)).toBeLessThan(0.05);
      expect(Math.abs(variance - 1)).toBeLessThan(0.07);
    }
  });

  it('normal() tails look Gaussian: about 4.55% of draws beyond ±2', () => {
    const rng = createRng(99);
    const N = 20_000;
    let beyond = 0;
    for (let i = 0; i < N; i++) if (Math.abs(rng.normal()) > 2) beyond++;
    // P(|Z| > 2) = 0.0455; binomial sd = √(N·p·(1−p)) ≈ 29.5 draws, i.e. 0.0015 in fraction.
    expect(Math.abs(beyond / N - 0.0455)).toBeLessThan(0.01);
  });
});

describe('fork', () => {
  it('depends only on the root seed and the label, not on draws made on the parent', () => {
    fc.assert(
      fc.property(seedArb, fc.string(), fc.integer({ min: 0, max: 50 }), (seed, label, drawsBefore) => {
        const fresh = createRng(seed).fork(label);
        const parent = createRng(seed);
        for (let i = 0; i < drawsBefore; i++) parent.normal();
        const late = parent.fork(label);
        expect(draw(late, 5)).toEqual(draw(fresh, 5));
      }),
      { numRuns: 100 },
    );
  });

  it('does not consume or shift the parent stream', () => {
    const a = createRng(5);
    const b = createRng(5);
    const forked = a.fork('x');
    draw(forked, 10);
    expect(draw(a, 5)).toEqual(draw(b, 5));
  });

  it('forking the same label twice gives the same stream (a documented consequence of label-only derivation)', () => {
    const root = createRng(11);
    expect(draw(root.fork('split'), 5)).toEqual(draw(root.fork('split'), 5));
  });

  it('gives different streams for different labels, and differs from the parent', () => {
    const root = createRng(42);
    const labels = ['hidden-function', 'features', 'noise', 'split', 'init', 'batches', 'ranker:linear', 'ranker:mlp', '', 'a', 'b'];
    const firsts = labels.map((l) => draw(root.fork(l), 3).join(','));
    expect(new Set(firsts).size).toBe(labels.length);
    expect(draw(createRng(42), 3)).not.toEqual(draw(createRng(42).fork('features'), 3));
  });

  it('gives different streams for the same label under different seeds', () => {
    fc.assert(
      fc.property(seedArb, seedArb, fc.string(), (s1, s2, label) => {
        fc.pre(s1 !== s2);
        expect(draw(createRng(s1).fork(label), 4)).not.toEqual(draw(createRng(s2).fork(label), 4));
      }),
      { numRuns: 200 },
    );
  });

  it('nested forks are deterministic and distinct from single forks', () => {
    const ab1 = draw(createRng(8).fork('a').fork('b'), 4);
    const ab2 = draw(createRng(8).fork('a').fork('b'), 4);
    expect(ab1).toEqual(ab2);
    expect(ab1).not.toEqual(draw(createRng(8).fork('b'), 4));
    expect(ab1).not.toEqual(draw(createRng(8).fork('a'), 4));
  });
});

describe('shuffleInPlace', () => {
  it('produces a permutation of the input (arrays and Int32Array)', () => {
    fc.assert(
      fc.property(seedArb, fc.array(fc.integer(), { maxLength: 60 }), (seed, items) => {
        const arr = [...items];
        shuffleInPlace(arr, createRng(seed));
        expect([...arr].sort((x, y) => x - y)).toEqual([...items].sort((x, y) => x - y));

        const typed = Int32Array.from(items.map((v) => v | 0));
        const before = Array.from(typed).sort((x, y) => x - y);
        shuffleInPlace(typed, createRng(seed));
        expect(Array.from(typed).sort((x, y) => x - y)).toEqual(before);
      }),
      { numRuns: 200 },
    );
  });

  it('is deterministic for a seed', () => {
    const a = Array.from({ length: 30 }, (_, i) => i);
    const b = [...a];
    shuffleInPlace(a, createRng(123));
    shuffleInPlace(b, createRng(123));
    expect(a).toEqual(b);
  });

  it('actually moves things, and every position of a 4-element list is roughly uniform', () => {
    // 24 000 shuffles of [0,1,2,3]: each element should land in each position 1/4 of the time
    // (6000 ± ~67, binomial sd √(24000·¼·¾)); and each of the 24 permutations about 1000 times.
    const rng = createRng(77);
    const N = 24_000;
    const pos = Array.from({ length: 4 }, () => new Array(4).fill(0));
    const perms = new Map<string, number>();
    for (let t = 0; t < N; t++) {
      const a = [0, 1, 2, 3];
      shuffleInPlace(a, rng);
      a.forEach((v, i) => pos[v][i]++);
      const key = a.join('');
      perms.set(key, (perms.get(key) ?? 0) + 1);
    }
    for (const row of pos) for (const c of row) expect(Math.abs(c - N / 4)).toBeLessThan(400);
    expect(perms.size).toBe(24);
    for (const c of perms.values()) expect(Math.abs(c - N / 24)).toBeLessThan(200);
  });
});

describe('Rng state (checkpoints)', () => {
  it('keeps the streams of before: seed 42, its fork, and normal pairs give the values pinned here', () => {
    const r = createRng(42);
    const f = r.fork('step');
    expect([r.next(), r.int(1000), r.normal(), r.normal(), r.normal(), f.next(), f.int(7)]).toEqual([
      0.23955312534235418, 585, 0.6904464376867262, 2.0660507880443504, 0.6498756975256974, 0.3831862136721611, 0,
    ]);
  });

  it('a stream restored from getState() continues exactly: draws, the spare normal, and forks', () => {
    fc.assert(
      fc.property(seedArb, fc.integer({ min: 0, max: 40 }), fc.boolean(), (seed, skip, halfNormal) => {
        const a = createRng(seed);
        for (let i = 0; i < skip; i++) a.next();
        // An odd number of normals leaves the pair's second value waiting: it must survive too.
        if (halfNormal) a.normal();
        const state: RngState = structuredClone(a.getState());
        const b = createRng(seed ^ 0x1234);
        b.setState(state);
        const seq = (r: Rng) => [r.normal(), r.next(), r.int(97), r.normal(), r.normal(), r.fork('x').next()];
        expect(seq(b)).toEqual(seq(a));
      }),
      { numRuns: 100 },
    );
  });

  it('getState draws nothing, and setState refuses what is not a state', () => {
    const a = createRng(9);
    const s = a.getState();
    expect(a.getState()).toEqual(s);
    expect(createRng(9).next()).toBe(a.next());
    expect(() => a.setState({ words: [1, 2, 3], seed: 1, spareNormal: null } as unknown as RngState)).toThrow(/not a saved random-stream state/);
    expect(() => a.setState({ words: [1, 2, 3, -4], seed: 1, spareNormal: null })).toThrow(/not a saved random-stream state/);
  });
});
