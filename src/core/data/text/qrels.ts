import { drive, type ByteSource } from '../parse/stream';
import { IdTable, int32Column, int8Column, PairIndex, type WarningList } from './columns';
import { parseIntToken, splitWhitespace } from './fields';
import { LineParser, type ParseReport, type TextParseOptions, type TextParserOptions } from './lines';

/**
 * Relevance judgements, columnar: judgement j says document docIds[doc[j]] has grade rel[j] for
 * query queryIds[query[j]]. Ids are distinct and in first-seen order. Grades are kept as given,
 * negative ones included (judged non-relevant; trec_eval reads them as "in the pool, unjudged").
 * Each (query, document) pair appears once.
 */
export interface Qrels extends ParseReport {
  queryIds: string[];
  docIds: string[];
  query: Int32Array;
  doc: Int32Array;
  rel: Int8Array;
}

/**
 * Collects judgements for TREC and BEIR qrels alike. A (query, doc) pair judged twice keeps the
 * later grade in the earlier row and warns with both line numbers. trec_eval refuses such a file
 * ("duplicate docs") rather than choosing; we keep reading because a later line is usually a
 * correction, and say so, so the person can decide.
 */
export class QrelsBuilder {
  private readonly queries = new IdTable();
  private readonly docs = new IdTable();
  private readonly query = int32Column();
  private readonly doc = int32Column();
  private readonly rel = int8Column();
  private readonly lineOf = int32Column();
  private readonly rowOf = new PairIndex(this.query, this.doc);

  constructor(private readonly warnings: WarningList) {}

  get size(): number {
    return this.query.length;
  }

  add(qid: string, docno: string, rel: number, line: number): void {
    const q = this.queries.intern(qid);
    const d = this.docs.intern(docno);
    const seen = this.rowOf.findOrAdd(q, d, this.query.length);
    if (seen >= 0) {
      const before = this.rel.get(seen);
      this.warnings.add(
        `line ${line.toLocaleString('en')}: query '${qid}', document '${docno}' was already judged on line ` +
          `${this.lineOf.get(seen).toLocaleString('en')} (${before}); the later judgement (${rel}) is kept`,
      );
      this.rel.set(seen, rel);
      this.lineOf.set(seen, line);
      return;
    }
    this.query.push(q);
    this.doc.push(d);
    this.rel.push(rel);
    this.lineOf.push(line);
  }

  build(report: ParseReport): Qrels {
    return {
      queryIds: this.queries.ids,
      docIds: this.docs.ids,
      query: this.query.toArray(),
      doc: this.doc.toArray(),
      rel: this.rel.toArray(),
      ...report,
    };
  }
}

const QRELS_FIELDS = 'qid iter docno rel';

/**
 * TREC qrels: `qid iter docno rel`, whitespace separated, exactly four fields (as trec_eval
 * insists). Lines starting with '#' are comments, as in trec_eval.
 */
export class TrecQrelsParser extends LineParser {
  private readonly builder = new QrelsBuilder(this.warnings);
  private readonly fields: string[] = [];

  constructor(file: string, opts: TextParserOptions = {}) {
    super(file, 'trec-qrels', opts);
  }

  protected parseLine(line: string, lineNo: number): void {
    if (line.charCodeAt(0) === 35) return;
    const f = this.fields;
    const n = splitWhitespace(line, f, 4);
    if (n !== 4) {
      throw this.error('format', `expected 4 whitespace-separated fields (${QRELS_FIELDS}), found ${n}`, lineNo, line);
    }
    const grade = gradeOf(f[3]);
    if (typeof grade === 'string') throw this.error('value', grade, lineNo, f[3]);
    this.builder.add(f[0], f[2], grade, lineNo);
    this.records++;
  }

  finish(): Qrels {
    return this.builder.build(this.end());
  }
}

/** The grade, or why the token is not one. Int8 holds it (trec_eval documents -127..127). */
export function gradeOf(token: string): number | string {
  const value = parseIntToken(token);
  if (!Number.isInteger(value)) return 'relevance is not an integer';
  if (value < -128 || value > 127) return 'relevance must be between -128 and 127';
  return value;
}

export async function parseTrecQrels(source: ByteSource, opts: TextParseOptions = {}): Promise<Qrels> {
  const parser = new TrecQrelsParser(source.name, opts);
  await drive(source, parser, opts);
  return parser.finish();
}
