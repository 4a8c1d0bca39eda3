import { closeSync, openAsBlob, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import path from 'node:path';
import type { RankingDataset } from '../core/data/dataset';
import { docCount, queryCount } from '../core/data/dataset';
import { loadDataset } from '../core/data/load';
import { blobSource, type ByteSource } from '../core/data/parse/stream';
import { isDataError } from '../core/data/parse/errors';
import { generateSynthetic } from '../core/data/synthetic';
import { parseTrecRun } from '../core/data/text/run';
import { syntheticDataSchema } from '../core/experiment/config';
import { EYE_TRACKING_TABLE, type ClickModelConfig } from '../core/clicks/models/config';
import { buildPolicy, type PolicyConfig } from '../core/clicks/policies/config';
import { scoresFromRun } from '../core/clicks/policies/run';
import type { LoggingPolicy } from '../core/clicks/policies/policy';
import type { InterventionConfig } from '../core/clicks/interventions/config';
import { estimatePropensities, fitEta, type PropensityEstimates } from '../core/clicks/interventions/estimate';
import { simulateClicks } from '../core/clicks/simulate/simulate';
import { summarizeLog, type LogSummary } from '../core/clicks/simulate/summary';
import { writeClickLogTsv } from '../core/clicks/simulate/tsv';

import { clickModelFromArgs, interventionFromArgs, intValue, parseSimulateArgs, policyFromArgs, SIMULATE_USAGE, SimulateUsageError, type SimulateArgs } from './simulate-args';

async function fileSource(file: string): Promise<ByteSource> {
  try {
    statSync(file);
  } catch (e) {
    throw new SimulateUsageError(`${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  return blobSource(await openAsBlob(file), path.basename(file));
}

async function loadData(args: SimulateArgs, seed: number): Promise<{ ds: RankingDataset; name: string }> {
  const data = args.values.get('--data');
  if (!data) throw new SimulateUsageError('simulate needs --data FILE (a LETOR/SVMlight file) or --data synthetic');
  if (data === 'synthetic') {
    if (args.values.has('--group')) throw new SimulateUsageError('--group is for a LETOR file, not --data synthetic');
    return { ds: generateSynthetic(syntheticDataSchema.parse({ kind: 'synthetic' }), seed), name: 'synthetic' };
  }
  const group = args.values.get('--group');
  const sources = [await fileSource(data), ...(group ? [await fileSource(group)] : [])];
  const { info, payload } = await loadDataset(sources, { skipBadLines: false, memoryBudgetBytes: 8 * 1024 ** 3 }, () => ({}));
  if (payload.kind !== 'features') throw new SimulateUsageError(`${data}: simulate needs a ranking data file (LETOR/SVMlight features and labels), not a ${info.files[0]?.format ?? 'text'} file`);
  const ds = Object.values(payload.splits)[0];
  if (!ds) throw new SimulateUsageError(`${data}: no documents`);
  for (const w of info.warnings) process.stderr.write(`rankplay simulate: note: ${w}\n`);
  return { ds, name: data };
}

function readScores(file: string, n: number): Float64Array {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new SimulateUsageError(`${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  const lines = text.split(/\r?\n/);
  if (lines.length && lines[lines.length - 1] === '') lines.pop();
  if (lines.length !== n) throw new SimulateUsageError(`${file}: ${lines.length} scores for ${n} documents (one score per line, in the data file's order)`);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = Number(lines[i].trim());
    if (lines[i].trim() === '' || !Number.isFinite(v)) throw new SimulateUsageError(`${file}: line ${i + 1}: '${lines[i].slice(0, 40)}' is not a number`);
    out[i] = v;
  }
  return out;
}

async function externalScores(args: SimulateArgs, ds: RankingDataset): Promise<Float64Array | undefined> {
  const scoresFile = args.values.get('--scores');
  const runFile = args.values.get('--run');
  if (scoresFile && runFile) throw new SimulateUsageError('give --scores or --run, not both');
  if (scoresFile) return readScores(scoresFile, docCount(ds));
  if (!runFile) return undefined;
  const run = await parseTrecRun(await fileSource(runFile));
  const r = scoresFromRun(ds, run);
  if (r.matched === 0) {
    throw new SimulateUsageError(`${runFile}: names no document of the data (documents are named ${ds.docIds ? `by their ids, e.g. ${ds.docIds[0]}` : '<qid>:<position>, e.g. ' + `${ds.queryIds[0]}:0`})`);
  }
  if (r.unmatched) process.stderr.write(`rankplay simulate: note: ${runFile}: ${r.unmatched} run entries name no document of the data and are ignored\n`);
  return r.scores;
}

export interface SimulateSummary extends LogSummary {
  data: string;
  queries: number;
  docs: number;
  seed: number;
  sessionMode: 'uniform' | 'per-query';
  model: ClickModelConfig;
  policy: PolicyConfig & { name: string };
  intervention: (InterventionConfig & { n: number; intervened: number; estimates: PropensityEstimates; eta: { eta: number; se: number } }) | null;
  out: string | null;
  seconds: number;
}

function describe(s: SimulateSummary): string {
  const pct = (x: number) => (100 * x).toFixed(2).padStart(6) + '%';
  const lines = [
    `${s.data}: ${s.queries.toLocaleString('en')} queries, ${s.docs.toLocaleString('en')} docs`,
    `model ${s.model.model} (η ${s.model.eta}${s.model.table ? `, table ${Array.isArray(s.model.table) ? 'custom' : s.model.table}` : ''}, ε− ${s.model.epsMinus}, ε+ ${s.model.epsPlus}, ymax ${s.model.ymax}, top ${s.model.topK})  policy ${s.policy.name}  seed ${s.seed}`,
    `sessions ${s.sessions.toLocaleString('en')}  impressions ${s.impressions.toLocaleString('en')}  clicks ${s.clicks.toLocaleString('en')}  sessions without click ${s.sessionsWithoutClick.toLocaleString('en')} (${(100 * s.sessionsWithoutClick / (s.sessions || 1)).toFixed(1)}%)`,
    'rank  CTR',
    ...s.ctrByRank.map((c, r) => `${String(r + 1).padStart(4)}  ${pct(c)}`),
  ];
  if (s.intervention) {
    const iv = s.intervention;
    lines.push(`${iv.kind} on ${iv.intervened.toLocaleString('en')} sessions (n ${iv.n}): propensity θ_k/θ_1, ${Math.round(iv.estimates.confidence * 100)}% interval`);
    for (const e of iv.estimates.ranks) lines.push(`${String(e.rank).padStart(4)}  ${e.propensity.toFixed(4)}  [${e.low.toFixed(4)}, ${e.high.toFixed(4)}]`);
    lines.push(`fitted η ${iv.eta.eta.toFixed(3)} ± ${iv.eta.se.toFixed(3)}`);
  }
  if (s.out) lines.push(`log written to ${s.out}`);
  return lines.join('\n') + '\n';
}

async function simulateCommand(args: SimulateArgs): Promise<SimulateSummary> {
  const model = clickModelFromArgs(args);
  const seed = intValue(args, '--seed', 42, 0, 0xffffffff);
  const sessions = intValue(args, '--sessions', 10_000, 1);
  const intervention = interventionFromArgs(args);
  const confidenceRaw = args.values.get('--confidence');
  const confidence = confidenceRaw === undefined ? 0.95 : Number(confidenceRaw);
  if (!(confidence > 0 && confidence < 1)) throw new SimulateUsageError(`--confidence must be in (0, 1), got '${confidenceRaw}'`);
  const haveScores = args.values.has('--scores') || args.values.has('--run');
  const policyConfig = policyFromArgs(args, haveScores);
  if (intervention?.kind === 'swap' && intervention.fraction >= 1) throw new SimulateUsageError('--intervention swap compares with untouched sessions: use an --intervention-fraction below 1');

  const { ds, name } = await loadData(args, seed);
  const scores = await externalScores(args, ds);
  const policy: LoggingPolicy = buildPolicy(ds, policyConfig, model.topK, seed, scores);
  const t0 = performance.now();
  const sim = simulateClicks(ds, policy, model, { sessions, sessionMode: args.perQuery ? 'per-query' : 'uniform', seed, intervention });
  const seconds = (performance.now() - t0) / 1000;
  const out = args.values.get('--out') ?? null;
  if (out) {
    let fd: number;
    try {
      fd = openSync(out, 'w');
    } catch (e) {
      throw new SimulateUsageError(`${out}: cannot write (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
    }
    try {
      writeClickLogTsv(sim.log, ds, (chunk) => writeSync(fd, chunk));
    } finally {
      closeSync(fd);
    }
  }
  let iv: SimulateSummary['intervention'] = null;
  if (sim.intervention) {
    const estimates = estimatePropensities(sim, confidence);
    let intervened = 0;
    for (const a of sim.intervention.applied) if (a) intervened++;
    const table = model.table === 'eye-tracking' ? EYE_TRACKING_TABLE : model.table;
    iv = { ...sim.intervention.config, n: sim.intervention.n, intervened, estimates, eta: fitEta(estimates, table) };
  }
  return {
    data: name,
    queries: queryCount(ds),
    docs: docCount(ds),
    seed,
    sessionMode: args.perQuery ? 'per-query' : 'uniform',
    ...summarizeLog(sim.log),
    model,
    policy: { ...policyConfig, name: policy.name },
    intervention: iv,
    out,
    seconds,
  };
}

/** `rankplay simulate ...`: returns the exit code (2 for bad input, with the reason on stderr). */
export async function runSimulate(argv: readonly string[]): Promise<number> {
  try {
    const args = parseSimulateArgs(argv);
    if (args.help) {
      process.stdout.write(SIMULATE_USAGE);
      return 0;
    }
    const summary = await simulateCommand(args);
    process.stdout.write(args.json ? JSON.stringify(summary, null, 2) + '\n' : describe(summary));
    return 0;
  } catch (e) {
    // Bad flags, out-of-range parameters, data that does not fit the model (labels above ymax, a
    // score file of the wrong length): all input problems a person can fix. Anything else is a bug.
    if (e instanceof SimulateUsageError || isDataError(e) || (e instanceof Error && e.constructor === Error)) {
      process.stderr.write(`rankplay simulate: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}
