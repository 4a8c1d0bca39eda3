import { defaultConfig } from '../core/experiment/config';
import type { BackendName } from '../compute/types';
import { intFlag, type ParsedArgs } from './args';
import { startNodeBackend } from './headless';
import { ExperimentRun } from '../core/experiment/runner';

export interface BackendSpeed {
  backend: BackendName;
  stepsPerSecond: number;
}

/** Steps/s of the default slice (both rankers per step), after a warm-up, with one sync at the end. */
async function measure(backend: BackendName, steps: number): Promise<BackendSpeed> {
  await startNodeBackend(backend);
  const config = defaultConfig();
  const run = ExperimentRun.create({ ...config, train: { ...config.train, maxSteps: steps + 10, evalEvery: steps + 10 } });
  try {
    for (let i = 0; i < 10; i++) run.trainStep();
    await run.evaluate();
    const t0 = performance.now();
    for (let i = 0; i < steps; i++) run.trainStep();
    await run.evaluate();
    return { backend, stepsPerSecond: steps / ((performance.now() - t0) / 1000) };
  } finally {
    run.dispose();
  }
}

export async function runBench(args: ParsedArgs): Promise<void> {
  const steps = intFlag(args, '--steps') ?? 100;
  const raw = args.flags.get('--backends');
  const backends = (typeof raw === 'string' ? raw.split(',') : ['cpu', 'wasm']) as BackendName[];
  const results: BackendSpeed[] = [];
  for (const b of backends) results.push(await measure(b, steps));
  const cpu = results.find((r) => r.backend === 'cpu')?.stepsPerSecond;
  const rows = results.map((r) => ({ ...r, ratioToCpu: cpu ? r.stepsPerSecond / cpu : null }));
  if (args.flags.has('--json')) process.stdout.write(JSON.stringify({ environment: 'node', steps, results: rows }, null, 2) + '\n');
  else for (const r of rows) process.stdout.write(`node\t${r.backend}\t${r.stepsPerSecond.toFixed(1)} steps/s\t×${r.ratioToCpu?.toFixed(2) ?? '-'} vs cpu\n`);
}
