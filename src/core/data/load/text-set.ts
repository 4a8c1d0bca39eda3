import type { LoadedFile, TextSetInfo } from '../library';
import { DataError, describeSkips } from '../parse/errors';
import type { ByteSource, DriveOptions } from '../parse/stream';
import type { TextFormat } from '../text/detect';
import { parseTextFile } from '../text/parsers';
import type { Qrels } from '../text/qrels';
import type { TrecRun } from '../text/run';
import type { ParseReport } from '../text/lines';
import type { LoadSettings, ProgressFor } from './types';

/** The parsed parts of a text set; each is plain data apart from the table accessors. */
export interface TextSetParts {
  documents?: ParseReport & { table: { size: number } };
  queries?: ParseReport & { table: { size: number } };
  qrels?: Qrels;
  run?: TrecRun;
}

export interface TextSetResult {
  parts: TextSetParts;
  info: TextSetInfo;
  files: LoadedFile[];
  warnings: string[];
}

type Role = keyof TextSetParts;

/** What each text format is in a text set. MS MARCO TSV is a collection unless its name says queries. */
function roleOf(format: TextFormat, name: string): Role {
  switch (format) {
    case 'trec-qrels':
    case 'beir-qrels':
      return 'qrels';
    case 'trec-run':
      return 'run';
    case 'beir-queries':
    case 'trec-topics':
      return 'queries';
    case 'msmarco-tsv':
      return /quer/i.test(name) ? 'queries' : 'documents';
    default:
      return 'documents';
  }
}

/** The parsed part, whatever its format: the parser is chosen by the detected format. */
async function parsePart(format: TextFormat, source: ByteSource, opts: DriveOptions & { skipBadLines: boolean }): Promise<TextSetParts[Role]> {
  const parsed = await parseTextFile(source, format, opts);
  if ('qrels' in parsed) return parsed.qrels;
  if ('run' in parsed) return parsed.run;
  if ('collection' in parsed) return parsed.collection;
  return parsed.topics;
}

/** Loads the files of a text set (collection, queries, judgements, a run), one per role. */
export async function loadTextSet(sources: { source: ByteSource; format: TextFormat }[], settings: LoadSettings, progress: ProgressFor): Promise<TextSetResult> {
  const parts: TextSetParts = {};
  const files: LoadedFile[] = [];
  const warnings: string[] = [];
  const claimed = new Map<Role, string>();
  for (let i = 0; i < sources.length; i++) {
    const { source, format } = sources[i];
    const role = roleOf(format, source.name);
    if (claimed.has(role)) {
      throw new DataError({ kind: 'format', file: source.name, reason: `${claimed.get(role)} is already the ${role} of this set: load one ${role} file at a time` });
    }
    claimed.set(role, source.name);
    const t0 = performance.now();
    const part = await parsePart(format, source, { ...progress(source.name, i, sources.length), skipBadLines: settings.skipBadLines });
    (parts as Record<Role, unknown>)[role] = part;
    const rows = part && 'table' in part ? part.table.size : part && 'query' in part ? part.query.length : 0;
    files.push({ name: source.name, bytes: source.size ?? 0, format, role, seconds: (performance.now() - t0) / 1000, rows });
    if (part) {
      warnings.push(...part.warnings.map((w) => `${source.name}: ${w}`));
      const skips = describeSkips(source.name, part.skipped);
      if (skips) warnings.push(skips);
    }
  }
  return { parts, info: textSetInfo(parts), files, warnings };
}

function textSetInfo(parts: TextSetParts): TextSetInfo {
  const labels: Record<string, number> = {};
  const rel = parts.qrels?.rel;
  if (rel) {
    const counts = new Map<number, number>();
    for (const r of rel) counts.set(r, (counts.get(r) ?? 0) + 1);
    for (const k of [...counts.keys()].sort((a, b) => a - b)) labels[String(k)] = counts.get(k)!;
  }
  return {
    documents: parts.documents?.table.size ?? 0,
    queries: parts.queries?.table.size ?? parts.qrels?.queryIds.length ?? 0,
    judgements: rel?.length ?? 0,
    labels,
    runEntries: parts.run?.query.length ?? 0,
  };
}
