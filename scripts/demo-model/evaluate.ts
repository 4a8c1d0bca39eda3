import { createRng } from '../../src/core/experiment/rng';
import { dcgAt, idealDcgAt } from '../../src/core/metrics/kernels';
import { evaluateLists } from '../../src/core/metrics/list-eval';
import { buildBm25Index } from '../../src/core/text/bm25-index';
import { Bm25Searcher } from '../../src/core/text/bm25';
import type { DemoData, JudgedLists } from './data';

/**
 * Test-set effectiveness of the demo model against baselines, nDCG@10 with exponential gains
 * (the app's default), queries without a relevant passage dropped (the app's default).
 */

const NDCG10 = [{ name: 'ndcg' as const, k: 10 }];
const OPTS = { gain: 'exp2' as const, noRelevant: 'drop' as const };

/** Negative grades mean "judged non-relevant": gain 0, as trec_eval counts them. */
const graded = (labels: Int8Array): Int8Array => labels.map((y) => Math.max(0, y));

/** Mean nDCG@10 of ranking each query's judged passages by `scores` (aligned with lists.passages). */
export function ndcgOfJudged(lists: JudgedLists, scores: ArrayLike<number>): number {
  return evaluateLists(scores, graded(lists.labels), lists.offsets, NDCG10, OPTS).mean['ndcg@10'];
}

/** The expected nDCG@10 of a random order, estimated over `rounds` seeded shuffles. */
export function randomNdcg(lists: JudgedLists, seed: number, rounds = 200): number {
  const rng = createRng(seed).fork('random-baseline');
  let total = 0;
  for (let r = 0; r < rounds; r++) total += ndcgOfJudged(lists, Float64Array.from(lists.labels, () => rng.next()));
  return total / rounds;
}

/** BM25 (k1 0.9, b 0.4, Anserini's defaults) over the whole corpus, for ranking candidates and retrieving. */
export class Bm25Baseline {
  private readonly searcher: Bm25Searcher;

  constructor(private readonly data: DemoData) {
    this.searcher = new Bm25Searcher(buildBm25Index(data.corpus));
  }

  /** BM25 scores of each query's judged passages (0 for a passage sharing no term with the query). */
  judgedScores(lists: JudgedLists): Float32Array {
    const scores = new Float32Array(lists.passages.length);
    for (let q = 0; q + 1 < lists.offsets.length; q++) {
      const all = this.all(lists.queryTexts[q]);
      for (let i = lists.offsets[q]; i < lists.offsets[q + 1]; i++) scores[i] = all.get(lists.passages[i]) ?? 0;
    }
    return scores;
  }

  /** The top `k` corpus passages of a query, best first (document numbers are corpus indices). */
  top(query: string, k: number): Int32Array {
    return this.searcher.search(query, k).docs;
  }

  private all(query: string): Map<number, number> {
    const hits = this.searcher.search(query, this.data.corpus.size);
    return new Map(Array.from(hits.docs, (d, i) => [d, hits.scores[i]]));
  }
}

/**
 * nDCG@10 of ranked lists over the whole corpus (unjudged passages count as non-relevant), the
 * ideal from all of the query's judgements, as trec_eval computes it; queries without a relevant
 * judgement dropped.
 */
export function ndcgOfRuns(lists: JudgedLists, ranked: readonly Int32Array[]): number {
  let total = 0;
  let counted = 0;
  for (let q = 0; q + 1 < lists.offsets.length; q++) {
    const grade = new Map<number, number>();
    for (let i = lists.offsets[q]; i < lists.offsets[q + 1]; i++) grade.set(lists.passages[i], Math.max(0, lists.labels[i]));
    const ideal = idealDcgAt([...grade.values()], 10, 'exp2');
    if (ideal === 0) continue;
    total += dcgAt(Array.from(ranked[q].slice(0, 10), (p) => grade.get(p) ?? 0), 10, 'exp2') / ideal;
    counted++;
  }
  return counted > 0 ? total / counted : 0;
}

/** Share of the top 10s that no judgement covers: high means the ranker lifts passages the pool never saw. */
export function unjudgedShareAt10(lists: JudgedLists, ranked: readonly Int32Array[]): number {
  let unjudged = 0;
  let total = 0;
  for (let q = 0; q + 1 < lists.offsets.length; q++) {
    const judged = new Set(lists.passages.subarray(lists.offsets[q], lists.offsets[q + 1]));
    for (const p of ranked[q].subarray(0, 10)) {
      total++;
      if (!judged.has(p)) unjudged++;
    }
  }
  return total > 0 ? unjudged / total : 0;
}
