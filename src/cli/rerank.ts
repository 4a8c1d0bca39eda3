import { parseStrictFlags, UsageError } from './args';
import { closeSync, openAsBlob, openSync, readdirSync, statSync, writeSync } from 'node:fs';
import path from 'node:path';
import { loadCrossEncoder } from '../compute/cross-encoder';
import { DataError } from '../core/data/parse/errors';
import { readHead } from '../core/data/parse/stream';
import { detectTextFormat, FORMAT_LABELS } from '../core/data/text/detect';
import { parseTrecRun, type TrecRun } from '../core/data/text/run';
import { judgementsOf, selectMeasures, trecEval } from '../core/metrics/trec';
import { DEFAULT_ONNX_FILE, formatBytes } from '../core/text/rerank/model-folder';
import { applyRerank, listsToRunColumns, planRerank, rankedListChunks, rankedLists, type RankedList } from '../core/text/rerank/rerank-run';
import type { ModelSource } from '../core/text/rerank/types';
import type { Qrels } from '../core/data/text/qrels';
import { fileSource, readQrels, readTexts } from './bm25';

export const RERANK_USAGE = `Usage: rankplay rerank --model DIR_OR_URL --docs FILE --queries FILE --run RUN --run-out FILE [options]

Reranks each query's top documents of a first-stage run (e.g. rankplay bm25's) with a cross-encoder
on onnxruntime-web (wasm, one thread) and writes the new TREC run: the top --depth documents by the
model's score (its raw logit; for a two-label model logit[1] − logit[0]), the rest below them in
their first-stage order.
  --model DIR_OR_URL  a model folder in the Hugging Face layout (config.json, tokenizer.json,
                      onnx/model.onnx), on disk or at a URL base (https://huggingface.co/<id>/resolve/main/)
  --docs FILE         documents: MS MARCO TSV, BEIR corpus.jsonl (title and text are joined), TREC SGML
  --queries FILE      queries: MS MARCO TSV, BEIR queries.jsonl, TREC topics (the <title>)
  --run FILE          the run to rerank (TREC run format)
  --run-out FILE      write the reranked run there ('-' for standard output; the summary then goes to stderr)
  --qrels FILE        print nDCG@10 of the run before and after reranking (TREC or BEIR qrels)
  --depth N           documents reranked per query (default 100)
  --batch N           pairs per model run (default 16); pairs are batched by token length
  --max-length N      longest pair in tokens (default: the model's, at most 512); the passage is cut first
  --onnx-file PATH    which ONNX file of the folder (default ${DEFAULT_ONNX_FILE}, e.g. onnx/model_quantized.onnx)
  --tag NAME          run tag (default rerank)
  --json              print the summary as JSON

rankplay rerank --bench --model DIR_OR_URL [--batch-sizes 1,8,32,64] [--max-length 256] [--seconds 5]
                [--max-batch-seconds 60] [--json]
  Reranking throughput: pairs/s at each batch size on generated pairs of exactly --max-length tokens
  (default 256, at most the model's), timed for --seconds per size after one warm-up batch; a size
  whose one batch would take longer than --max-batch-seconds is skipped.
`;

const RerankUsageError = UsageError;
const BOOL_FLAGS = new Set(['--json', '--bench']);

const VALUE_FLAGS = new Set(['--model', '--docs', '--queries', '--run', '--run-out', '--qrels', '--depth', '--batch', '--max-length', '--onnx-file', '--tag', '--batch-sizes', '--seconds', '--max-batch-seconds']);

function parseRerankArgs(argv: readonly string[]): Map<string, string | true> | 'help' {
  return parseStrictFlags(argv, VALUE_FLAGS, BOOL_FLAGS);
}

function intFlag(flags: Map<string, string | true>, name: string, fallback: number | undefined): number | undefined {
  const v = flags.get(name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (typeof v !== 'string' || !Number.isInteger(n) || n < 1) throw new RerankUsageError(`${name} must be a positive integer, got '${String(v)}'`);
  return n;
}

/** A folder on disk as picked files (lazy, file-backed blobs), or a URL base. */
async function modelSource(model: string): Promise<ModelSource> {
  if (/^https?:\/\//i.test(model)) return { kind: 'url', base: model };
  let stat;
  try {
    stat = statSync(model);
  } catch (e) {
    throw new RerankUsageError(`--model ${model}: no such folder (${(e as NodeJS.ErrnoException).code ?? String(e)}); give a model folder or an http(s) URL base`);
  }
  if (!stat.isDirectory()) throw new RerankUsageError(`--model ${model}: not a folder; give the model folder (with config.json, tokenizer.json, onnx/model.onnx)`);
  const files = new Map<string, Blob>();
  const walk = async (dir: string, rel: string, depth: number) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name.startsWith('.')) continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory() && depth < 3) await walk(full, `${rel}${entry.name}/`, depth + 1);
      else if (entry.isFile()) files.set(`${rel}${entry.name}`, await openAsBlob(full));
    }
  };
  await walk(model, '', 0);
  return { kind: 'files', files };
}

async function readRun(file: string): Promise<TrecRun> {
  const source = await fileSource(file);
  const guess = detectTextFormat(source.name, await readHead(source));
  if (guess.format && guess.format !== 'trec-run') throw new DataError({ kind: 'format', file, reason: `this is ${FORMAT_LABELS[guess.format]}, not a TREC run: --run needs 'qid Q0 docno rank score tag' lines` });
  return parseTrecRun(source);
}

function ndcg10(qrels: Qrels, lists: readonly RankedList[], name: string): { ndcg_cut_10: number; queries: number } {
  const result = trecEval(judgementsOf(qrels), listsToRunColumns(lists, 'x'), { measures: selectMeasures(['ndcg_cut.10']), runName: name });
  return { ndcg_cut_10: result.summary[0], queries: result.averagedOver };
}

function write(stream: NodeJS.WriteStream, text: string): Promise<void> {
  return new Promise((resolve, reject) => stream.write(text, (e) => (e ? reject(e) : resolve())));
}

const n = (x: number) => x.toLocaleString('en');

async function runBench(flags: Map<string, string | true>): Promise<number> {
  const model = flags.get('--model');
  if (typeof model !== 'string') throw new RerankUsageError('--model is needed');
  const list = String(flags.get('--batch-sizes') ?? '1,8,32,64').split(',').map(Number);
  if (!list.every((b) => Number.isInteger(b) && b >= 1)) throw new RerankUsageError(`--batch-sizes must be positive integers separated by commas, got '${String(flags.get('--batch-sizes'))}'`);
  const seconds = (name: string, fallback: number) => {
    const v = Number(flags.get(name) ?? fallback);
    if (!(v > 0)) throw new RerankUsageError(`${name} must be a positive number of seconds`);
    return v;
  };
  const args = { source: await modelSource(model), batchSizes: list, maxLength: intFlag(flags, '--max-length', 256), secondsPerSize: seconds('--seconds', 5), maxBatchSeconds: seconds('--max-batch-seconds', 60), onnxFile: flags.get('--onnx-file') as string | undefined };
  const { benchRerankNode } = await import('./bench-rerank');
  let r;
  try {
    r = await benchRerankNode(args, (row) => process.stderr.isTTY && process.stderr.write(`batch ${row.batchSize}: ${row.pairsPerSecond === null ? `skipped (${row.skipped})` : `${row.pairsPerSecond.toFixed(1)} pairs/s`}\n`));
  } catch (e) {
    // The model's own limit is the cap when the default length is too long for it.
    if (flags.has('--max-length') || !/longer than the model's position table/.test(String(e))) throw e;
    r = await benchRerankNode({ ...args, maxLength: undefined });
  }
  if (flags.has('--json')) {
    await write(process.stdout, JSON.stringify(r, null, 2) + '\n');
    return 0;
  }
  const lines = [`${r.model.name}: ${r.model.parameters ? `${n(r.model.parameters)} parameters, ` : ''}${r.model.maxLength} tokens per pair, ${r.environment}`];
  for (const row of r.rows) lines.push(`batch ${String(row.batchSize).padStart(3)}  ${row.pairsPerSecond === null ? `skipped: ${row.skipped}` : `${row.pairsPerSecond.toFixed(1)} pairs/s (${row.pairs} pairs in ${row.seconds.toFixed(1)} s)`}`);
  await write(process.stdout, lines.join('\n') + '\n');
  return 0;
}

/** `rankplay rerank`: returns the exit code. Usage errors print here (exit 2); data and model errors go to the caller. */
export async function runRerank(argv: readonly string[]): Promise<number> {
  let flags: Map<string, string | true>;
  let depth: number;
  let batchSize: number;
  let maxLength: number | undefined;
  let source: ModelSource;
  try {
    const parsed = parseRerankArgs(argv);
    if (parsed === 'help') {
      await write(process.stdout, RERANK_USAGE);
      return 0;
    }
    flags = parsed;
    if (flags.has('--bench')) return await runBench(flags);
    for (const f of ['--model', '--docs', '--queries', '--run']) if (!flags.has(f)) throw new RerankUsageError(`${f} is needed`);
    if (!flags.has('--run-out') && !flags.has('--qrels')) throw new RerankUsageError('nothing to do: give --run-out FILE (or - for standard output) and/or --qrels FILE');
    depth = intFlag(flags, '--depth', 100)!;
    batchSize = intFlag(flags, '--batch', 16)!;
    maxLength = intFlag(flags, '--max-length', undefined);
    const tag = flags.get('--tag');
    if (typeof tag === 'string' && !/^\S+$/.test(tag)) throw new RerankUsageError(`--tag must be one word without spaces, got '${tag}'`);
    source = await modelSource(flags.get('--model') as string);
  } catch (e) {
    if (e instanceof RerankUsageError) {
      await write(process.stderr, `rankplay rerank: ${e.message}\n${RERANK_USAGE.split('\n')[0]}\n(rankplay rerank --help for more)\n`);
      return 2;
    }
    throw e;
  }
  const flag = (name: string) => flags.get(name) as string | undefined;
  const notes: string[] = [];
  const docs = await readTexts(flag('--docs')!, 'documents', notes);
  const queries = await readTexts(flag('--queries')!, 'queries', notes);
  const run = await readRun(flag('--run')!);
  for (const w of run.warnings) notes.push(`${flag('--run')}: ${w}`);
  const qrelsFile = flag('--qrels');
  const qrels = qrelsFile ? await readQrels(qrelsFile) : null;
  if (qrels) for (const w of qrels.warnings) notes.push(`${qrelsFile}: ${w}`);

  const tty = process.stderr.isTTY;
  let t0 = performance.now();
  const scorer = await loadCrossEncoder(source, {
    backend: 'wasm',
    maxLength,
    onnxFile: flag('--onnx-file'),
    onProgress: tty ? (file, loaded, total) => process.stderr.write(`\r\x1b[Kloading ${file} ${formatBytes(loaded)}${total ? ` / ${formatBytes(total)}` : ''}`) : undefined,
  });
  const loadSeconds = (performance.now() - t0) / 1000;
  if (tty) process.stderr.write('\r\x1b[K');

  const before = rankedLists(run);
  const text = (table: typeof docs) => (id: string) => {
    const i = table.indexOf(id);
    if (i < 0) return null;
    const title = typeof table.title === 'function' ? table.title(i) : '';
    return title ? `${title} ${table.text(i)}` : table.text(i);
  };
  const plan = planRerank(before, depth, text(queries), text(docs));
  if (plan.missingQueries.length) notes.push(`${plan.missingQueries.length} query(ies) of the run are not in --queries and keep their first-stage order (first: '${plan.missingQueries[0]}')`);
  if (plan.missingDocs) notes.push(`${n(plan.missingDocs)} document(s) within the depth are not in --docs; they stay below the reranked ones`);

  t0 = performance.now();
  let scores: Float32Array;
  try {
    scores = await scorer.score(plan.pairs, {
      batchSize,
      onProgress: tty ? (done, total) => process.stderr.write(done >= total ? '\r\x1b[K' : `\r\x1b[Kscoring ${n(done)} / ${n(total)} pairs`) : undefined,
      onNotice: (m) => notes.push(m),
    });
  } finally {
    await scorer.dispose();
  }
  const scoreSeconds = (performance.now() - t0) / 1000;
  const after = applyRerank(before, plan, scores);

  const tag = flag('--tag') ?? 'rerank';
  const runOut = flag('--run-out');
  const toStdout = runOut === '-';
  if (runOut) {
    const fd = toStdout ? 1 : openSync(runOut, 'w');
    try {
      for (const chunk of rankedListChunks(after, tag)) writeSync(fd, chunk);
    } finally {
      if (!toStdout) closeSync(fd);
    }
  }
  const metrics = qrels ? { before: ndcg10(qrels, before, flag('--run')!), after: ndcg10(qrels, after, runOut ?? 'the reranked run') } : null;

  const summary = {
    model: scorer.info,
    queries: before.length,
    depth,
    batchSize,
    pairs: plan.pairs.length,
    loadSeconds,
    scoreSeconds,
    pairsPerSecond: plan.pairs.length / Math.max(scoreSeconds, 1e-9),
    runOut: runOut ?? null,
    lines: after.reduce((s, l) => s + l.docs.length, 0),
    metrics: metrics && { queries: metrics.after.queries, ndcg_cut_10_before: metrics.before.ndcg_cut_10, ndcg_cut_10_after: metrics.after.ndcg_cut_10 },
    notes,
  };
  const out = toStdout ? process.stderr : process.stdout;
  if (flags.has('--json')) {
    await write(out, JSON.stringify(summary, null, 2) + '\n');
    return 0;
  }
  const info = scorer.info;
  const lines = [
    `model      ${info.name}: ${info.parameters ? `${n(info.parameters)} parameters, ` : ''}${formatBytes(info.bytes)}, ${info.onnxFile} on ${info.backend}, max ${info.maxLength} tokens (${loadSeconds.toFixed(2)} s to load)`,
    `rerank     ${n(summary.queries)} queries, top ${n(depth)}: ${n(summary.pairs)} pairs in ${scoreSeconds.toFixed(2)} s (${n(Math.round(summary.pairsPerSecond))} pairs/s, batches of ${batchSize})`,
  ];
  if (runOut) lines.push(`run        ${toStdout ? 'standard output' : runOut}: ${n(summary.lines)} lines, tag ${tag}`);
  if (metrics) lines.push(`nDCG@10    before ${metrics.before.ndcg_cut_10.toFixed(4)}  after ${metrics.after.ndcg_cut_10.toFixed(4)}  (${n(metrics.after.queries)} judged queries)`);
  for (const note of notes) lines.push(`note: ${note}`);
  await write(out, lines.join('\n') + '\n');
  return 0;
}
