import { drive, type ByteSource } from '../parse/stream';
import { LineParser, type ParseReport, type TextParseOptions, type TextParserOptions } from './lines';
import { ColumnTextTable, TextTableBuilder, type TextTable } from './text-table';

export interface TextCollection extends ParseReport {
  table: TextTable;
}

/**
 * MS MARCO collection.tsv / queries.*.tsv: `id<TAB>text`. The id ends at the first tab; the text
 * is the rest of the line as given (a later tab stays part of it; only the line's CR is dropped).
 * An empty text is allowed (MS MARCO has a few); an empty id is not. A repeated id keeps the first
 * entry and warns, so indexOf() is unambiguous.
 */
export class MsMarcoTsvParser extends LineParser {
  private readonly builder = new TextTableBuilder(1);

  constructor(file: string, opts: TextParserOptions = {}) {
    super(file, 'msmarco-tsv', opts);
  }

  protected parseLine(line: string, lineNo: number): void {
    const tab = line.indexOf('\t');
    if (tab < 0) throw this.error('format', 'expected an id, a tab and the text (id<TAB>text), found no tab', lineNo, line);
    const id = trimAscii(line.slice(0, tab));
    if (id.length === 0) throw this.error('format', 'the id before the tab is empty', lineNo, line);
    if (this.builder.add(id, line.slice(tab + 1)) < 0) {
      this.warnings.add(`line ${lineNo.toLocaleString('en')}: id '${id}' appeared before; the first entry is kept`);
      return;
    }
    this.records++;
  }

  finish(): TextCollection {
    const report = this.end();
    return { table: this.builder.build(ColumnTextTable), ...report };
  }
}

/** Spaces around the id are a typing slip, not part of it; only ASCII whitespace, as elsewhere. */
function trimAscii(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && (s.charCodeAt(a) === 32 || s.charCodeAt(a) === 9)) a++;
  while (b > a && (s.charCodeAt(b - 1) === 32 || s.charCodeAt(b - 1) === 9)) b--;
  return s.slice(a, b);
}

export async function parseMsMarcoTsv(source: ByteSource, opts: TextParseOptions = {}): Promise<TextCollection> {
  const parser = new MsMarcoTsvParser(source.name, opts);
  await drive(source, parser, opts);
  return parser.finish();
}
