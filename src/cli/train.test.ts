import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runPathFor } from './train';

// The real bin, as `npx rankplay` runs it.
const bin = path.resolve(__dirname, '../../bin/rankplay.mjs');
const dir = mkdtempSync(path.join(tmpdir(), 'rankplay-train-'));
const fold = path.resolve(__dirname, '../../e2e/fixtures/Fold1');

function rankplay(...args: string[]) {
  return spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });
}

function writeConfig(name: string, value: unknown): string {
  const file = path.join(dir, name);
  writeFileSync(file, JSON.stringify(value));
  return file;
}

const clickConfig = {
  version: 1,
  seed: 3,
  data: { kind: 'synthetic', queries: 60, docsPerQuery: 10, features: 6 },
  rankers: [
    { id: 'naive', model: { kind: 'linear' }, estimator: 'naive' },
    { id: 'dla', model: { kind: 'linear' }, estimator: 'dla' },
  ],
  clicks: { sessions: 2000 },
  train: { maxSteps: 30, evalEvery: 10, learningRate: 0.05 },
};

describe('rankplay train', () => {
  it('trains click-based estimators headless, prints every measure, and writes a TREC run per ranker that eval scores the same', () => {
    const config = writeConfig('clicks.json', clickConfig);
    const run = path.join(dir, 'run.txt');
    const qrels = path.join(dir, 'qrels.txt');
    const out = JSON.parse(execFileSync(process.execPath, [bin, 'train', config, '--json', '--run-out', run, '--qrels-out', qrels], { encoding: 'utf8' }));
    expect(out.steps).toBe(30);
    expect(out.summary.clickSessions).toBe(2000);
    expect(out.files).toEqual([path.join(dir, 'run.naive.txt'), path.join(dir, 'run.dla.txt'), qrels]);
    expect(out.final.dla.propensities).toHaveLength(10);
    for (const id of ['naive', 'dla']) {
      const lines = readFileSync(path.join(dir, `run.${id}.txt`), 'utf8').trim().split('\n');
      // 15 test queries × 10 documents, six columns, the ranker as run id.
      expect(lines).toHaveLength(150);
      expect(lines[0].split(' ')).toHaveLength(6);
      expect(lines[0].endsWith(` ${id}`)).toBe(true);
      // The run and qrels are valid trec_eval input (the next test compares the value itself:
      // trec_eval's ndcg_cut uses linear gain, this config the app's exp2).
      const evalOut = rankplay('eval', '-m', 'ndcg_cut.10', qrels, path.join(dir, `run.${id}.txt`));
      expect(evalOut.status, evalOut.stderr).toBe(0);
      expect(evalOut.stdout).toMatch(/^ndcg_cut_10\s+all\s+0\.\d{4}/m);
    }
  });

  it('with linear gain, trec_eval-style eval of the written run equals the app\'s test nDCG@10', () => {
    const config = writeConfig('linear-gain.json', { ...clickConfig, eval: { gain: 'linear', noRelevant: 'zero' } });
    const run = path.join(dir, 'lg.txt');
    const qrels = path.join(dir, 'lg-qrels.txt');
    const out = JSON.parse(execFileSync(process.execPath, [bin, 'train', config, '--json', '--run-out', run, '--qrels-out', qrels], { encoding: 'utf8' }));
    for (const id of ['naive', 'dla']) {
      const evalOut = rankplay('eval', '-m', 'ndcg_cut.10', qrels, path.join(dir, `lg.${id}.txt`));
      const value = Number(/ndcg_cut_10\s+all\s+([\d.]+)/.exec(evalOut.stdout)?.[1]);
      expect(value).toBeCloseTo(out.final[id].ndcg, 4);
    }
  });

  it('trains on LETOR files given with --data', () => {
    const config = writeConfig('letor.json', { version: 1, rankers: [{ id: 'lin', model: { kind: 'linear' } }], train: { maxSteps: 5, evalEvery: 5 } });
    const r = rankplay('train', config, '--json', '--data', `${fold}/train.txt,${fold}/vali.txt,${fold}/test.txt`);
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.steps).toBe(5);
    expect(out.summary.features).toBeGreaterThan(0);
    expect(out.final.lin.ndcg).toBeGreaterThanOrEqual(0);
  });

  it('says what to do for a stored-data config without --data, and for a missing data file', () => {
    const stored = writeConfig('stored.json', { version: 1, data: { kind: 'stored', id: 'abc', name: 'MSLR Fold1' } });
    const r = rankplay('train', stored);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/MSLR Fold1.*--data/);
    const missing = rankplay('train', stored, '--data', path.join(dir, 'nope.txt'));
    expect(missing.status).not.toBe(0);
    expect(missing.stderr).toMatch(/nope\.txt: cannot read/);
  });

  it('names run files per ranker only when there are several', () => {
    expect(runPathFor('out/run.txt', 'ips', 1)).toBe('out/run.txt');
    expect(runPathFor('out/run.txt', 'ips', 2)).toBe('out/run.ips.txt');
    expect(runPathFor('run', 'dla', 3)).toBe('run.dla');
  });
});
