/**
 * trec_eval mode: the numbers and the output of trec_eval 9.0.x for the measures RankPlay supports.
 *
 * Rules taken from trec_eval's source (usnistgov/trec_eval; file names given), not guessed:
 *
 * Input
 * - Run (get_trec_results.c): `qid Q0 docno rank sim run_id`; the rank column is ignored. The run
 *   id printed is the last line's (RankPlay's TrecRun keeps the first line's and warns when tags
 *   differ, so the two agree unless a file mixes tags).
 * - Ranking (form_res_rels.c comp_sim_docno): score descending, ties by docno descending in strcmp
 *   order; -M keeps the top M after that sort. A docno listed twice for a query stops trec_eval
 *   ("duplicate docs"); so does RankPlay, naming the query and the document.
 * - Qrels (get_qrels.c, form_res_rels.c): `qid iter docno rel`. Grades ≥ 0 are counted per grade
 *   (rel_levels); a grade ≥ relevance_level (-l, default 1) is relevant; a negative grade marks a
 *   document "in the pool but unjudged" (code -2), a document absent from the qrels is "not in the
 *   pool" (code -1). Most measures read both as non-relevant; bpref skips them instead of counting
 *   them as judged non-relevant, and a negative grade is in no level (not in num_rel, not in
 *   bpref's non-relevant count, not in the ideal nDCG ranking).
 *
 * Which queries (trec_eval.c 9.0.x main loop, meas_avg.c, m_num_q.c)
 * - Queries are evaluated in the order of their ids under strcmp (both files are sorted by qid on
 *   reading), not in file order and not numerically: "10" comes before "9".
 * - A query of the run with no line in the qrels is ignored. A query of the qrels with no line in
 *   the run is skipped; with -c it counts 0 in every mean (the divisor becomes the number of qrels
 *   queries, num_q prints that number, gm_map adds log(0.00001) for it) but prints no -q lines and
 *   adds nothing to num_ret/num_rel/num_rel_ret, which stay sums over the evaluated queries.
 *   (trec_eval's development branch towards 10.0 evaluates such queries on a placeholder ranking
 *   and prints -q lines for them; the releases up to 9.0.8 do not, and RankPlay follows those.)
 * - A query whose judgements hold no relevant document is evaluated and averaged like any other
 *   (its map, P, nDCG, ... are 0).
 * - No query in both files: trec_eval stops ("No queries with both results and relevance info").
 *
 * Measures (m_<name>.c): see measures.ts for each. The defaults: P, recall, ndcg_cut, map_cut
 * cutoffs 5,10,15,20,30,100,200,500,1000; success 1,5,10; iprec_at_recall and 11pt_avg at recall
 * 0.0, 0.1, ..., 1.0 (cutoff ⌊p·R + 0.9⌋ relevant documents); set_F's x = 1. nDCG gains are the
 * grades (m_ndcg_cut.c, m_ndcg.c default gains), discount log2(rank + 1), ideal ranking from all
 * judged documents with a positive grade. gm_map and gm_bpref floor each query's value at
 * 0.00001 (MIN_GEO_MEAN, trec_eval.h) before the log. Summaries are means over queries except
 * num_ret, num_rel, num_rel_ret and num_nonrel_judged_ret (sums) and num_q (the count).
 *
 * Selection and output (trec_eval.c mark_measure, measures.c, meas_init.c, meas_print_*.c)
 * - No -m means `-m official`: runid num_q num_ret num_rel num_rel_ret map gm_map Rprec bpref
 *   recip_rank iprec_at_recall P. Output follows trec_eval's measure table order, whatever the
 *   order of the -m options; `name.p1,p2` gives parameters, the first set given wins.
 * - Lines: printf("%-22s\t%s\t%6.4f\n", name, qid|"all", value); counts print "%ld"; runid
 *   prints "%s". -q prints each evaluated query's lines (without runid, num_q, gm_map, gm_bpref)
 *   before the `all` lines. Names: P_10, recall_5, ndcg_cut_10, iprec_at_recall_0.10 ("%3.2f").
 * - %6.4f rounds the exact binary value half-to-even (printf.ts), unlike toFixed.
 */
export { judgementsOf, numRelevant, type QueryJudgements, type TrecJudgements } from './judgements';
export { rankQuery, NOT_IN_POOL, IN_POOL_UNJUDGED, type RankedQuery } from './ranking';
export { TREC_MEASURES, TREC_NICKNAMES, UNSUPPORTED_TREC_MEASURES, MIN_GEO_MEAN, trecMeasure, type TrecMeasure } from './measures';
export { selectMeasures, supportedMeasuresText, TrecMeasureError, type SelectedMeasure } from './select';
export { trecEval, type TrecEvalOptions, type TrecEvalResult, type TrecEvalQuery } from './evaluate';
export { formatTrecEval, trecEvalLine, type TrecFormatOptions } from './format';
export { formatFixed, formatFixedWidth, formatLong, padRight } from './printf';
