import { describe, expect, it } from 'vitest';
import { bytesSource } from '../../data/parse/stream';
import { parseTrecQrels } from '../../data/text/qrels';
import { parseTrecRun } from '../../data/text/run';
import { GOLDEN_QRELS, GOLDEN_RUN } from './golden-fixture';
import { formatTrecEval, judgementsOf, selectMeasures, trecEval } from './index';

/*
 * Golden outputs for a small qrels and run written for this test. The expected lines are what
 * trec_eval 9.0.x prints for the same files and options, worked out by hand from trec_eval's rules
 * (the arithmetic is in the comments), not produced by this code.
 */

/*
 * Rankings (score descending, ties by docno descending) and relevance codes (grade; -1 not in the
 * qrels; -2 negative grade):
 *   query 1:  d2 (0), then the 4.0 tie d5 before d1: d5 (-2), d1 (3), d9 (-1), d3 (1)
 *             num_ret 5, num_rel 4 (d1 d3 d4 d6), num_rel_ret 2, rel_levels [2, 2, 1, 1]
 *   query 10: all tied at 1.0, so c (2), b (0), a (1)
 *             num_ret 3, num_rel 2 (a c), num_rel_ret 2, rel_levels [1, 1, 1]
 *   query 2:  e1 (0), e3 (-1); no relevant document: num_ret 2, num_rel 0, num_rel_ret 0
 * Evaluated in strcmp order of the ids: "1", "10", "2". Query 3 is only in the qrels, 4 only in the run.
 *
 * Query 1
 *   map     relevant at ranks 3 and 5: (1/3 + 2/5) / 4 = 11/60 = 0.18333
 *   Rprec   top R = 4: d2 d5 d1 d9, one relevant: 1/4
 *   bpref   judged non-relevant = 2 (d2 d7); d2 above d1 and above d3, d5 and d9 skipped:
 *           ((1 − 1/2) + (1 − 1/2)) / 4 = 0.25
 *   recip_rank 1/3
 *   iprec   recall cutoffs ⌊p·4 + 0.9⌋ = 0 1 1 2 2 2 3 3 4 4 4; precision 2/5 at the 2nd relevant
 *           is the best at or after both relevant ranks: 0.4 up to recall 0.5, 0 beyond (3rd not found)
 *   P_k     2/k (P_5 0.4, P_15 0.1333, P_30 0.0667, P_500 0.004)
 *   ndcg    DCG = 3/log2(4) + 1/log2(6) = 1.5 + 0.386853 = 1.886853; ideal 3 2 1 1:
 *           3 + 2/log2(3) + 1/log2(4) + 1/log2(5) = 5.192536; 0.363378
 * Query 10
 *   map     (1/1 + 2/3) / 2 = 5/6;  Rprec  top 2 = c b: 1/2;  recip_rank 1
 *   bpref   c before b: 1; a after b: 1 − min(1,2)/min(1,2) = 0; (1 + 0) / 2 = 0.5
 *   iprec   cutoffs ⌊p·2 + 0.9⌋ = 0 1 1 1 1 1 2 2 2 2 2: 1 up to 0.5, 2/3 from 0.6
 *   ndcg    DCG = 2/1 + 0 + 1/log2(4) = 2.5; ideal 2/1 + 1/log2(3) = 2.630930; 0.950234
 *           (had the tie been broken by file order, a b c: DCG 1 + 2/2 = 2, nDCG 0.7602)
 * Query 2: every measure 0.
 */

async function evaluate(args: string[], flags: { perQuery?: boolean; complete?: boolean; level?: number; max?: number } = {}, run = GOLDEN_RUN) {
  const enc = new TextEncoder();
  const qrels = await parseTrecQrels(bytesSource(enc.encode(GOLDEN_QRELS), 'golden.qrels'));
  const parsedRun = await parseTrecRun(bytesSource(enc.encode(run), 'golden.run'));
  const result = trecEval(judgementsOf(qrels), parsedRun, {
    measures: selectMeasures(args),
    complete: flags.complete,
    relevanceLevel: flags.level,
    maxRetrieved: flags.max,
    runName: 'golden.run',
  });
  return formatTrecEval(result, { perQuery: flags.perQuery });
}

/** An output line: the name left-aligned in 22 columns, tab, query, tab, value. */
const L = (name: string, qid: string, value: string | number) => `${name.padEnd(22)}\t${qid}\t${value}\n`;
const lines = (qid: string, rows: [string, string | number][]) => rows.map(([n, v]) => L(n, qid, v)).join('');
const iprec = (upTo50: string, from60: string): [string, string][] =>
  ['0.00', '0.10', '0.20', '0.30', '0.40', '0.50', '0.60', '0.70', '0.80', '0.90', '1.00'].map((p, i) => [`iprec_at_recall_${p}`, i <= 5 ? upTo50 : from60]);
const cutoffs = (name: string, values: string[]): [string, string][] => [5, 10, 15, 20, 30, 100, 200, 500, 1000].map((k, i) => [`${name}_${k}`, values[i]]);

// P_k per query for queries 1 and 10 (2 relevant retrieved each): 2/k.
const P_TWO_HITS = ['0.4000', '0.2000', '0.1333', '0.1000', '0.0667', '0.0200', '0.0100', '0.0040', '0.0020'];
const P_ZERO = cutoffs('P', Array(9).fill('0.0000'));

const PER_QUERY = {
  '1': lines('1', [
    ['num_ret', 5], ['num_rel', 4], ['num_rel_ret', 2], ['map', '0.1833'], ['Rprec', '0.2500'], ['bpref', '0.2500'], ['recip_rank', '0.3333'],
    ...iprec('0.4000', '0.0000'), ...cutoffs('P', P_TWO_HITS),
  ]),
  '10': lines('10', [
    ['num_ret', 3], ['num_rel', 2], ['num_rel_ret', 2], ['map', '0.8333'], ['Rprec', '0.5000'], ['bpref', '0.5000'], ['recip_rank', '1.0000'],
    ...iprec('1.0000', '0.6667'), ...cutoffs('P', P_TWO_HITS),
  ]),
  '2': lines('2', [
    ['num_ret', 2], ['num_rel', 0], ['num_rel_ret', 0], ['map', '0.0000'], ['Rprec', '0.0000'], ['bpref', '0.0000'], ['recip_rank', '0.0000'],
    ...iprec('0.0000', '0.0000'), ...P_ZERO,
  ]),
};

/*
 * Summary over the 3 evaluated queries:
 *   num_ret 5+3+2 = 10, num_rel 4+2+0 = 6, num_rel_ret 2+2+0 = 4
 *   map (11/60 + 5/6 + 0)/3 = 61/180 = 0.33889
 *   gm_map exp((ln(11/60) + ln(5/6) + ln 0.00001)/3) = (0.152778e-5)^(1/3) = 0.011517 (query 2's 0 floored)
 *   Rprec (1/4 + 1/2 + 0)/3 = 0.25; bpref (0.25 + 0.5 + 0)/3 = 0.25; recip_rank (1/3 + 1 + 0)/3 = 0.44444
 *   iprec (0.4 + 1 + 0)/3 = 0.46667 up to 0.5; (0 + 2/3 + 0)/3 = 0.22222 from 0.6
 *   P_k (2/k + 2/k + 0)/3: P_5 0.26667, P_10 0.13333, P_15 0.08889, P_20 0.06667, P_30 0.04444,
 *       P_100 0.01333, P_200 0.00667, P_500 0.00267, P_1000 0.00133
 */
const SUMMARY = lines('all', [
  ['runid', 'tagA'], ['num_q', 3], ['num_ret', 10], ['num_rel', 6], ['num_rel_ret', 4], ['map', '0.3389'], ['gm_map', '0.0115'],
  ['Rprec', '0.2500'], ['bpref', '0.2500'], ['recip_rank', '0.4444'], ...iprec('0.4667', '0.2222'),
  ...cutoffs('P', ['0.2667', '0.1333', '0.0889', '0.0667', '0.0444', '0.0133', '0.0067', '0.0027', '0.0013']),
]);

describe('trec_eval golden outputs', () => {
  it('lays lines out as printf("%-22s\\t%s\\t%6.4f\\n") and "%ld"', async () => {
    const out = await evaluate(['runid', 'num_q', 'map']);
    expect(out).toBe('runid                 \tall\ttagA\nnum_q                 \tall\t3\nmap                   \tall\t0.3389\n');
  });

  it('default measures (official), summary only', async () => {
    expect(await evaluate([])).toBe(SUMMARY);
  });

  it('-q: each evaluated query in strcmp order of ids (1, 10, 2), then the summary', async () => {
    expect(await evaluate([], { perQuery: true })).toBe(PER_QUERY['1'] + PER_QUERY['10'] + PER_QUERY['2'] + SUMMARY);
  });

  /*
   * -c: query 3 (only in the qrels) counts 0 in the means, which divide by the 4 qrels queries;
   * num_q = 4; num_ret/num_rel/num_rel_ret stay sums over the evaluated queries (query 3's relevant
   * document is not added); no -q lines for query 3.
   *   map 61/60 / 4 = 0.25417; gm_map exp((ln(11/60) + ln(5/6) + 2 ln 0.00001)/4) = 0.001977
   *   Rprec 0.75/4 = 0.1875 (exact); bpref 0.1875; recip_rank (4/3)/4 = 0.33333
   *   iprec 1.4/4 = 0.35, (2/3)/4 = 0.16667; P_k (4/k)/4 = 1/k: P_15 0.06667, P_30 0.03333, P_200 0.005
   */
  it('-c averages over every query of the qrels', async () => {
    const summary = lines('all', [
      ['runid', 'tagA'], ['num_q', 4], ['num_ret', 10], ['num_rel', 6], ['num_rel_ret', 4], ['map', '0.2542'], ['gm_map', '0.0020'],
      ['Rprec', '0.1875'], ['bpref', '0.1875'], ['recip_rank', '0.3333'], ...iprec('0.3500', '0.1667'),
      ...cutoffs('P', ['0.2000', '0.1000', '0.0667', '0.0500', '0.0333', '0.0100', '0.0050', '0.0020', '0.0010']),
    ]);
    expect(await evaluate([], { complete: true })).toBe(summary);
    expect(await evaluate([], { complete: true, perQuery: true })).toBe(PER_QUERY['1'] + PER_QUERY['10'] + PER_QUERY['2'] + summary);
  });

  /*
   * Parameters, and output in trec_eval's measure order whatever the order of -m:
   *   iprec_at_recall.0.5,0.25 → sorted, named with %3.2f; cutoffs ⌊0.25·4 + 0.9⌋ = 1, ⌊0.5·4 + 0.9⌋ = 2
   *     for query 1 (both 0.4), 1 and 1 for query 10 (both 1.0)
   *   P.64: 2/64 = 0.03125 for queries 1 and 10, an exact binary tie: printf prints 0.0312
   *     (half to even; toFixed would print 0.0313); mean (2/64 + 2/64)/3 = 0.020833
   *   ndcg_cut.3,1: query 1 DCG@1 = 0, DCG@3 = 3/log2(4) = 1.5, IDCG@3 = 3 + 2/log2(3) + 1/2 = 4.761860
   *     → 0.315003; query 10 DCG@1 = IDCG@1 = 2 → 1, @3 = 0.950234; means 1/3 and 0.421746
   */
  it('-m with parameters', async () => {
    const rows = (qid: string, v: string[]) =>
      lines(qid, [['map', v[0]], ['iprec_at_recall_0.25', v[1]], ['iprec_at_recall_0.50', v[1]], ['P_64', v[2]], ['ndcg_cut_1', v[3]], ['ndcg_cut_3', v[4]]]);
    const out = await evaluate(['ndcg_cut.3,1', 'P.64', 'map', 'iprec_at_recall.0.5,0.25'], { perQuery: true });
    expect(out).toBe(
      rows('1', ['0.1833', '0.4000', '0.0312', '0.0000', '0.3150']) +
        rows('10', ['0.8333', '1.0000', '0.0312', '1.0000', '0.9502']) +
        rows('2', ['0.0000', '0.0000', '0.0000', '0.0000', '0.0000']) +
        rows('all', ['0.3389', '0.4667', '0.0208', '0.3333', '0.4217']),
    );
  });

  it('half-to-even in a summary: P_32 with -c is (2/32 + 2/32)/4 = 1/32 = 0.03125 → 0.0312', async () => {
    expect(await evaluate(['P.32'], { complete: true })).toBe(L('P_32', 'all', '0.0312'));
    expect(await evaluate(['P.32'])).toBe(L('P_32', 'all', '0.0417')); // (4/32)/3 = 0.041667
  });

  /*
   * all_trec: every measure RankPlay supports, in trec_eval's order. Beyond the official set:
   *   recall_k: query 1 2/4, query 10 2/2, query 2 0 (no relevant): 0.5 at every default cutoff
   *   gm_bpref: exp((ln 0.25 + ln 0.5 + ln 0.00001)/3) = 0.010772
   *   11pt_avg: query 1 (6·0.4 + 5·0)/11 = 0.21818, query 10 (6·1 + 5·2/3)/11 = 0.84848 → 0.35556
   *   ndcg: (0.363378 + 0.950234 + 0)/3 = 0.437871; ndcg_cut_k for k ≥ 5 is the same (≤ 5 retrieved, ≤ 4 ideal)
   *   map_cut_k for k ≥ 5 = map (nothing below rank 5)
   *   success_1: only query 10's first document is relevant: 1/3; success_5, _10: 2/3
   *   set_P (2/5 + 2/3 + 0)/3 = 16/45 = 0.35556; set_recall (1/2 + 1 + 0)/3 = 0.5
   *   set_map (2²/(5·4) + 2²/(3·2) + 0)/3 = (0.2 + 0.66667)/3 = 0.28889
   *   set_F (2PR/(P+R)): query 1 2·0.4·0.5/0.9 = 0.44444, query 10 2·(2/3)·1/(5/3) = 0.8 → 0.41481
   *   num_nonrel_judged_ret: d2, b, e1 (d5 has a negative grade, d9 and e3 are not in the qrels): 3
   */
  it('-m all_trec', async () => {
    const expected =
      SUMMARY +
      lines('all', [
        ...cutoffs('recall', Array(9).fill('0.5000')),
        ['gm_bpref', '0.0108'],
        ['11pt_avg', '0.3556'],
        ['ndcg', '0.4379'],
        ...cutoffs('ndcg_cut', Array(9).fill('0.4379')),
        ...cutoffs('map_cut', Array(9).fill('0.3389')),
        ['success_1', '0.3333'], ['success_5', '0.6667'], ['success_10', '0.6667'],
        ['set_P', '0.3556'], ['set_recall', '0.5000'], ['set_map', '0.2889'], ['set_F', '0.4148'],
        ['num_nonrel_judged_ret', 3],
      ]);
    expect(await evaluate(['all_trec'])).toBe(expected);
  });

  /*
   * -M 3 keeps the top 3 after the tie rule: query 1 becomes d2 d5 d1, AP = (1/3)/4 = 1/12;
   * num_ret 3 + 3 + 2 = 8; map (1/12 + 5/6 + 0)/3 = 11/36 = 0.30556.
   */
  it('-M cuts each ranking after sorting', async () => {
    expect(await evaluate(['num_ret', 'map'], { max: 3 })).toBe(lines('all', [['num_ret', 8], ['map', '0.3056']]));
  });

  /*
   * -l 2: grade ≥ 2 is relevant. Query 1: d1 d4 relevant (num_rel 2), d1 at rank 3: AP (1/3)/2;
   * bpref: judged non-relevant = grades 0 and 1 = 4, d2 above d1: (1 − min(1,2)/min(4,2))/2 = 0.25.
   * Query 10: only c, at rank 1: AP 1, bpref 1. map (1/6 + 1 + 0)/3 = 0.38889; bpref 1.25/3 = 0.41667.
   */
  it('-l sets the relevance level', async () => {
    expect(await evaluate(['num_rel', 'map', 'bpref'], { level: 2 })).toBe(lines('all', [['num_rel', 3], ['map', '0.3889'], ['bpref', '0.4167']]));
  });

  it('refuses a document listed twice for an evaluated query, naming both', async () => {
    const run = GOLDEN_RUN + '1 Q0 d3 6 1.0 tagA\n';
    await expect(evaluate([], {}, run)).rejects.toThrow("golden.run: query '1' lists document 'd3' more than once");
  });

  it('says so when no query of the run is judged', async () => {
    await expect(evaluate([], {}, '4 Q0 h1 1 1.0 tagA\n')).rejects.toThrow(/no query of the run has judgements in the qrels/);
  });
});
