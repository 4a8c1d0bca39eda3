import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { GOLDEN_QRELS, GOLDEN_RUN } from '../core/metrics/trec/golden-fixture';
import { parseEvalArgs } from './eval';

// Runs the real `rankplay` bin (the bundle `npm run build:cli` makes), as a user would with npx.
const bin = path.resolve(__dirname, '../../bin/rankplay.mjs');
const dir = mkdtempSync(path.join(tmpdir(), 'rankplay-eval-'));

function file(name: string, text: string): string {
  const f = path.join(dir, name);
  writeFileSync(f, text);
  return f;
}

const qrels = file('golden.qrels', GOLDEN_QRELS);
const run = file('golden.run', GOLDEN_RUN);

function rankplay(args: string[], input?: string) {
  return spawnSync(process.execPath, [bin, 'eval', ...args], { encoding: 'utf8', input });
}

/** trec_eval's line: "%-22s\t%s\t%s". */
const L = (name: string, qid: string, value: string | number) => `${name.padEnd(22)}\t${qid}\t${value}\n`;

// Values worked out in src/core/metrics/trec/golden.test.ts: map per query 11/60, 5/6, 0; P_64 = 2/64
// for queries 1 and 10 (an exact tie: 0.0312); with -c the means divide by the 4 qrels queries.
const MAP_P64_QC =
  L('map', '1', '0.1833') + L('P_64', '1', '0.0312') +
  L('map', '10', '0.8333') + L('P_64', '10', '0.0312') +
  L('map', '2', '0.0000') + L('P_64', '2', '0.0000') +
  L('map', 'all', '0.2542') + L('P_64', 'all', '0.0156');

describe('rankplay eval', () => {
  it('prints trec_eval\'s default (official) output', () => {
    const r = rankplay([qrels, run]);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    const out = r.stdout.split('\n');
    expect(out.slice(0, 7)).toEqual([
      'runid                 \tall\ttagA',
      'num_q                 \tall\t3',
      'num_ret               \tall\t10',
      'num_rel               \tall\t6',
      'num_rel_ret           \tall\t4',
      'map                   \tall\t0.3389',
      'gm_map                \tall\t0.0115',
    ]);
    expect(out.at(-2)).toBe('P_1000                \tall\t0.0013');
    expect(out).toHaveLength(30 + 1);
  });

  it('reads trec_eval\'s option spellings: bundled, attached, long, after the files', () => {
    for (const args of [
      ['-q', '-c', '-m', 'map', '-m', 'P.64', qrels, run],
      ['-qc', '-mmap', '-mP.64', qrels, run],
      ['--query_eval_wanted', '--complete_rel_info_wanted', '--measure=P.64', '--measure', 'map', qrels, run],
      [qrels, run, '-m', 'P.64', '-qcm', 'map'],
      ['-q', '-c', '-m', 'P.64', '-m', 'map', '--', qrels, run],
    ]) {
      const r = rankplay(args);
      expect(r.stderr).toBe('');
      expect(r.stdout).toBe(MAP_P64_QC);
    }
  });

  it('-n, -l and -M', () => {
    expect(rankplay(['-n', '-q', '-m', 'num_ret', qrels, run]).stdout).toBe(L('num_ret', '1', 5) + L('num_ret', '10', 3) + L('num_ret', '2', 2));
    expect(rankplay(['-l2', '-m', 'num_rel', '-m', 'map', qrels, run]).stdout).toBe(L('num_rel', 'all', 3) + L('map', 'all', '0.3889'));
    expect(rankplay(['-M', '3', '-m', 'num_ret', '-m', 'map', qrels, run]).stdout).toBe(L('num_ret', 'all', 8) + L('map', 'all', '0.3056'));
  });

  it('reads the run from standard input with -', () => {
    const r = rankplay(['-m', 'map', qrels, '-'], GOLDEN_RUN);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(L('map', 'all', '0.3389'));
  });

  it('-m all_trec prints every supported measure, in trec_eval order', () => {
    const r = rankplay(['-m', 'all_trec', qrels, run]);
    expect(r.status).toBe(0);
    const names = r.stdout.trim().split('\n').map((l) => l.split('\t')[0].trim());
    expect(names.filter((n) => !/_\d/.test(n))).toEqual([
      'runid', 'num_q', 'num_ret', 'num_rel', 'num_rel_ret', 'map', 'gm_map', 'Rprec', 'bpref', 'recip_rank',
      'gm_bpref', '11pt_avg', 'ndcg', 'set_P', 'set_recall', 'set_map', 'set_F', 'num_nonrel_judged_ret',
    ]);
    expect(names).toContain('ndcg_cut_10');
    expect(names).toContain('success_1');
  });

  it('passes the readers\' notes to stderr, keeping stdout trec_eval\'s', () => {
    const mixed = file('mixed.run', GOLDEN_RUN + '1 Q0 d6 6 0.5 tagB\n');
    const r = rankplay(['-m', 'runid', qrels, mixed]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(L('runid', 'all', 'tagA'));
    expect(r.stderr).toMatch(/note: .*mixed\.run: line 13: run tag 'tagB' differs from 'tagA'/);
  });

  it('help', () => {
    const top = spawnSync(process.execPath, [bin, '--help'], { encoding: 'utf8' });
    expect(top.stdout).toContain('rankplay eval [-q] [-c]');
    const r = rankplay(['--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Usage: rankplay eval');
    expect(r.stdout).toContain('ndcg_cut');
  });

  it('refuses bad measures and options with exit code 2, saying what is supported', () => {
    const unknown = rankplay(['-m', 'ndgc_cut.10', qrels, run]);
    expect(unknown.status).toBe(2);
    expect(unknown.stdout).toBe('');
    expect(unknown.stderr).toMatch(/unknown measure 'ndgc_cut'; supported measures: runid, .*ndcg_cut/);

    const unsupported = rankplay(['-m', 'infAP', qrels, run]);
    expect(unsupported.status).toBe(2);
    expect(unsupported.stderr).toContain("trec_eval measure 'infAP' is not supported");

    const badCutoff = rankplay(['-m', 'P.5,0', qrels, run]);
    expect(badCutoff.status).toBe(2);
    expect(badCutoff.stderr).toContain("cutoff '0' is not a positive integer");

    const flag = rankplay(['-x', qrels, run]);
    expect(flag.status).toBe(2);
    expect(flag.stderr).toContain("unknown option '-x'");

    const troff = rankplay(['-J', qrels, run]);
    expect(troff.status).toBe(2);
    expect(troff.stderr).toContain("trec_eval's -J is not supported");

    const oneFile = rankplay([qrels]);
    expect(oneFile.status).toBe(2);
    expect(oneFile.stderr).toContain('eval needs two files, QRELS and RUN (got 1)');
  });

  it('reading errors: exit code 2 with file, line and reason', () => {
    const missing = rankplay([qrels, path.join(dir, 'nope.run')]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/nope\.run: cannot read \(ENOENT\)/);

    const badQrels = rankplay([file('bad.qrels', '1 0 d1 1\n1 0 d2\n'), run]);
    expect(badQrels.status).toBe(2);
    expect(badQrels.stderr).toMatch(/bad\.qrels, line 2: expected 4 whitespace-separated fields/);

    const badRun = rankplay([qrels, file('bad.run', '1 Q0 d1 1 1.5 t\n1 Q0 d2 2 high t\n')]);
    expect(badRun.status).toBe(2);
    expect(badRun.stderr).toMatch(/bad\.run, line 2: score is not a number \('high'\)/);

    const duplicate = rankplay([qrels, file('dup.run', GOLDEN_RUN + '10 Q0 a 4 0.5 tagA\n')]);
    expect(duplicate.status).toBe(2);
    expect(duplicate.stderr).toContain("dup.run: query '10' lists document 'a' more than once");

    const disjoint = rankplay([qrels, file('other.run', '7 Q0 x 1 1 t\n')]);
    expect(disjoint.status).toBe(2);
    expect(disjoint.stderr).toContain('no query of the run has judgements in the qrels');
  });
});

describe('parseEvalArgs', () => {
  it('takes trec_eval\'s flags', () => {
    expect(parseEvalArgs(['-qcn', '-l', '2', '-M1000', '-mP.10', 'q', 'r'])).toEqual({
      perQuery: true, complete: true, summary: false, level: 2, max: 1000, measures: ['P.10'], files: ['q', 'r'],
    });
    expect(parseEvalArgs(['-h'])).toBe('help');
    expect(() => parseEvalArgs(['-l', 'two', 'q', 'r'])).toThrow("-l needs an integer ≥ 0, got 'two'");
    expect(() => parseEvalArgs(['-M', '0', 'q', 'r'])).toThrow("-M needs an integer ≥ 1, got '0'");
    expect(() => parseEvalArgs(['q', 'r', '-m'])).toThrow('-m needs a value');
    expect(() => parseEvalArgs(['--nosummary=1', 'q', 'r'])).toThrow('--nosummary takes no value');
  });
});
