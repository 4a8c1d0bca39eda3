import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { configFromHash } from '../core/experiment/url-codec';

// Runs the real `rankplay` bin (the bundle `npm install` builds), as a user would with npx.
const bin = path.resolve(__dirname, '../../bin/rankplay.mjs');
const dir = mkdtempSync(path.join(tmpdir(), 'rankplay-cli-'));

function writeConfig(name: string, value: unknown): string {
  const file = path.join(dir, name);
  writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value));
  return file;
}

function rankplay(...args: string[]) {
  return spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });
}

const small = {
  version: 1,
  seed: 7,
  data: { kind: 'synthetic', queries: 40, docsPerQuery: 10, features: 8 },
  train: { maxSteps: 40, evalEvery: 20, learningRate: 0.05 },
};

describe('rankplay CLI', () => {
  it('prints help', () => {
    const r = rankplay('--help');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('rankplay train <config.json>');
  });

  it('trains headless and prints final metrics as JSON; same seed, same numbers', () => {
    const file = writeConfig('small.json', small);
    const first = JSON.parse(execFileSync(process.execPath, [bin, 'train', file, '--json'], { encoding: 'utf8' }));
    expect(first.backend).toBe('cpu');
    expect(first.steps).toBe(40);
    for (const id of ['linear', 'mlp']) {
      expect(first.final[id].ndcg).toBeGreaterThan(first.initial[id]);
      expect(first.final[id].ndcg).toBeLessThanOrEqual(1);
    }
    const second = JSON.parse(execFileSync(process.execPath, [bin, 'train', file, '--json'], { encoding: 'utf8' }));
    expect(second.final).toEqual(first.final);
  });

  it('agrees between the cpu and wasm backends', () => {
    const file = writeConfig('small-wasm.json', small);
    const cpu = JSON.parse(execFileSync(process.execPath, [bin, 'train', file, '--json'], { encoding: 'utf8' }));
    const wasm = JSON.parse(execFileSync(process.execPath, [bin, 'train', file, '--json', '--backend', 'wasm'], { encoding: 'utf8' }));
    expect(wasm.backend).toBe('wasm');
    for (const id of ['linear', 'mlp']) expect(Math.abs(wasm.final[id].ndcg - cpu.final[id].ndcg)).toBeLessThan(0.02);
  });

  it('prints a link whose hash decodes to the same config', () => {
    const file = writeConfig('link.json', small);
    const r = rankplay('link', file, '--base', 'http://127.0.0.1:4173/');
    expect(r.status).toBe(0);
    const decoded = configFromHash(new URL(r.stdout.trim()).hash);
    expect(decoded.error).toBeUndefined();
    expect(decoded.config.seed).toBe(7);
    expect(decoded.config.data).toMatchObject({ kind: 'synthetic', queries: 40 });
  });

  it('inspects a LETOR file and prints the documented JSON keys', () => {
    // Query 1: labels 2, 0; query 2: label 0 only (no relevant doc). Features up to index 3.
    const file = writeConfig('train.txt', '2 qid:1 1:0.5 3:1.5\n0 qid:1 2:1\r\n0 qid:2 1:3\n');
    const r = rankplay('inspect', file, '--json');
    expect(r.status).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(Object.keys(s)).toEqual(expect.arrayContaining(['format', 'queries', 'docs', 'features', 'labels', 'docsPerQuery', 'noRelevantQueries', 'bytes', 'seconds']));
    expect(s).toMatchObject({ format: 'letor', queries: 2, docs: 3, features: 3, labels: { '0': 2, '2': 1 }, noRelevantQueries: 1, bytes: 45 });
    expect(s.docsPerQuery).toEqual({ min: 1, mean: 1.5, max: 2 });
  });

  it('inspect points at the bad line of a broken file', () => {
    const file = writeConfig('broken.txt', '1 qid:1 1:1\n1 qid:1 1:1 2:NaN\n');
    const r = rankplay('inspect', file);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/broken\.txt, line 2, column 13: the value of feature 2 is not a finite number/);
  });

  it('names the file and the reason for bad input, with exit code 2', () => {
    const missing = rankplay('train', path.join(dir, 'nope.json'));
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/nope\.json: cannot read \(ENOENT\)/);

    const notJson = rankplay('train', writeConfig('broken.json', '{"version": 1,'));
    expect(notJson.status).toBe(2);
    expect(notJson.stderr).toMatch(/broken\.json: not valid JSON/);

    const invalid = rankplay('train', writeConfig('invalid.json', { version: 1, train: { learningRate: -1 } }));
    expect(invalid.status).toBe(2);
    expect(invalid.stderr).toMatch(/invalid\.json: train\.learningRate: Too small/);

    const badBackend = rankplay('train', writeConfig('ok.json', small), '--backend', 'webgpu');
    expect(badBackend.status).toBe(2);
    expect(badBackend.stderr).toContain('run in the browser app');

    const unknown = rankplay('frobnicate');
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain("unknown command 'frobnicate'");
  });
});
