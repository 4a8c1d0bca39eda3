import { compareCodePoints, trecEvalOrder, type TrecRun } from '../../data/text/run';
import { formatRunScore } from '../bm25-run';
import type { QueryPassagePair } from './types';

/**
 * Reranking a first-stage run with a cross-encoder: each query's top `depth` documents (in the
 * order trec_eval reads the run: score descending, ties by docno descending) are scored with the
 * query, reordered by that score, and the rest stay below in their first-stage order.
 */

/** One query's ranking, best first. */
export interface RankedList {
  qid: string;
  docs: string[];
  scores: number[];
}

export type RunColumns = Pick<TrecRun, 'queryIds' | 'docIds' | 'query' | 'doc' | 'rank' | 'score' | 'tag'>;

/** A parsed run as per-query lists, in the run's query order and trec_eval's document order. */
export function rankedLists(run: Pick<TrecRun, 'queryIds' | 'docIds' | 'query' | 'doc' | 'score'>): RankedList[] {
  const order = trecEvalOrder(run);
  return run.queryIds.map((qid, q) => {
    const rows = order.rows.subarray(order.offsets[q], order.offsets[q + 1]);
    return { qid, docs: Array.from(rows, (r) => run.docIds[run.doc[r]]), scores: Array.from(rows, (r) => run.score[r]) };
  });
}

export interface RerankPlan {
  pairs: QueryPassagePair[];
  /** pairs[i] is document `pos` of list `list`. */
  slots: { list: number; pos: number }[];
  /** Queries of the run that the query file lacks: their lists are kept as they are. */
  missingQueries: string[];
  /** Documents within the depth that the collection lacks: they go below the reranked ones. */
  missingDocs: number;
}

/** The pairs to score: for each list, its first `depth` documents that have a text. */
export function planRerank(lists: readonly RankedList[], depth: number, queryText: (qid: string) => string | null, docText: (docid: string) => string | null): RerankPlan {
  if (!(Number.isInteger(depth) && depth >= 1)) throw new Error(`depth must be a positive integer, got ${depth}`);
  const plan: RerankPlan = { pairs: [], slots: [], missingQueries: [], missingDocs: 0 };
  lists.forEach((l, list) => {
    const query = queryText(l.qid);
    if (query === null) {
      plan.missingQueries.push(l.qid);
      return;
    }
    const n = Math.min(depth, l.docs.length);
    for (let pos = 0; pos < n; pos++) {
      const passage = docText(l.docs[pos]);
      if (passage === null) {
        plan.missingDocs++;
        continue;
      }
      plan.pairs.push({ query, passage });
      plan.slots.push({ list, pos });
    }
  });
  return plan;
}

/**
 * The reranked lists. Scored documents come first, by cross-encoder score descending (ties by
 * docno descending, as trec_eval breaks them, so the written ranks are the ranks trec_eval
 * reads); then the unscored ones in their first-stage order, with scores continuing below the
 * lowest cross-encoder score (lowest − 1, − 2, …) so that a score-sorting reader keeps that order.
 */
export function applyRerank(lists: readonly RankedList[], plan: RerankPlan, scores: Float32Array): RankedList[] {
  if (scores.length !== plan.pairs.length) throw new Error(`${scores.length} scores for ${plan.pairs.length} pairs`);
  const scored = new Map<number, { pos: number; score: number }[]>();
  plan.slots.forEach(({ list, pos }, i) => {
    let s = scored.get(list);
    if (!s) scored.set(list, (s = []));
    s.push({ pos, score: scores[i] });
  });
  return lists.map((l, list) => {
    const s = scored.get(list);
    if (!s) return l;
    const top = s.sort((a, b) => (a.score !== b.score ? b.score - a.score : compareCodePoints(l.docs[b.pos], l.docs[a.pos])));
    const taken = new Set(top.map((t) => t.pos));
    const docs = top.map((t) => l.docs[t.pos]);
    const out = top.map((t) => Number(formatRunScore(t.score)));
    let floor = Math.floor(out[out.length - 1]);
    l.docs.forEach((doc, pos) => {
      if (taken.has(pos)) return;
      docs.push(doc);
      out.push(--floor);
    });
    return { qid: l.qid, docs, scores: out };
  });
}

/** Lists as run columns, for trec_eval without writing a file. */
export function listsToRunColumns(lists: readonly RankedList[], tag: string): RunColumns {
  const docIds: string[] = [];
  const docIndex = new Map<string, number>();
  const n = lists.reduce((s, l) => s + l.docs.length, 0);
  const cols: RunColumns = { queryIds: lists.map((l) => l.qid), docIds, query: new Int32Array(n), doc: new Int32Array(n), rank: new Int32Array(n), score: new Float64Array(n), tag };
  let r = 0;
  lists.forEach((l, q) => {
    l.docs.forEach((d, i) => {
      let di = docIndex.get(d);
      if (di === undefined) {
        di = docIds.length;
        docIds.push(d);
        docIndex.set(d, di);
      }
      cols.query[r] = q;
      cols.doc[r] = di;
      cols.rank[r] = i + 1;
      cols.score[r] = l.scores[i];
      r++;
    });
  });
  return cols;
}

/** TREC run text, `qid Q0 docno rank score tag`, a few thousand lines at a time. */
export function* rankedListChunks(lists: readonly RankedList[], tag: string, linesPerChunk = 4096): Generator<string> {
  if (!/^\S+$/.test(tag)) throw new Error(`run tag must be one word without spaces, got '${tag}'`);
  let lines: string[] = [];
  for (const l of lists) {
    for (let i = 0; i < l.docs.length; i++) {
      lines.push(`${l.qid} Q0 ${l.docs[i]} ${i + 1} ${formatRunScore(l.scores[i])} ${tag}\n`);
      if (lines.length >= linesPerChunk) {
        yield lines.join('');
        lines = [];
      }
    }
  }
  if (lines.length) yield lines.join('');
}
