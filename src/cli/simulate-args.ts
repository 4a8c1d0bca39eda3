import { readFileSync } from 'node:fs';
import { clickModelSchema, formatIssues, formatPath, type ClickModelConfig } from '../core/clicks/models/config';
import { policySchema, type PolicyConfig } from '../core/clicks/policies/config';
import { interventionSchema, type InterventionConfig } from '../core/clicks/interventions/config';

/** Arguments of `rankplay simulate`: parsing and the configs they describe. */
export const SIMULATE_USAGE = `Usage: rankplay simulate --data FILE|synthetic [options] [--out log.tsv] [--json]

Simulates clicks of a click model on the rankings a logging policy shows, and prints a summary:
sessions, impressions, clicks, CTR per rank, sessions without a click.

Data
  --data FILE          a LETOR/SVMlight file (optionally .gz), loaded as 'rankplay inspect' loads it;
                       'synthetic' for the default synthetic set (200 queries × 20 docs, seeded by --seed)
  --group FILE         its LightGBM .query / XGBoost .group file, if it has one
Click model (defaults: PBM, η 1, ε− 0.1, ε+ 1, ymax 4, top 10)
  --click-model M      pbm | cascade | dcm | dbn | ubm
  --eta X              position bias: examination (1/k)^η, or table[k]^η (≥ 0)
  --table T            eye-tracking (.68 .61 .48 .34 .28 .20 .11 .10 .08 .06) or P1,P2,... per rank
  --eps-minus P        click probability of an examined grade-0 result
  --eps-plus P         click probability of an examined grade-ymax result
  --ymax N             top grade: P(click | examined, y) = ε− + (ε+ − ε−)(2^y − 1)/(2^ymax − 1)
  --top-k K            results shown per session
  --trust-eps-plus P1,P2,...   trust bias: ε+ per rank   (both lists, one value per rank)
  --trust-eps-minus P1,P2,...  trust bias: ε− per rank
  --gamma P            DBN continuation γ (default 0.9)
  --satisfaction S     DBN satisfaction: err ((2^y − 1)/2^ymax, default) or P0,P1,... per grade
  --lambda P|P1,...    DCM: P(continue after a click), one value or one per rank (default 0.5)
  --model-config FILE  a click-model config as JSON (e.g. a UBM γ matrix); flags override its fields
Logging policy
  --policy P           production (default: least-squares ranker on --train-fraction of the queries),
                       random, pl (Plackett–Luce, --temperature), scores (needs --scores or --run),
                       feature (rank by one feature column, --feature N)
  --temperature T      Plackett–Luce temperature (> 0; default 1)
  --train-fraction F   labelled fraction the production ranker learns from (default 0.01)
  --feature N          the feature column (1-based, as in the file) for --policy feature
  --scores FILE        one score per document, one per line, in the data file's order
  --run FILE           a TREC run over the data; documents are named by id if the data has ids,
                       else <qid>:<position> (0-based position in the query's list)
Sessions
  --sessions N         total sessions, each on a query drawn uniformly (default 10000)
  --per-query          N sessions for every query instead
  --seed S             every random draw comes from it (default 42): same seed, same log
Interventions (propensity estimation)
  --intervention I     randtop (shuffle the top n) or swap (rank 1 ↔ rank k, k uniform in 2..n)
  --intervention-n N   n (default: top-k)
  --intervention-fraction F   fraction of sessions intervened (default: randtop 1, swap 0.5)
  --confidence C       confidence of the propensity intervals (default 0.95)
Output
  --out FILE           write the log as plain TSV: session, query, rank (1-based), doc, click
  --json               print the summary as JSON
`;

export class SimulateUsageError extends Error {}

const VALUE_FLAGS = [
  '--data',
  '--group',
  '--click-model',
  '--eta',
  '--table',
  '--eps-minus',
  '--eps-plus',
  '--ymax',
  '--top-k',
  '--trust-eps-plus',
  '--trust-eps-minus',
  '--gamma',
  '--satisfaction',
  '--lambda',
  '--model-config',
  '--policy',
  '--temperature',
  '--train-fraction',
  '--scores',
  '--run',
  '--feature',
  '--sessions',
  '--seed',
  '--intervention',
  '--intervention-n',
  '--intervention-fraction',
  '--confidence',
  '--out',
] as const;
const BOOLEAN_FLAGS = ['--json', '--per-query', '--help'] as const;
type ValueFlag = (typeof VALUE_FLAGS)[number];

export interface SimulateArgs {
  values: Map<ValueFlag, string>;
  json: boolean;
  perQuery: boolean;
  help: boolean;
}

export function parseSimulateArgs(argv: readonly string[]): SimulateArgs {
  const values = new Map<ValueFlag, string>();
  const flags = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '-h') {
      flags.add('--help');
      continue;
    }
    if (!arg.startsWith('--')) throw new SimulateUsageError(`unexpected argument '${arg}' (options start with --; try rankplay simulate --help)`);
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    if ((VALUE_FLAGS as readonly string[]).includes(name)) {
      let value: string | undefined;
      if (eq > 0) value = arg.slice(eq + 1);
      else {
        value = argv[++i];
        // A negative number is a value ('--eta -1' must reach the range check); another flag is not.
        if (value === undefined || value.startsWith('--')) throw new SimulateUsageError(`${name} needs a value`);
      }
      if (values.has(name as ValueFlag)) throw new SimulateUsageError(`${name} is given twice`);
      values.set(name as ValueFlag, value);
    } else if ((BOOLEAN_FLAGS as readonly string[]).includes(name)) {
      if (eq > 0) throw new SimulateUsageError(`${name} takes no value`);
      flags.add(name);
    } else throw new SimulateUsageError(`unknown option '${name}' (try rankplay simulate --help)`);
  }
  return { values, json: flags.has('--json'), perQuery: flags.has('--per-query'), help: flags.has('--help') };
}

/** A flag's number, or the text itself so the schema quotes it back ("eta must be a number, got 'x'"). */
export function num(v: string): number | string {
  const t = v.trim();
  return t !== '' && Number.isFinite(Number(t)) ? Number(t) : v;
}
const list = (v: string) => v.split(',').map(num);

export function intValue(args: SimulateArgs, flag: ValueFlag, dflt: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const v = args.values.get(flag);
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new SimulateUsageError(`${flag} must be ${max === Number.MAX_SAFE_INTEGER ? `an integer ≥ ${min}` : `an integer in [${min}, ${max}]`}, got '${v}'`);
  }
  return n;
}

export function readJsonFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new SimulateUsageError(`${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new SimulateUsageError(`${file}: not valid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
}

/** Click-model config field → the flag that sets it (errors name what the user typed). */
const MODEL_FLAGS: [string, ValueFlag][] = [
  ['model', '--click-model'],
  ['eta', '--eta'],
  ['table', '--table'],
  ['epsMinus', '--eps-minus'],
  ['epsPlus', '--eps-plus'],
  ['ymax', '--ymax'],
  ['topK', '--top-k'],
  ['trustBias.epsPlus', '--trust-eps-plus'],
  ['trustBias.epsMinus', '--trust-eps-minus'],
  ['dbn.gamma', '--gamma'],
  ['dbn.satisfaction', '--satisfaction'],
  ['dcm.lambda', '--lambda'],
];

export function clickModelFromArgs(args: SimulateArgs): ClickModelConfig {
  const file = args.values.get('--model-config');
  const base = file ? readJsonFile(file) : {};
  if (base === null || typeof base !== 'object' || Array.isArray(base)) throw new SimulateUsageError(`${file}: a click-model config is a JSON object`);
  const input: Record<string, unknown> = structuredClone(base as Record<string, unknown>);
  const set = (field: string, value: unknown) => {
    const keys = field.split('.');
    let o = input;
    for (const k of keys.slice(0, -1)) {
      if (o[k] === null || typeof o[k] !== 'object') o[k] = {};
      o = o[k] as Record<string, unknown>;
    }
    o[keys[keys.length - 1]] = value;
  };
  const v = args.values;
  const given = new Map<string, ValueFlag>();
  for (const [field, flag] of MODEL_FLAGS) {
    const raw = v.get(flag);
    if (raw === undefined) continue;
    given.set(field, flag);
    if (field === 'model') set(field, raw);
    else if (field === 'table') set(field, raw === 'eye-tracking' ? raw : list(raw));
    else if (field === 'dbn.satisfaction') set(field, raw === 'err' ? raw : list(raw));
    else if (field === 'dcm.lambda') set(field, raw.includes(',') ? list(raw) : num(raw));
    else if (field.startsWith('trustBias.')) set(field, list(raw));
    else set(field, num(raw));
  }
  const tb = input.trustBias as Record<string, unknown> | undefined;
  if (tb && (tb.epsPlus === undefined) !== (tb.epsMinus === undefined)) {
    throw new SimulateUsageError('trust bias needs both --trust-eps-plus and --trust-eps-minus (one value per rank each)');
  }
  const parsed = clickModelSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const name = (p: readonly PropertyKey[]): string | undefined => {
    const full = formatPath(p);
    for (const [field, flag] of given) if (full === field || full.startsWith(`${field}[`)) return flag + full.slice(field.length);
    return undefined;
  };
  throw new SimulateUsageError(formatIssues(parsed.error.issues, input, '', name));
}

export function policyFromArgs(args: SimulateArgs, haveScores: boolean): PolicyConfig {
  const v = args.values;
  const kind = v.get('--policy') ?? (haveScores ? 'scores' : 'production');
  const input: Record<string, unknown> = { kind };
  if (v.has('--temperature')) {
    if (kind !== 'pl') throw new SimulateUsageError(`--temperature is for --policy pl (got --policy ${kind})`);
    input.temperature = num(v.get('--temperature')!);
  }
  if (kind === 'pl') input.base = haveScores ? 'scores' : 'production';
  if (v.has('--train-fraction')) {
    if (kind !== 'production' && kind !== 'pl') throw new SimulateUsageError(`--train-fraction is for the production ranker (--policy production or pl), not --policy ${kind}`);
    input.fraction = num(v.get('--train-fraction')!);
  }
  if (v.has('--feature')) {
    if (kind !== 'feature') throw new SimulateUsageError(`--feature is for --policy feature (got --policy ${kind})`);
    input.feature = num(v.get('--feature')!);
  } else if (kind === 'feature') throw new SimulateUsageError('--policy feature needs --feature N (a 1-based feature column)');
  if (haveScores && kind !== 'scores' && kind !== 'pl') throw new SimulateUsageError(`--scores / --run give a ranking: use them with --policy scores or pl, not ${kind}`);
  const parsed = policySchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const rename: Record<string, string> = { kind: '--policy', temperature: '--temperature', fraction: '--train-fraction', feature: '--feature' };
  throw new SimulateUsageError(formatIssues(parsed.error.issues, input, 'policy', (p) => rename[String(p[0])]));
}

export function interventionFromArgs(args: SimulateArgs): InterventionConfig | undefined {
  const v = args.values;
  const kind = v.get('--intervention');
  if (kind === undefined) {
    for (const f of ['--intervention-n', '--intervention-fraction', '--confidence'] as const) {
      if (v.has(f)) throw new SimulateUsageError(`${f} needs --intervention randtop|swap`);
    }
    return undefined;
  }
  const input: Record<string, unknown> = { kind };
  if (v.has('--intervention-n')) input.n = num(v.get('--intervention-n')!);
  if (v.has('--intervention-fraction')) input.fraction = num(v.get('--intervention-fraction')!);
  const parsed = interventionSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const rename: Record<string, string> = { kind: '--intervention', n: '--intervention-n', fraction: '--intervention-fraction' };
  throw new SimulateUsageError(formatIssues(parsed.error.issues, input, 'intervention', (p) => rename[String(p[0])]));
}
