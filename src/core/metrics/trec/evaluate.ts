import { DataError } from '../../data/parse/errors';
import { compareCodePoints, trecEvalOrder, type TrecRun } from '../../data/text/run';
import type { TrecJudgements } from './judgements';
import { MIN_GEO_MEAN } from './measures';
import { rankQuery } from './ranking';
import type { SelectedMeasure } from './select';

export interface TrecEvalOptions {
  /** From selectMeasures, in trec_eval's order. */
  measures: readonly SelectedMeasure[];
  /** -c: average over every query of the qrels; queries the run lacks count 0. */
  complete?: boolean;
  /** -l: the lowest grade that counts as relevant (default 1). */
  relevanceLevel?: number;
  /** -M: evaluate only the top this-many documents of each query (default all). */
  maxRetrieved?: number;
  /** The run's file name, for error messages. */
  runName?: string;
}

/** One evaluated query: its values, in the order of `TrecEvalResult.measures` and their valueNames. */
export interface TrecEvalQuery {
  qid: string;
  values: Float64Array;
}

export interface TrecEvalResult {
  measures: readonly SelectedMeasure[];
  runid: string;
  /** Queries both in the run and in the qrels, in trec_eval's order (query ids in strcmp order). */
  queries: TrecEvalQuery[];
  /** The `all` values, aligned with the per-query values. */
  summary: Float64Array;
  /** Queries averaged over: the evaluated ones, or with -c every query of the qrels. */
  averagedOver: number;
}

type TrecRunColumns = Pick<TrecRun, 'queryIds' | 'docIds' | 'query' | 'doc' | 'score' | 'tag'>;

/**
 * trec_eval over a run and qrels (trec_eval 9.0.x, trec_eval.c main): each query that is in both
 * is ranked by score descending, ties by docno descending (trecEvalOrder), cut to -M documents,
 * evaluated, and the values are accumulated into the `all` summary. Queries of the run without
 * judgements are ignored; queries of the qrels the run lacks are skipped, or with -c count 0 in
 * the means (they print no per-query lines, and num_q becomes the number of qrels queries).
 * A document listed twice for an evaluated query is refused, as trec_eval refuses it.
 */
export function trecEval(judgements: TrecJudgements, run: TrecRunColumns, opts: TrecEvalOptions): TrecEvalResult {
  const level = opts.relevanceLevel ?? 1;
  const max = opts.maxRetrieved ?? Infinity;
  const runName = opts.runName ?? 'run';
  const width = opts.measures.reduce((n, m) => n + m.valueNames.length, 0);

  const order = trecEvalOrder(run);
  const evaluated = run.queryIds
    .map((qid, q) => ({ qid, q }))
    .filter(({ qid }) => judgements.has(qid))
    .sort((a, b) => compareCodePoints(a.qid, b.qid));
  if (!evaluated.length) {
    throw new DataError({
      kind: 'value',
      file: runName,
      reason: 'no query of the run has judgements in the qrels (trec_eval: "No queries with both results and relevance info"); do the query ids match?',
    });
  }

  const seenIn = new Int32Array(run.docIds.length).fill(-1);
  const queries: TrecEvalQuery[] = [];
  const sums = new Float64Array(width);
  for (const { qid, q } of evaluated) {
    const from = order.offsets[q];
    const to = Math.min(order.offsets[q + 1], from + max);
    const docnos: string[] = [];
    for (let i = from; i < to; i++) {
      const d = run.doc[order.rows[i]];
      if (seenIn[d] === q) {
        throw new DataError({
          kind: 'value',
          file: runName,
          reason: `query '${qid}' lists document '${run.docIds[d]}' more than once (trec_eval refuses such a run: "duplicate docs")`,
        });
      }
      seenIn[d] = q;
      docnos.push(run.docIds[d]);
    }
    const ranked = rankQuery(judgements.get(qid)!, docnos, level);
    const values = new Float64Array(width);
    let slot = 0;
    for (const m of opts.measures) {
      for (const v of m.measure.compute(ranked, m.params)) values[slot++] = v;
    }
    // Accumulated in evaluation order, as trec_eval adds them: the sums' last bits depend on it.
    for (let i = 0; i < width; i++) sums[i] += values[i];
    queries.push({ qid, values });
  }

  const averagedOver = opts.complete ? judgements.size : queries.length;
  const missing = averagedOver - queries.length;
  const summary = new Float64Array(width);
  let slot = 0;
  for (const m of opts.measures) {
    for (let i = 0; i < m.valueNames.length; i++, slot++) {
      const sum = sums[slot];
      switch (m.measure.summary) {
        case 'mean':
          summary[slot] = averagedOver ? sum / averagedOver : sum;
          break;
        case 'sum':
          summary[slot] = sum;
          break;
        case 'geometric':
          // Each query missing from the run (-c) has value 0, floored: log(MIN_GEO_MEAN).
          summary[slot] = Math.exp((opts.complete ? sum + missing * Math.log(MIN_GEO_MEAN) : sum) / averagedOver);
          break;
        case 'queries':
          summary[slot] = averagedOver;
          break;
        case 'runid':
          break;
      }
    }
  }
  return { measures: opts.measures, runid: run.tag, queries, summary, averagedOver };
}
