import { parseStrictFlags, UsageError } from './args';
import { closeSync, openAsBlob, openSync, statSync, writeSync } from 'node:fs';
import path from 'node:path';
import { DataError } from '../core/data/parse/errors';
import { blobSource, readHead, type ByteSource } from '../core/data/parse/stream';
import { detectTextFormat, FORMAT_LABELS } from '../core/data/text/detect';
import { parseTextFile } from '../core/data/text/parsers';
import type { Qrels } from '../core/data/text/qrels';
import type { TextTable } from '../core/data/text/text-table';
import { judgementsOf, selectMeasures, trecEval } from '../core/metrics/trec';
import { BM25_DEFAULTS, Bm25Searcher, checkBm25Params, type Bm25Params } from '../core/text/bm25';
import { benchBm25, BM25_BENCH_DEFAULTS, type Bm25BenchResult } from '../core/text/bm25-bench';
import { buildBm25Index, indexBytes, type Bm25Documents } from '../core/text/bm25-index';
import { bm25RunColumns, retrieveAll, trecRunChunks } from '../core/text/bm25-run';

export const BM25_USAGE = `Usage: rankplay bm25 --docs FILE --queries FILE [--run-out FILE] [--qrels FILE] [options]
       rankplay bm25 --bench [--passages N] [--queries N] [--k K] [--seed S] [--json]

Indexes a text collection, retrieves the top k documents of every query with BM25 and writes a
TREC run (qid Q0 docno rank score tag). Scoring is Lucene's BM25Similarity, as in Anserini;
analysis is Anserini's default English analyzer (lowercase, Lucene's 33 stopwords, possessive 's
removed, Porter stemming).
  --docs FILE       documents: MS MARCO TSV (id<TAB>text), BEIR corpus.jsonl (title and text are
                    indexed together), TREC SGML <DOC>s; .gz is read as such
  --queries FILE    queries: MS MARCO TSV, BEIR queries.jsonl, TREC topics (the <title> is the query)
  --run-out FILE    write the run there ('-' for standard output; the summary then goes to stderr)
  --qrels FILE      also evaluate the run (TREC or BEIR qrels): nDCG@10, MRR, MAP, recall@k
  --k K             documents per query (default 1000)
  --k1 X --b X      BM25 parameters (default k1 0.9, b 0.4: Anserini's defaults)
  --lucene-lengths  store document lengths as Lucene does (one byte, lossy above 39) and compute in
                    float32, to reproduce Lucene's scores; default: exact lengths
  --tag NAME        run tag (default bm25)
  --json            print the summary as JSON
Ties in score are ordered by document id descending, as trec_eval orders them.
--bench generates an MS MARCO-shaped collection (default ${BM25_BENCH_DEFAULTS.passages.toLocaleString('en')} passages) and prints index build
passages/s, the ratio to a tokenise-only pass, and query latency.
`;

const Bm25UsageError = UsageError;

const VALUE_FLAGS = new Set(['--docs', '--queries', '--run-out', '--qrels', '--k', '--k1', '--b', '--tag', '--passages', '--seed']);
const BOOL_FLAGS = new Set(['--json', '--lucene-lengths', '--bench']);

interface Bm25Args {
  flags: Map<string, string | true>;
  json: boolean;
}

function parseBm25Args(argv: readonly string[]): Bm25Args | 'help' {
  const flags = parseStrictFlags(argv, VALUE_FLAGS, BOOL_FLAGS, ' (files go after --docs, --queries, --qrels)');
  return flags === 'help' ? 'help' : { flags, json: flags.has('--json') };
}

function numberFlag(args: Bm25Args, name: string, fallback: number, ok: (v: number) => boolean, what: string): number {
  const v = args.flags.get(name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (typeof v !== 'string' || v.trim() === '' || !ok(n)) throw new Bm25UsageError(`${name} must be ${what}, got '${String(v)}'`);
  return n;
}

const positiveInt = (v: number) => Number.isInteger(v) && v >= 1;

export async function fileSource(file: string): Promise<ByteSource> {
  try {
    statSync(file);
  } catch (e) {
    throw new DataError({ kind: 'io', file, reason: `cannot read (${(e as NodeJS.ErrnoException).code ?? String(e)})` });
  }
  return blobSource(await openAsBlob(file), path.basename(file));
}

/** Reads documents or queries in whatever text format the file is, refusing judgements and runs. */
export async function readTexts(file: string, role: 'documents' | 'queries', notes: string[]): Promise<TextTable & Bm25Documents> {
  const source = await fileSource(file);
  const guess = detectTextFormat(source.name, await readHead(source));
  // Content decides; when it fits nothing but the name says TSV or JSONL, parse as that anyway so
  // the parser can name the line that is wrong.
  const byName = /\.tsv(\.gz)?$/i.test(file) ? 'msmarco-tsv' : /\.jsonl(\.gz)?$/i.test(file) ? (/quer/i.test(path.basename(file)) ? 'beir-queries' : 'beir-corpus') : null;
  const format = guess.format ?? byName;
  if (!format) throw new DataError({ kind: 'format', file, reason: `not a text collection RankPlay reads: ${guess.reason}` });
  const parsed = await parseTextFile(source, format);
  if ('qrels' in parsed || 'run' in parsed) {
    throw new DataError({
      kind: 'format',
      file,
      reason: `this is ${FORMAT_LABELS[format]}, not ${role}: --${role === 'documents' ? 'docs' : 'queries'} needs MS MARCO TSV, BEIR JSONL or TREC SGML/topics`,
    });
  }
  const part = 'topics' in parsed ? parsed.topics : parsed.collection;
  for (const w of part.warnings) notes.push(`${file}: ${w}`);
  return part.table;
}

/** TREC or BEIR qrels, whichever the file is. */
export async function readQrels(file: string): Promise<Qrels> {
  const source = await fileSource(file);
  const guess = detectTextFormat(source.name, await readHead(source));
  const format = guess.format === 'beir-qrels' ? 'beir-qrels' : 'trec-qrels';
  if (guess.format && guess.format !== format) throw new DataError({ kind: 'format', file, reason: `this is ${FORMAT_LABELS[guess.format]}, not relevance judgements: --qrels needs TREC qrels or a BEIR qrels TSV` });
  const parsed = await parseTextFile(source, format);
  if (!('qrels' in parsed)) throw new Error('unreachable: a qrels parser gave no qrels');
  return parsed.qrels;
}

function write(stream: NodeJS.WriteStream, text: string): Promise<void> {
  return new Promise((resolve, reject) => stream.write(text, (e) => (e ? reject(e) : resolve())));
}

const n = (x: number) => x.toLocaleString('en');

/** Progress on a terminal only: redirected output stays clean. */
function progress(label: string): ((done: number, total: number) => void) | undefined {
  if (!process.stderr.isTTY) return undefined;
  return (done, total) => process.stderr.write(done >= total ? '\r\x1b[K' : `\r${label} ${n(done)} / ${n(total)}`);
}

async function runBench(args: Bm25Args): Promise<number> {
  const r: Bm25BenchResult = benchBm25(
    {
      passages: numberFlag(args, '--passages', BM25_BENCH_DEFAULTS.passages, positiveInt, 'a positive integer'),
      queries: numberFlag(args, '--queries', BM25_BENCH_DEFAULTS.queries, positiveInt, 'a positive integer'),
      k: numberFlag(args, '--k', BM25_BENCH_DEFAULTS.k, positiveInt, 'a positive integer'),
      seed: numberFlag(args, '--seed', BM25_BENCH_DEFAULTS.seed, (v) => Number.isInteger(v) && v >= 0, 'an integer ≥ 0'),
    },
    (stage) => process.stderr.isTTY && process.stderr.write(`\r\x1b[K${stage}…`),
  );
  if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
  const heapMB = process.memoryUsage().heapUsed / 2 ** 20;
  if (args.json) {
    await write(process.stdout, JSON.stringify({ ...r, heapUsedMB: heapMB, node: process.version }, null, 2) + '\n');
    return 0;
  }
  await write(
    process.stdout,
    [
      `BM25 on ${n(r.passages)} generated passages (${n(r.words)} words, ${(r.chars / 1e6).toFixed(1)} M chars), node ${process.version}`,
      `tokenise only   ${r.tokenizeSeconds.toFixed(2)} s   (${n(Math.round(r.passages / r.tokenizeSeconds))} passages/s)`,
      `index build     ${r.indexSeconds.toFixed(2)} s   (${n(Math.round(r.passagesPerSecond))} passages/s, ${r.indexOverTokenize.toFixed(1)} × tokenise)`,
      `index           ${n(r.terms)} terms, ${n(r.postings)} postings, ${(r.indexBytes / 2 ** 20).toFixed(1)} MB of typed arrays; heap ${heapMB.toFixed(0)} MB`,
      `queries         ${n(r.queries)} × top ${n(r.k)}: mean ${r.meanQueryMs.toFixed(2)} ms, p50 ${r.p50QueryMs.toFixed(2)} ms, p95 ${r.p95QueryMs.toFixed(2)} ms (${n(Math.round(r.meanPostingsPerQuery))} postings/query)`,
    ].join('\n') + '\n',
  );
  return 0;
}

/**
 * `rankplay bm25`: returns the exit code. Usage errors print here (exit 2); DataErrors (unreadable
 * files, wrong formats, bad lines) go to the caller, which prints them and exits 2.
 */
export async function runBm25(argv: readonly string[]): Promise<number> {
  let args: Bm25Args;
  let params: Bm25Params;
  let k: number;
  try {
    const parsed = parseBm25Args(argv);
    if (parsed === 'help') {
      await write(process.stdout, BM25_USAGE);
      return 0;
    }
    args = parsed;
    if (args.flags.has('--bench')) return await runBench(args);
    for (const f of ['--docs', '--queries']) if (!args.flags.has(f)) throw new Bm25UsageError(`${f} FILE is needed`);
    if (!args.flags.has('--run-out') && !args.flags.has('--qrels')) throw new Bm25UsageError('nothing to do: give --run-out FILE (or - for standard output) and/or --qrels FILE');
    k = numberFlag(args, '--k', 1000, positiveInt, 'a positive integer');
    params = {
      k1: numberFlag(args, '--k1', BM25_DEFAULTS.k1, (v) => Number.isFinite(v) && v >= 0, 'a number ≥ 0'),
      b: numberFlag(args, '--b', BM25_DEFAULTS.b, (v) => v >= 0 && v <= 1, 'a number between 0 and 1'),
      docLengths: args.flags.has('--lucene-lengths') ? 'lucene' : 'exact',
    };
    checkBm25Params(params);
    const tag = args.flags.get('--tag');
    if (typeof tag === 'string' && !/^\S+$/.test(tag)) throw new Bm25UsageError(`--tag must be one word without spaces, got '${tag}'`);
  } catch (e) {
    if (e instanceof Bm25UsageError) {
      await write(process.stderr, `rankplay bm25: ${e.message}\n${BM25_USAGE.split('\n')[0]}\n(rankplay bm25 --help for more)\n`);
      return 2;
    }
    throw e;
  }
  const flag = (name: string) => args.flags.get(name) as string | undefined;
  const notes: string[] = [];
  const docs = await readTexts(flag('--docs')!, 'documents', notes);
  const queries = await readTexts(flag('--queries')!, 'queries', notes);
  const qrelsFile = flag('--qrels');
  const qrels = qrelsFile ? await readQrels(qrelsFile) : null;
  if (qrels) for (const w of qrels.warnings) notes.push(`${qrelsFile}: ${w}`);

  let t0 = performance.now();
  const index = buildBm25Index(docs, { onProgress: progress('indexing'), progressEvery: 10_000 });
  const indexSeconds = (performance.now() - t0) / 1000;
  t0 = performance.now();
  const searcher = new Bm25Searcher(index, params);
  const run = retrieveAll(searcher, queries, k, { onProgress: progress('searching'), progressEvery: 100 });
  const searchSeconds = (performance.now() - t0) / 1000;
  if (index.docCount === 0) notes.push(`${flag('--docs')}: no document has a term after analysis; every query comes back empty`);
  if (run.emptyQueries.length) notes.push(`${run.emptyQueries.length} query(ies) have no term in the collection and get no documents (first: '${run.emptyQueries[0]}')`);

  const tag = flag('--tag') ?? 'bm25';
  const runOut = flag('--run-out');
  const toStdout = runOut === '-';
  if (runOut) {
    const fd = toStdout ? 1 : openSync(runOut, 'w');
    try {
      for (const chunk of trecRunChunks(run, index.docIds, tag)) writeSync(fd, chunk);
    } finally {
      if (!toStdout) closeSync(fd);
    }
  }

  let metrics: Record<string, number> | null = null;
  if (qrels) {
    const measures = selectMeasures(['ndcg_cut.10', 'recip_rank', 'map', `recall.${k}`]);
    const result = trecEval(judgementsOf(qrels), bm25RunColumns(run, index.docIds, tag), { measures, runName: runOut ?? 'the run' });
    const names = result.measures.flatMap((m) => m.valueNames);
    metrics = { queries: result.averagedOver };
    for (const name of ['ndcg_cut_10', 'recip_rank', 'map', `recall_${k}`]) metrics[name] = result.summary[names.indexOf(name)];
  }

  const summary = {
    documents: index.docLengths.length,
    documentsWithoutTerms: index.docLengths.length - index.docCount,
    terms: index.terms.size,
    postings: index.docs.length,
    avgdl: searcher.avgdl,
    indexMB: indexBytes(index) / 2 ** 20,
    indexSeconds,
    queries: queries.size,
    queriesWithoutTerms: run.emptyQueries.length,
    k,
    ...params,
    searchSeconds,
    msPerQuery: (1000 * searchSeconds) / Math.max(1, queries.size),
    runOut: runOut ?? null,
    lines: run.docs.length,
    metrics,
    notes,
  };
  const out = toStdout ? process.stderr : process.stdout;
  if (args.json) {
    await write(out, JSON.stringify(summary, null, 2) + '\n');
    return 0;
  }
  const lines = [
    `documents  ${n(summary.documents)} (${n(summary.documentsWithoutTerms)} without terms), ${n(summary.terms)} terms, ${n(summary.postings)} postings, avgdl ${summary.avgdl.toFixed(2)}`,
    `index      ${indexSeconds.toFixed(2)} s (${n(Math.round(summary.documents / Math.max(indexSeconds, 1e-9)))} documents/s), ${summary.indexMB.toFixed(1)} MB`,
    `queries    ${n(summary.queries)}, top ${n(k)}, BM25 k1 ${params.k1} b ${params.b} (${params.docLengths === 'lucene' ? "Lucene's one-byte" : 'exact'} lengths): ${searchSeconds.toFixed(2)} s, ${summary.msPerQuery.toFixed(2)} ms/query`,
  ];
  if (runOut) lines.push(`run        ${toStdout ? 'standard output' : runOut}: ${n(run.docs.length)} lines, tag ${tag}`);
  if (metrics) {
    lines.push(
      `metrics    nDCG@10 ${metrics.ndcg_cut_10.toFixed(4)}  MRR ${metrics.recip_rank.toFixed(4)}  MAP ${metrics.map.toFixed(4)}  ` +
        `R@${k} ${metrics[`recall_${k}`].toFixed(4)}  (${n(metrics.queries)} judged queries)`,
    );
  }
  for (const note of notes) lines.push(`note: ${note}`);
  await write(out, lines.join('\n') + '\n');
  return 0;
}
