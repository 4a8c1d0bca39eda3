import type { RankingDataset } from '../core/data/dataset';
import { createRng } from '../core/experiment/rng';
import { clickModel, type ClickModelInput } from '../core/clicks/models/config';
import { compileClickModel } from '../core/clicks/models/semantics';
import { plackettLucePolicy, randomPolicy, scoresPolicy, type LoggingPolicy } from '../core/clicks/policies/policy';
import { Sfc32 } from '../core/clicks/simulate/prng';
import { simulateClicks, type SimulateOptions } from '../core/clicks/simulate/simulate';

// Pure (no node: imports): bench/clicks.mjs bundles this file into a Chromium worker as well.

export interface ClicksBenchRow {
  task: string;
  ms: number;
  impressions: number;
  impressionsPerSecond: number;
  /** ms ÷ the floor's ms (the floor draws as many numbers as PBM top-10 does), same run. */
  ratioToFloor: number;
}

export interface ClicksBench {
  environment: string;
  queries: number;
  docsPerQuery: number;
  sessions: number;
  k: number;
  /** Best of `repeats` timings per task, after one untimed warm-up run. */
  repeats: number;
  /** Random numbers the PBM top-10 simulation draws: one per session (its query) + one per impression. */
  draws: number;
  floor: { ms: number; drawsPerSecond: number };
  rows: ClicksBenchRow[];
  /** Clicks of the first PBM run, so a result shows real work was done. */
  pbmClicks: number;
}

function drawChunk(n: number, st: Uint32Array): number {
  let a = st[0] | 0;
  let b = st[1] | 0;
  let c = st[2] | 0;
  let d = st[3] | 0;
  let acc = 0;
  for (let i = 0; i < n; i++) {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (((c << 21) | (c >>> 11)) + t) | 0;
    acc ^= t;
  }
  st[0] = a;
  st[1] = b;
  st[2] = c;
  st[3] = d;
  return acc;
}

/**
 * The floor: a plain loop drawing `n` numbers from the same generator, inlined the same way and
 * run in chunks like the simulator's kernels (so both get V8's ordinary optimised code).
 */
export function drawFloor(n: number, seed: number): number {
  const st = new Sfc32(createRng(seed)).state;
  let acc = 0;
  for (let i = 0; i < n; i += 40_960) acc ^= drawChunk(Math.min(40_960, n - i), st);
  return acc;
}

/** A LETOR-sized set without features: labels 0..4 skewed as in MSLR, seeded random scores. */
function benchData(queries: number, docsPerQuery: number, seed: number): { ds: RankingDataset; scores: Float64Array } {
  const rng = createRng(seed);
  const n = queries * docsPerQuery;
  const labels = new Int8Array(n);
  const scores = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const u = rng.next();
    labels[i] = u < 0.6 ? 0 : u < 0.85 ? 1 : u < 0.95 ? 2 : u < 0.99 ? 3 : 4;
    scores[i] = rng.next() + 0.3 * labels[i];
  }
  const qidOffsets = new Int32Array(queries + 1);
  for (let q = 0; q <= queries; q++) qidOffsets[q] = q * docsPerQuery;
  const ds: RankingDataset = { qidOffsets, features: new Float32Array(0), labels, nFeatures: 0, queryIds: Array.from({ length: queries }, (_, q) => `q${q + 1}`) };
  return { ds, scores };
}

/**
 * Simulated impressions per second, PBM η = 1 on the top 10 of a deterministic ranking, single
 * thread, against the floor (the first row is the headline); other models and policies as extra
 * rows, each divided by the same floor. Timings cover the whole simulateClicks call, allocating
 * the log included, as a caller pays for it.
 */
export function benchClicks(opts: { environment?: string; queries?: number; docsPerQuery?: number; sessions?: number; repeats?: number; seed?: number } = {}): ClicksBench {
  const queries = opts.queries ?? 10_000;
  const docsPerQuery = opts.docsPerQuery ?? 50;
  const sessions = opts.sessions ?? 1_000_000;
  const repeats = opts.repeats ?? 5;
  const seed = opts.seed ?? 7;
  const k = 10;
  const { ds, scores } = benchData(queries, docsPerQuery, seed);
  const policy = scoresPolicy(ds, scores, k);
  const draws = sessions * (k + 1);

  const time = (fn: (rep: number) => void): number => {
    fn(repeats);
    let best = Infinity;
    for (let r = 0; r < repeats; r++) {
      const t0 = performance.now();
      fn(r);
      best = Math.min(best, performance.now() - t0);
    }
    return best;
  };

  let sink = 0;
  const floor = () =>
    time((r) => {
      sink ^= drawFloor(draws, seed + r);
    });
  let floorMs = floor();
  let pbmClicks = -1;
  const simulate = (model: ClickModelInput, p: LoggingPolicy, extra: Partial<SimulateOptions> = {}) => {
    const m = compileClickModel(clickModel({ ...model, topK: k }));
    return time((r) => {
      const { log } = simulateClicks(ds, p, m, { sessions, seed: seed + r, ...extra });
      let c = 0;
      for (let i = 0; i < log.clicks.length; i++) c += log.clicks[i];
      sink ^= c;
      if (pbmClicks < 0) pbmClicks = c;
    });
  };
  const timed: [string, number][] = [
    ['pbm η=1 top-10, deterministic ranking', simulate({ model: 'pbm', eta: 1 }, policy)],
    ['pbm + randtop-10 on every session', simulate({ model: 'pbm', eta: 1 }, policy, { intervention: { kind: 'randtop', fraction: 1 } })],
    ['pbm, random policy', simulate({ model: 'pbm', eta: 1 }, randomPolicy(k))],
    [`pbm, Plackett–Luce policy (T=1, ${docsPerQuery} draws per session)`, simulate({ model: 'pbm', eta: 1 }, plackettLucePolicy(ds, scores, 1, k))],
    ['cascade', simulate({ model: 'cascade' }, policy)],
    ['dcm λ=0.5', simulate({ model: 'dcm' }, policy)],
    ['dbn γ=0.9', simulate({ model: 'dbn' }, policy)],
    ['ubm', simulate({ model: 'ubm' }, policy)],
  ];
  // The floor again, after everything else ran: the best of both (it is a lower bound).
  floorMs = Math.min(floorMs, floor());
  const impressions = sessions * k;
  const rows = timed.map(([task, ms]): ClicksBenchRow => ({ task, ms, impressions, impressionsPerSecond: impressions / (ms / 1000), ratioToFloor: ms / floorMs }));
  if (sink === 0x7fffffff) console.log(sink); // keeps the timed work observable
  return {
    environment: opts.environment ?? 'node',
    queries,
    docsPerQuery,
    sessions,
    k,
    repeats,
    draws,
    floor: { ms: floorMs, drawsPerSecond: draws / (floorMs / 1000) },
    rows,
    pbmClicks,
  };
}
