import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ClickLog } from '../core/clicks/log';
import { powerExamination, toyLog, uniformParams } from '../core/clicks/fit/toy-logs';
import { benchFit } from './bench-fit';

// Runs the real `rankplay` bin (the bundle `npm run build:cli` builds), as a user would with npx.
const bin = path.resolve(__dirname, '../../bin/rankplay.mjs');
const dir = mkdtempSync(path.join(tmpdir(), 'rankplay-fit-'));

function rankplay(...args: string[]) {
  return spawnSync(process.execPath, [bin, 'fit-clicks', ...args], { encoding: 'utf8' });
}

/** A ClickLog as RankPlay's TSV click log (session, query, rank, doc, click), with a header. */
function writeTsv(name: string, log: ClickLog, sessionPrefix = 's'): string {
  const lines = ['session\tquery\trank\tdoc\tclick'];
  for (let s = 0; s < log.query.length; s++) {
    for (let r = 0; r < log.k && log.shown[s * log.k + r] >= 0; r++) {
      lines.push(`${sessionPrefix}${s}\t${log.queryIds[log.query[s]]}\t${r + 1}\td${log.shown[s * log.k + r]}\t${log.clicks[s * log.k + r]}`);
    }
  }
  const file = path.join(dir, name);
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

const K = 10;
const exam = powerExamination(K, 1);
const truth = { model: 'pbm' as const, attractiveness: uniformParams(60 * 15, 1, 0.1, 0.9), examination: exam };
const logFile = writeTsv('pbm.tsv', toyLog({ sessions: 30_000, queries: 60, docsPerQuery: 15, k: K, seed: 3, truth }));

describe('rankplay fit-clicks', () => {
  it('fits PBM on 75% of the sessions and prints held-out metrics and parameters as JSON', () => {
    const r = rankplay(logFile, '--model', 'pbm', '--json');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out).slice(0, 5)).toEqual(['model', 'logLikelihood', 'perplexity', 'perplexityAtRank', 'params']);
    expect(out.model).toBe('pbm');
    expect(out.trainSessions).toBe(22_500);
    expect(out.testSessions).toBe(7_500);
    expect(out.split).toEqual({ testFraction: 0.25, seed: 42, by: 'session' });
    expect(out.perplexityAtRank).toHaveLength(K);
    expect(out.perplexity).toBeCloseTo(out.perplexityAtRank.reduce((a: number, b: number) => a + b, 0) / K, 12);
    expect(out.logLikelihood).toBeLessThan(0);
    expect(out.params.examination).toHaveLength(K);
    out.params.examinationRelative.forEach((e: number, i: number) => expect(Math.abs(e - exam[i])).toBeLessThan(0.04));
    expect(out.params.attractiveness.pairs).toBe(900);
    expect(out.unseenPairs).toBe(0);
    expect(out.prior).toEqual({ a: 1, b: 1 });
    expect(out.method).toBe('em');
    expect(out.iterations).toBeGreaterThan(0);
    expect(out.secondsPerIteration).toBeGreaterThan(0);
    // Same seed, same split, same numbers.
    const again = JSON.parse(rankplay(logFile, '--model', 'pbm', '--json').stdout);
    expect(again.perplexityAtRank).toEqual(out.perplexityAtRank);
  });

  it('evaluates on a separate test log, matched by id, and counts what training never saw', () => {
    const test = toyLog({ sessions: 2_000, queries: 70, docsPerQuery: 15, k: K, seed: 9, truth: { ...truth, attractiveness: uniformParams(70 * 15, 1, 0.1, 0.9) } });
    const testFile = writeTsv('test.tsv', test, 't');
    const r = rankplay(logFile, '--model', 'dbn', '--test', testFile, '--unseen', 'mean', '--json');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.trainSessions).toBe(30_000);
    expect(out.testSessions).toBe(2_000);
    expect(out.split).toEqual({ testFile });
    // Queries q60..q69 exist only in the test log.
    expect(out.unseenQueries).toBe(10);
    expect(out.unseenPairs).toBeGreaterThan(0);
    expect(out.unseenImpressions).toBeGreaterThan(0);
    expect(out.defaults.policy).toBe('mean');
    expect(out.defaults.attractiveness).toBeCloseTo(out.params.attractiveness.mean, 12);
    expect(typeof out.params.gamma).toBe('number');
  });

  it('fits every model with --model all (a JSON array) and prints a table without --json', () => {
    const r = rankplay(logFile, '--model', 'all', '--json', '--iterations', '5');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.map((o: { model: string }) => o.model)).toEqual(['pbm', 'cascade', 'dcm', 'dbn', 'ubm']);
    for (const o of out) expect(o.iterations).toBeLessThanOrEqual(5);
    expect(out[2].params.lambda).toHaveLength(K);
    expect(out[4].params.examination.map((row: number[]) => row.length)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const text = rankplay(logFile, '--model', 'cascade,ubm', '--test-fraction', '0.1', '--seed', '3');
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(/^cascade\tlog-likelihood -\d\.\d{4}\tperplexity \d\.\d{4}/);
    expect(text.stdout).toContain('test 3000 sessions (0.1 held out, seed 3)');
    expect(text.stdout).toContain('examination rank 10 by distance');
  });

  it('exits 2 with the file and the reason on bad input', () => {
    const missing = rankplay(path.join(dir, 'nope.tsv'), '--model', 'pbm');
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/nope\.tsv: cannot read \(ENOENT\)/);
    const emptyFile = path.join(dir, 'empty.tsv');
    writeFileSync(emptyFile, '');
    expect(rankplay(emptyFile, '--model', 'pbm').status).toBe(2);
    const badLine = path.join(dir, 'bad-line.tsv');
    writeFileSync(badLine, 's1\tq1\t1\td1\t1\ns1\tq1\t2\td2\t0\ns2\tq1\t3\td1\t0\n');
    const bad = rankplay(badLine, '--model', 'pbm');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/bad-line\.tsv, line 3: /);
    const one = path.join(dir, 'one.tsv');
    writeFileSync(one, 's1\tq1\t1\td1\t1\n');
    const tooSmall = rankplay(one, '--model', 'pbm');
    expect(tooSmall.status).toBe(2);
    expect(tooSmall.stderr).toMatch(/one\.tsv: 1 session\(s\): a train\/test split needs at least 2/);
  });

  it('exits 2 on usage errors, 0 on --help', () => {
    for (const args of [[logFile], [logFile, '--model', 'xyz'], [logFile, '--model', 'pbm', '--test', logFile, '--test-fraction', '0.2'], [logFile, '--model', 'pbm', '--test-fraction', '1.5'], [logFile, '--model', 'pbm', '--bogus'], ['--model', 'pbm'], [logFile, '--model', 'pbm', '--prior', '1'], [logFile, '--model', 'pbm', '--prior', '-1,1']]) {
      const r = rankplay(...args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/^rankplay fit-clicks: /);
    }
    const help = rankplay('--help');
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Usage: rankplay fit-clicks LOG --model');
  });
});

describe('the fitting benchmark (rankplay bench --fit), small', () => {
  it('times each model and reports a fit that recovers PBM', () => {
    const r = benchFit({ sessions: 20_000, queries: 200, iterations: 4 });
    expect(r.rows.map((row) => row.model)).toEqual(['pbm', 'ubm', 'dbn', 'cascade', 'dcm']);
    expect(r.pairs).toBe(4_000);
    expect(r.scanSeconds).toBeGreaterThan(0);
    for (const row of r.rows) {
      expect(row.perplexity).toBeGreaterThan(1);
      if (row.method === 'em') {
        expect(row.iterations).toBe(4);
        expect(row.secondsPerIteration).toBeGreaterThan(0);
        expect(row.ratioToScan).toBeGreaterThan(0);
      } else expect(row.secondsPerIteration).toBeNull();
    }
    expect(r.pbmExaminationError).toBeLessThan(0.1);
  });
});
