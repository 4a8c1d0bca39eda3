import { describe, expect, it } from 'vitest';
import { clickModelParams } from './fit';
import { clickModelKeyParams, fitHeldOut, heldOutReport } from './held-out';
import { splitSessions } from './split';
import { powerExamination, toyLog, uniformParams } from './toy-logs';

const K = 6;
const log = toyLog({ sessions: 3_000, queries: 15, docsPerQuery: 8, k: K, seed: 4, truth: { model: 'pbm', attractiveness: uniformParams(15 * 8, 3, 0.1, 0.9), examination: powerExamination(K, 1) } });
const { train, test } = splitSessions(log, 0.25, 42);

describe('held-out fits', () => {
  it('report the evaluation of the fitted model, with the documented keys first', () => {
    const fit = fitHeldOut(train, test, 'dbn');
    const report = heldOutReport(fit);
    expect(Object.keys(report).slice(0, 5)).toEqual(['model', 'logLikelihood', 'perplexity', 'perplexityAtRank', 'params']);
    expect(report).toMatchObject({ model: 'dbn', perplexity: fit.evaluation.perplexity, trainSessions: train.query.length, testSessions: test.query.length, method: 'em' });
    expect(report.defaults.satisfaction).toBe(0.5);
    expect(fit.notes).toEqual([]);
  });

  it('say when the test log shows ranks the training log never did', () => {
    const short = toyLog({ sessions: 500, queries: 15, docsPerQuery: 8, k: 3, seed: 5, truth: { model: 'pbm', attractiveness: uniformParams(15 * 8, 3, 0.1, 0.9), examination: powerExamination(3, 1) } });
    const fit = fitHeldOut(short, test, 'pbm');
    expect(fit.notes.join(' ')).toMatch(/3 rank\(s\) beyond the training log's 3/);
  });

  it('give each model its key parameters as plain numbers: PBM and UBM first-look examination, DCM λ, DBN γ', () => {
    const pbm = clickModelKeyParams(fitHeldOut(train, test, 'pbm').fitted);
    expect(pbm.examination).toHaveLength(K);
    expect(pbm.examinationRelative![0]).toBe(1);
    pbm.examinationRelative!.forEach((e, r) => expect(Math.abs(e - 1 / (r + 1))).toBeLessThan(0.1));

    const ubmFit = fitHeldOut(train, test, 'ubm').fitted;
    const ubm = clickModelKeyParams(ubmFit);
    // Row r of UBM's table ends with "no click above" (distance r + 1 for 0-based r).
    const rows = clickModelParams(ubmFit).examination as number[][];
    expect(ubm.examination).toEqual(rows.map((row) => row[row.length - 1]));

    const dcm = clickModelKeyParams(fitHeldOut(train, test, 'dcm').fitted);
    expect(dcm).toMatchObject({ examination: null, gamma: null });
    expect(dcm.lambda).toHaveLength(K);
    const dbn = clickModelKeyParams(fitHeldOut(train, test, 'dbn').fitted);
    expect(dbn.gamma).toBeGreaterThan(0);
    expect(dbn.satisfaction?.pairs).toBe(dbn.attractiveness.pairs);
    expect(clickModelKeyParams(fitHeldOut(train, test, 'cascade').fitted)).toMatchObject({ examination: null, lambda: null, gamma: null, satisfaction: null });
  });
});
