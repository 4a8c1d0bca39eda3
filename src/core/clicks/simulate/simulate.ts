import type { RankingDataset } from '../../data/dataset';
import { queryCount } from '../../data/dataset';
import { createRng } from '../../experiment/rng';
import type { ClickLog } from '../log';
import { clickModel, type ClickModelConfig } from '../models/config';
import { compileClickModel, type CompiledClickModel } from '../models/semantics';
import type { LoggingPolicy, PlackettLucePolicy } from '../policies/policy';
import { interventionDepth, type InterventionConfig } from '../interventions/config';
import { applyIntervention } from '../interventions/apply';
import { INV_2_32, Sfc32 } from './prng';
import { cascadeClicks, dbnClicks, pbmClicks, pbmThreshold, TWO_32, ubmClicks } from './click-kernels';
import { drain, driveAsync, type DriveOptions } from './drive';

/**
 * Click simulation: sessions → shown top-k (the logging policy, then an optional intervention)
 * → clicks (the click model of models/semantics.ts), written straight into a columnar ClickLog.
 *
 * Sessions: 'uniform' (default, as ULTRA) draws each session's query uniformly from all queries;
 * 'per-query' gives every query `sessions` sessions, in query order.
 *
 * Randomness: four independent sfc32 streams forked from the seed ('clicks/sessions' for the
 * query of each session, 'clicks/policy' for stochastic rankings, 'clicks/intervention',
 * 'clicks/clicks'), so e.g. switching the policy never changes which queries were drawn, and an
 * intervention on no session leaves the log unchanged. Each click decision is one uniform draw
 * compared with its probability given the history (e.g. DBN: click ~ a, then continue ~ γ(1 − σ)
 * after a click or γ without), which has exactly the model's distribution.
 *
 * Speed: three passes over the sessions (queries, shown lists, clicks), each a tight loop with the
 * generator in local variables and no call or allocation per impression; click probabilities are
 * precomputed per (rank, grade). A fused one-pass PBM loop (per-query thresholds) measured slower
 * than these separate passes in Node 20, so there is none.
 *
 * Steps: the passes run in chunks of 4096 sessions, and `simulationSteps` yields a SimProgress after
 * each chunk. `simulateClicks` runs them straight through; `simulateClicksAsync` lets the event loop
 * in between (progress, cancel; see drive.ts). The chunks are the same either way, and each keeps its
 * generator state in the shared Sfc32 state, so both give the same bits.
 */
export interface SimulateOptions {
  /** Total sessions ('uniform'), or sessions per query ('per-query'). */
  sessions: number;
  sessionMode?: 'uniform' | 'per-query';
  seed: number;
  intervention?: InterventionConfig;
}

export interface Simulation {
  log: ClickLog;
  model: CompiledClickModel;
  /**
   * Per session, what the intervention did: 0 = shown as the policy ranked it; randtop: how many
   * top slots were shuffled; swap: the rank k whose result was exchanged with rank 1 (when the
   * list had a result at k).
   */
  intervention?: { config: InterventionConfig; n: number; applied: Uint16Array };
}

/** Impressions (sessions × k) one log may hold: 2 GB of shown + click arrays. */
export const MAX_SLOTS = 400_000_000;

function checkLabels(ds: RankingDataset, ymax: number): void {
  const labels = ds.labels;
  for (let row = 0; row < labels.length; row++) {
    const y = labels[row];
    if (y < 0 || y > ymax) {
      let q = 0;
      while (ds.qidOffsets[q + 1] <= row) q++;
      throw new Error(
        `label ${y} of document ${row - ds.qidOffsets[q]} of query '${ds.queryIds[q]}' is outside the click model's grades 0..${ymax}` +
          (y > ymax ? ` (set ymax to the data's top grade)` : ''),
      );
    }
  }
}

/** The passes of a simulation, in order. */
export type SimPhase = 'sessions' | 'ranking' | 'intervention' | 'clicks';
export const SIM_PHASES: readonly SimPhase[] = ['sessions', 'ranking', 'intervention', 'clicks'];

/** How far a simulation got: `done` of `total` sessions through `phase`. */
export interface SimProgress {
  phase: SimPhase;
  done: number;
  total: number;
}

export function simulateClicks(ds: RankingDataset, policy: LoggingPolicy, model: ClickModelConfig | CompiledClickModel, opts: SimulateOptions): Simulation {
  return drain(simulationSteps(ds, policy, model, opts));
}

/**
 * `simulateClicks` that yields to the event loop every ~50 ms of work, reports progress, and stops
 * with a CancelledError (drive.ts) once `drive.signal` is aborted. Same result, bit for bit.
 */
export function simulateClicksAsync(
  ds: RankingDataset,
  policy: LoggingPolicy,
  model: ClickModelConfig | CompiledClickModel,
  opts: SimulateOptions,
  drive: DriveOptions<SimProgress> = {},
): Promise<Simulation> {
  return driveAsync(simulationSteps(ds, policy, model, opts), drive);
}

/** The simulation as steps: one SimProgress after each chunk of each pass, the Simulation at the end. */
export function* simulationSteps(ds: RankingDataset, policy: LoggingPolicy, model: ClickModelConfig | CompiledClickModel, opts: SimulateOptions): Generator<SimProgress, Simulation, void> {
  const m = 'attractiveness' in model ? model : compileClickModel(clickModel(model));
  const k = m.k;
  if (policy.k !== k) throw new Error(`the policy ranks the top ${policy.k} but the click model shows ${k} (topK)`);
  const nQ = queryCount(ds);
  if (nQ === 0) throw new Error('the data set has no queries');
  const perQuery = opts.sessionMode === 'per-query';
  if (!Number.isInteger(opts.sessions) || opts.sessions < 1) throw new Error(`sessions must be a positive integer, got ${opts.sessions}`);
  if (!Number.isInteger(opts.seed) || opts.seed < 0 || opts.seed > 0xffffffff) throw new Error(`seed must be an integer in [0, 2^32), got ${opts.seed}`);
  const S = perQuery ? opts.sessions * nQ : opts.sessions;
  if (S * k > MAX_SLOTS) {
    throw new Error(`${S.toLocaleString('en')} sessions × top ${k} is more than ${MAX_SLOTS.toLocaleString('en')} impressions: simulate fewer sessions`);
  }
  checkLabels(ds, m.ymax);

  const root = createRng(opts.seed);
  const sessionGen = new Sfc32(root.fork('clicks/sessions'));
  const policyGen = new Sfc32(root.fork('clicks/policy'));
  const interventionGen = new Sfc32(root.fork('clicks/intervention'));
  const clickGen = new Sfc32(root.fork('clicks/clicks'));

  const log: ClickLog = {
    k,
    query: new Int32Array(S),
    shown: new Int32Array(S * k),
    clicks: new Uint8Array(S * k),
    queryIds: ds.queryIds,
  };
  const per = perQuery ? opts.sessions : 0;

  yield* inChunks('sessions', S, (from, to) => drawQueries(log.query, from, to, nQ, per, sessionGen.state));
  yield* fillShown(ds, policy, log, policyGen);
  let intervention: Simulation['intervention'];
  if (opts.intervention) {
    // One pass, a fraction of the cost of the click pass: not worth chunking.
    yield { phase: 'intervention', done: 0, total: S };
    const n = interventionDepth(opts.intervention, k);
    intervention = { config: opts.intervention, n, applied: applyIntervention(log, opts.intervention.kind, n, opts.intervention.fraction, interventionGen) };
    yield { phase: 'intervention', done: S, total: S };
  }
  const labels = ds.labels;
  const { shown, clicks } = log;
  const st = clickGen.state;
  const G = m.grades;
  switch (m.model) {
    case 'pbm': {
      const thr = new Uint32Array(k * G);
      for (let r = 0; r < k; r++) for (let y = 0; y < G; y++) thr[r * G + y] = pbmThreshold(m.examination[r] * m.attractiveness[r * G + y]);
      yield* inChunks('clicks', S, (from, to) => pbmClicks(thr, k, G, labels, shown, clicks, from, to, st));
      break;
    }
    case 'cascade':
    case 'dcm': {
      const attr = m.attractiveness.map((p) => p * TWO_32);
      const cont = new Float64Array(k);
      if (m.model === 'dcm') for (let r = 0; r < k; r++) cont[r] = m.lambda[r] * TWO_32;
      yield* inChunks('clicks', S, (from, to) => cascadeClicks(attr, cont, k, G, labels, shown, clicks, from, to, st));
      break;
    }
    case 'dbn': {
      const attr = m.attractiveness.map((p) => p * TWO_32);
      // Continue after a click on grade y: not satisfied and γ; after no click: γ.
      const contClicked = new Float64Array(G);
      for (let y = 0; y < G; y++) contClicked[y] = m.continuation * (1 - m.satisfaction[y]) * TWO_32;
      const contNoClick = m.continuation * TWO_32;
      yield* inChunks('clicks', S, (from, to) => dbnClicks(attr, contClicked, contNoClick, k, G, labels, shown, clicks, from, to, st));
      break;
    }
    case 'ubm': {
      const gamma = m.ubmGamma.map((p) => p * TWO_32);
      yield* inChunks('clicks', S, (from, to) => ubmClicks(gamma, m.attractiveness, k, G, labels, shown, clicks, from, to, st));
      break;
    }
  }
  return { log, model: m, intervention };
}

/** Sessions per kernel call. */
const CHUNK = 4096;

function* inChunks(phase: SimPhase, S: number, fn: (from: number, to: number) => void): Generator<SimProgress, void, void> {
  for (let from = 0; from < S; from += CHUNK) {
    const to = Math.min(S, from + CHUNK);
    fn(from, to);
    yield { phase, done: to, total: S };
  }
}

/** The query of each session: uniform draws from the sessions stream, or query order. */
function drawQueries(query: Int32Array, from: number, to: number, nQ: number, perQuery: number, st: Uint32Array): void {
  if (perQuery > 0) {
    for (let s = from; s < to; s++) query[s] = Math.floor(s / perQuery);
    return;
  }
  let a = st[0] | 0;
  let b = st[1] | 0;
  let c = st[2] | 0;
  let d = st[3] | 0;
  for (let s = from; s < to; s++) {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (((c << 21) | (c >>> 11)) + t) | 0;
    query[s] = Math.floor((t >>> 0) * INV_2_32 * nQ);
  }
  st[0] = a;
  st[1] = b;
  st[2] = c;
  st[3] = d;
}

function copyRanked(ranked: Int32Array, k: number, query: Int32Array, shown: Int32Array, from: number, to: number): void {
  for (let s = from; s < to; s++) {
    const qb = query[s] * k;
    const sb = s * k;
    for (let r = 0; r < k; r++) shown[sb + r] = ranked[qb + r];
  }
}

/** Writes each session's shown rows (−1 padded) as the policy ranks or samples them. */
function* fillShown(ds: RankingDataset, policy: LoggingPolicy, log: ClickLog, gen: Sfc32): Generator<SimProgress, void, void> {
  const k = log.k;
  const S = log.query.length;
  const { shown, query } = log;
  const off = ds.qidOffsets;
  if (policy.kind === 'deterministic') {
    const ranked = policy.ranked;
    yield* inChunks('ranking', S, (from, to) => copyRanked(ranked, k, query, shown, from, to));
    return;
  }
  if (policy.kind === 'random') {
    // Partial Fisher–Yates on a shared permutation of all rows, undone after each session: O(k).
    const perm = new Int32Array(ds.labels.length);
    for (let i = 0; i < perm.length; i++) perm[i] = i;
    const swaps = new Int32Array(k);
    yield* inChunks('ranking', S, (from, to) => randomShown(off, perm, swaps, k, query, shown, from, to, gen));
    return;
  }
  yield* fillPlackettLuce(ds, policy, log, gen);
}

function randomShown(off: Int32Array, perm: Int32Array, swaps: Int32Array, k: number, query: Int32Array, shown: Int32Array, first: number, end: number, gen: Sfc32): void {
  for (let s = first; s < end; s++) {
    const q = query[s];
    const from = off[q];
    const n = off[q + 1] - from;
    const take = Math.min(n, k);
    const sb = s * k;
    for (let i = 0; i < take; i++) {
      const j = i + gen.int(n - i);
      swaps[i] = j;
      const t = perm[from + i];
      perm[from + i] = perm[from + j];
      perm[from + j] = t;
      shown[sb + i] = perm[from + i];
    }
    for (let i = take - 1; i >= 0; i--) {
      const j = swaps[i];
      const t = perm[from + i];
      perm[from + i] = perm[from + j];
      perm[from + j] = t;
    }
    for (let i = take; i < k; i++) shown[sb + i] = -1;
  }

}

/** Gumbel-top-k: the k largest s/T + G, G = −log(−log U), are an exact Plackett–Luce top k. */
function* fillPlackettLuce(ds: RankingDataset, policy: PlackettLucePolicy, log: ClickLog, gen: Sfc32): Generator<SimProgress, void, void> {
  const k = log.k;
  const invT = 1 / policy.temperature;
  const scaled = Float64Array.from(policy.scores, (x) => x * invT);
  const topKey = new Float64Array(k);
  const topRow = new Int32Array(k);
  yield* inChunks('ranking', log.query.length, (from, to) => plackettLuceTopK(scaled, ds.qidOffsets, k, log.query, log.shown, topKey, topRow, from, to, gen.state));
}

function plackettLuceTopK(
  scaled: Float64Array,
  off: Int32Array,
  k: number,
  query: Int32Array,
  shown: Int32Array,
  topKey: Float64Array,
  topRow: Int32Array,
  from: number,
  to: number,
  st: Uint32Array,
): void {
  let a = st[0] | 0;
  let b = st[1] | 0;
  let c = st[2] | 0;
  let d = st[3] | 0;
  for (let s = from; s < to; s++) {
    const q = query[s];
    let filled = 0;
    for (let row = off[q]; row < off[q + 1]; row++) {
      const t = (((a + b) | 0) + d) | 0;
      d = (d + 1) | 0;
      a = b ^ (b >>> 9);
      b = (c + (c << 3)) | 0;
      c = (((c << 21) | (c >>> 11)) + t) | 0;
      // U in (0, 1): never 0 or 1, so the Gumbel draw is finite.
      const key = scaled[row] - Math.log(-Math.log(((t >>> 0) + 0.5) * INV_2_32));
      if (filled === k && key <= topKey[k - 1]) continue;
      // Insertion into the sorted top list (k is small).
      let i = filled < k ? filled++ : k - 1;
      while (i > 0 && topKey[i - 1] < key) {
        topKey[i] = topKey[i - 1];
        topRow[i] = topRow[i - 1];
        i--;
      }
      topKey[i] = key;
      topRow[i] = row;
    }
    const sb = s * k;
    for (let i = 0; i < k; i++) shown[sb + i] = i < filled ? topRow[i] : -1;
  }
  st[0] = a;
  st[1] = b;
  st[2] = c;
  st[3] = d;
}
