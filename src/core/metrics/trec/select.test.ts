import { describe, expect, it } from 'vitest';
import { selectMeasures, TrecMeasureError } from './select';

const names = (args: string[]) => selectMeasures(args).flatMap((m) => (m.measure.name === 'runid' ? ['runid'] : m.valueNames));

describe('-m measure selection', () => {
  it('defaults to official, in trec_eval order, with the default cutoffs', () => {
    expect(names([])).toEqual([
      'runid', 'num_q', 'num_ret', 'num_rel', 'num_rel_ret', 'map', 'gm_map', 'Rprec', 'bpref', 'recip_rank',
      'iprec_at_recall_0.00', 'iprec_at_recall_0.10', 'iprec_at_recall_0.20', 'iprec_at_recall_0.30', 'iprec_at_recall_0.40',
      'iprec_at_recall_0.50', 'iprec_at_recall_0.60', 'iprec_at_recall_0.70', 'iprec_at_recall_0.80', 'iprec_at_recall_0.90',
      'iprec_at_recall_1.00',
      'P_5', 'P_10', 'P_15', 'P_20', 'P_30', 'P_100', 'P_200', 'P_500', 'P_1000',
    ]);
    expect(names(['official'])).toEqual(names([]));
  });

  it('prints in trec_eval order whatever the -m order; cutoffs sorted', () => {
    expect(names(['ndcg_cut.10,5', 'P.10', 'recip_rank', 'map'])).toEqual(['map', 'recip_rank', 'P_10', 'ndcg_cut_5', 'ndcg_cut_10']);
    expect(names(['recall.100', 'ndcg_cut.10'])).toEqual(['recall_100', 'ndcg_cut_10']);
    expect(names(['iprec_at_recall.0.5,.25,1'])).toEqual(['iprec_at_recall_0.25', 'iprec_at_recall_0.50', 'iprec_at_recall_1.00']);
    expect(names(['success'])).toEqual(['success_1', 'success_5', 'success_10']);
    expect(names(['set_F.0.5', '11pt_avg'])).toEqual(['11pt_avg', 'set_F_0.5']);
    expect(names(['set_F'])).toEqual(['set_F']);
  });

  it('the first parameters given win, as in trec_eval', () => {
    const notes: string[] = [];
    expect(selectMeasures(['P.5', 'P.10', 'official'], notes).find((m) => m.measure.name === 'P')!.valueNames).toEqual(['P_5']);
    expect(notes).toEqual(["P: parameters '10' ignored; the first ones given ('5') are used, as in trec_eval"]);
  });

  it('all_trec is every supported measure', () => {
    expect(selectMeasures(['all_trec']).map((m) => m.measure.name)).toEqual([
      'runid', 'num_q', 'num_ret', 'num_rel', 'num_rel_ret', 'map', 'gm_map', 'Rprec', 'bpref', 'recip_rank', 'iprec_at_recall', 'P',
      'recall', 'gm_bpref', '11pt_avg', 'ndcg', 'ndcg_cut', 'map_cut', 'success', 'set_P', 'set_recall', 'set_map', 'set_F',
      'num_nonrel_judged_ret',
    ]);
    expect(selectMeasures(['set']).map((m) => m.measure.name)).toEqual(['runid', 'num_q', 'num_ret', 'num_rel', 'num_rel_ret', 'set_P', 'set_recall', 'set_map', 'set_F']);
  });

  it('refuses what it cannot do, saying what it can', () => {
    const fails = (args: string[], message: RegExp) => {
      expect(() => selectMeasures(args)).toThrow(TrecMeasureError);
      expect(() => selectMeasures(args)).toThrow(message);
    };
    fails(['ndgc'], /unknown measure 'ndgc'; supported measures: runid, num_q, .* ndcg_cut, .*nicknames: official, all_trec, set/);
    fails(['infAP'], /trec_eval measure 'infAP' is not supported/);
    fails(['P.'], /parameters after the '.' are missing/);
    fails(['P.0'], /cutoff '0' is not a positive integer/);
    fails(['P.5,x'], /cutoff 'x' is not a positive integer/);
    fails(['P.10,5,10'], /cutoff 10 is given twice/);
    fails(['iprec_at_recall.0.5,abc'], /parameter 'abc' is not a number/);
    fails(['map.10'], /map takes no parameters \(for a cutoff use map_cut.10\)/);
    fails(['ndcg.1=3'], /gain parameters/);
    fails(['official.5'], /official is a group of measures/);
    fails(['toString'], /unknown measure 'toString'/);
  });
});
