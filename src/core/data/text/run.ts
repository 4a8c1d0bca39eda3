import { drive, type ByteSource } from '../parse/stream';
import { float64Column, IdTable, int32Column } from './columns';
import { parseFiniteNumber, parseIntToken, splitWhitespace } from './fields';
import { LineParser, type ParseReport, type TextParseOptions, type TextParserOptions } from './lines';

/**
 * A TREC run, columnar, one row per line in file order: row r ranks document docIds[doc[r]] for
 * query queryIds[query[r]] with score[r] at the file's rank[r]. Ids are distinct, first-seen order.
 */
export interface TrecRun extends ParseReport {
  queryIds: string[];
  docIds: string[];
  query: Int32Array;
  doc: Int32Array;
  rank: Int32Array;
  score: Float64Array;
  /** The run tag of the first line (trec_eval keeps the last line's; files normally agree). */
  tag: string;
}

const RUN_FIELDS = 'qid Q0 docno rank score tag';

/**
 * TREC run lines: `qid Q0 docno rank score tag`, whitespace separated. As in trec_eval, fields
 * after the tag are ignored (with a warning) and lines starting with '#' are comments. The rank
 * must be an integer and the score a finite number even though trec_eval ranks by score alone:
 * a garbled rank column usually means a garbled file.
 */
export class TrecRunParser extends LineParser {
  private readonly queries = new IdTable();
  private readonly docs = new IdTable();
  private readonly query = int32Column();
  private readonly doc = int32Column();
  private readonly rank = int32Column();
  private readonly score = float64Column();
  private readonly fields: string[] = [];
  private tag: string | null = null;
  private readonly otherTags = new Set<string>();
  private extraFieldsWarned = false;

  constructor(file: string, opts: TextParserOptions = {}) {
    super(file, 'trec-run', opts);
  }

  protected parseLine(line: string, lineNo: number): void {
    if (line.charCodeAt(0) === 35) return;
    const f = this.fields;
    const n = splitWhitespace(line, f, 6);
    if (n < 6) throw this.error('format', `expected 6 whitespace-separated fields (${RUN_FIELDS}), found ${n}`, lineNo, line);
    let rank = parseIntToken(f[3]);
    if (Number.isNaN(rank)) {
      // Some tools write ranks as "3.0"; an integral value is still a rank.
      const asNumber = parseFiniteNumber(f[3], 'rank');
      rank = asNumber.ok ? asNumber.value : NaN;
    }
    if (!Number.isInteger(rank)) throw this.error('value', 'rank is not an integer', lineNo, f[3]);
    if (rank < -2147483648 || rank > 2147483647) throw this.error('value', 'rank is outside the 32-bit integer range', lineNo, f[3]);
    const score = parseFiniteNumber(f[4], 'score');
    if (!score.ok) throw this.error('value', score.reason, lineNo, f[4]);
    const tag = f[5];
    if (this.tag === null) this.tag = tag;
    else if (tag !== this.tag && !this.otherTags.has(tag)) {
      this.otherTags.add(tag);
      this.warnings.add(`line ${lineNo.toLocaleString('en')}: run tag '${tag}' differs from '${this.tag}' of the first line; '${this.tag}' is kept`);
    }
    if (n > 6 && !this.extraFieldsWarned) {
      this.extraFieldsWarned = true;
      this.warnings.add(`line ${lineNo.toLocaleString('en')}: ${n - 6} field(s) after the run tag are ignored, as trec_eval does`);
    }
    this.query.push(this.queries.intern(f[0]));
    this.doc.push(this.docs.intern(f[2]));
    this.rank.push(rank);
    this.score.push(score.value);
    this.records++;
  }

  finish(): TrecRun {
    const report = this.end();
    return {
      queryIds: this.queries.ids,
      docIds: this.docs.ids,
      query: this.query.toArray(),
      doc: this.doc.toArray(),
      rank: this.rank.toArray(),
      score: this.score.toArray(),
      tag: this.tag ?? '',
      ...report,
    };
  }
}

export async function parseTrecRun(source: ByteSource, opts: TextParseOptions = {}): Promise<TrecRun> {
  const parser = new TrecRunParser(source.name, opts);
  await drive(source, parser, opts);
  return parser.finish();
}

/** Each query's rows of a run, in the order trec_eval ranks them. */
export interface RankedLists {
  /** CSR over the run's queryIds: query q's rows are rows[offsets[q]] .. rows[offsets[q + 1] - 1]. */
  offsets: Int32Array;
  rows: Int32Array;
  /** Documents listed more than once for a query (trec_eval refuses such a run: "duplicate docs"). */
  duplicates: { query: string; doc: string }[];
}

/**
 * Orders each query's documents as trec_eval does, ignoring the rank column: score descending,
 * ties broken by docno descending in byte order (strcmp). Ties are common (BM25 on short texts,
 * integer features) and move nDCG in the second decimal, so this order is what evaluation uses.
 */
export function trecEvalOrder(run: Pick<TrecRun, 'queryIds' | 'docIds' | 'query' | 'doc' | 'score'>): RankedLists {
  const nq = run.queryIds.length;
  const offsets = new Int32Array(nq + 1);
  for (let r = 0; r < run.query.length; r++) offsets[run.query[r] + 1]++;
  for (let q = 0; q < nq; q++) offsets[q + 1] += offsets[q];
  const rows = new Int32Array(run.query.length);
  const fill = offsets.slice(0, nq);
  for (let r = 0; r < run.query.length; r++) rows[fill[run.query[r]]++] = r;

  const { score, doc, docIds } = run;
  const byTrecEval = (a: number, b: number): number => {
    if (score[a] !== score[b]) return score[a] > score[b] ? -1 : 1;
    return compareCodePoints(docIds[doc[b]], docIds[doc[a]]);
  };
  const duplicates: RankedLists['duplicates'] = [];
  const lastQuery = new Int32Array(docIds.length).fill(-1);
  for (let q = 0; q < nq; q++) {
    const list = rows.subarray(offsets[q], offsets[q + 1]);
    list.sort(byTrecEval);
    for (const r of list) {
      if (lastQuery[doc[r]] === q) duplicates.push({ query: run.queryIds[q], doc: docIds[doc[r]] });
      lastQuery[doc[r]] = q;
    }
  }
  return { offsets, rows, duplicates };
}

/**
 * strcmp on the UTF-8 bytes, i.e. code point order. JavaScript's `<` compares UTF-16 units, which
 * puts characters above U+FFFF (surrogates) before U+E000..U+FFFF; UTF-8 puts them after.
 */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x !== y) {
      if (x >= 0xd800 && y >= 0xd800) {
        x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
        y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
      }
      return x - y;
    }
  }
  return a.length - b.length;
}
