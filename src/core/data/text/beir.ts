import { drive, type ByteSource } from '../parse/stream';
import { splitWhitespace } from './fields';
import { LineParser, type ParseReport, type TextParseOptions, type TextParserOptions } from './lines';
import { type TextCollection } from './msmarco';
import { gradeOf, QrelsBuilder, type Qrels } from './qrels';
import { ColumnTextTable, TextTableBuilder, TitledColumnTable, type TitledTextTable } from './text-table';

export interface TitledCollection extends ParseReport {
  table: TitledTextTable;
}

type JsonlKind = 'corpus' | 'queries';

/**
 * BEIR corpus.jsonl (`{"_id", "title", "text", ...}`) and queries.jsonl (`{"_id", "text", ...}`):
 * one JSON object per line, parsed with JSON.parse (errors become DataErrors with the line). `_id` must be a string or a number (numbers become their decimal
 * text), `text` a string; a corpus `title` may be missing or null (→ ''). Other keys (metadata)
 * are ignored. A repeated id keeps the first entry and warns.
 */
abstract class BeirJsonlParser extends LineParser {
  protected readonly builder: TextTableBuilder;

  constructor(
    file: string,
    private readonly kind: JsonlKind,
    opts: TextParserOptions,
  ) {
    super(file, kind === 'corpus' ? 'beir-corpus' : 'beir-queries', opts);
    this.builder = new TextTableBuilder(kind === 'corpus' ? 2 : 1);
  }

  protected parseLine(line: string, lineNo: number): void {
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (e) {
      throw this.error('format', `not valid JSON (${e instanceof Error ? e.message : String(e)})`, lineNo, line);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw this.error('format', `expected a JSON object per line, found ${jsonType(value)}`, lineNo, line);
    }
    const record = value as Record<string, unknown>;
    const id = this.idOf(record._id, lineNo, line);
    const text = record.text;
    if (typeof text !== 'string') {
      throw this.error('format', text === undefined ? 'the object has no "text"' : `"text" must be a string, found ${jsonType(text)}`, lineNo, line);
    }
    let added: number;
    if (this.kind === 'corpus') {
      const title = record.title ?? '';
      if (typeof title !== 'string') throw this.error('format', `"title" must be a string, found ${jsonType(title)}`, lineNo, line);
      added = this.builder.add(id, text, title);
    } else added = this.builder.add(id, text);
    if (added < 0) {
      this.warnings.add(`line ${lineNo.toLocaleString('en')}: _id '${id}' appeared before; the first entry is kept`);
      return;
    }
    this.records++;
  }

  private idOf(id: unknown, lineNo: number, line: string): string {
    if (typeof id === 'string' && id.length > 0) return id;
    if (typeof id === 'number' && Number.isFinite(id)) return String(id);
    const found = id === undefined ? 'the object has no "_id"' : `"_id" must be a non-empty string or a number, found ${jsonType(id)}`;
    throw this.error('format', found, lineNo, line);
  }

}

export class BeirCorpusParser extends BeirJsonlParser {
  constructor(file: string, opts: TextParserOptions = {}) {
    super(file, 'corpus', opts);
  }

  finish(): TitledCollection {
    const report = this.end();
    return { table: this.builder.build(TitledColumnTable), ...report };
  }
}

export class BeirQueriesParser extends BeirJsonlParser {
  constructor(file: string, opts: TextParserOptions = {}) {
    super(file, 'queries', opts);
  }

  finish(): TextCollection {
    const report = this.end();
    return { table: this.builder.build(ColumnTextTable), ...report };
  }
}

function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return v.length === 0 ? 'an empty string' : 'a string';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

export async function parseBeirCorpus(source: ByteSource, opts: TextParseOptions = {}): Promise<TitledCollection> {
  const parser = new BeirCorpusParser(source.name, opts);
  await drive(source, parser, opts);
  return parser.finish();
}

export async function parseBeirQueries(source: ByteSource, opts: TextParseOptions = {}): Promise<TextCollection> {
  const parser = new BeirQueriesParser(source.name, opts);
  await drive(source, parser, opts);
  return parser.finish();
}

const HEADER = ['query-id', 'corpus-id', 'score'];

/**
 * BEIR qrels/*.tsv: a header `query-id<TAB>corpus-id<TAB>score`, then one judgement per line.
 * Fields are split on whitespace (ids have none). A missing header is accepted with a warning.
 * Repeated pairs are handled as in TREC qrels (the later grade wins, with a warning).
 */
export class BeirQrelsParser extends LineParser {
  private readonly builder = new QrelsBuilder(this.warnings);
  private readonly fields: string[] = [];
  private sawFirst = false;

  constructor(file: string, opts: TextParserOptions = {}) {
    super(file, 'beir-qrels', opts);
  }

  protected parseLine(line: string, lineNo: number): void {
    const f = this.fields;
    const n = splitWhitespace(line, f, 3);
    if (!this.sawFirst) {
      this.sawFirst = true;
      if (n === 3 && f.every((v, i) => v.toLowerCase() === HEADER[i])) return;
      this.warnings.add(`line ${lineNo.toLocaleString('en')}: no header line (${HEADER.join(' ')}); reading it as a judgement`);
    }
    if (n !== 3) throw this.error('format', `expected 3 fields (${HEADER.join(' ')}), found ${n}`, lineNo, line);
    const grade = gradeOf(f[2]);
    if (typeof grade === 'string') throw this.error('value', grade.replace('relevance', 'score'), lineNo, f[2]);
    this.builder.add(f[0], f[1], grade, lineNo);
    this.records++;
  }

  finish(): Qrels {
    return this.builder.build(this.end());
  }
}

export async function parseBeirQrels(source: ByteSource, opts: TextParseOptions = {}): Promise<Qrels> {
  const parser = new BeirQrelsParser(source.name, opts);
  await drive(source, parser, opts);
  return parser.finish();
}
