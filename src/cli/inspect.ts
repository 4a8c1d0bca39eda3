import { openAsBlob, statSync } from 'node:fs';
import path from 'node:path';
import { detectFeatureFormat } from '../core/data/detect';
import { parseGroupFile, parseLetor } from '../core/data/letor';
import { blobSource, innerName, readHead, type ByteSource } from '../core/data/parse/stream';
import { computeStats } from '../core/data/stats';
import type { ParsedArgs } from './args';

export interface InspectSummary {
  file: string;
  format: string;
  queries: number;
  docs: number;
  features: number;
  labels: Record<string, number>;
  docsPerQuery: { min: number; mean: number; max: number };
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

/** Pairs each feature file with a group file of the same stem (train.txt + train.query). */
function groupFileFor(file: string, files: string[]): string | undefined {
  const stem = innerName(path.basename(file)).replace(/\.[^.]*$/, '');
  return files.find((f) => /\.(query|group)(\.gz)?$/i.test(f) && innerName(path.basename(f)).replace(/\.(query|group)$/i, '').replace(/\.[^.]*$/, '') === stem);
}

async function inspectOne(file: string, files: string[]): Promise<InspectSummary> {
  const source = await fileSource(file);
  const t0 = performance.now();
  const detected = detectFeatureFormat(source.name, await readHead(source));
  if (detected.format !== 'letor') throw new Error(`${source.name}: not a format inspect reads (${detected.reason}); expected LETOR/SVMlight 'label qid:Q idx:val ...'`);
  const groupFile = groupFileFor(file, files);
  const groups = groupFile ? await parseGroupFile(await fileSource(groupFile)) : undefined;
  const result = await parseLetor(source, { groups });
  const stats = computeStats(result.dataset, result.featurePresence);
  return {
    file,
    format: groups ? 'letor+group' : 'letor',
    queries: stats.queries,
    docs: stats.docs,
    features: stats.features,
    labels: stats.labels,
    docsPerQuery: stats.docsPerQuery,
    noRelevantQueries: stats.noRelevantQueries,
    bytes: source.size ?? 0,
    seconds: (performance.now() - t0) / 1000,
    warnings: result.warnings,
  };
}

function describe(s: InspectSummary): string {
  const labels = Object.entries(s.labels).map(([l, n]) => `${l}:${n}`).join(' ');
  const dpq = s.docsPerQuery;
  return [
    `${s.file}  (${s.format}, ${(s.bytes / 1e6).toFixed(1)} MB in ${s.seconds.toFixed(2)} s)`,
    `  queries ${s.queries}  docs ${s.docs}  features ${s.features}`,
    `  labels ${labels}`,
    `  docs per query min ${dpq.min} mean ${dpq.mean.toFixed(1)} max ${dpq.max}`,
    `  queries with no relevant doc ${s.noRelevantQueries}`,
    ...s.warnings.map((w) => `  warning: ${w}`),
  ].join('\n');
}

export async function runInspect(args: ParsedArgs): Promise<void> {
  const files = args.positionals.slice(1);
  if (!files.length) throw new Error('inspect needs at least one file: rankplay inspect FILE... [--json]');
  const dataFiles = files.filter((f) => !/\.(query|group)(\.gz)?$/i.test(f));
  const summaries: InspectSummary[] = [];
  for (const f of dataFiles) summaries.push(await inspectOne(f, files));
  if (args.flags.has('--json')) process.stdout.write(JSON.stringify(summaries.length === 1 ? summaries[0] : summaries, null, 2) + '\n');
  else process.stdout.write(summaries.map(describe).join('\n') + '\n');
}
