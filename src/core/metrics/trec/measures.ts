import { averagePrecision, hitsAt, precisionAt, recallAt, reciprocalRank } from '../kernels';
import { bpref, interpolatedPrecision, trecNdcg } from './kernels';
import type { RankedQuery } from './ranking';

/**
 * How a measure's parameters are written after the dot in `-m name.params` and how they name
 * the printed values (meas_init.c):
 * - `longCutoffs` (P.5,10): positive integers, sorted ascending, no duplicates; one value each,
 *   named `name_5`, `name_10`.
 * - `doubleCutoffs` (iprec_at_recall.0.1,0.5): numbers, sorted ascending, no duplicates; one value
 *   each, named with printf "%3.2f": `iprec_at_recall_0.10`.
 * - `doubleParams` (set_F.0.5): numbers as given; one value named `name` with the defaults and
 *   `name_<params as typed>` otherwise.
 */
export type TrecParamKind = 'none' | 'longCutoffs' | 'doubleCutoffs' | 'doubleParams';

/**
 * How the `all` line is formed from the per-query values (meas_avg.c, m_num_q.c):
 * `mean` sums and divides by the number of queries averaged over (with -c, all qrels queries);
 * `sum` prints the total (num_ret, num_rel, ...); `geometric` takes per-query logs of the value
 * floored at 0.00001 and prints exp of their mean (with -c, each missing query adds log 0.00001);
 * `queries` prints the number of queries averaged over; `runid` prints the run's tag.
 */
export type TrecSummary = 'mean' | 'sum' | 'geometric' | 'queries' | 'runid';

export interface TrecMeasure {
  name: string;
  /** `long` values print with %ld, `float` ones with %6.4f. */
  kind: 'float' | 'long';
  params: TrecParamKind;
  defaults: readonly number[];
  summary: TrecSummary;
  /** Whether -q prints a line per query (runid, num_q, gm_map and gm_bpref are summary-only). */
  perQuery: boolean;
  /** One line for --help. */
  about: string;
  /** Per-query values, one per printed value (per cutoff). */
  compute(q: RankedQuery, params: readonly number[]): number[];
}

/** trec_eval's floor before taking logs for geometric means (MIN_GEO_MEAN in trec_eval.h). */
export const MIN_GEO_MEAN = 0.00001;

const CUTOFFS = [5, 10, 15, 20, 30, 100, 200, 500, 1000] as const;
const RECALL_POINTS = [0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0] as const;

const ap = (q: RankedQuery) => averagePrecision(q.rel, q.numRel, q.relevanceLevel);

function rprec(q: RankedQuery): number {
  const n = Math.min(q.numRet, q.numRel);
  return n === 0 ? 0 : hitsAt(q.rel, n, q.relevanceLevel) / q.numRel;
}

function measure(m: Omit<TrecMeasure, 'kind' | 'params' | 'defaults' | 'summary' | 'perQuery'> & Partial<TrecMeasure>): TrecMeasure {
  return { kind: 'float', params: 'none', defaults: [], summary: 'mean', perQuery: true, ...m };
}

/**
 * The measures RankPlay computes, in trec_eval's order (measures.c, te_trec_measures[]): output
 * follows this order whatever the order of the -m options.
 */
export const TREC_MEASURES: readonly TrecMeasure[] = [
  measure({ name: 'runid', summary: 'runid', perQuery: false, about: 'the run tag of the results file', compute: () => [] }),
  measure({ name: 'num_q', kind: 'long', summary: 'queries', perQuery: false, about: 'number of queries averaged over (with -c: queries in the qrels)', compute: () => [1] }),
  measure({ name: 'num_ret', kind: 'long', summary: 'sum', about: 'documents retrieved (summary: total)', compute: (q) => [q.numRet] }),
  measure({ name: 'num_rel', kind: 'long', summary: 'sum', about: 'relevant documents in the qrels (summary: total over the evaluated queries)', compute: (q) => [q.numRel] }),
  measure({ name: 'num_rel_ret', kind: 'long', summary: 'sum', about: 'relevant documents retrieved (summary: total)', compute: (q) => [q.numRelRet] }),
  measure({ name: 'map', about: 'mean average precision', compute: (q) => [ap(q)] }),
  measure({ name: 'gm_map', summary: 'geometric', perQuery: false, about: 'geometric mean of average precision (floor 0.00001), summary only', compute: (q) => [Math.log(Math.max(ap(q), MIN_GEO_MEAN))] }),
  measure({ name: 'Rprec', about: 'precision after R (= num_rel) documents', compute: (q) => [rprec(q)] }),
  measure({ name: 'bpref', about: 'binary preference: judged non-relevant documents ranked above each relevant one', compute: (q) => [bpref(q)] }),
  measure({ name: 'recip_rank', about: 'reciprocal rank of the first relevant document', compute: (q) => [reciprocalRank(q.rel, q.relevanceLevel)] }),
  measure({
    name: 'iprec_at_recall',
    params: 'doubleCutoffs',
    defaults: RECALL_POINTS,
    about: 'interpolated precision at recall points (default the 11 points 0.0, 0.1, ..., 1.0)',
    compute: (q, points) => interpolatedPrecision(q, points),
  }),
  measure({
    name: 'P',
    params: 'longCutoffs',
    defaults: CUTOFFS,
    about: 'precision at cutoffs (missing ranks count as non-relevant)',
    compute: (q, ks) => ks.map((k) => precisionAt(q.rel, k, q.relevanceLevel)),
  }),
  measure({
    name: 'recall',
    params: 'longCutoffs',
    defaults: CUTOFFS,
    about: 'recall at cutoffs',
    compute: (q, ks) => ks.map((k) => (q.numRel === 0 ? 0 : recallAt(q.rel, k, q.numRel, q.relevanceLevel))),
  }),
  measure({ name: 'gm_bpref', summary: 'geometric', perQuery: false, about: 'geometric mean of bpref (floor 0.00001), summary only', compute: (q) => [Math.log(Math.max(bpref(q), MIN_GEO_MEAN))] }),
  measure({
    name: '11pt_avg',
    params: 'doubleParams',
    defaults: RECALL_POINTS,
    about: 'mean of the interpolated precisions at the recall points',
    compute: (q, points) => {
      // m_11pt_avg.c adds the values in the order it assigns them: from the last point down.
      const values = interpolatedPrecision(q, points);
      let sum = 0;
      for (let i = values.length - 1; i >= 0; i--) sum += values[i];
      return [sum / points.length];
    },
  }),
  measure({ name: 'ndcg', about: 'nDCG over the whole ranking, gain = grade, ideal ranking from all judged documents', compute: (q) => [trecNdcg(q, Infinity)] }),
  measure({
    name: 'ndcg_cut',
    params: 'longCutoffs',
    defaults: CUTOFFS,
    about: 'nDCG at cutoffs, gain = grade, ideal ranking from all judged documents',
    compute: (q, ks) => ks.map((k) => trecNdcg(q, k)),
  }),
  measure({
    name: 'map_cut',
    params: 'longCutoffs',
    defaults: CUTOFFS,
    about: 'average precision over the top k (divided by all relevant documents)',
    compute: (q, ks) => ks.map((k) => (q.numRel === 0 ? 0 : averagePrecision(q.rel.subarray(0, k), q.numRel, q.relevanceLevel))),
  }),
  measure({
    name: 'success',
    params: 'longCutoffs',
    defaults: [1, 5, 10],
    about: '1 if a relevant document is in the top k, else 0',
    compute: (q, ks) => ks.map((k) => (hitsAt(q.rel, k, q.relevanceLevel) > 0 ? 1 : 0)),
  }),
  measure({ name: 'set_P', about: 'relevant retrieved ÷ retrieved', compute: (q) => [q.numRet ? q.numRelRet / q.numRet : 0] }),
  measure({ name: 'set_recall', about: 'relevant retrieved ÷ relevant', compute: (q) => [q.numRel ? q.numRelRet / q.numRel : 0] }),
  measure({
    name: 'set_map',
    about: 'set_P × set_recall',
    compute: (q) => [q.numRet && q.numRel ? (q.numRelRet * q.numRelRet) / (q.numRet * q.numRel) : 0],
  }),
  measure({
    name: 'set_F',
    params: 'doubleParams',
    defaults: [1.0],
    about: 'F measure of set_P and set_recall, (x+1)PR / (xP + R), x = 1 unless given',
    compute: (q, [x]) => {
      if (!q.numRelRet) return [0];
      const P = q.numRelRet / q.numRet;
      const R = q.numRelRet / q.numRel;
      return [((x + 1.0) * P * R) / (x * P + R)];
    },
  }),
  measure({
    name: 'num_nonrel_judged_ret',
    kind: 'long',
    summary: 'sum',
    about: 'judged non-relevant documents retrieved (summary: total)',
    compute: (q) => [q.numRet - q.numNonpool - q.numUnjudged - q.numRelRet],
  }),
];

/** trec_eval measures (9.0.x) that RankPlay does not compute; named so that asking for one says so. */
export const UNSUPPORTED_TREC_MEASURES: readonly string[] = [
  'relstring', 'infAP', 'Rprec_mult', 'utility', 'binG', 'G', 'dcg', 'ideal_dcg', 'ndcg_rel', 'Rndcg',
  'relative_P', 'set_relative_P', 'unj', 'rbp', 'rbp_resid', 'yaap', 'num_nonjudged_ret',
  'map_avgjg', 'P_avgjg', 'Rprec_mult_avgjg',
  'prefs_num_prefs_poss', 'prefs_num_prefs_ful', 'prefs_num_prefs_ful_ret', 'prefs_simp', 'prefs_pair',
  'prefs_avgjg', 'prefs_avgjg_Rnonrel', 'prefs_simp_ret', 'prefs_pair_ret', 'prefs_avgjg_ret',
  'prefs_avgjg_Rnonrel_ret', 'prefs_simp_imp', 'prefs_pair_imp', 'prefs_avgjg_imp',
];

/**
 * trec_eval's nicknames (measures.c). A nickname marks the measures in its list; RankPlay marks
 * those it computes and skips the rest (listed in UNSUPPORTED_TREC_MEASURES).
 */
export const TREC_NICKNAMES: Readonly<Record<string, readonly string[]>> = {
  official: ['runid', 'num_q', 'num_ret', 'num_rel', 'num_rel_ret', 'map', 'gm_map', 'Rprec', 'bpref', 'recip_rank', 'iprec_at_recall', 'P'],
  all_trec: [
    'runid', 'num_q', 'num_ret', 'num_rel', 'num_rel_ret', 'map', 'gm_map', 'Rprec', 'bpref', 'recip_rank', 'iprec_at_recall', 'P',
    'relstring', 'recall', 'unj', 'rbp', 'rbp_resid', 'infAP', 'gm_bpref', 'utility', '11pt_avg', 'ndcg', 'relative_P', 'Rprec_mult',
    'success', 'map_cut', 'ndcg_cut', 'ndcg_rel', 'Rndcg', 'binG', 'G', 'set_P', 'set_recall', 'set_relative_P', 'set_map', 'set_F',
    'num_nonrel_judged_ret',
  ],
  set: ['runid', 'num_q', 'num_ret', 'num_rel', 'num_rel_ret', 'utility', 'set_P', 'set_recall', 'set_relative_P', 'set_map', 'set_F'],
};

export function trecMeasure(name: string): TrecMeasure | undefined {
  return TREC_MEASURES.find((m) => m.name === name);
}
