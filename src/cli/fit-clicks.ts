import { openAsBlob, statSync } from 'node:fs';
import path from 'node:path';
import { DataError } from '../core/data/parse/errors';
import { blobSource, type ByteSource } from '../core/data/parse/stream';
import type { ClickLog } from '../core/clicks/log';
import {
  CLICK_MODEL_NAMES,
  DEFAULT_MAX_ITERATIONS,
  DEFAULT_SPLIT_SEED,
  DEFAULT_TOLERANCE,
  fitHeldOut,
  heldOutReport,
  isClickModelName,
  splitSessions,
  type ClickModelName,
  type HeldOutReport,
  type Prior,
  type UnseenPolicy,
} from '../core/clicks/fit';
import { parseClickSessions } from '../core/clicks/logs';

export const FIT_CLICKS_USAGE = `Usage: rankplay fit-clicks LOG --model pbm|cascade|dcm|dbn|ubm[,...]|all [--test TESTLOG | --test-fraction F]
                           [--seed N] [--iterations N] [--tolerance X] [--prior A,B] [--unseen prior|mean] [--k N] [--json]

Fits click models to LOG (a RankPlay TSV click log: session<TAB>query<TAB>rank<TAB>doc<TAB>click[<TAB>dwell],
a Yandex click log or Baidu-ULTR training sessions) and prints, on held-out sessions, log-likelihood and
perplexity (overall and per rank) and the fitted parameters, as in Chuklin, Markov and de Rijke, "Click
Models for Web Search" (2015).

  --model M          pbm, cascade, dcm, dbn, ubm; several comma-separated, or all (JSON is then an array)
  --test TESTLOG     evaluate on TESTLOG (matched to LOG by query and document ids)
  --test-fraction F  else hold out this fraction of LOG's sessions, by a seeded shuffle (default 0.25)
  --seed N           seed of that shuffle (default ${DEFAULT_SPLIT_SEED})
  --iterations N     EM iterations at most (default ${DEFAULT_MAX_ITERATIONS}; PBM, UBM, DBN)
  --tolerance X      EM stops when the training log-likelihood per impression moves less (default ${DEFAULT_TOLERANCE})
  --prior A,B        pseudo-counts added to every estimate, θ = (successes + A) / (trials + A + B) (default 1,1 as
                     PyClick; 0,0 is plain maximum likelihood: no shrinkage toward 0.5, and no guard for rare pairs)
  --unseen P         what (query, doc) pairs absent from training get: prior (A/(A+B), default) or mean (of the fitted)
  --k N              keep the top N results of each session
  --json             one JSON object: model, logLikelihood, perplexity, perplexityAtRank, params, and more

Log-likelihood: mean over test sessions of ln P(session's clicks) ÷ results shown. Perplexity at rank r:
2^(−mean over sessions of log2 P(C_r = c_r)), P(C_r = 1) predicted without the session's other clicks;
overall: the mean over ranks. conditionalPerplexity conditions on the clicks above r.
`;

const VALUE_FLAGS = new Set(['--model', '--test', '--test-fraction', '--seed', '--iterations', '--tolerance', '--prior', '--unseen', '--k']);
const BOOL_FLAGS = new Set(['--json', '--help']);

class FitUsageError extends Error {}

interface FitArgs {
  log: string;
  models: ClickModelName[];
  test: string | null;
  testFraction: number;
  seed: number;
  maxIterations: number;
  tolerance: number;
  prior: Prior;
  unseen: UnseenPolicy;
  k: number | undefined;
  json: boolean;
}

function parseFitArgs(argv: readonly string[]): FitArgs | 'help' {
  const flags = new Map<string, string | true>();
  const files: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '-h' || arg === '--help') return 'help';
    if (!arg.startsWith('--')) {
      files.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    if (VALUE_FLAGS.has(name)) {
      const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
      if (value === undefined || (eq < 0 && value.startsWith('--'))) throw new FitUsageError(`${name} needs a value`);
      flags.set(name, value);
    } else if (BOOL_FLAGS.has(name) && eq < 0) flags.set(name, true);
    else throw new FitUsageError(`unknown option '${arg}'`);
  }
  if (files.length !== 1) throw new FitUsageError(files.length ? `one LOG file, got ${files.length}: ${files.join(' ')}` : 'a LOG file is needed');
  const str = (name: string) => flags.get(name) as string | undefined;
  const num = (name: string, fallback: number, ok: (v: number) => boolean, what: string) => {
    const v = str(name);
    if (v === undefined) return fallback;
    const n = Number(v);
    if (v.trim() === '' || !ok(n)) throw new FitUsageError(`${name} must be ${what}, got '${v}'`);
    return n;
  };
  const modelArg = str('--model');
  if (!modelArg) throw new FitUsageError(`--model is needed (${CLICK_MODEL_NAMES.join(', ')} or all)`);
  const models = modelArg === 'all' ? [...CLICK_MODEL_NAMES] : modelArg.split(',').map((m) => m.trim().toLowerCase());
  for (const m of models) if (!isClickModelName(m)) throw new FitUsageError(`unknown model '${m}' (${CLICK_MODEL_NAMES.join(', ')} or all)`);
  if (flags.has('--test') && flags.has('--test-fraction')) throw new FitUsageError('--test and --test-fraction exclude each other');
  const unseen = str('--unseen') ?? 'prior';
  if (unseen !== 'prior' && unseen !== 'mean') throw new FitUsageError(`--unseen must be prior or mean, got '${unseen}'`);
  const kArg = str('--k');
  const priorArg = str('--prior') ?? '1,1';
  const priorParts = priorArg.split(',').map((x) => (x.trim() === '' ? NaN : Number(x)));
  if (priorParts.length !== 2 || !priorParts.every((x) => x >= 0 && Number.isFinite(x))) throw new FitUsageError(`--prior must be two numbers ≥ 0, A,B, got '${priorArg}'`);
  return {
    log: files[0],
    models: [...new Set(models)] as ClickModelName[],
    test: str('--test') ?? null,
    testFraction: num('--test-fraction', 0.25, (v) => v > 0 && v < 1, 'a number between 0 and 1 (exclusive)'),
    seed: num('--seed', DEFAULT_SPLIT_SEED, (v) => Number.isInteger(v) && v >= 0 && v < 2 ** 32, 'an integer ≥ 0'),
    maxIterations: num('--iterations', DEFAULT_MAX_ITERATIONS, (v) => Number.isInteger(v) && v >= 1, 'a positive integer'),
    tolerance: num('--tolerance', DEFAULT_TOLERANCE, (v) => v >= 0 && Number.isFinite(v), 'a number ≥ 0'),
    prior: { a: priorParts[0], b: priorParts[1] },
    unseen,
    k: kArg === undefined ? undefined : num('--k', 0, (v) => Number.isInteger(v) && v >= 1, 'a positive integer'),
    json: flags.has('--json'),
  };
}

async function fileSource(file: string): Promise<ByteSource> {
  try {
    statSync(file);
  } catch (e) {
    throw new DataError({ kind: 'io', file, reason: `cannot read (${(e as NodeJS.ErrnoException).code ?? String(e)})` });
  }
  return blobSource(await openAsBlob(file), path.basename(file));
}

export interface LoadedClickLog {
  log: ClickLog;
  format: string;
  warnings: string[];
}

/**
 * Reads a click log file with the app's click-log readers (RankPlay TSV, Yandex, Baidu-ULTR
 * sessions; the format detected from the content). The one place the command knows about files.
 */
export async function readClickLog(file: string, k: number | undefined): Promise<LoadedClickLog> {
  const parsed = await parseClickSessions(await fileSource(file), { k });
  return { log: parsed.log, format: parsed.format, warnings: parsed.warnings };
}

/** What `fit-clicks --json` prints per model; the first five keys are the documented interface. */
export interface FitClicksResult extends HeldOutReport {
  split: { testFraction: number; seed: number; by: 'session' } | { testFile: string };
  warnings: string[];
}

const fmt = (x: number | null, d = 4) => (x === null ? '-' : x.toFixed(d));

function describe(r: FitClicksResult): string {
  const lines = [
    `${r.model}\tlog-likelihood ${fmt(r.logLikelihood)}\tperplexity ${fmt(r.perplexity)}\tconditional perplexity ${fmt(r.conditionalPerplexity)}`,
    `  perplexity at rank\t${r.perplexityAtRank.map((p) => fmt(p)).join(' ')}`,
    `  train ${r.trainSessions} sessions, test ${r.testSessions} sessions (${'testFile' in r.split ? r.split.testFile : `${r.split.testFraction} held out, seed ${r.split.seed}`})`,
    `  unseen in training: ${r.unseenPairs} (query, doc) pairs (${r.unseenImpressions} impressions), ${r.unseenQueries} queries; they get attractiveness ${fmt(r.defaults.attractiveness)} (${r.defaults.policy})`,
    r.method === 'em'
      ? `  EM: ${r.iterations} iterations${r.converged ? ' (converged)' : ' (iteration limit)'}, ${fmt(r.secondsPerIteration, 3)} s/iteration, train log-likelihood ${fmt(r.trainLogLikelihood)}`
      : `  closed-form MLE in ${fmt(r.fitSeconds, 3)} s`,
  ];
  const p = r.params as Record<string, unknown>;
  const row = (v: unknown) => (v as number[]).map((x) => fmt(x, 3)).join(' ');
  if (r.model === 'pbm') lines.push(`  examination\t${row(p.examination)}`, `  ÷ rank 1\t${row(p.examinationRelative)}`);
  if (r.model === 'dcm') lines.push(`  lambda\t${row(p.lambda)}`);
  if (r.model === 'dbn') lines.push(`  gamma ${fmt(p.gamma as number)}  mean satisfaction ${fmt((p.satisfaction as { mean: number }).mean)}`);
  if (r.model === 'ubm') (p.examination as number[][]).forEach((e, i) => lines.push(`  examination rank ${i + 1} by distance\t${row(e)}`));
  lines.push(`  mean attractiveness ${fmt((p.attractiveness as { mean: number | null }).mean)} over ${(p.attractiveness as { pairs: number }).pairs} pairs`);
  for (const w of r.warnings) lines.push(`  note: ${w}`);
  return lines.join('\n');
}

function write(stream: NodeJS.WriteStream, text: string): Promise<void> {
  return new Promise((resolve, reject) => stream.write(text, (e) => (e ? reject(e) : resolve())));
}

/**
 * `rankplay fit-clicks`: returns the exit code. Usage errors print here (exit 2); DataErrors
 * (unreadable files, bad lines, malformed logs) go to the caller, which prints and exits 2.
 */
export async function runFitClicks(argv: readonly string[]): Promise<number> {
  let args: FitArgs;
  try {
    const parsed = parseFitArgs(argv);
    if (parsed === 'help') {
      await write(process.stdout, FIT_CLICKS_USAGE);
      return 0;
    }
    args = parsed;
  } catch (e) {
    if (e instanceof FitUsageError) {
      await write(process.stderr, `rankplay fit-clicks: ${e.message}\n${FIT_CLICKS_USAGE.split('\n\n')[0]}\n(rankplay fit-clicks --help for more)\n`);
      return 2;
    }
    throw e;
  }
  const loaded = await readClickLog(args.log, args.k);
  const warnings = loaded.warnings.map((w) => `${args.log}: ${w}`);
  let train: ClickLog;
  let test: ClickLog;
  let testName: string;
  if (args.test) {
    const t = await readClickLog(args.test, args.k);
    warnings.push(...t.warnings.map((w) => `${args.test}: ${w}`));
    train = loaded.log;
    test = t.log;
    testName = args.test;
  } else {
    ({ train, test } = splitSessions(loaded.log, args.testFraction, args.seed, args.log));
    testName = `${args.log} (held-out sessions)`;
  }
  const results: FitClicksResult[] = [];
  for (const model of args.models) {
    const fit = fitHeldOut(train, test, model, { maxIterations: args.maxIterations, tolerance: args.tolerance, prior: args.prior, unseen: args.unseen, name: args.log, testName });
    results.push({
      ...heldOutReport(fit),
      split: args.test ? { testFile: args.test } : { testFraction: args.testFraction, seed: args.seed, by: 'session' },
      warnings: [...warnings, ...fit.notes],
    });
  }
  if (args.json) await write(process.stdout, JSON.stringify(results.length === 1 ? results[0] : results, null, 2) + '\n');
  else await write(process.stdout, results.map(describe).join('\n') + '\n');
  return 0;
}
