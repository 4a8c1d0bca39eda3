import { drive, type ByteSource } from '../parse/stream';
import type { ParseReport, TextParseOptions, TextParserOptions } from './lines';
import type { TextCollection } from './msmarco';
import { markupToText, SgmlBlockParser } from './sgml';
import { ColumnTextTable, TextTableBuilder, TopicColumnTable, type TopicTable } from './text-table';

const DOCNO = /<DOCNO(?:\s[^>]*)?>([\s\S]*?)<\/DOCNO\s*>/i;
/** Elements whose text newswire collections (TREC disks 1–5, AQUAINT, …) use for a document's content. */
const CONTENT = /<(TEXT|HEADLINE|HEAD|TITLE|HL|TI|LP|LEADPARA)(?:\s[^>]*)?>/gi;
/** Web collections (WT10g, GOV2, …) wrap raw HTML, whose <head>/<title> are not TREC fields. */
const WEB = /<DOCHDR[\s>]|<(html|body)[\s>]/i;
/** What the whole-document fallback leaves out: ids and HTTP headers are not content. */
const NOT_CONTENT = /<(DOCNO|DOCOLDNO|DOCHDR)(?:\s[^>]*)?>[\s\S]*?<\/\1\s*>/gi;
const SCRIPT_STYLE = /<(script|style)(?:\s[^>]*)?>[\s\S]*?<\/\1\s*>/gi;
const closers = new Map<string, RegExp>();

/**
 * TREC SGML documents: `<DOC> <DOCNO> id </DOCNO> … </DOC>`. The id is DOCNO's content trimmed.
 * The text is, for newswire-style documents, the content of every TEXT, HEADLINE, HEAD, TITLE, HL,
 * TI, LP and LEADPARA element in document order (several TEXT blocks are concatenated); for
 * web-style documents (a DOCHDR, or an <html>/<body> tag) and documents with none of those
 * elements, everything but DOCNO, DOCOLDNO, DOCHDR and <script>/<style>. Either way tags are removed,
 * entities decoded (see decodeEntities) and whitespace collapsed to single spaces.
 * A missing or empty DOCNO is an error; a repeated DOCNO keeps the first document and warns.
 */
export class TrecSgmlDocsParser extends SgmlBlockParser {
  private readonly builder = new TextTableBuilder(1);

  constructor(file: string, opts: TextParserOptions = {}) {
    super(file, 'trec-sgml-docs', 'DOC', opts);
  }

  protected parseBlock(inner: string, line: number): void {
    const docno = DOCNO.exec(inner);
    if (docno === null) throw this.error('format', '<DOC> has no <DOCNO> … </DOCNO>', line, inner.trim());
    const id = markupToText(docno[1]);
    if (id.length === 0) throw this.error('format', '<DOCNO> is empty', line, docno[0]);
    if (/\s/.test(id)) throw this.error('format', '<DOCNO> contains whitespace', line, id);
    if (this.builder.add(id, documentText(inner)) < 0) {
      this.warnings.add(`line ${line.toLocaleString('en')}: DOCNO '${id}' appeared before; the first document is kept`);
      return;
    }
    this.records++;
  }

  finish(): TextCollection {
    const report = this.end();
    return { table: this.builder.build(ColumnTextTable), ...report };
  }
}

function documentText(inner: string): string {
  if (!WEB.test(inner)) {
    const parts: string[] = [];
    CONTENT.lastIndex = 0;
    for (let m = CONTENT.exec(inner); m !== null; m = CONTENT.exec(inner)) {
      const name = m[1].toUpperCase();
      let close = closers.get(name);
      if (close === undefined) closers.set(name, (close = new RegExp(`</${name}\\s*>`, 'gi')));
      close.lastIndex = CONTENT.lastIndex;
      const end = close.exec(inner);
      // An unclosed element runs to the end of the document rather than losing its text.
      const to = end === null ? inner.length : end.index;
      const text = markupToText(inner.slice(CONTENT.lastIndex, to));
      if (text.length > 0) parts.push(text);
      CONTENT.lastIndex = end === null ? inner.length : close.lastIndex;
    }
    if (parts.length > 0) return parts.join(' ');
  }
  return markupToText(inner.replace(NOT_CONTENT, ' ').replace(SCRIPT_STYLE, ' '));
}

export async function parseTrecSgmlDocs(source: ByteSource, opts: TextParseOptions = {}): Promise<TextCollection> {
  const parser = new TrecSgmlDocsParser(source.name, opts);
  await drive(source, parser, opts);
  return parser.finish();
}

export interface TopicCollection extends ParseReport {
  table: TopicTable;
}

const TOPIC_TAG = /<(\/?)([A-Za-z][\w-]*)[^>]*>/g;
const PREFIXES = new Map<string, RegExp>([
  ['num', /^(Number|Topic)\s*:\s*/i],
  ['title', /^Topic\s*:\s*/i],
  ['desc', /^Description\s*:\s*/i],
  ['narr', /^Narrative\s*:\s*/i],
]);

/**
 * TREC topics: `<top> <num> Number: 301 <title> … <desc> Description: … <narr> Narrative: … </top>`.
 * Fields are often not closed, so a field runs from its tag to the next tag of any kind. The
 * "Number:", "Topic:", "Description:" and "Narrative:" prefixes are removed, whitespace collapsed.
 * The topic number is the id; an all-digit number loses leading zeros ("051" → "51") because the
 * qrels of those topic sets write "51". text() is the title; description and narrative are kept.
 * Other fields (<dom>, <con>, <smry>, …) are ignored. A repeated number keeps the first topic.
 */
export class TrecTopicsParser extends SgmlBlockParser {
  private readonly builder = new TextTableBuilder(3);

  constructor(file: string, opts: TextParserOptions = {}) {
    super(file, 'trec-topics', 'top', opts);
  }

  protected parseBlock(inner: string, line: number): void {
    const fields = topicFields(inner);
    const num = fields.get('num');
    if (num === undefined || num.length === 0) throw this.error('format', 'topic has no <num>', line, inner.trim());
    if (/\s/.test(num)) throw this.error('format', 'the topic number contains whitespace', line, num);
    const id = /^\d+$/.test(num) ? num.replace(/^0+(?=\d)/, '') : num;
    const title = fields.get('title');
    if (title === undefined || title.length === 0) throw this.error('format', `topic ${id} has no <title>`, line);
    if (this.builder.add(id, title, fields.get('desc') ?? '', fields.get('narr') ?? '') < 0) {
      this.warnings.add(`line ${line.toLocaleString('en')}: topic ${id} appeared before; the first is kept`);
      return;
    }
    this.records++;
  }

  finish(): TopicCollection {
    const report = this.end();
    return { table: this.builder.build(TopicColumnTable), ...report };
  }
}

/** The first occurrence of each known field: text from its tag to the next tag, cleaned. */
function topicFields(inner: string): Map<string, string> {
  const out = new Map<string, string>();
  const tags: { name: string; closing: boolean; start: number; end: number }[] = [];
  TOPIC_TAG.lastIndex = 0;
  for (let m = TOPIC_TAG.exec(inner); m !== null; m = TOPIC_TAG.exec(inner)) {
    tags.push({ name: m[2].toLowerCase(), closing: m[1] === '/', start: m.index, end: TOPIC_TAG.lastIndex });
  }
  for (let t = 0; t < tags.length; t++) {
    const { name, closing, end } = tags[t];
    const prefix = PREFIXES.get(name);
    if (closing || prefix === undefined || out.has(name)) continue;
    const to = t + 1 < tags.length ? tags[t + 1].start : inner.length;
    out.set(name, markupToText(inner.slice(end, to)).replace(prefix, ''));
  }
  return out;
}

export async function parseTrecTopics(source: ByteSource, opts: TextParseOptions = {}): Promise<TopicCollection> {
  const parser = new TrecTopicsParser(source.name, opts);
  await drive(source, parser, opts);
  return parser.finish();
}
