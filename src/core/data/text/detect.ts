import { innerName } from '../parse/stream';
import { parseFiniteNumber, parseIntToken, splitWhitespace } from './fields';

export type TextFormat =
  | 'trec-qrels'
  | 'trec-run'
  | 'msmarco-tsv'
  | 'beir-corpus'
  | 'beir-queries'
  | 'beir-qrels'
  | 'trec-sgml-docs'
  | 'trec-topics';

/** How messages name each format: what it is and what a line looks like. */
export const FORMAT_LABELS: Record<TextFormat, string> = {
  'trec-qrels': 'a TREC qrels file (qid iter docno rel)',
  'trec-run': 'a TREC run file (qid Q0 docno rank score tag)',
  'msmarco-tsv': 'an MS MARCO TSV file (id<TAB>text)',
  'beir-corpus': 'a BEIR corpus.jsonl ({"_id", "title", "text"} per line)',
  'beir-queries': 'a BEIR queries.jsonl ({"_id", "text"} per line)',
  'beir-qrels': 'a BEIR qrels TSV (query-id<TAB>corpus-id<TAB>score)',
  'trec-sgml-docs': 'TREC SGML documents (<DOC> <DOCNO>…</DOCNO> … </DOC>)',
  'trec-topics': 'TREC topics (<top> <num> <title> <desc> <narr> </top>)',
};

export interface FormatGuess {
  format: TextFormat | null;
  /** Why: what was seen, or why nothing fits. */
  reason: string;
}

const SAMPLE_LINES = 10;
const ANY_FORMAT = 'a text-ranking file (TREC qrels/run/SGML/topics, MS MARCO TSV, BEIR JSONL or qrels TSV)';

/**
 * Guesses the format of a text-ranking file from its name and its first bytes or characters.
 * Content decides; the name only separates look-alikes (corpus vs queries JSONL) and says what was
 * expected when the content is binary. Pass bytes when you have them: only bytes show invalid UTF-8.
 */
export function detectTextFormat(fileName: string, head: string | Uint8Array): FormatGuess {
  const name = innerName(fileName).toLowerCase().replace(/\\/g, '/');
  const base = name.slice(name.lastIndexOf('/') + 1);
  const fromName = formatFromName(name, base);
  const expected = fromName ? FORMAT_LABELS[fromName] : ANY_FORMAT;
  const sample = sampleHead(head, expected, { controlCharsAreBinary: true });
  if ('reason' in sample) return { format: null, reason: sample.reason };
  const { text, lines } = sample;
  const first = lines[0].trim();

  if (first.startsWith('{')) return jsonLines(first, base);
  if (/^query-id\s+corpus-id\s+score$/i.test(first)) return { format: 'beir-qrels', reason: 'header line "query-id corpus-id score"' };
  const sgml = /<(doc|top)(\s[^>]*)?>/i.exec(text);
  if (sgml && first.startsWith('<')) {
    return sgml[1].toLowerCase() === 'doc'
      ? { format: 'trec-sgml-docs', reason: 'starts with SGML and has a <DOC> tag' }
      : { format: 'trec-topics', reason: 'starts with SGML and has a <top> tag' };
  }
  const n = lines.length;
  const describe = `on ${n === 1 ? 'the first line' : `each of the first ${n} lines`}`;
  if (lines.every(isRunLine)) return { format: 'trec-run', reason: `6 fields with an integer rank and a numeric score ${describe}` };
  if (lines.every(isQrelsLine)) return { format: 'trec-qrels', reason: `4 fields with an integer relevance ${describe}` };
  if (lines.every(isBeirQrelsLine)) return { format: 'beir-qrels', reason: `3 tab-separated fields with an integer score ${describe} (no header line)` };
  if (lines.every(isIdTextLine)) return { format: 'msmarco-tsv', reason: `an id, a tab and text ${describe}` };
  return { format: null, reason: `unrecognised content (first line '${shorten(first)}'; expected ${expected})` };
}

function formatFromName(path: string, base: string): TextFormat | null {
  if (base.endsWith('.jsonl')) return base.includes('quer') ? 'beir-queries' : 'beir-corpus';
  if (path.includes('qrels/') && base.endsWith('.tsv')) return 'beir-qrels';
  if (base.includes('qrel')) return 'trec-qrels';
  if (base.includes('topic')) return 'trec-topics';
  if (base.endsWith('.run') || base.startsWith('run')) return 'trec-run';
  if (base.endsWith('.tsv')) return 'msmarco-tsv';
  return null;
}

/** NUL bytes, or many control characters / replacement characters, mean binary data. */
function binaryReason(text: string): string | null {
  if (text.includes('\u0000')) return 'it has NUL bytes';
  let odd = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 32 && c !== 9 && c !== 10 && c !== 13 && c !== 12 && c !== 11) || c === 0xfffd) odd++;
  }
  return odd > 0 && odd * 100 > text.length ? 'it is mostly control characters' : null;
}

/**
 * The first lines of a file's head for format detection, or why there are none: gzip not yet
 * decompressed, invalid UTF-8, binary content, or nothing but blank lines. Shared by the
 * text-ranking and click-log detectors. `controlCharsAreBinary`: count control characters as
 * binary (click logs such as Baidu's use \x01 as a separator, so they check NUL bytes only).
 */
export function sampleHead(
  head: string | Uint8Array,
  expected: string,
  opts: { controlCharsAreBinary: boolean },
): { text: string; lines: string[] } | { reason: string } {
  let text: string;
  if (typeof head === 'string') text = head;
  else {
    if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return { reason: `gzip-compressed data: decompress it first (expected ${expected})` };
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
    } catch {
      return { reason: `not a text file: it is not valid UTF-8 (expected ${expected})` };
    }
  }
  const binary = opts.controlCharsAreBinary ? binaryReason(text) : text.includes('\u0000') ? 'it has NUL bytes' : null;
  if (binary) return { reason: `not a text file: ${binary} (expected ${expected})` };
  const lines = sampleLines(text);
  if (lines.length === 0) return { reason: 'file is empty' };
  return { text, lines };
}

/** The first non-blank complete lines; the last piece of a head that does not end a line is cut. */
function sampleLines(text: string): string[] {
  const parts = text.split('\n');
  if (parts.length > 1 && !text.endsWith('\n')) parts.pop();
  const out: string[] = [];
  for (const p of parts) {
    const line = p.endsWith('\r') ? p.slice(0, -1) : p;
    if (line.trim().length > 0) out.push(line);
    if (out.length >= SAMPLE_LINES) break;
  }
  return out;
}

function jsonLines(first: string, base: string): FormatGuess {
  let value: unknown;
  try {
    value = JSON.parse(first);
  } catch {
    // A head cut inside a long first line: fall back to looking for the keys.
    const titled = first.includes('"title"') || base.includes('corpus');
    return titled
      ? { format: 'beir-corpus', reason: 'JSON lines with a "title" key' }
      : { format: 'beir-queries', reason: 'JSON lines without a "title" key' };
  }
  if (typeof value !== 'object' || value === null || !('_id' in value)) {
    return { format: null, reason: 'JSON lines, but the first is not an object with an "_id" (BEIR corpus or queries expected)' };
  }
  if ('title' in value || base.includes('corpus')) return { format: 'beir-corpus', reason: 'JSON lines with "_id" and "title"' };
  return { format: 'beir-queries', reason: 'JSON lines with "_id" and "text" but no "title"' };
}

const fields: string[] = [];

/** "12\tsome text 0 1" has 4 whitespace fields but is an id and a text: a tab before spaced text. */
function looksLikeIdText(line: string): boolean {
  const tab = line.indexOf('\t');
  return tab >= 0 && line.indexOf('\t', tab + 1) < 0 && /\S\s+\S/.test(line.slice(tab + 1).trim());
}

function isQrelsLine(line: string): boolean {
  return !looksLikeIdText(line) && splitWhitespace(line, fields, 4) === 4 && Number.isInteger(parseIntToken(fields[3]));
}

function isRunLine(line: string): boolean {
  return (
    !looksLikeIdText(line) &&
    splitWhitespace(line, fields, 6) >= 6 &&
    Number.isInteger(parseIntToken(fields[3])) &&
    parseFiniteNumber(fields[4], 'score').ok
  );
}

function isBeirQrelsLine(line: string): boolean {
  const parts = line.split('\t');
  return parts.length === 3 && Number.isInteger(parseIntToken(parts[2].trim()));
}

function isIdTextLine(line: string): boolean {
  const tab = line.indexOf('\t');
  return tab > 0 && !/\s/.test(line.slice(0, tab));
}

function shorten(s: string): string {
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}
