import { drive, type ByteSource } from '../../data/parse/stream';
import { int32Column, PairIndex } from '../../data/text/columns';
import { parseFiniteNumber, parseIntToken } from '../../data/text/fields';
import { ClickLogBuilder, float32s, int32s, SessionBuffer } from './builder';
import { checkK, ClickLineParser, clickOf, dwellOf, MAX_SLOTS, rankOf, splitTabs } from './lines';
import { rankProblem } from './plain-tsv';
import { appendTokens, TokenListsBuilder, type TokenLists } from './tokens';
import type { ClickLogParseOptions, ClickLogParserOptions, ParsedClickLog } from './types';

/*
 * Baidu-ULTR (Zou et al., "A Large Scale Search Dataset for Unbiased Learning to Rank", NeurIPS
 * 2022 Datasets). Checked against the dataset README (github.com/ChuXiaokai/baidu_ultr_dataset)
 * and the two reference readers: that repository's dataloader.py and
 * github.com/philipphager/baidu-ultr (src/data.py, src/const.py).
 *
 * Training sessions (part-NNNNN.gz), tab-separated, token ids separated by \x01:
 *
 *   query line (2–3 fields):  qid, query, query_reformulation
 *   document line (32 fields, 0-based index):
 *      0 pos (1–30)            1 url_md5              2 title                3 abstract
 *      4 multimedia_type       5 click (0/1)          6 -                    7 -
 *      8 skip                  9 serp_height         10 displayed_time      11 displayed_time_middle
 *     12 first_click          13 displayed_count     14 serp_max_show_height 15 slipoff_count_after_click
 *     16 dwelling_time        17 displayed_time_top  18 serp_to_top         19 displayed_count_top
 *     20 displayed_count_bottom 21 slipoff_count     22 -                   23 final_click
 *     24 displayed_time_bottom 25 click_count        26 displayed_count     27 -
 *     28 last_click           29 reverse_display_count 30 displayed_count_middle 31 -
 *
 * A line is a query line when it has at most 3 fields (the official loader tests == 3,
 * philipphager's <= 3); the documents after it, up to the next query line, are its session.
 * We read fields 0–5, 9, 10 and 16; a line needs 6 fields at least, and later fields missing
 * are unknown. The reformulation is not kept. multimedia_type is '-' in places (philipphager reads
 * it as 0; we keep -1 = unknown); numeric display fields that are '-' or empty are NaN.
 */

/** Per slot display fields (sessions × k, the log's layout), for bias models that use them. */
export interface BaiduDisplay {
  /** multimedia_type; -1 where '-' / unknown / empty slot. */
  multimediaType: Int32Array;
  /** serp_height (pixels); NaN where unknown. */
  serpHeight: Float32Array;
  /** displayed_time; NaN where unknown. */
  displayedTime: Float32Array;
}

/**
 * Token ids of what the log showed. A document's abstract is written for the query ("a
 * query-related brief introduction"), so text is kept per distinct (query, document) pair, not
 * per document. Ids are as in the file (the reference loaders add 10 to make room for special
 * tokens: that belongs to the model, not here). The first occurrence is kept when a query or pair
 * repeats.
 */
export interface BaiduText {
  /** Tokens of each query (index into log.queryIds). */
  query: TokenLists;
  /** Distinct (query, document) pairs shown: indices into log.queryIds and log.docIds. */
  pairQuery: Int32Array;
  pairDoc: Int32Array;
  /** Title and abstract tokens per pair. */
  title: TokenLists;
  abstract: TokenLists;
  /** sessions × k: the pair of each slot, -1 in empty slots. */
  slotPair: Int32Array;
}

export interface ParsedBaiduLog extends ParsedClickLog {
  display: BaiduDisplay;
  /** Null when read with `text: false`. */
  text: BaiduText | null;
}

export interface BaiduTrainOptions extends ClickLogParserOptions {
  /** Keep the token ids (default true). False reads clicks and display fields only. */
  text?: boolean;
  /**
   * Keep at most this many token ids of each query, title and abstract (default: all). Text models
   * read 128 or so tokens of query + title + abstract; a whole part file's abstracts, kept in full,
   * take gigabytes.
   */
  maxTokens?: number;
}

const DOC_FIELDS = 'pos, url_md5, title, abstract, multimedia_type, click, …, dwelling_time, …';

interface OpenSession {
  qid: string;
  line: number;
  poisoned: boolean;
}

/**
 * Baidu-ULTR training sessions → ClickLog: one session per query line, documents in position
 * order, k = the largest position (or the `k` option: a top-10 log is common), dwell from
 * dwelling_time (unit not documented; kept as given).
 *
 * Rules: positions within a session must be 1, 2, 3, … in order (a gap, repeat or disorder is
 * an error naming the qid and the line; the documented range is 1–30, larger ones are read up to
 * 1,000); click is 0/1; dwelling_time a finite number ≥ 0 (or '-' / empty: unknown); token ids
 * non-negative integers. A document line before any query line is an error. A query line with no
 * document lines is an empty session: dropped, counted and warned about. With skipBadLines, a bad
 * line drops its session (the official loader silently skips documents whose tokens do not parse;
 * here they are reported).
 */
export class BaiduTrainParser extends ClickLineParser {
  private readonly builder: ClickLogBuilder;
  private readonly buffer = new SessionBuffer();
  private readonly fields: string[] = [];
  private readonly keepText: boolean;
  private readonly maxTokens: number;
  private current: OpenSession | null = null;
  private lineSession: OpenSession | null = null;
  /** This session's tokens: the query's, then per slot title and abstract, with their ranges. */
  private readonly sessionTokens = int32s();
  private queryTo = 0;
  private readonly slotTokens: number[] = [];
  private readonly slotMedia: number[] = [];
  private readonly slotHeight: number[] = [];
  private readonly slotShown: number[] = [];
  // Per kept impression, in commit order (laid out sessions × k at the end).
  private readonly media = int32s();
  private readonly height = float32s();
  private readonly shownTime = float32s();
  private readonly pairOfSlot = int32s();
  // Text tables.
  private readonly queryTokens = new TokenListsBuilder();
  private readonly pairQuery = int32Column();
  private readonly pairDoc = int32Column();
  private readonly pairs = new PairIndex(this.pairQuery, this.pairDoc);
  private readonly titles = new TokenListsBuilder();
  private readonly abstracts = new TokenListsBuilder();

  constructor(file: string, opts: BaiduTrainOptions = {}) {
    super(file, 'baidu-train', opts);
    this.builder = new ClickLogBuilder(checkK(file, opts.k));
    this.keepText = opts.text ?? true;
    this.maxTokens = opts.maxTokens ?? Infinity;
    if (!(this.maxTokens >= 0)) throw this.error('value', `the maxTokens option must be 0 or more, not ${opts.maxTokens}`);
  }

  protected parseLine(line: string, lineNo: number): void {
    this.lineSession = null;
    const f = this.fields;
    const n = splitTabs(line, f, 17);
    if (n === 2 || n === 3) {
      this.closeSession();
      const session: OpenSession = { qid: f[0], line: lineNo, poisoned: false };
      this.current = session;
      this.lineSession = session;
      this.queryLine(f, lineNo);
      this.records++;
      return;
    }
    this.lineSession = this.current;
    if (n < 6) {
      throw this.error('format', `expected a query line (qid, query, query_reformulation) or a document line (${DOC_FIELDS}; 6 fields at least), found ${n} field(s)`, lineNo, line);
    }
    const session = this.current;
    if (session === null) throw this.error('format', 'a document line comes before any query line (a session starts with qid, query, query_reformulation)', lineNo, line);
    if (session.poisoned) return;
    this.documentLine(session, f, n, lineNo);
    this.records++;
  }

  private queryLine(f: string[], lineNo: number): void {
    if (f[0].length === 0) throw this.error('value', 'qid is empty', lineNo);
    this.sessionTokens.length = 0;
    if (this.keepText) {
      const bad = appendTokens(f[1], this.sessionTokens, this.maxTokens);
      if (bad !== null) throw this.error('value', 'query token is not a token id (a non-negative integer)', lineNo, bad);
    }
    this.queryTo = this.sessionTokens.length;
  }

  private documentLine(session: OpenSession, f: string[], n: number, lineNo: number): void {
    const pos = rankOf(f[0].trim(), 'position', MAX_SLOTS);
    if (typeof pos === 'string') throw this.error('value', pos, lineNo, f[0]);
    const expected = this.buffer.n + 1;
    if (pos !== expected) throw this.error('value', rankProblem(`the session of qid '${session.qid}' (line ${session.line.toLocaleString('en')})`, 'position', pos, expected, this.buffer.lines), lineNo, f[0]);
    if (f[1].length === 0) throw this.error('value', 'url_md5 is empty', lineNo);
    const tokensBefore = this.sessionTokens.length;
    if (this.keepText) {
      let bad = appendTokens(f[2], this.sessionTokens, this.maxTokens);
      if (bad !== null) throw this.rollback(tokensBefore, this.error('value', 'title token is not a token id (a non-negative integer)', lineNo, bad));
      this.slotTokens[2 * this.buffer.n] = this.sessionTokens.length;
      bad = appendTokens(f[3], this.sessionTokens, this.maxTokens);
      if (bad !== null) throw this.rollback(tokensBefore, this.error('value', 'abstract token is not a token id (a non-negative integer)', lineNo, bad));
      this.slotTokens[2 * this.buffer.n + 1] = this.sessionTokens.length;
    }
    const media = f[4] === '-' || f[4] === '' ? -1 : parseIntToken(f[4]);
    if (!Number.isInteger(media) || media < -1) throw this.rollback(tokensBefore, this.error('value', "multimedia_type is not an integer (or '-')", lineNo, f[4]));
    const click = clickOf(f[5].trim());
    if (typeof click === 'string') throw this.rollback(tokensBefore, this.error('value', click, lineNo, f[5]));
    const height = this.number(f, n, 9, 'serp_height', lineNo, tokensBefore);
    const shown = this.number(f, n, 10, 'displayed_time', lineNo, tokensBefore);
    const dwellToken = n > 16 ? f[16].trim() : '';
    const dwell = dwellToken === '-' ? NaN : dwellOf(dwellToken, 'dwelling_time');
    if (typeof dwell === 'string') throw this.rollback(tokensBefore, this.error('value', dwell, lineNo, f[16]));
    const i = this.buffer.add(f[1], click, dwell, lineNo);
    this.slotMedia[i] = media;
    this.slotHeight[i] = height;
    this.slotShown[i] = shown;
  }

  /** A display number: finite, or '-' / empty / absent for unknown. */
  private number(f: string[], n: number, index: number, what: string, lineNo: number, tokensBefore: number): number {
    if (n <= index) return NaN;
    const token = f[index].trim();
    if (token === '' || token === '-') return NaN;
    const v = parseFiniteNumber(token, what);
    if (!v.ok) throw this.rollback(tokensBefore, this.error('value', v.reason, lineNo, token));
    return v.value;
  }

  private rollback(tokens: number, e: Error): Error {
    this.sessionTokens.length = tokens;
    return e;
  }

  protected override lineSkipped(): void {
    if (this.lineSession) this.lineSession.poisoned = true;
  }

  private closeSession(): void {
    const s = this.current;
    if (!s) return;
    this.current = null;
    const b = this.buffer;
    if (s.poisoned) this.builder.stats.droppedSessions++;
    else {
      const session = this.builder.addSession(s.qid, b);
      if (session >= 0) this.commitExtras(session, b.n);
    }
    b.clear();
    this.sessionTokens.length = 0;
  }

  private commitExtras(session: number, n: number): void {
    const kept = this.builder.kept(n);
    const q = this.builder.queryOf(session);
    if (this.keepText && q === this.queryTokens.size) this.queryTokens.add(this.sessionTokens, 0, this.queryTo);
    for (let i = 0; i < kept; i++) {
      this.media.push(this.slotMedia[i]);
      this.height.push(this.slotHeight[i]);
      this.shownTime.push(this.slotShown[i]);
      if (!this.keepText) continue;
      const d = this.builder.docOf(session, i);
      const row = this.pairQuery.length;
      const seen = this.pairs.findOrAdd(q, d, row);
      if (seen >= 0) {
        this.pairOfSlot.push(seen);
        continue;
      }
      this.pairQuery.push(q);
      this.pairDoc.push(d);
      const titleFrom = i === 0 ? this.queryTo : this.slotTokens[2 * i - 1];
      this.titles.add(this.sessionTokens, titleFrom, this.slotTokens[2 * i]);
      this.abstracts.add(this.sessionTokens, this.slotTokens[2 * i], this.slotTokens[2 * i + 1]);
      this.pairOfSlot.push(row);
    }
  }

  finish(): ParsedBaiduLog {
    const report = this.end();
    this.closeSession();
    const empty = this.builder.stats.emptySessions;
    if (empty > 0) report.warnings.push(`${empty.toLocaleString('en')} query line(s) had no document lines; those sessions were dropped`);
    if (this.builder.sessions === 0) throw this.noSessions('no sessions: the file has no query line followed by document lines');
    const { log, stats } = this.builder.build();
    const b = this.builder;
    const display: BaiduDisplay = {
      multimediaType: b.layout(this.media, (m) => new Int32Array(m), -1),
      serpHeight: b.layout(this.height, (m) => new Float32Array(m), NaN),
      displayedTime: b.layout(this.shownTime, (m) => new Float32Array(m), NaN),
    };
    const text: BaiduText | null = this.keepText
      ? {
          query: this.queryTokens.build(),
          pairQuery: this.pairQuery.toArray(),
          pairDoc: this.pairDoc.toArray(),
          title: this.titles.build(),
          abstract: this.abstracts.build(),
          slotPair: b.layout(this.pairOfSlot, (m) => new Int32Array(m), -1),
        }
      : null;
    return { format: 'baidu-train', log, stats, display, text, ...report };
  }
}

export async function parseBaiduTrain(source: ByteSource, opts: BaiduTrainOptions & ClickLogParseOptions = {}): Promise<ParsedBaiduLog> {
  const parser = new BaiduTrainParser(source.name, opts);
  await drive(source, parser, opts);
  return parser.finish();
}
