import { innerName } from '../../data/parse/stream';
import { sampleHead } from '../../data/text/detect';
import { parseIntToken, splitWhitespace } from '../../data/text/fields';
import { CLICK_LOG_LABELS, type ClickLogFormat } from './types';

export interface ClickLogGuess {
  format: ClickLogFormat | null;
  /** Why: what was seen, or why nothing fits. */
  reason: string;
}

const ANY = 'a click log (RankPlay TSV, Yandex, Baidu-ULTR sessions or annotated set)';

/**
 * Guesses the format of a click log from its name and first bytes (decompressed) or characters.
 * Content decides; the name only says what was expected when the content fits nothing.
 *
 * - Baidu-ULTR: tab-separated with \x01 between token ids. The annotated set has 6 fields per line
 *   (label 0–4 and bucket 0–9 last); training sessions start with a query line of 2–3 fields, then
 *   document lines of 6 or more (position first, click sixth).
 * - Yandex: whitespace-separated records with a type letter, `Q`/`T`/`C` third or `M` second.
 * - RankPlay TSV: 5 or 6 tab-separated fields with an integer rank third and a 0/1 click fifth, or
 *   a header line naming session … click.
 */
export function detectClickLogFormat(fileName: string, head: string | Uint8Array): ClickLogGuess {
  const name = innerName(fileName).toLowerCase().replace(/\\/g, '/');
  const base = name.slice(name.lastIndexOf('/') + 1);
  const fromName = formatFromName(base);
  const expected = fromName ? CLICK_LOG_LABELS[fromName] : ANY;
  const sample = sampleHead(head, expected, { controlCharsAreBinary: false });
  if ('reason' in sample) return { format: null, reason: sample.reason };
  const { lines } = sample;
  const n = lines.length;
  const describe = n === 1 ? 'the first line' : `the first ${n} lines`;

  if (lines.some((l) => l.includes('\u0001'))) {
    if (lines.every(isAnnotatedLine)) return { format: 'baidu-annotated', reason: `6 tab-separated fields with \\x01-separated token ids and a label 0–4 and bucket 0–9 on ${describe}` };
    if (isBaiduQueryLine(lines[0]) && lines.every((l) => isBaiduQueryLine(l) || isBaiduDocLine(l))) {
      return { format: 'baidu-train', reason: `a query line (qid, tokens) followed by document lines (position, url, tokens, …, click) with \\x01-separated token ids on ${describe}` };
    }
  }
  if (lines.every(isYandexLine)) return { format: 'yandex', reason: `Yandex records (SessionID TimePassed Q|C …, or SessionID M …) on ${describe}` };
  if (isPlainHeader(lines[0]) && lines.slice(1).every(isPlainLine)) return { format: 'plain-tsv', reason: 'a header line naming session, query, rank, doc and click' };
  if (lines.every(isPlainLine)) return { format: 'plain-tsv', reason: `5 or 6 tab-separated fields with an integer rank and a 0/1 click on ${describe}` };
  const first = lines[0];
  return { format: null, reason: `unrecognised content (first line '${shorten(first)}'; expected ${expected})` };
}

function formatFromName(base: string): ClickLogFormat | null {
  if (/^part-\d+/.test(base)) return 'baidu-train';
  if (base.includes('annotat') || base.includes('test_data') || base.includes('val_data')) return 'baidu-annotated';
  if (base.includes('yandex') || base.includes('relpred') || base.startsWith('train') || base.startsWith('clicklog')) return 'yandex';
  if (base.endsWith('.tsv')) return 'plain-tsv';
  return null;
}

/** The first non-blank complete lines; the last piece of a head that does not end a line is cut. */
function isInt(token: string): boolean {
  return Number.isInteger(parseIntToken(token));
}

function inRange(token: string, lo: number, hi: number): boolean {
  const v = parseIntToken(token);
  return Number.isInteger(v) && v >= lo && v <= hi;
}

/** Token ids separated by \x01 (or a lone '-'). */
function isTokens(field: string): boolean {
  return /^(\d+(\u0001\d+)*\u0001?|-)?$/.test(field);
}

function isAnnotatedLine(line: string): boolean {
  const f = line.split('\t');
  return f.length === 6 && isTokens(f[1]) && isTokens(f[2]) && isTokens(f[3]) && inRange(f[4], 0, 4) && inRange(f[5], 0, 9);
}

function isBaiduQueryLine(line: string): boolean {
  const f = line.split('\t');
  return (f.length === 2 || f.length === 3) && f[0].length > 0 && isTokens(f[1]);
}

function isBaiduDocLine(line: string): boolean {
  const f = line.split('\t');
  return f.length >= 6 && inRange(f[0], 1, 1000) && (f[5] === '0' || f[5] === '1');
}

const ws: string[] = [];

function isYandexLine(line: string): boolean {
  const n = splitWhitespace(line, ws, 4);
  if (n === 4 && ws[1] === 'M') return isInt(ws[0]);
  return n >= 4 && (ws[2] === 'Q' || ws[2] === 'C' || ws[2] === 'T') && isInt(ws[0]) && isInt(ws[1]);
}

function isPlainHeader(line: string): boolean {
  const f = line.split('\t');
  return (f.length === 5 || f.length === 6) && /session/i.test(f[0]) && /click/i.test(f[4]);
}

function isPlainLine(line: string): boolean {
  const f = line.split('\t');
  return (f.length === 5 || f.length === 6) && inRange(f[2].trim(), 1, 1_000_000) && (f[4].trim() === '0' || f[4].trim() === '1');
}

function shorten(s: string): string {
  const printable = s.replace(/[\u0000-\u001f]/g, '?');
  return printable.length > 40 ? `${printable.slice(0, 40)}…` : printable;
}
