import { drive, type ByteSource } from '../../data/parse/stream';
import { parseIntToken } from '../../data/text/fields';
import type { ParseReport } from '../../data/text/lines';
import { int32s } from './builder';
import { ClickLineParser, splitTabs } from './lines';
import { appendTokens, TokenListsBuilder, type TokenLists } from './tokens';
import type { ClickLogParseOptions, ClickLogParserOptions } from './types';

/**
 * The Baidu-ULTR expert-annotated set (nips_annotation_data_0522.txt, split by users into
 * test/validation), one judged (query, document) pair per line, tab-separated:
 *
 *     qid, query, title, abstract, label (0–4), bucket (0–9)
 *
 * query/title/abstract are \x01-separated token ids; bucket is the query's monthly-frequency decile
 * (0 = most frequent). The dataset README's table lists only the last five columns; the published
 * file and both reference readers (the dataset's dataloader.py, philipphager/baidu-ultr) have the
 * qid first, six fields, which is what is read here.
 *
 * There are no document ids: a row is its document. So this set joins to a click log by text,
 * not by id (see join.ts).
 *
 * The duplicate-qid trap: a few qids come back. A qid whose rows reappear after other queries,
 * with the same query tokens, is one query: its rows are grouped with the first block (warned).
 * A qid that comes back with *different* query tokens is a different query reusing the id:
 * merging them would judge documents against the wrong query, so it becomes its own query with
 * id `qid#2` (`#3`, …) and a warning. Rows are returned grouped by query (first-seen order, file
 * order inside a query), CSR like a RankingDataset.
 */
export interface BaiduAnnotated extends ParseReport {
  format: 'baidu-annotated';
  /** Query ids: the qid, or `qid#2`… for a reused qid with another query (see above). */
  queryIds: string[];
  /** Rows of query q are queryOffsets[q] .. queryOffsets[q+1]-1. */
  queryOffsets: Int32Array;
  /** Query tokens per query. */
  query: TokenLists;
  /** Per row. */
  title: TokenLists;
  abstract: TokenLists;
  label: Int8Array;
  bucket: Int8Array;
  /** Source line of each row. */
  line: Int32Array;
  /** qids reused for a different query (each split off), and qids whose rows came in separate blocks. */
  reusedQids: number;
  splitBlocks: number;
}

const FIELDS = 'qid, query, title, abstract, label, bucket';

export class BaiduAnnotatedParser extends ClickLineParser {
  private readonly fields: string[] = [];
  /** (qid, query tokens) → query index. */
  private readonly queryIndex = new Map<string, number>();
  /** qid → how many different queries used it. */
  private readonly qidUses = new Map<string, number>();
  private readonly queryIds: string[] = [];
  private readonly queryTokens = new TokenListsBuilder();
  private readonly rowQuery = int32s();
  private readonly rowLine = int32s();
  private readonly labels: number[] = [];
  private readonly buckets: number[] = [];
  private readonly titles = new TokenListsBuilder();
  private readonly abstracts = new TokenListsBuilder();
  private readonly scratch = int32s();
  private lastQuery = -1;
  private readonly blockEnd: number[] = [];
  private reused = 0;
  private split = 0;

  constructor(file: string, opts: ClickLogParserOptions = {}) {
    super(file, 'baidu-annotated', opts);
  }

  protected parseLine(line: string, lineNo: number): void {
    const f = this.fields;
    const n = splitTabs(line, f, 7);
    if (n !== 6) {
      const hint = n === 5 ? "; the README's table omits the qid, but the file has it first" : '';
      throw this.error('format', `expected 6 tab-separated fields (${FIELDS}), found ${n}${hint}`, lineNo, line);
    }
    const qid = f[0];
    if (qid.length === 0) throw this.error('value', 'qid is empty', lineNo);
    const label = parseIntToken(f[4].trim());
    if (!Number.isInteger(label) || label < 0 || label > 4) throw this.error('value', 'label must be an integer from 0 to 4', lineNo, f[4]);
    const bucket = parseIntToken(f[5].trim());
    if (!Number.isInteger(bucket) || bucket < 0 || bucket > 9) throw this.error('value', 'bucket must be an integer from 0 to 9', lineNo, f[5]);
    // Check every token field before storing anything, so a bad line leaves nothing behind.
    const s = this.scratch;
    const names = ['query', 'title', 'abstract'];
    const ends: number[] = [];
    s.length = 0;
    for (let i = 1; i <= 3; i++) {
      const bad = appendTokens(f[i], s);
      if (bad !== null) throw this.error('value', `${names[i - 1]} token is not a token id (a non-negative integer)`, lineNo, bad);
      ends.push(s.length);
    }
    const q = this.queryOf(qid, s, ends[0], lineNo);
    this.rowQuery.push(q);
    this.rowLine.push(lineNo);
    this.labels.push(label);
    this.buckets.push(bucket);
    this.titles.add(s, ends[0], ends[1]);
    this.abstracts.add(s, ends[1], ends[2]);
    this.records++;
  }

  private queryOf(qid: string, tokens: ReturnType<typeof int32s>, end: number, lineNo: number): number {
    let key = qid + '\u0000';
    for (let i = 0; i < end; i++) key += `${tokens.get(i)},`;
    let q = this.queryIndex.get(key);
    if (q === undefined) {
      const uses = (this.qidUses.get(qid) ?? 0) + 1;
      this.qidUses.set(qid, uses);
      q = this.queryIds.length;
      this.queryIds.push(uses === 1 ? qid : `${qid}#${uses}`);
      this.queryIndex.set(key, q);
      this.queryTokens.add(tokens, 0, end);
      this.blockEnd.push(lineNo);
      if (uses > 1) {
        this.reused++;
        this.warnings.add(`line ${lineNo.toLocaleString('en')}: qid ${qid} comes back with different query tokens; read as another query, '${qid}#${uses}'`);
      }
    } else if (q !== this.lastQuery) {
      this.split++;
      this.warnings.add(
        `line ${lineNo.toLocaleString('en')}: rows of qid ${qid} come back after other queries (its block ended on line ${this.blockEnd[q].toLocaleString('en')}); they are grouped with the first block`,
      );
    }
    this.blockEnd[q] = lineNo;
    this.lastQuery = q;
    return q;
  }

  protected override lineSkipped(): void {
    // Rows stand alone: a skipped row takes nothing else with it.
  }

  finish(): BaiduAnnotated {
    const report = this.end();
    const rows = this.rowQuery.length;
    if (rows === 0) throw this.noSessions('no rows: the file has no judged (query, document) lines');
    const nq = this.queryIds.length;
    const queryOffsets = new Int32Array(nq + 1);
    for (let r = 0; r < rows; r++) queryOffsets[this.rowQuery.get(r) + 1]++;
    for (let q = 0; q < nq; q++) queryOffsets[q + 1] += queryOffsets[q];
    // Stable grouping by query: order[i] is the source row placed at i.
    const fill = queryOffsets.slice(0, nq);
    const order = new Int32Array(rows);
    for (let r = 0; r < rows; r++) order[fill[this.rowQuery.get(r)]++] = r;
    const title = this.titles.build();
    const abstract = this.abstracts.build();
    return {
      format: 'baidu-annotated',
      queryIds: this.queryIds,
      queryOffsets,
      query: this.queryTokens.build(),
      title: reorder(title, order),
      abstract: reorder(abstract, order),
      label: Int8Array.from(order, (r) => this.labels[r]),
      bucket: Int8Array.from(order, (r) => this.buckets[r]),
      line: Int32Array.from(order, (r) => this.rowLine.get(r)),
      reusedQids: this.reused,
      splitBlocks: this.split,
      ...report,
    };
  }
}

function reorder(lists: TokenLists, order: Int32Array): TokenLists {
  const offsets = new Int32Array(order.length + 1);
  for (let i = 0; i < order.length; i++) offsets[i + 1] = offsets[i] + (lists.offsets[order[i] + 1] - lists.offsets[order[i]]);
  const tokens = new Int32Array(offsets[order.length]);
  for (let i = 0; i < order.length; i++) tokens.set(lists.tokens.subarray(lists.offsets[order[i]], lists.offsets[order[i] + 1]), offsets[i]);
  return { offsets, tokens };
}

export async function parseBaiduAnnotated(source: ByteSource, opts: ClickLogParseOptions = {}): Promise<BaiduAnnotated> {
  const parser = new BaiduAnnotatedParser(source.name, opts);
  await drive(source, parser, opts);
  return parser.finish();
}
