import { evaluateClickModel, fitClickModel, type ClickModelName } from '../core/clicks/fit';
import { indexTrainingLog } from '../core/clicks/fit/common';
import { powerExamination, toyLog, uniformParams } from '../core/clicks/fit/toy-logs';

export interface FitBenchRow {
  model: ClickModelName;
  method: 'em' | 'mle';
  iterations: number;
  /** Steady-state seconds per EM iteration (the first, which carries JIT warm-up, excluded); null for MLE. */
  secondsPerIteration: number | null;
  /** secondsPerIteration ÷ the scan's seconds, in the same run. */
  ratioToScan: number | null;
  /** Whole fit: pair index, counts and all iterations. */
  fitSeconds: number;
  /** Held-out evaluation of `testSessions` sessions. */
  evalSeconds: number;
  perplexity: number;
}

export interface FitBench {
  sessions: number;
  testSessions: number;
  k: number;
  queries: number;
  docsPerQuery: number;
  pairs: number;
  generateSeconds: number;
  /** Building the (query, doc) pair index of the training log. */
  indexSeconds: number;
  /**
   * The floor of an EM iteration: one pass over every impression reading its pair id and click
   * and adding into a per-pair array (best of 3).
   */
  scanSeconds: number;
  rows: FitBenchRow[];
  /** PBM after `iterations` iterations: largest |fitted − true| examination over ranks, relative to rank 1 (η = 1). */
  pbmExaminationError: number;
}

/**
 * Click-model fitting speed on a simulated PBM log (η = 1, attractiveness uniform in [0.1, 0.9]):
 * by default 1M sessions × top 10 over 10,000 queries × 20 documents, each session a random 10
 * of its query's documents in random order. EM models run a fixed number of iterations.
 */
export function benchFit(opts: { sessions?: number; queries?: number; docsPerQuery?: number; k?: number; iterations?: number; models?: ClickModelName[] } = {}): FitBench {
  const sessions = opts.sessions ?? 1_000_000;
  const queries = opts.queries ?? 10_000;
  const docsPerQuery = opts.docsPerQuery ?? 20;
  const k = opts.k ?? 10;
  const iterations = opts.iterations ?? 10;
  const models = opts.models ?? ['pbm', 'ubm', 'dbn', 'cascade', 'dcm'];
  const testSessions = Math.max(1, Math.round(sessions / 10));
  const exam = powerExamination(k, 1);
  const truth = { model: 'pbm' as const, attractiveness: uniformParams(queries * docsPerQuery, 1, 0.1, 0.9), examination: exam };

  let t0 = performance.now();
  const train = toyLog({ sessions, queries, docsPerQuery, k, seed: 1, truth });
  const test = toyLog({ sessions: testSessions, queries, docsPerQuery, k, seed: 2, truth });
  const generateSeconds = (performance.now() - t0) / 1000;

  t0 = performance.now();
  const { data, pairs } = indexTrainingLog(train);
  const indexSeconds = (performance.now() - t0) / 1000;

  let scanSeconds = Infinity;
  const acc = new Float64Array(pairs.size);
  for (let rep = 0; rep < 3; rep++) {
    acc.fill(0);
    t0 = performance.now();
    const { pair, clicks, n } = data;
    for (let s = 0; s < sessions; s++) {
      const base = s * k;
      for (let r = 0; r < n[s]; r++) acc[pair[base + r]] += clicks[base + r] + 0.5;
    }
    scanSeconds = Math.min(scanSeconds, (performance.now() - t0) / 1000);
  }

  const rows: FitBenchRow[] = [];
  let pbmExaminationError = NaN;
  for (const model of models) {
    const stamps: number[] = [];
    const fitted = fitClickModel(train, model, { maxIterations: iterations, tolerance: 0, onIteration: () => stamps.push(performance.now()) });
    t0 = performance.now();
    const e = evaluateClickModel(fitted, test);
    const evalSeconds = (performance.now() - t0) / 1000;
    const steady = stamps.length > 1 ? (stamps[stamps.length - 1] - stamps[0]) / 1000 / (stamps.length - 1) : fitted.fit.secondsPerIteration;
    if (model === 'pbm') {
      const ex = fitted.examination!;
      pbmExaminationError = Math.max(...Array.from(ex, (v, r) => Math.abs(v / ex[0] - exam[r])));
    }
    rows.push({
      model,
      method: fitted.fit.method,
      iterations: fitted.fit.iterations,
      secondsPerIteration: steady,
      ratioToScan: steady === null ? null : steady / scanSeconds,
      fitSeconds: fitted.fit.seconds,
      evalSeconds,
      perplexity: e.perplexity,
    });
  }
  return { sessions, testSessions, k, queries, docsPerQuery, pairs: pairs.size, generateSeconds, indexSeconds, scanSeconds, rows, pbmExaminationError };
}
