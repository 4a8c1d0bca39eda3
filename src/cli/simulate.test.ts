import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// Runs the real `rankplay` bin (the bundle `npm run build:cli` builds), as a user would with npx.
const bin = path.resolve(__dirname, '../../bin/rankplay.mjs');
const dir = mkdtempSync(path.join(tmpdir(), 'rankplay-simulate-'));

function rankplay(...args: string[]) {
  return spawnSync(process.execPath, [bin, 'simulate', ...args], { encoding: 'utf8', cwd: dir });
}

function json(...args: string[]) {
  const r = rankplay(...args, '--json');
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return JSON.parse(r.stdout);
}

/** A LETOR file: 20 queries × 8 documents, grades 0..3, 3 features correlated with the grade. */
function letorFile(): string {
  const lines: string[] = [];
  for (let q = 1; q <= 20; q++) {
    for (let d = 0; d < 8; d++) {
      const y = (q * 7 + d * 3) % 4;
      lines.push(`${y} qid:${q} 1:${(y + ((d * 13) % 7) / 7).toFixed(3)} 2:${((q + d) % 4) / 4} 3:${d / 8}`);
    }
  }
  const file = path.join(dir, 'train.txt');
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

describe('rankplay simulate', () => {
  const data = letorFile();

  it('prints the documented JSON summary with the model and policy echoed', () => {
    const s = json('--data', data, '--click-model', 'pbm', '--eta', '1', '--sessions', '20000', '--seed', '3');
    expect(Object.keys(s)).toEqual(expect.arrayContaining(['sessions', 'clicks', 'ctrByRank', 'sessionsWithoutClick', 'model', 'policy']));
    expect(s).toMatchObject({ sessions: 20000, queries: 20, docs: 160, seed: 3, sessionMode: 'uniform', impressions: 160000 });
    expect(s.model).toMatchObject({ model: 'pbm', eta: 1, epsMinus: 0.1, epsPlus: 1, ymax: 4, topK: 10 });
    expect(s.policy).toMatchObject({ kind: 'production', fraction: 0.01, name: 'production' });
    // Lists of 8: ranks 9 and 10 are never shown.
    expect(s.ctrByRank).toHaveLength(10);
    expect(s.ctrByRank.slice(8)).toEqual([0, 0]);
    expect(s.ctrByRank[0]).toBeGreaterThan(s.ctrByRank[4]);
    expect(s.sessionsWithoutClick).toBeGreaterThan(0);
    expect(s.sessionsWithoutClick).toBeLessThan(20000);
  });

  it('same seed, same log; another seed, another', () => {
    const args = ['--data', data, '--click-model', 'dbn', '--sessions', '3000'];
    const a = rankplay(...args, '--seed', '9', '--out', 'a.tsv');
    const b = rankplay(...args, '--seed', '9', '--out', 'b.tsv');
    const c = rankplay(...args, '--seed', '10', '--out', 'c.tsv');
    for (const r of [a, b, c]) expect(r.status).toBe(0);
    const [ta, tb, tc] = ['a.tsv', 'b.tsv', 'c.tsv'].map((f) => readFileSync(path.join(dir, f), 'utf8'));
    expect(tb).toBe(ta);
    expect(tc).not.toBe(ta);
  });

  it('writes the plain TSV log: session, query, rank, doc, click; one line per shown result', () => {
    const s = json('--data', data, '--sessions', '50', '--top-k', '3', '--out', 'log.tsv');
    const lines = readFileSync(path.join(dir, 'log.tsv'), 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(150);
    let clicks = 0;
    lines.forEach((line, i) => {
      const [session, query, rank, doc, click] = line.split('\t');
      expect(session).toBe(String(Math.floor(i / 3)));
      expect(rank).toBe(String((i % 3) + 1));
      expect(doc).toMatch(new RegExp(`^${query}:[0-7]$`));
      expect(['0', '1']).toContain(click);
      clicks += Number(click);
    });
    expect(clicks).toBe(s.clicks);
    expect(s.out).toBe('log.tsv');
  });

  it('estimates propensities from RandTop-n and swap interventions', () => {
    const r = json('--data', data, '--sessions', '300000', '--eta', '1', '--top-k', '5', '--intervention', 'randtop');
    expect(r.intervention).toMatchObject({ kind: 'randtop', n: 5, fraction: 1, intervened: 300000 });
    expect(r.intervention.estimates.ranks).toHaveLength(5);
    for (const e of r.intervention.estimates.ranks) {
      expect(e.low).toBeLessThanOrEqual(1 / e.rank + 0.02);
      expect(e.high).toBeGreaterThanOrEqual(1 / e.rank - 0.02);
    }
    expect(Math.abs(r.intervention.eta.eta - 1)).toBeLessThan(0.05);
    const swap = json('--data', data, '--sessions', '300000', '--eta', '2', '--top-k', '4', '--intervention', 'swap', '--intervention-fraction', '0.5');
    expect(swap.intervention.kind).toBe('swap');
    expect(Math.abs(swap.intervention.eta.eta - 2)).toBeLessThan(0.15);
  });

  it('logs with every policy: random, Plackett–Luce, a score file, a TREC run', () => {
    writeFileSync(path.join(dir, 'scores.txt'), Array.from({ length: 160 }, (_, i) => String((i * 37) % 160)).join('\n') + '\n');
    writeFileSync(path.join(dir, 'run.txt'), '1 Q0 1:5 1 10 t\n1 Q0 1:2 2 9 t\n');
    expect(json('--data', data, '--policy', 'random', '--sessions', '100').policy.kind).toBe('random');
    expect(json('--data', data, '--policy', 'pl', '--temperature', '0.5', '--sessions', '100').policy).toMatchObject({ kind: 'pl', temperature: 0.5, base: 'production' });
    expect(json('--data', data, '--scores', 'scores.txt', '--sessions', '100').policy.kind).toBe('scores');
    expect(json('--data', data, '--policy', 'feature', '--feature', '1', '--sessions', '100').policy).toMatchObject({ kind: 'feature', feature: 1, name: 'feature 1' });
    const run = rankplay('--data', data, '--run', 'run.txt', '--sessions', '400', '--top-k', '2', '--out', 'run.tsv');
    expect(run.status).toBe(0);
    const first = readFileSync(path.join(dir, 'run.tsv'), 'utf8').split('\n').filter((l) => l.split('\t')[1] === '1');
    expect(first.slice(0, 2).map((l) => l.split('\t')[3])).toEqual(['1:5', '1:2']);
    expect(json('--data', 'synthetic', '--sessions', '100', '--per-query')).toMatchObject({ data: 'synthetic', sessions: 20000, sessionMode: 'per-query' });
  });

  it('names documents by their # docid ids in the TSV log and in a TREC run, when the data has them', () => {
    const named = path.join(dir, 'named.txt');
    writeFileSync(named, readFileSync(data, 'utf8').trimEnd().split('\n').map((l, i) => `${l} #docid = GX${i}`).join('\n') + '\n');
    // Documents 5 and 2 of query 1 (lines 5 and 2 of the file) ranked first by the run.
    writeFileSync(path.join(dir, 'named-run.txt'), '1 Q0 GX5 1 10 t\n1 Q0 GX2 2 9 t\n');
    const r = rankplay('--data', named, '--run', 'named-run.txt', '--sessions', '400', '--top-k', '2', '--out', 'named.tsv');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const lines = readFileSync(path.join(dir, 'named.tsv'), 'utf8').trimEnd().split('\n');
    expect(lines.every((l) => /^GX\d+$/.test(l.split('\t')[3]))).toBe(true);
    const first = lines.filter((l) => l.split('\t')[1] === '1');
    expect(first.slice(0, 2).map((l) => l.split('\t')[3])).toEqual(['GX5', 'GX2']);
  });

  it('takes a click-model config file, flags overriding it', () => {
    writeFileSync(path.join(dir, 'ubm.json'), JSON.stringify({ model: 'ubm', topK: 2, ubm: { gamma: [[0.9], [0.8, 0.3]] } }));
    const s = json('--data', data, '--model-config', 'ubm.json', '--eps-minus', '0.2', '--sessions', '100');
    expect(s.model).toMatchObject({ model: 'ubm', topK: 2, epsMinus: 0.2, ubm: { gamma: [[0.9], [0.8, 0.3]] } });
  });

  // Each out-of-range parameter: exit status 2 and a message naming the flag and the value.
  const bad: [string[], string][] = [
    [['--eta', '-1'], '--eta must be ≥ 0, got -1'],
    [['--eta', 'abc'], "--eta must be a number, got 'abc'"],
    [['--eps-plus', '1.5'], '--eps-plus must be a probability in [0, 1], got 1.5'],
    [['--eps-minus', '-0.1'], '--eps-minus must be a probability in [0, 1], got -0.1'],
    [['--eps-minus', '0.8', '--eps-plus', '0.5'], '--eps-minus must not exceed epsPlus (0.5)'],
    [['--table', '1,0.5,1.2', '--top-k', '3'], '--table[2] must be a probability in [0, 1], got 1.2'],
    [['--table', 'eye-tracking', '--top-k', '12'], "--table 'eye-tracking' covers ranks 1..10 but topK is 12"],
    [['--trust-eps-plus', '1,2', '--trust-eps-minus', '0,0', '--top-k', '2'], '--trust-eps-plus[1] must be a probability in [0, 1], got 2'],
    [['--trust-eps-plus', '1,1', '--top-k', '2'], 'trust bias needs both --trust-eps-plus and --trust-eps-minus'],
    [['--click-model', 'dbn', '--gamma', '1.1'], '--gamma must be a probability in [0, 1], got 1.1'],
    [['--click-model', 'dbn', '--satisfaction', '0,0.5'], '--satisfaction needs one value per grade 0..4 (5), has 2'],
    [['--click-model', 'dcm', '--lambda', '-0.5'], '--lambda must be a probability'],
    [['--click-model', 'sdbn'], "--click-model must be one of pbm, cascade, dcm, dbn, ubm, got 'sdbn'"],
    [['--ymax', '2'], "label 3 of document 0 of query '1' is outside the click model's grades 0..2"],
    [['--top-k', '0'], '--top-k must be ≥ 1, got 0'],
    [['--policy', 'pl', '--temperature', '0'], '--temperature must be > 0, got 0'],
    [['--train-fraction', '1.5'], '--train-fraction must be in (0, 1], got 1.5'],
    [['--policy', 'greedy'], "--policy kind must be one of 'production', 'random', 'pl', 'scores', 'feature'"],
    [['--policy', 'feature', '--feature', '0'], '--feature must be ≥ 1, got 0'],
    [['--policy', 'feature', '--feature', '4'], "feature must be an integer in 1..3 (the data's features), got 4"],
    [['--policy', 'scores'], "the 'scores' policy needs per-document scores"],
    [['--intervention', 'randtop', '--intervention-fraction', '2'], '--intervention-fraction must be a probability in [0, 1], got 2'],
    [['--intervention', 'randtop', '--intervention-n', '11'], "intervention.n (11) must not exceed the click model's topK (10)"],
    [['--intervention', 'swap', '--intervention-fraction', '1'], 'use an --intervention-fraction below 1'],
    [['--sessions', '0'], "--sessions must be an integer ≥ 1, got '0'"],
    [['--seed', '-3'], "--seed must be an integer in [0, 4294967295], got '-3'"],
    [['--confidence', '1', '--intervention', 'randtop'], "--confidence must be in (0, 1), got '1'"],
    [['--bogus'], "unknown option '--bogus'"],
  ];
  for (const [args, message] of bad) {
    it(`refuses ${args.join(' ')}`, () => {
      const r = rankplay('--data', data, ...args);
      expect(r.status).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain(`rankplay simulate: `);
      expect(r.stderr).toContain(message);
    });
  }

  it('refuses a missing or unreadable data file', () => {
    expect(rankplay('--sessions', '5').stderr).toContain('simulate needs --data FILE');
    const r = rankplay('--data', 'nope.txt');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('nope.txt: cannot read (ENOENT)');
  });

  it('prints its help', () => {
    const r = rankplay('--help');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('--click-model M');
    expect(r.stdout).toContain('<qid>:<position>');
  });
});
