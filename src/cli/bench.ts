import { defaultConfig } from '../core/experiment/config';
import type { BackendName } from '../compute/types';
import { intFlag, type ParsedArgs } from './args';
import { startNodeBackend, trainHeadless } from './headless';
import { benchParse } from './bench-parse';
import { benchMetrics } from './bench-metrics';
import { benchClicks } from './bench-clicks';
import { benchFit } from './bench-fit';
import { benchTrainMslr, formatProfile, formatTrainMslr, profileTrainMslr, MSLR_MODELS, type MslrModel } from './bench-train';
import { benchLora, formatLoraBench, LORA_BENCH_MODELS, type LoraBenchModel } from './bench-lora';

export interface BackendSpeed {
  backend: BackendName;
  stepsPerSecond: number;
}

/** Steps taken before timing starts: first allocations and JIT warm-up are not steady state. */
export const WARMUP_STEPS = 10;

/**
 * Steps/s of the default slice (both rankers per step), evaluating every 10 steps as the app
 * does, timed from the end of the warm-up to the end: the same measurement the browser
 * benchmark takes from the app's worker, so the two environments compare directly.
 */
async function measure(backend: BackendName, steps: number): Promise<BackendSpeed> {
  await startNodeBackend(backend);
  const config = defaultConfig();
  const result = await trainHeadless({ ...config, train: { ...config.train, maxSteps: steps + WARMUP_STEPS, evalEvery: WARMUP_STEPS } });
  const warm = result.timeline.find((t) => t.step === WARMUP_STEPS)!;
  const last = result.timeline[result.timeline.length - 1];
  return { backend, stepsPerSecond: (last.step - warm.step) / ((last.elapsedMs - warm.elapsedMs) / 1000) };
}

function listFlag<T extends string>(args: ParsedArgs, name: string, allowed: readonly T[], fallback: T[]): T[] {
  const raw = args.flags.get(name);
  if (typeof raw !== 'string') return fallback;
  const items = raw.split(',');
  const bad = items.find((x) => !allowed.includes(x as T));
  if (bad !== undefined) throw new Error(`${name}: '${bad}' is not one of ${allowed.join(', ')}`);
  return items as T[];
}

function positiveFlag(args: ParsedArgs, name: string): number | undefined {
  const v = args.flags.get(name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v === true || !(n > 0)) throw new Error(`${name} must be a positive number, got '${String(v)}'`);
  return n;
}

async function runTrainMslr(args: ParsedArgs): Promise<void> {
  const warmup = intFlag(args, '--warmup');
  if (args.flags.has('--profile')) {
    const profiles = [];
    for (const model of listFlag<MslrModel>(args, '--models', MSLR_MODELS, MSLR_MODELS)) {
      for (const backend of listFlag<BackendName>(args, '--backends', ['cpu', 'wasm'], ['wasm'])) {
        profiles.push(await profileTrainMslr(backend, model, warmup ?? 2, intFlag(args, '--steps') ?? 3, args.flags.has('--stock-wasm')));
      }
    }
    if (args.flags.has('--json')) process.stdout.write(JSON.stringify(profiles, null, 2) + '\n');
    else process.stdout.write(profiles.map((p) => formatProfile(p)).join('\n'));
    return;
  }
  const r = await benchTrainMslr({
    backends: listFlag<BackendName>(args, '--backends', ['cpu', 'wasm'], ['cpu', 'wasm']),
    models: listFlag<MslrModel>(args, '--models', MSLR_MODELS, MSLR_MODELS),
    steps: intFlag(args, '--steps') ?? 60,
    // The MLP's steps are ~50× the linear model's: fewer warm-up steps, which are also its
    // evaluation interval (evaluation is then about 2 % of the timed span).
    warmupSteps: { linear: warmup ?? 10, mlp: warmup ?? 5 },
    maxSeconds: positiveFlag(args, '--seconds') ?? 20,
    stockWasm: args.flags.has('--stock-wasm'),
  });
  if (args.flags.has('--json')) process.stdout.write(JSON.stringify(r, null, 2) + '\n');
  else process.stdout.write(formatTrainMslr(r));
}

export async function runBench(args: ParsedArgs): Promise<void> {
  if (args.flags.has('--train-mslr')) return runTrainMslr(args);
  if (args.flags.has('--lora')) {
    const demo = args.flags.get('--demo-config');
    const r = await benchLora({
      backends: listFlag<BackendName>(args, '--backends', ['cpu', 'wasm'], ['cpu', 'wasm']),
      models: listFlag<LoraBenchModel>(args, '--models', LORA_BENCH_MODELS, LORA_BENCH_MODELS),
      demoConfigFile: typeof demo === 'string' ? demo : 'public/models/rankplay-demo-cross-encoder/config.json',
      steps: intFlag(args, '--steps'),
      // Progress on stderr: a MiniLM run takes minutes and --json output must stay clean.
      onRow: (row) => process.stderr.write(`bench --lora: ${row.model} ${row.backend} ${row.method} ${row.msPerStep.toFixed(0)} ms/step\n`),
    });
    process.stdout.write(args.flags.has('--json') ? JSON.stringify(r, null, 2) + '\n' : formatLoraBench(r));
    return;
  }
  const parseFile = args.flags.get('--parse');
  if (typeof parseFile === 'string') {
    const r = await benchParse(parseFile);
    if (args.flags.has('--json')) process.stdout.write(JSON.stringify(r, null, 2) + '\n');
    else process.stdout.write(`node\tparse ${(r.bytes / 1e6).toFixed(0)} MB\t${r.parseMBps.toFixed(0)} MB/s\tscan ${r.scanMBps.toFixed(0)} MB/s\tratio ${r.ratio.toFixed(2)}\n`);
    return;
  }
  if (args.flags.has('--fit')) {
    const r = benchFit();
    if (args.flags.has('--json')) process.stdout.write(JSON.stringify(r, null, 2) + '\n');
    else for (const row of r.rows) process.stdout.write(`node\tfit ${row.model} on ${r.sessions / 1e6}M sessions\t${row.secondsPerIteration === null ? `${row.fitSeconds.toFixed(2)} s (closed form)` : `${row.secondsPerIteration.toFixed(3)} s/iteration\t×${row.ratioToScan!.toFixed(1)} vs scan`}\n`);
    return;
  }
  if (args.flags.has('--clicks')) {
    const r = benchClicks();
    if (args.flags.has('--json')) process.stdout.write(JSON.stringify(r, null, 2) + '\n');
    else {
      process.stdout.write(`node\tfloor: ${(r.floor.drawsPerSecond / 1e6).toFixed(1)} M draws/s (${r.draws.toLocaleString('en')} draws)\n`);
      for (const row of r.rows) process.stdout.write(`node\t${row.task}\t${(row.impressionsPerSecond / 1e6).toFixed(1)} M impressions/s\t×${row.ratioToFloor.toFixed(2)} vs floor\n`);
    }
    return;
  }
  if (args.flags.has('--metrics')) {
    const r = benchMetrics();
    if (args.flags.has('--json')) process.stdout.write(JSON.stringify(r, null, 2) + '\n');
    else for (const row of r.rows) process.stdout.write(`node\t${row.task}\t${row.msPerMillionDocs.toFixed(1)} ms/M docs\t×${row.ratioToSort.toFixed(2)} vs sort\n`);
    return;
  }
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
