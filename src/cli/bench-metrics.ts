import { createRng } from '../core/experiment/rng';
import { evaluateLists } from '../core/metrics/list-eval';
import { formatListMeasure, type ListMeasure } from '../core/metrics/measures';

export interface MetricsBenchRow {
  /** What was timed. */
  task: string;
  ms: number;
  msPerMillionDocs: number;
  /** ms ÷ the plain sort's ms, in the same run. */
  ratioToSort: number;
}

export interface MetricsBench {
  queries: number;
  docsPerQuery: number;
  docs: number;
  /** Best of `repeats` timings per task (the machine's other work only ever adds time). */
  repeats: number;
  rows: MetricsBenchRow[];
  /** Mean values, so a run shows it evaluated something real. */
  means: Record<string, number>;
}

export const ALL_MEASURES: ListMeasure[] = [
  { name: 'ndcg', k: 10 },
  { name: 'err', k: 10 },
  { name: 'ap' },
  { name: 'rr' },
  { name: 'p', k: 10 },
  { name: 'recall', k: 10 },
];

/**
 * List-mode evaluation speed against its floor: a plain sort of the same scores, query by query,
 * in the same run. Seeded random Float32 scores and Int8 labels 0..4, as the worker holds them.
 */
export function benchMetrics(opts: { queries?: number; docsPerQuery?: number; repeats?: number; seed?: number } = {}): MetricsBench {
  const nQ = opts.queries ?? 30_000;
  const n = opts.docsPerQuery ?? 1_000;
  const repeats = opts.repeats ?? 3;
  const docs = nQ * n;
  const rng = createRng(opts.seed ?? 7);
  const scores = new Float32Array(docs);
  const labels = new Int8Array(docs);
  for (let i = 0; i < docs; i++) {
    scores[i] = rng.next();
    // Skewed like LETOR sets: most documents irrelevant.
    const u = rng.next();
    labels[i] = u < 0.6 ? 0 : u < 0.85 ? 1 : u < 0.95 ? 2 : u < 0.99 ? 3 : 4;
  }
  const qidOffsets = new Int32Array(nQ + 1);
  for (let q = 0; q <= nQ; q++) qidOffsets[q] = q * n;

  const time = (fn: () => void): number => {
    let best = Infinity;
    for (let r = 0; r < repeats; r++) {
      const t0 = performance.now();
      fn();
      best = Math.min(best, performance.now() - t0);
    }
    return best;
  };

  let sink = 0;
  const buf = new Float32Array(n);
  const sortMs = time(() => {
    for (let q = 0; q < nQ; q++) {
      buf.set(scores.subarray(qidOffsets[q], qidOffsets[q + 1]));
      buf.sort();
      sink += buf[0];
    }
  });
  const opt = { gain: 'exp2' as const, noRelevant: 'drop' as const };
  const ndcgOnly: ListMeasure[] = [{ name: 'ndcg', k: 10 }];
  const ndcgMs = time(() => {
    sink += evaluateLists(scores, labels, qidOffsets, ndcgOnly, opt).counted;
  });
  let means: Record<string, number> = {};
  const allMs = time(() => {
    means = evaluateLists(scores, labels, qidOffsets, ALL_MEASURES, opt).mean;
  });
  if (sink === -1) console.log(sink); // keeps the timed work observable

  const row = (task: string, ms: number): MetricsBenchRow => ({ task, ms, msPerMillionDocs: ms / (docs / 1e6), ratioToSort: ms / sortMs });
  return {
    queries: nQ,
    docsPerQuery: n,
    docs,
    repeats,
    rows: [
      row('plain sort of each query’s scores (floor)', sortMs),
      row('ndcg@10', ndcgMs),
      row(ALL_MEASURES.map(formatListMeasure).join(' '), allMs),
    ],
    means,
  };
}
