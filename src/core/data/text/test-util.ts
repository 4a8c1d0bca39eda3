/**
 * Helpers shared by this folder's tests: run a parser over bytes cut at given positions, turn any
 * result into plain data for deep comparison, and check thrown DataErrors. Not used by app code.
 */
import { expect } from 'vitest';
import { DataError, isDataError } from '../parse/errors';
import type { TextFormat } from './detect';
import { createTextParser, type ParsedText } from './parsers';
import type { TextTable } from './text-table';

export const ALL_FORMATS: TextFormat[] = [
  'trec-qrels',
  'trec-run',
  'msmarco-tsv',
  'beir-corpus',
  'beir-queries',
  'beir-qrels',
  'trec-sgml-docs',
  'trec-topics',
];

export function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

/** Parses `input` pushed in pieces cut at `cuts` (any positions, sorted or not, duplicates fine). */
export function parseBytes(format: TextFormat, input: string | Uint8Array, opts: { skipBadLines?: boolean; cuts?: number[]; file?: string } = {}): ParsedText {
  const bytes = typeof input === 'string' ? utf8(input) : input;
  const parser = createTextParser(format, opts.file ?? `test.${format}`, { skipBadLines: opts.skipBadLines });
  const cuts = [...new Set((opts.cuts ?? []).map((c) => Math.max(0, Math.min(bytes.length, c))))].sort((a, b) => a - b);
  let from = 0;
  for (const c of [...cuts, bytes.length]) {
    parser.push(bytes.subarray(from, c));
    from = c;
  }
  return parser.finish();
}

export function tableRows(table: TextTable): { id: string; text: string }[] {
  return Array.from({ length: table.size }, (_, i) => ({ id: table.id(i), text: table.text(i) }));
}

/** Plain, comparable data for any parse result: typed arrays to arrays, tables to rows. */
export function plain(result: ParsedText): unknown {
  switch (result.format) {
    case 'trec-qrels':
    case 'beir-qrels': {
      const q = result.qrels;
      return { ...q, query: [...q.query], doc: [...q.doc], rel: [...q.rel] };
    }
    case 'trec-run': {
      const r = result.run;
      return { ...r, query: [...r.query], doc: [...r.doc], rank: [...r.rank], score: [...r.score] };
    }
    case 'beir-corpus': {
      const { table, ...rest } = result.collection;
      return { ...rest, rows: tableRows(table).map((row, i) => ({ ...row, title: table.title(i) })) };
    }
    case 'trec-topics': {
      const { table, ...rest } = result.topics;
      return { ...rest, rows: tableRows(table).map((row, i) => ({ ...row, desc: table.description(i), narr: table.narrative(i) })) };
    }
    default: {
      const { table, ...rest } = result.collection;
      return { ...rest, rows: tableRows(table) };
    }
  }
}

/** Runs `fn`, expects a DataError, checks the given fields and returns it for more checks. */
export function expectDataError(fn: () => unknown, expected: { kind?: DataError['kind']; line?: number; reason?: RegExp; token?: string } = {}): DataError {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught, 'expected a DataError to be thrown').toBeInstanceOf(DataError);
  const e = caught as DataError;
  if (expected.kind !== undefined) expect(e.kind).toBe(expected.kind);
  if (expected.line !== undefined) expect(e.line).toBe(expected.line);
  if (expected.reason !== undefined) expect(e.reason).toMatch(expected.reason);
  if (expected.token !== undefined) expect(e.token).toBe(expected.token);
  return e;
}

/** Parses and reports only whether what escaped (if anything) was a DataError. */
export function onlyDataErrors(fn: () => unknown): void {
  try {
    fn();
  } catch (e) {
    if (!isDataError(e)) throw new Error(`a ${e instanceof Error ? e.constructor.name : typeof e} escaped: ${String(e)}`);
  }
}
