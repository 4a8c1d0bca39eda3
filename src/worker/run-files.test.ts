import { beforeAll, describe, expect, it } from 'vitest';
import { useCpuBackend } from '../test-support/cpu-backend';
import { trainHeadless } from '../cli/headless';
import { trecRunText } from '../core/experiment/run-export';
import { parseConfig, type ExperimentConfig } from '../core/experiment/config';
import { ExperimentRun } from '../core/experiment/runner';
import { trackedRuns, trainAll } from '../core/experiment/test-runs';
import { generateSynthetic } from '../core/data/synthetic';
import { splitByQuery } from '../core/data/split';
import type { FeatureSplits } from '../core/data/library';
import { exportRunFiles, type RankerJson } from './run-files';

beforeAll(async () => {
  await useCpuBackend();
});

const create = trackedRuns();
const noStored = () => Promise.reject(new Error('no stored data in this test'));

function config(overrides: Record<string, unknown> = {}): ExperimentConfig {
  const r = parseConfig({
    version: 1,
    seed: 5,
    data: { kind: 'synthetic', queries: 30, docsPerQuery: 6, features: 5 },
    rankers: [
      { id: 'linear', model: { kind: 'linear' } },
      { id: 'mlp', model: { kind: 'mlp', hidden: [4, 3], layerNorm: true } },
    ],
    train: { learningRate: 0.05, maxSteps: 6, evalEvery: 3, batchQueries: 8 },
    ...overrides,
  });
  if (!r.ok) throw new Error(r.error);
  return r.config;
}

function ok<T extends { ok: boolean }>(outcome: T): Extract<T, { ok: true }> {
  if (!outcome.ok) throw new Error(JSON.stringify(outcome));
  return outcome as Extract<T, { ok: true }>;
}

describe('exportRunFiles', () => {
  it('says so when no run is loaded', async () => {
    expect(await exportRunFiles(null, noStored)).toEqual({ ok: false, error: expect.stringMatching(/no experiment is loaded/) });
  });

  it('writes one TREC line per test document per query, the qrels, and equals the CLI run', async () => {
    const c = config();
    const run = create(c);
    await trainAll(run);
    const files = ok(await exportRunFiles(run, noStored));
    expect(files.step).toBe(6);
    const { test } = await run.testScores();
    const nQ = test.qidOffsets.length - 1;
    expect(files.runs.map((r) => r.fileName)).toEqual(['linear.run', 'mlp.run']);
    for (const r of files.runs) {
      const lines = r.text.trimEnd().split('\n');
      expect(lines).toHaveLength(test.labels.length);
      for (let q = 0; q < nQ; q++) {
        const mine = lines.map((l) => l.split(' ')).filter((p) => p[0] === test.queryIds[q]);
        expect(mine.map((p) => Number(p[3]))).toEqual(Array.from({ length: test.qidOffsets[q + 1] - test.qidOffsets[q] }, (_, i) => i + 1));
        for (const p of mine) {
          expect(p).toHaveLength(6);
          expect(p[1]).toBe('Q0');
          expect(p[5]).toBe(r.rankerId);
          expect(Number.isFinite(Number(p[4]))).toBe(true);
        }
      }
    }
    const qrels = files.qrels.trimEnd().split('\n').map((l) => l.split(' '));
    expect(qrels).toHaveLength(test.labels.length);
    expect(qrels.map((p) => Number(p[3]))).toEqual(Array.from(test.labels));
    // The same documents are named in the run and the qrels.
    expect(new Set(files.runs[0].text.trimEnd().split('\n').map((l) => l.split(' ')[2]))).toEqual(new Set(qrels.map((p) => p[2])));

    const cli = await trainHeadless(c);
    for (const r of files.runs) expect(r.text).toBe(trecRunText(cli.test, cli.testScores[r.rankerId], r.rankerId));
  });

  it('writes each ranker as JSON whose weights round-trip the snapshot with their shapes', async () => {
    const run = create(config());
    await trainAll(run);
    const files = ok(await exportRunFiles(run, noStored));
    const snapshot = await run.snapshot();
    const docs = files.models.map((m) => JSON.parse(m.text) as RankerJson);
    expect(docs.map((d) => [d.format, d.version, d.id, d.nFeatures, d.normalization])).toEqual([
      ['rankplay-ranker', 1, 'linear', 5, null],
      ['rankplay-ranker', 1, 'mlp', 5, null],
    ]);
    expect(Object.fromEntries(Object.entries(docs[0].weights).map(([k, w]) => [k, w.shape]))).toEqual({ w0: [5, 1], b0: [1] });
    expect(Object.keys(docs[1].weights)).toEqual(['w0', 'ln0/gain', 'ln0/bias', 'w1', 'ln1/gain', 'ln1/bias', 'w2', 'b2']);
    expect(docs[1].model).toEqual({ kind: 'mlp', hidden: [4, 3], activation: 'elu', layerNorm: true });
    docs.forEach((doc, i) => {
      Object.values(doc.weights).forEach((w, k) => {
        const saved = snapshot.rankers[i].variables[k];
        expect(w.shape).toEqual(saved.shape);
        expect(w.values).toHaveLength(w.shape.reduce((p, d) => p * d, 1));
        expect(Float32Array.from(w.values)).toEqual(saved.values);
      });
    });
  });

  it('reports the feature normalisation of stored data', async () => {
    const synthetic = config().data;
    if (synthetic.kind !== 'synthetic') throw new Error('expected synthetic data');
    const splits = splitByQuery(generateSynthetic(synthetic, 1), 0.3, 1);
    const stored: FeatureSplits = { train: splits.train, test: splits.test };
    const run = ExperimentRun.create(config({ data: { kind: 'stored', id: 'set', name: 'set', normalization: 'zscore' } }), stored);
    try {
      const files = ok(await exportRunFiles(run, async () => stored));
      const doc = JSON.parse(files.models[0].text) as RankerJson;
      expect(doc.normalization?.kind).toBe('zscore');
      expect(doc.normalization?.shift).toHaveLength(5);
      expect(doc.normalization?.scale).toHaveLength(5);
      expect(files.runs[0].text.trimEnd().split('\n')).toHaveLength(splits.test.labels.length);
    } finally {
      run.dispose();
    }
  });
});
