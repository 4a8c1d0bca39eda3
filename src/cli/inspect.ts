import { openAsBlob, statSync } from 'node:fs';
import path from 'node:path';
import { loadDataset } from '../core/data/load';
import type { LoadedFile, SplitInfo } from '../core/data/library';
import { blobSource, innerName, type ByteSource } from '../core/data/parse/stream';
import type { ParsedArgs } from './args';

/** The summary `inspect` prints per data file; the JSON keys are a documented interface. */
export interface InspectSummary {
  file: string;
  format: string;
  queries: number;
  docs: number;
  features: number;
  labels: Record<string, number>;
  docsPerQuery: { min: number; mean: number; max: number } | null;
  noRelevantQueries: number;
  bytes: number;
  seconds: number;
  warnings: string[];
}

async function fileSource(file: string): Promise<ByteSource> {
  try {
    statSync(file);
  } catch (e) {
    throw new Error(`${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  return blobSource(await openAsBlob(file), path.basename(file));
}

const isGroupFile = (f: string) => /\.(query|group)(\.gz)?$/i.test(f);
const stem = (f: string) => innerName(path.basename(f)).replace(/\.(query|group)$/i, '').replace(/\.[^.]*$/, '');

function featureSummary(file: string, loaded: LoadedFile, split: SplitInfo, warnings: string[], seconds: number): InspectSummary {
  const s = split.stats;
  return {
    file,
    format: loaded.format,
    queries: s.queries,
    docs: s.docs,
    features: s.features,
    labels: s.labels,
    docsPerQuery: s.docsPerQuery,
    noRelevantQueries: s.noRelevantQueries,
    bytes: loaded.bytes,
    seconds,
    warnings,
  };
}

/**
 * One data file (and its group file, if one was given beside it), loaded exactly as the app
 * loads a drop. Text files report what they hold: documents, queries or judgements.
 */
async function inspectOne(file: string, groupFile: string | undefined): Promise<InspectSummary> {
  const sources = [await fileSource(file), ...(groupFile ? [await fileSource(groupFile)] : [])];
  const t0 = performance.now();
  const { info } = await loadDataset(sources, { skipBadLines: false, memoryBudgetBytes: 8 * 1024 ** 3 }, () => ({}));
  const seconds = (performance.now() - t0) / 1000;
  const loaded = info.files.find((f) => f.name === path.basename(file))!;
  if (info.kind === 'features') {
    const split = Object.values(info.splits)[0]!;
    return featureSummary(file, loaded, split, info.warnings, seconds);
  }
  const t = info.text!;
  const isQrels = loaded.role === 'qrels';
  return {
    file,
    format: loaded.format,
    queries: t.queries,
    docs: t.documents,
    features: 0,
    labels: t.labels,
    docsPerQuery: null,
    noRelevantQueries: 0,
    bytes: loaded.bytes,
    seconds,
    warnings: isQrels ? [`${t.judgements} judgements`, ...info.warnings] : info.warnings,
  };
}

function describe(s: InspectSummary): string {
  const labels = Object.entries(s.labels).map(([l, n]) => `${l}:${n}`).join(' ');
  const dpq = s.docsPerQuery;
  return [
    `${s.file}  (${s.format}, ${(s.bytes / 1e6).toFixed(1)} MB in ${s.seconds.toFixed(2)} s)`,
    `  queries ${s.queries}  docs ${s.docs}  features ${s.features}`,
    ...(labels ? [`  labels ${labels}`] : []),
    ...(dpq ? [`  docs per query min ${dpq.min} mean ${dpq.mean.toFixed(1)} max ${dpq.max}`, `  queries with no relevant doc ${s.noRelevantQueries}`] : []),
    ...s.warnings.map((w) => `  note: ${w}`),
  ].join('\n');
}

export async function runInspect(args: ParsedArgs): Promise<void> {
  const files = args.positionals.slice(1);
  if (!files.length) throw new Error('inspect needs at least one file: rankplay inspect FILE... [--json]');
  const summaries: InspectSummary[] = [];
  for (const f of files.filter((x) => !isGroupFile(x))) {
    summaries.push(await inspectOne(f, files.find((g) => isGroupFile(g) && stem(g) === stem(f))));
  }
  if (!summaries.length) throw new Error(`${files[0]}: a group file needs its feature file (e.g. train.txt with train.query)`);
  if (args.flags.has('--json')) process.stdout.write(JSON.stringify(summaries.length === 1 ? summaries[0] : summaries, null, 2) + '\n');
  else process.stdout.write(summaries.map(describe).join('\n') + '\n');
}
