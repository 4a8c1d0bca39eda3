import { openAsBlob, statSync } from 'node:fs';
import path from 'node:path';
import { DataError } from '../core/data/parse/errors';
import { blobSource, bytesSource, type ByteSource } from '../core/data/parse/stream';
import { parseTrecQrels } from '../core/data/text/qrels';
import { parseTrecRun } from '../core/data/text/run';
import {
  formatTrecEval,
  judgementsOf,
  selectMeasures,
  type SelectedMeasure,
  TREC_MEASURES,
  TrecMeasureError,
  trecEval,
  UNSUPPORTED_TREC_MEASURES,
} from '../core/metrics/trec';

export const EVAL_USAGE = `Usage: rankplay eval [-q] [-c] [-n] [-l LEVEL] [-M N] [-m MEASURE[.PARAMS]]... QRELS RUN

Evaluates a TREC run against TREC qrels and prints what trec_eval (9.0.x) prints for the same
arguments: lines "measure <tab> query|all <tab> value", values with 4 decimals.
  -q          also print each query's values (queries in strcmp order of their ids)
  -c          average over every query of the qrels (queries the run lacks count 0)
  -n          no summary ("all") lines
  -l LEVEL    lowest grade that counts as relevant (default 1)
  -M N        evaluate only the top N documents of each query
  -m MEASURE  measure or nickname to print, repeatable, parameters after a dot:
              -m map -m P.5,10 -m ndcg_cut.10 -m iprec_at_recall.0.5 -m all_trec
              Without -m: official (runid num_q num_ret num_rel num_rel_ret map gm_map Rprec
              bpref recip_rank iprec_at_recall P).
  RUN may be - for standard input; .gz files are read as such.
Measures: ${TREC_MEASURES.map((m) => m.name).join(' ')}
Nicknames: official, all_trec (every measure above), set.
Not supported (trec_eval has them): ${UNSUPPORTED_TREC_MEASURES.filter((m) => !m.startsWith('prefs_')).join(' ')}, the prefs measures.
`;

class EvalUsageError extends Error {}

interface EvalArgs {
  perQuery: boolean;
  complete: boolean;
  summary: boolean;
  level: number;
  max: number;
  measures: string[];
  files: string[];
}

const LONG_OPTIONS: Record<string, string> = {
  '--query_eval_wanted': 'q',
  '--complete_rel_info_wanted': 'c',
  '--nosummary': 'n',
  '--measure': 'm',
  '--level_for_rel': 'l',
  '--Max_retrieved_per_topic': 'M',
  '--help': 'h',
};
const TAKES_VALUE = new Set(['m', 'l', 'M']);
const TREC_EVAL_ONLY = new Set(['J', 'N', 'D', 'R', 'T', 'Z', 'o', 'v']);

function integerOption(flag: string, value: string, min: number): number {
  const n = /^[+-]?\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < min) throw new EvalUsageError(`-${flag} needs an integer ≥ ${min}, got '${value}'`);
  return n;
}

/**
 * trec_eval's command line as getopt_long reads it: short flags that may be bundled (-qc), option
 * values attached or separate (-mmap, -m map, -l2), the long names, options after the files too;
 * `--` ends the options and a lone `-` is a file (standard input).
 */
export function parseEvalArgs(argv: readonly string[]): EvalArgs | 'help' {
  const args: EvalArgs = { perQuery: false, complete: false, summary: true, level: 1, max: Infinity, measures: [], files: [] };
  const apply = (flag: string, value: string | undefined): void => {
    switch (flag) {
      case 'q': args.perQuery = true; break;
      case 'c': args.complete = true; break;
      case 'n': args.summary = false; break;
      case 'm': args.measures.push(value!); break;
      case 'l': args.level = integerOption('l', value!, 0); break;
      case 'M': args.max = integerOption('M', value!, 1); break;
    }
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      args.files.push(...argv.slice(i + 1));
      break;
    }
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = eq < 0 ? arg : arg.slice(0, eq);
      const flag = LONG_OPTIONS[name];
      if (!flag) throw new EvalUsageError(`unknown option '${name}'`);
      if (flag === 'h') return 'help';
      let value = eq < 0 ? undefined : arg.slice(eq + 1);
      if (TAKES_VALUE.has(flag) && value === undefined) {
        if (i + 1 >= argv.length) throw new EvalUsageError(`${name} needs a value`);
        value = argv[++i];
      } else if (!TAKES_VALUE.has(flag) && value !== undefined) throw new EvalUsageError(`${name} takes no value`);
      apply(flag, value);
      continue;
    }
    if (arg.length < 2 || !arg.startsWith('-')) {
      args.files.push(arg);
      continue;
    }
    for (let j = 1; j < arg.length; j++) {
      const flag = arg[j];
      if (flag === 'h') return 'help';
      if (TAKES_VALUE.has(flag)) {
        let value = arg.slice(j + 1);
        if (!value) {
          if (i + 1 >= argv.length) throw new EvalUsageError(`-${flag} needs a value`);
          value = argv[++i];
        }
        apply(flag, value);
        break;
      }
      if (!'qcn'.includes(flag)) {
        throw new EvalUsageError(TREC_EVAL_ONLY.has(flag) ? `trec_eval's -${flag} is not supported` : `unknown option '-${flag}'`);
      }
      apply(flag, undefined);
    }
  }
  if (args.files.length !== 2) throw new EvalUsageError(`eval needs two files, QRELS and RUN (got ${args.files.length})`);
  return args;
}

async function fileSource(file: string): Promise<ByteSource> {
  try {
    statSync(file);
  } catch (e) {
    throw new DataError({ kind: 'io', file, reason: `cannot read (${(e as NodeJS.ErrnoException).code ?? String(e)})` });
  }
  return blobSource(await openAsBlob(file), path.basename(file));
}

async function stdinSource(): Promise<ByteSource> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return bytesSource(new Uint8Array(Buffer.concat(chunks)), 'standard input');
}

function write(stream: NodeJS.WriteStream, text: string): Promise<void> {
  // Wait for the flush: the CLI exits right after, and a pipe may not have taken it all yet.
  return new Promise((resolve, reject) => stream.write(text, (e) => (e ? reject(e) : resolve())));
}

/**
 * `rankplay eval`: returns the exit code. Usage and measure errors print here (exit 2); DataErrors
 * (unreadable files, bad lines, duplicate documents) go to the caller, which prints and exits 2.
 */
export async function runEval(argv: readonly string[]): Promise<number> {
  let args: EvalArgs;
  const notes: string[] = [];
  let selection: SelectedMeasure[];
  try {
    const parsed = parseEvalArgs(argv);
    if (parsed === 'help') {
      await write(process.stdout, EVAL_USAGE);
      return 0;
    }
    args = parsed;
    selection = selectMeasures(args.measures, notes);
  } catch (e) {
    if (e instanceof EvalUsageError) {
      await write(process.stderr, `rankplay eval: ${e.message}\n${EVAL_USAGE.split('\n')[0]}\n(rankplay eval --help for more)\n`);
      return 2;
    }
    if (e instanceof TrecMeasureError) {
      await write(process.stderr, `rankplay eval: ${e.message}\n`);
      return 2;
    }
    throw e;
  }

  const [qrelsFile, runFile] = args.files;
  const qrels = await parseTrecQrels(await fileSource(qrelsFile));
  const run = await parseTrecRun(runFile === '-' ? await stdinSource() : await fileSource(runFile));
  for (const [file, warnings] of [[qrelsFile, qrels.warnings], [runFile, run.warnings]] as const) {
    for (const w of warnings) notes.push(`${file}: ${w}`);
  }
  if (notes.length) await write(process.stderr, notes.map((n) => `rankplay eval: note: ${n}\n`).join(''));

  const result = trecEval(judgementsOf(qrels), run, {
    measures: selection,
    complete: args.complete,
    relevanceLevel: args.level,
    maxRetrieved: args.max,
    runName: runFile === '-' ? 'standard input' : path.basename(runFile),
  });
  await write(process.stdout, formatTrecEval(result, { perQuery: args.perQuery, summary: args.summary }));
  return 0;
}
