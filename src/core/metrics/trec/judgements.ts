import type { Qrels } from '../../data/text/qrels';

/**
 * One query's judgements as trec_eval reads them: every judged document with its grade, and how
 * many judged documents there are at each non-negative grade (trec_eval's `rel_levels`). Negative
 * grades are judged but sit in no level: trec_eval reads them as "in the pool, not judged", so
 * they count neither as relevant nor as judged non-relevant.
 */
export interface QueryJudgements {
  qid: string;
  /** docno → grade, negative grades included. */
  grade: Map<string, number>;
  /** levels[g] = documents judged with grade g (g ≥ 0); length is the highest grade + 1. */
  levels: number[];
}

/** The judgements of every query in a qrels file, keyed by query id. */
export type TrecJudgements = Map<string, QueryJudgements>;

export function judgementsOf(qrels: Pick<Qrels, 'queryIds' | 'docIds' | 'query' | 'doc' | 'rel'>): TrecJudgements {
  const byQuery: QueryJudgements[] = qrels.queryIds.map((qid) => ({ qid, grade: new Map(), levels: [] }));
  for (let j = 0; j < qrels.query.length; j++) {
    const q = byQuery[qrels.query[j]];
    const grade = qrels.rel[j];
    q.grade.set(qrels.docIds[qrels.doc[j]], grade);
    if (grade >= 0) {
      while (q.levels.length <= grade) q.levels.push(0);
      q.levels[grade]++;
    }
  }
  return new Map(byQuery.map((q) => [q.qid, q]));
}

/** Judged documents with a grade ≥ relevanceLevel (trec_eval's num_rel). */
export function numRelevant(levels: readonly number[], relevanceLevel: number): number {
  let n = 0;
  for (let g = Math.max(0, relevanceLevel); g < levels.length; g++) n += levels[g];
  return n;
}
