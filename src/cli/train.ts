import { openAsBlob, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ExperimentConfig } from '../core/experiment/config';
import { trecQrelsText, trecRunText } from '../core/experiment/run-export';
import { loadDataset } from '../core/data/load';
import type { FeatureSplits } from '../core/data/library';
import { blobSource } from '../core/data/parse/stream';
import { intFlag, type ParsedArgs } from './args';
import { startNodeBackend, trainHeadless } from './headless';
import type { BackendName } from '../compute/types';

/** Where `--run-out` writes one ranker's run: the path itself for one ranker, `name.<id>.ext` for several. */
export function runPathFor(runOut: string, rankerId: string, rankerCount: number): string {
  if (rankerCount === 1) return runOut;
  const ext = path.extname(runOut);
  return `${runOut.slice(0, runOut.length - ext.length)}.${rankerId}${ext}`;
}

/** Reads LETOR files given with --data (train/vali/test by name) as the splits of a stored-data config. */
async function readDataFlag(files: string[]): Promise<FeatureSplits> {
  const sources = [];
  for (const f of files) {
    try {
      statSync(f);
    } catch (e) {
      throw new Error(`${f}: cannot read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
    }
    sources.push(blobSource(await openAsBlob(f), path.basename(f)));
  }
  const loaded = await loadDataset(sources, { skipBadLines: false, memoryBudgetBytes: 8 * 1024 ** 3 }, () => ({}));
  if (loaded.payload.kind !== 'features') throw new Error(`${files.join(', ')}: train needs feature files (LETOR/SVMlight), not a text collection`);
  return loaded.payload.splits;
}

function dataFiles(args: ParsedArgs): string[] {
  const v = args.flags.get('--data');
  if (v === undefined) return [];
  if (typeof v !== 'string') throw new Error('--data needs a file (or comma-separated files: train.txt,vali.txt,test.txt)');
  return v.split(',').filter(Boolean);
}

/**
 * `rankplay train CONFIG.json`: the app's experiment, headless, to the end. With --data, the
 * config's data becomes the given LETOR files (its stored-data settings, e.g. normalisation, apply).
 */
export async function runTrain(config: ExperimentConfig, args: ParsedArgs, backend: BackendName, configFile: string): Promise<void> {
  const steps = intFlag(args, '--steps');
  if (steps) config = { ...config, train: { ...config.train, maxSteps: steps } };
  const files = dataFiles(args);
  let stored: FeatureSplits | undefined;
  if (files.length) {
    stored = await readDataFlag(files);
    if (config.data.kind !== 'stored') {
      config = { ...config, data: { kind: 'stored', id: 'cli', name: files.map((f) => path.basename(f)).join('+'), normalization: 'zscore', testFraction: config.data.testFraction } };
    }
  } else if (config.data.kind === 'stored') {
    throw new Error(`${configFile}: its data is the stored set "${config.data.name}" of a browser; give the files with --data train.txt,vali.txt,test.txt`);
  }
  const json = args.flags.has('--json');
  const runOut = args.flags.get('--run-out');
  const qrelsOut = args.flags.get('--qrels-out');
  const status = await startNodeBackend(backend);
  const result = await trainHeadless(
    config,
    (p) => {
      if (!json) process.stderr.write(`step ${p.step}: ${Object.entries(p.rankers).map(([id, m]) => `${id} nDCG@${config.eval.k}=${m.ndcg.toFixed(4)}`).join('  ')}\n`);
    },
    stored,
  );
  const written: string[] = [];
  if (typeof runOut === 'string') {
    const ids = Object.keys(result.testScores);
    for (const id of ids) {
      const file = runPathFor(runOut, id, ids.length);
      writeFileSync(file, trecRunText(result.test, result.testScores[id], id));
      written.push(file);
    }
  }
  if (typeof qrelsOut === 'string') {
    writeFileSync(qrelsOut, trecQrelsText(result.test));
    written.push(qrelsOut);
  }
  const out = {
    backend: status.active,
    seed: config.seed,
    steps: result.final.step,
    metric: `ndcg@${config.eval.k} (${config.eval.gain} gain, test split)`,
    initial: Object.fromEntries(Object.entries(result.initial.rankers).map(([id, m]) => [id, m.ndcg])),
    final: result.final.rankers,
    reference: result.reference,
    summary: result.summary,
    stepsPerSecond: result.final.step / (result.trainMs / 1000),
    files: written,
  };
  if (json) {
    process.stdout.write(JSON.stringify(out, null, 2) + '\n');
    return;
  }
  for (const [id, m] of Object.entries(out.final)) {
    const rest = Object.entries(m.test)
      .map(([k, v]) => `${k} ${v.toFixed(4)}`)
      .join('  ');
    process.stdout.write(`${id}\tnDCG@${config.eval.k}\t${m.ndcg.toFixed(4)}\t(from ${out.initial[id].toFixed(4)})\tloss ${m.loss?.toFixed(4) ?? '-'}\t${rest}${m.stoppedAt ? `\tstopped at ${m.stoppedAt}` : ''}\n`);
  }
  if (out.reference.hiddenFunction !== null) process.stdout.write(`hidden relevance function\tnDCG@${config.eval.k}\t${out.reference.hiddenFunction.toFixed(4)}\n`);
  for (const f of written) process.stdout.write(`wrote ${f}\n`);
}
