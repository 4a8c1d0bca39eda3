import type { QueryJudgements } from './judgements';
import { numRelevant } from './judgements';

/** Relevance code of a retrieved document absent from the qrels (trec_eval's RELVALUE_NONPOOL). */
export const NOT_IN_POOL = -1;
/** Relevance code of a retrieved document judged with a negative grade (RELVALUE_UNJUDGED). */
export const IN_POOL_UNJUDGED = -2;

/**
 * One query's retrieved documents in rank order, each replaced by its relevance code, plus the
 * counts every measure needs: trec_eval's RES_RELS (form_res_rels.c).
 *
 * `rel[i]` is the code of the document at rank i + 1: its grade when judged with a grade ≥ 0,
 * NOT_IN_POOL (-1) when the qrels do not mention it, IN_POOL_UNJUDGED (-2) when judged with a
 * negative grade. A code ≥ relevanceLevel is relevant; -1 and -2 are below any level ≥ 0, so the
 * kernels' `rel ≥ threshold` test reads them as non-relevant, as trec_eval's measures do.
 */
export interface RankedQuery {
  qid: string;
  rel: Int32Array;
  /** Judged documents per grade ≥ 0, over the whole qrels of the query (trec_eval's rel_levels). */
  levels: readonly number[];
  relevanceLevel: number;
  numRet: number;
  /** Judged documents with grade ≥ relevanceLevel, retrieved or not. */
  numRel: number;
  numRelRet: number;
  numNonpool: number;
  numUnjudged: number;
}

export function rankQuery(judgements: QueryJudgements, rankedDocnos: readonly string[], relevanceLevel: number): RankedQuery {
  const rel = new Int32Array(rankedDocnos.length);
  let numRelRet = 0;
  let numNonpool = 0;
  let numUnjudged = 0;
  for (let i = 0; i < rankedDocnos.length; i++) {
    const grade = judgements.grade.get(rankedDocnos[i]);
    if (grade === undefined) {
      rel[i] = NOT_IN_POOL;
      numNonpool++;
    } else if (grade < 0) {
      rel[i] = IN_POOL_UNJUDGED;
      numUnjudged++;
    } else {
      rel[i] = grade;
      if (grade >= relevanceLevel) numRelRet++;
    }
  }
  return {
    qid: judgements.qid,
    rel,
    levels: judgements.levels,
    relevanceLevel,
    numRet: rankedDocnos.length,
    numRel: numRelevant(judgements.levels, relevanceLevel),
    numRelRet,
    numNonpool,
    numUnjudged,
  };
}
