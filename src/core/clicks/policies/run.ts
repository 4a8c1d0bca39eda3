import type { RankingDataset } from '../../data/dataset';
import { queryCount } from '../../data/dataset';
import { trecEvalOrder, type TrecRun } from '../../data/text/run';

/**
 * How a simulated log names a dataset row: its document id when the data has ids (`ds.docIds`,
 * e.g. from MQ2008's `# docid = X` comments; `docIds` overrides them), else `<qid>:<position>` with the 0-based position of the document in
 * its query's list as loaded (file order). TREC runs used as logging policies and the plain TSV
 * click log use the same names.
 */
export function docName(ds: RankingDataset, row: number, query: number, docIds: readonly string[] | undefined = ds.docIds): string {
  return docIds ? docIds[row] : `${ds.queryIds[query]}:${row - ds.qidOffsets[query]}`;
}

export interface RunScores {
  /** Per dataset row: higher = ranked higher by the run; −Infinity for documents the run does not list. */
  scores: Float64Array;
  /** Run entries matched to a dataset row. */
  matched: number;
  /** Run entries naming a query or document the dataset lacks (ignored). */
  unmatched: number;
  /** Dataset queries the run says nothing about (their lists keep file order). */
  queriesWithoutRun: number;
}

/**
 * Scores that reproduce a TREC run's ranking (trec_eval's order: score descending, ties by docno
 * descending) on a dataset, so a run can be the logging policy. Documents the run leaves out rank
 * below its documents, in file order.
 */
export function scoresFromRun(ds: RankingDataset, run: Pick<TrecRun, 'queryIds' | 'docIds' | 'query' | 'doc' | 'score'>, docIds: readonly string[] | undefined = ds.docIds): RunScores {
  const nQ = queryCount(ds);
  const scores = new Float64Array(ds.labels.length).fill(Number.NEGATIVE_INFINITY);
  const lists = trecEvalOrder(run);
  const runQuery = new Map<string, number>();
  run.queryIds.forEach((id, q) => runQuery.set(id, q));
  let matched = 0;
  let queriesWithoutRun = 0;
  for (let q = 0; q < nQ; q++) {
    const rq = runQuery.get(ds.queryIds[q]);
    if (rq === undefined) {
      queriesWithoutRun++;
      continue;
    }
    const rowOf = new Map<string, number>();
    for (let row = ds.qidOffsets[q]; row < ds.qidOffsets[q + 1]; row++) rowOf.set(docName(ds, row, q, docIds), row);
    const from = lists.offsets[rq];
    const to = lists.offsets[rq + 1];
    for (let i = from; i < to; i++) {
      const row = rowOf.get(run.docIds[run.doc[lists.rows[i]]]);
      if (row === undefined || scores[row] !== Number.NEGATIVE_INFINITY) continue;
      scores[row] = to - i;
      matched++;
    }
  }
  return { scores, matched, unmatched: run.query.length - matched, queriesWithoutRun };
}
