import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateSynthetic } from '../../data/synthetic';
import { fitClickModel, fitClickModelSteps, CLICK_MODEL_NAMES } from '../fit';
import type { EmProgress } from '../fit/em';
import { clickModel } from '../models/config';
import { plackettLucePolicy, randomPolicy, scoresPolicy, type LoggingPolicy } from '../policies/policy';
import { CancelledError, drain, driveAsync, isCancelledError } from './drive';
import { SIM_PHASES, simulateClicks, simulateClicksAsync, simulationSteps, type Simulation, type SimProgress } from './simulate';

function expectSameSimulation(a: Simulation, b: Simulation): void {
  expect(b.log.k).toBe(a.log.k);
  expect(Buffer.from(b.log.query.buffer).equals(Buffer.from(a.log.query.buffer))).toBe(true);
  expect(Buffer.from(b.log.shown.buffer).equals(Buffer.from(a.log.shown.buffer))).toBe(true);
  expect(Buffer.from(b.log.clicks.buffer).equals(Buffer.from(a.log.clicks.buffer))).toBe(true);
  expect(b.intervention?.applied).toEqual(a.intervention?.applied);
}

/** Progress never goes back: phases in order, `done` non-decreasing within one, never past `total`. */
function expectMonotone(progress: SimProgress[]): void {
  for (let i = 0; i < progress.length; i++) {
    const p = progress[i];
    expect(p.done).toBeGreaterThanOrEqual(0);
    expect(p.done).toBeLessThanOrEqual(p.total);
    if (i === 0) continue;
    const q = progress[i - 1];
    const order = SIM_PHASES.indexOf(p.phase) - SIM_PHASES.indexOf(q.phase);
    expect(order).toBeGreaterThanOrEqual(0);
    if (order === 0) expect(p.done).toBeGreaterThanOrEqual(q.done);
  }
}

const datasetArb = fc.record({
  queries: fc.integer({ min: 1, max: 12 }),
  docsPerQuery: fc.integer({ min: 1, max: 14 }),
  dataSeed: fc.integer({ min: 0, max: 1000 }),
});

const caseArb = fc.record({
  data: datasetArb,
  model: fc.constantFrom(...CLICK_MODEL_NAMES),
  topK: fc.integer({ min: 2, max: 8 }),
  policy: fc.constantFrom('scores', 'random', 'pl'),
  temperature: fc.double({ min: 0.2, max: 3, noNaN: true }),
  // Across several 4096-session chunks.
  sessions: fc.integer({ min: 1, max: 10_000 }),
  perQuery: fc.boolean(),
  intervention: fc.constantFrom(null, 'randtop', 'swap'),
  seed: fc.integer({ min: 0, max: 0xffffffff }),
});

type Case = typeof caseArb extends fc.Arbitrary<infer T> ? T : never;

function setup(c: Case) {
  const ds = generateSynthetic(
    { queries: c.data.queries, docsPerQuery: c.data.docsPerQuery, docsPerQueryMin: 1, features: 3, relevance: 'linear', noise: 0.3, labelDistribution: [0.4, 0.3, 0.2, 0.1, 0] },
    c.data.dataSeed,
  );
  const scores = Float64Array.from(ds.labels, (y, i) => y + ((i * 7919) % 13) / 13);
  const policy: LoggingPolicy =
    c.policy === 'random' ? randomPolicy(c.topK) : c.policy === 'pl' ? plackettLucePolicy(ds, scores, c.temperature, c.topK) : scoresPolicy(ds, scores, c.topK);
  const model = clickModel({ model: c.model, topK: c.topK });
  const sessions = c.perQuery ? Math.max(1, Math.floor(c.sessions / c.data.queries)) : c.sessions;
  const opts = {
    sessions,
    sessionMode: c.perQuery ? ('per-query' as const) : ('uniform' as const),
    seed: c.seed,
    intervention: c.intervention === null ? undefined : c.intervention === 'randtop' ? { kind: 'randtop' as const, fraction: 0.5 } : { kind: 'swap' as const, fraction: 0.5 },
  };
  return { ds, policy, model, opts };
}

describe('stepped click simulation', () => {
  it('gives the same bits synchronously, stepped, and async (yielding after every chunk)', async () => {
    await fc.assert(
      fc.asyncProperty(caseArb, async (c) => {
        const { ds, policy, model, opts } = setup(c);
        const sync = simulateClicks(ds, policy, model, opts);
        const progress: SimProgress[] = [];
        const async = await simulateClicksAsync(ds, policy, model, opts, { sliceMs: 0, onProgress: (p) => progress.push(p) });
        expectSameSimulation(sync, async);
        expectSameSimulation(sync, drain(simulationSteps(ds, policy, model, opts)));
        expectMonotone(progress);
        const last = progress[progress.length - 1];
        expect(last).toEqual({ phase: 'clicks', done: sync.log.query.length, total: sync.log.query.length });
        // Every pass reports: queries, the shown lists, the clicks (and the intervention when there is one).
        expect(new Set(progress.map((p) => p.phase)).size).toBe(opts.intervention ? 4 : 3);
      }),
      { numRuns: 40 },
    );
  });

  it('gives the same bits when two async runs interleave', async () => {
    const { ds, policy, model, opts } = setup({
      data: { queries: 10, docsPerQuery: 12, dataSeed: 1 },
      model: 'dbn',
      topK: 5,
      policy: 'pl',
      temperature: 1,
      sessions: 30_000,
      perQuery: false,
      intervention: 'randtop',
      seed: 9,
    });
    const other = { ...opts, seed: 10 };
    const [a, b] = await Promise.all([simulateClicksAsync(ds, policy, model, opts, { sliceMs: 0 }), simulateClicksAsync(ds, policy, model, other, { sliceMs: 0 })]);
    expectSameSimulation(simulateClicks(ds, policy, model, opts), a);
    expectSameSimulation(simulateClicks(ds, policy, model, other), b);
  });

  it('reports progress at most every slice, and the last step once more at the end', async () => {
    const { ds, policy, model, opts } = setup({
      data: { queries: 5, docsPerQuery: 10, dataSeed: 2 },
      model: 'pbm',
      topK: 5,
      policy: 'random',
      temperature: 1,
      sessions: 50_000,
      perQuery: false,
      intervention: null,
      seed: 1,
    });
    const progress: SimProgress[] = [];
    await simulateClicksAsync(ds, policy, model, opts, { sliceMs: 60_000, onProgress: (p) => progress.push(p) });
    expect(progress).toEqual([{ phase: 'clicks', done: 50_000, total: 50_000 }]);
  });

  it('stops with a CancelledError once the signal is aborted', async () => {
    const { ds, policy, model, opts } = setup({
      data: { queries: 10, docsPerQuery: 14, dataSeed: 3 },
      model: 'pbm',
      topK: 8,
      policy: 'pl',
      temperature: 1,
      sessions: 200_000,
      perQuery: false,
      intervention: null,
      seed: 1,
    });
    const abort = new AbortController();
    const progress: SimProgress[] = [];
    const run = simulateClicksAsync(ds, policy, model, opts, {
      sliceMs: 0,
      signal: abort.signal,
      onProgress: (p) => {
        progress.push(p);
        if (progress.length === 3) abort.abort();
      },
    });
    const error = await run.then(
      () => null,
      (e: unknown) => e,
    );
    expect(isCancelledError(error)).toBe(true);
    expect((error as Error).message).toBe('Cancelled');
    // It stopped at the next slice, long before the end.
    expect(progress).toHaveLength(3);
    expect(progress[2].phase).toBe('sessions');
    // An already aborted signal stops before any work.
    await expect(simulateClicksAsync(ds, policy, model, opts, { signal: abort.signal })).rejects.toBeInstanceOf(CancelledError);
  });

  it('throws the sync errors from the async run too', async () => {
    const { ds, policy, model, opts } = setup({ data: { queries: 2, docsPerQuery: 4, dataSeed: 0 }, model: 'pbm', topK: 4, policy: 'random', temperature: 1, sessions: 10, perQuery: false, intervention: null, seed: 1 });
    await expect(simulateClicksAsync(ds, policy, model, { ...opts, sessions: 0 })).rejects.toThrow('sessions must be a positive integer, got 0');
  });
});

describe('stepped click-model fit', () => {
  it('fits the same parameters stepped as in one go, one step per EM iteration', async () => {
    const ds = generateSynthetic({ queries: 8, docsPerQuery: 10, features: 3, relevance: 'linear', noise: 0.3, labelDistribution: [0.4, 0.3, 0.2, 0.1, 0] }, 4);
    const sim = simulateClicks(ds, randomPolicy(6), clickModel({ model: 'dbn', topK: 6 }), { sessions: 3000, seed: 2 });
    for (const model of CLICK_MODEL_NAMES) {
      const steps: EmProgress[] = [];
      const stepped = await driveAsync(fitClickModelSteps(sim.log, model, { maxIterations: 30 }), { sliceMs: 0, onProgress: (p) => steps.push(p) });
      const direct = fitClickModel(sim.log, model, { maxIterations: 30 });
      expect(Array.from(stepped.attractiveness)).toEqual(Array.from(direct.attractiveness));
      expect(stepped.examination && Array.from(stepped.examination)).toEqual(direct.examination && Array.from(direct.examination));
      expect(stepped.gamma).toBe(direct.gamma);
      expect(steps.map((s) => s.iteration)).toEqual(Array.from({ length: direct.fit.iterations }, (_, i) => i + 1));
      for (const s of steps) expect(s.maxIterations).toBe(30);
    }
  });
});
