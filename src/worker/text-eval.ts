import type { Qrels } from '../core/data/text/qrels';
import { compareCodePoints } from '../core/data/text/run';
import { judgementsOf, selectMeasures, trecEval, type TrecJudgements } from '../core/metrics/trec';
import type { Bm25Documents } from '../core/text/bm25-index';
import { bm25RunColumns, type Bm25Run } from '../core/text/bm25-run';
import type { QueryPassagePair } from '../core/text/rerank/types';
import type { TextListRow, TextMetrics } from './text-types';

/**
 * The text journey's arithmetic, apart from the service's state: measures of a run against the
 * judgements (trec_eval's rules, as `rankplay bm25 --qrels` computes them), the pairs a reranker
 * scores, the reranked run, and the rows of a list as shown.
 */

const MAIN_MEASURES = selectMeasures(['ndcg_cut.10', 'recall.100']);
const MRR_MEASURES = selectMeasures(['recip_rank']);

export interface RunEvaluation {
  metrics: TextMetrics | null;
  metricsNote: string | null;
  /** nDCG@10 per query of the run (by its query order), null where the query has no judgements. */
  perQuery: (number | null)[];
}

function valueOf(names: readonly string[], values: Float64Array, name: string): number {
  const i = names.indexOf(name);
  if (i < 0) throw new Error(`measure ${name} was not computed`);
  return values[i];
}

/**
 * nDCG@10 and R@100 over the whole run, MRR@10 over its top 10 (trec_eval -M 10), averaged over
 * the queries that have judgements. Without judgements for any query the lists still stand; the
 * note says why there are no numbers.
 */
export function evaluateRun(run: Bm25Run, docIds: readonly string[], judgements: TrecJudgements | null, tag: string): RunEvaluation {
  const perQuery: (number | null)[] = run.queryIds.map(() => null);
  if (!judgements || judgements.size === 0) {
    return { metrics: null, metricsNote: 'these queries have no judgements (qrels): the lists are shown without nDCG', perQuery };
  }
  const columns = bm25RunColumns(run, docIds, tag);
  let main;
  try {
    main = trecEval(judgements, columns, { measures: MAIN_MEASURES, runName: tag });
  } catch {
    return { metrics: null, metricsNote: 'no query of the run has judgements in the qrels (do the query ids match?): the lists are shown without nDCG', perQuery };
  }
  const mrr = trecEval(judgements, columns, { measures: MRR_MEASURES, runName: tag, maxRetrieved: 10 });
  const names = main.measures.flatMap((m) => m.valueNames);
  const position = new Map(run.queryIds.map((qid, q) => [qid, q]));
  for (const q of main.queries) perQuery[position.get(q.qid)!] = valueOf(names, q.values, 'ndcg_cut_10');
  return {
    metrics: {
      ndcg10: valueOf(names, main.summary, 'ndcg_cut_10'),
      recall100: valueOf(names, main.summary, 'recall_100'),
      mrr10: mrr.summary[0],
      judgedQueries: main.averagedOver,
    },
    metricsNote: null,
    perQuery,
  };
}

export function judgementsFor(qrels: Qrels | null): TrecJudgements | null {
  return qrels ? judgementsOf(qrels) : null;
}

/** How a passage reads to a cross-encoder: "title text", as BM25 indexes BEIR and the demo model was trained. */
export function passageText(docs: Bm25Documents, d: number): string {
  const title = docs.title ? docs.title(d) : '';
  return title ? `${title} ${docs.text(d)}` : docs.text(d);
}

/** The top `depth` documents of each query of the run, as (query, passage) pairs, query by query, in rank order. */
export function rerankPairs(run: Bm25Run, depth: number, queryText: (q: number) => string, docs: Bm25Documents): QueryPassagePair[] {
  const pairs: QueryPassagePair[] = [];
  for (let q = 0; q < run.queryIds.length; q++) {
    const query = queryText(q);
    const to = Math.min(run.offsets[q + 1], run.offsets[q] + depth);
    for (let r = run.offsets[q]; r < to; r++) pairs.push({ query, passage: passageText(docs, run.docs[r]) });
  }
  return pairs;
}

/**
 * The run after reranking: each query's top `depth` ordered by the cross-encoder's scores (ties by
 * document id descending, trec_eval's order), the rest kept in BM25 order below them. The tail's
 * scores continue downwards from the lowest reranked score, so the run file ranks as shown.
 * `scores` are the pairs' scores in rerankPairs' order.
 */
export function rerankedRun(run: Bm25Run, depth: number, scores: Float32Array, docIds: readonly string[]): Bm25Run {
  const docs = new Int32Array(run.docs.length);
  const out = new Float32Array(run.docs.length);
  let s = 0;
  for (let q = 0; q < run.queryIds.length; q++) {
    const from = run.offsets[q];
    const end = run.offsets[q + 1];
    const to = Math.min(end, from + depth);
    const head = Array.from({ length: to - from }, (_, i) => ({ doc: run.docs[from + i], score: scores[s + i] }));
    s += to - from;
    head.sort((a, b) => b.score - a.score || compareCodePoints(docIds[b.doc], docIds[a.doc]));
    let floor = Infinity;
    head.forEach((h, i) => {
      docs[from + i] = h.doc;
      out[from + i] = h.score;
      floor = Math.min(floor, h.score);
    });
    for (let r = to; r < end; r++) {
      docs[r] = run.docs[r];
      out[r] = Math.fround((Number.isFinite(floor) ? floor : 0) - 1 - (r - to));
    }
  }
  if (s !== scores.length) throw new Error(`the reranker returned ${scores.length} scores for ${s} pairs`);
  return { queryIds: run.queryIds, offsets: run.offsets, docs, scores: out, emptyQueries: run.emptyQueries };
}

const SNIPPET_WORDS = 18;

function snippet(text: string): string {
  const words = text.split(/\s+/).filter(Boolean);
  return words.length > SNIPPET_WORDS ? `${words.slice(0, SNIPPET_WORDS).join(' ')} …` : words.join(' ');
}

/** The first `n` rows of query q's list, with grades from the judgements and each document's BM25 rank. */
export function listRows(
  run: Bm25Run,
  q: number,
  n: number,
  docs: Bm25Documents,
  grades: Map<string, number> | undefined,
  bm25RankOf: (doc: number) => number,
): TextListRow[] {
  const rows: TextListRow[] = [];
  const from = run.offsets[q];
  const to = Math.min(run.offsets[q + 1], from + n);
  for (let r = from; r < to; r++) {
    const d = run.docs[r];
    const docId = docs.id(d);
    rows.push({
      rank: r - from + 1,
      docId,
      title: docs.title ? docs.title(d) : '',
      snippet: snippet(docs.text(d)),
      label: grades?.get(docId) ?? null,
      score: run.scores[r],
      bm25Rank: bm25RankOf(d),
    });
  }
  return rows;
}
