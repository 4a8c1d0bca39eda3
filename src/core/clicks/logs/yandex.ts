import { drive, type ByteSource } from '../../data/parse/stream';
import { parseIntToken, splitWhitespace } from '../../data/text/fields';
import { ClickLogBuilder, SessionBuffer } from './builder';
import { checkK, ClickLineParser, MAX_SLOTS } from './lines';
import type { ClickLogParseOptions, ClickLogParserOptions, ParsedClickLog } from './types';

/**
 * Yandex click logs. Two documented versions, both tab-separated records (we split on any
 * whitespace, as copies with spaces circulate; no field contains a space), ids anonymised
 * integers, records of a session contiguous and in time order:
 *
 * `rpc` — the Relevance Prediction Challenge (Yandex, WSCD 2012 workshop at WSDM 2012), as
 * documented on the challenge's dataset page and read by PyClick's YandexRelPredChallengeParser:
 *
 *     query:  SessionID TimePassed Q QueryID RegionID URLID_1 … URLID_n   (n is normally 10)
 *     click:  SessionID TimePassed C URLID
 *
 * There is no SERP id: a click belongs to the latest query of its session that showed the URL.
 *
 * `pwsc` — the Personalized Web Search Challenge (Yandex on Kaggle, 2013–14), per Kaggle's "Logs
 * format" page and PyClick's YandexPersonalizedChallengeParser:
 *
 *     metadata: SessionID M Day USERID
 *     query:    SessionID TimePassed Q|T SERPID QueryID ListOfTerms URLID,DomainID …
 *     click:    SessionID TimePassed C SERPID URLID
 *
 * ListOfTerms is comma-separated term ids; each shown result is a `URLID,DomainID` pair. A click
 * belongs to the SERP of its session with its SERPID. `T` marks the test queries, whose clicks
 * were withheld: they are left out of the log (counted) rather than read as "nothing clicked".
 *
 * The version is taken from the first record unless given (an `M` record, a click with a SERPID,
 * or comma pairs in a query say pwsc). The brief for this reader described a third shape (SERPID
 * and RegionID in one query record); no published version has it, so it is not read.
 *
 * Mapping to ClickLog: one session per SERP (a query record and its clicks); the query is
 * QueryID, the documents URLIDs (region, terms, domains, user and day are not kept). Clicks are
 * kept as bits per slot: click order and time are dropped (a later DBN/UBM-style model that wants
 * the last click needs it added here). Dwell is not derived: TimePassed units are undisclosed.
 *
 * Bad input:
 * - a click on a URL its SERP did not show, or one with no query before it in its session, is
 *   ignored and counted (`yandex.unshownClicks`, one summary warning); `unshownClicks: 'error'`
 *   makes it an error instead. Real logs have some.
 * - a query record with no URLs is an empty session: dropped and counted (`stats.emptySessions`).
 * - a URL listed twice in one SERP is kept twice; clicks go to the higher slot (warned).
 * - a repeated click on a slot leaves one click bit (`yandex.repeatClicks`).
 * - a SERPID used twice in one session, or any malformed field, is an error; with skipBadLines it
 *   drops the whole session (every SERP of that SessionID).
 */
export type YandexVariant = 'rpc' | 'pwsc';

export interface YandexOptions extends ClickLogParserOptions {
  /** Which version the file is; default: decided by its first record. */
  variant?: YandexVariant;
  /** What a click on a URL its SERP did not show does: counted and ignored (default), or an error. */
  unshownClicks?: 'count' | 'error';
}

export interface YandexCounts {
  /** Clicks ignored: on a URL not shown in their SERP, or with no query before them. */
  unshownClicks: number;
  /** Clicks on a slot already clicked (one bit kept). */
  repeatClicks: number;
  /** Test queries (`T`, pwsc) left out. */
  testQueries: number;
  /** SERPs that listed a URL twice. */
  duplicateUrls: number;
}

export interface ParsedYandexLog extends ParsedClickLog {
  variant: YandexVariant;
  yandex: YandexCounts;
}

const VARIANT_NAMES: Record<YandexVariant, string> = {
  rpc: 'a Relevance Prediction Challenge log',
  pwsc: 'a Personalized Web Search Challenge log',
};

interface Serp {
  query: string;
  serpId: string;
  /** Slots of this SERP in the group's flat arrays. */
  from: number;
  to: number;
  line: number;
}

interface Group {
  id: string;
  poisoned: boolean;
  serps: Serp[];
  urls: string[];
  clicks: number[];
}

const MAX_FIELDS = MAX_SLOTS + 8;

export class YandexClickParser extends ClickLineParser {
  private readonly builder: ClickLogBuilder;
  private readonly buffer = new SessionBuffer();
  private readonly fields: string[] = [];
  private variant: YandexVariant | null;
  private readonly strictClicks: boolean;
  private group: Group | null = null;
  private lineGroup: Group | null = null;
  private readonly counts: YandexCounts = { unshownClicks: 0, repeatClicks: 0, testQueries: 0, duplicateUrls: 0 };
  private readonly unshownLines: number[] = [];

  constructor(file: string, opts: YandexOptions = {}) {
    super(file, 'yandex', opts);
    this.builder = new ClickLogBuilder(checkK(file, opts.k));
    this.variant = opts.variant ?? null;
    this.strictClicks = opts.unshownClicks === 'error';
  }

  protected parseLine(line: string, lineNo: number): void {
    this.lineGroup = null;
    const f = this.fields;
    const n = splitWhitespace(line, f, MAX_FIELDS);
    if (n > MAX_FIELDS) throw this.error('value', `a record has more than ${MAX_FIELDS.toLocaleString('en')} fields (more than ${MAX_SLOTS.toLocaleString('en')} URLs)`, lineNo);
    const sessionId = f[0];
    const isInteger = n >= 2 && isId(sessionId);
    if (isInteger && (this.group === null || this.group.id !== sessionId)) {
      this.closeGroup();
      this.group = { id: sessionId, poisoned: false, serps: [], urls: [], clicks: [] };
    }
    // A record's session is known only from a readable SessionID; a garbled one poisons nothing.
    if (isInteger) this.lineGroup = this.group;
    if (n < 4) throw this.error('format', `expected a Yandex record (SessionID TimePassed Q|C …, or SessionID M Day USERID), found ${n} field(s)`, lineNo, line);
    if (!isInteger) throw this.error('value', 'SessionID is not an integer id', lineNo, sessionId);
    const group = this.group as Group;
    if (group.poisoned) return;
    if (f[1] === 'M') this.metadata(n, lineNo);
    else {
      const type = f[2];
      if (type !== 'Q' && type !== 'T' && type !== 'C') {
        throw this.error('format', `unknown record type '${type}' (expected Q, C${this.variant === 'rpc' ? '' : ', T or M'})`, lineNo, type);
      }
      const time = parseIntToken(f[1]);
      if (!Number.isInteger(time) || time < 0) throw this.error('value', 'TimePassed is not a non-negative integer', lineNo, f[1]);
      if (type === 'C') this.click(group, n, lineNo);
      else this.query(group, type, n, lineNo);
    }
    this.records++;
  }

  private decide(v: YandexVariant, lineNo: number, what: string): YandexVariant {
    if (this.variant === null) this.variant = v;
    else if (this.variant !== v) {
      throw this.error('format', `${what} has the shape of ${VARIANT_NAMES[v]}, but this file is ${VARIANT_NAMES[this.variant]}`, lineNo);
    }
    return v;
  }

  private metadata(n: number, lineNo: number): void {
    const f = this.fields;
    this.decide('pwsc', lineNo, 'a metadata (M) record');
    if (n !== 4) throw this.error('format', `expected 4 fields in a metadata record (SessionID M Day USERID), found ${n}`, lineNo);
    if (!isId(f[2])) throw this.error('value', 'Day is not an integer', lineNo, f[2]);
    if (!isId(f[3])) throw this.error('value', 'USERID is not an integer id', lineNo, f[3]);
  }

  private query(group: Group, type: 'Q' | 'T', n: number, lineNo: number): void {
    const f = this.fields;
    let pairs = type === 'T';
    for (let i = 5; i < n && !pairs; i++) pairs = f[i].includes(',');
    const variant = type === 'T' ? 'pwsc' : (this.variant ?? (pairs ? 'pwsc' : 'rpc'));
    this.decide(variant, lineNo, type === 'T' ? 'a test query (T) record' : 'this query record');
    let serpId = '';
    let queryId: string;
    let firstUrl: number;
    if (variant === 'rpc') {
      if (n < 5) throw this.error('format', `expected a query record SessionID TimePassed Q QueryID RegionID URLID…, found ${n} fields`, lineNo);
      queryId = f[3];
      if (!isId(f[4])) throw this.error('value', 'RegionID is not an integer id', lineNo, f[4]);
      firstUrl = 5;
    } else {
      if (n < 6) throw this.error('format', `expected a query record SessionID TimePassed ${type} SERPID QueryID ListOfTerms URLID,DomainID…, found ${n} fields`, lineNo);
      serpId = f[3];
      if (!isId(serpId)) throw this.error('value', 'SERPID is not an integer id', lineNo, serpId);
      queryId = f[4];
      if (!/^\d+(,\d+)*$/.test(f[5])) throw this.error('value', 'ListOfTerms is not a comma-separated list of term ids', lineNo, f[5]);
      firstUrl = 6;
      const before = group.serps.find((s) => s.serpId === serpId);
      if (before) throw this.error('value', `SERP ${serpId} of session ${group.id} already appeared on line ${before.line.toLocaleString('en')}`, lineNo, serpId);
    }
    if (!isId(queryId)) throw this.error('value', 'QueryID is not an integer id', lineNo, queryId);
    const urls: string[] = [];
    for (let i = firstUrl; i < n; i++) {
      let url = f[i];
      if (variant === 'pwsc') {
        const comma = url.indexOf(',');
        if (comma < 0 || !isId(url.slice(comma + 1))) throw this.error('value', 'expected a URLID,DomainID pair', lineNo, url);
        url = url.slice(0, comma);
      }
      if (!isId(url)) throw this.error('value', 'URLID is not an integer id', lineNo, url);
      urls.push(url);
    }
    if (type === 'T') {
      this.counts.testQueries++;
      return;
    }
    if (new Set(urls).size !== urls.length) this.counts.duplicateUrls++;
    const from = group.urls.length;
    for (const u of urls) {
      group.urls.push(u);
      group.clicks.push(0);
    }
    group.serps.push({ query: queryId, serpId, from, to: group.urls.length, line: lineNo });
  }

  private click(group: Group, n: number, lineNo: number): void {
    const f = this.fields;
    const variant = n === 4 || n === 5 ? this.decide(n === 5 ? 'pwsc' : 'rpc', lineNo, `this click record (${n} fields)`) : (this.variant ?? 'rpc');
    const expected = variant === 'rpc' ? 4 : 5;
    if (n !== expected) {
      const shape = variant === 'rpc' ? 'SessionID TimePassed C URLID' : 'SessionID TimePassed C SERPID URLID';
      throw this.error('format', `expected ${expected} fields in a click record (${shape}), found ${n}`, lineNo);
    }
    const url = f[n - 1];
    if (!isId(url)) throw this.error('value', 'URLID is not an integer id', lineNo, url);
    let slot = -1;
    if (variant === 'rpc') {
      for (let s = group.serps.length - 1; s >= 0 && slot < 0; s--) slot = findUrl(group, group.serps[s], url);
    } else {
      const serpId = f[3];
      if (!isId(serpId)) throw this.error('value', 'SERPID is not an integer id', lineNo, serpId);
      const serp = group.serps.find((s) => s.serpId === serpId);
      if (serp) slot = findUrl(group, serp, url);
    }
    if (slot < 0) {
      if (this.strictClicks) {
        const where = variant === 'rpc' ? `any query of session ${group.id} so far` : `SERP ${f[3]} of session ${group.id}`;
        throw this.error('value', `click on URL ${url}, which ${where} did not show`, lineNo, url);
      }
      this.counts.unshownClicks++;
      if (this.unshownLines.length < 5) this.unshownLines.push(lineNo);
      return;
    }
    if (group.clicks[slot] === 1) this.counts.repeatClicks++;
    group.clicks[slot] = 1;
  }

  protected override lineSkipped(): void {
    if (this.lineGroup) this.lineGroup.poisoned = true;
  }

  private closeGroup(): void {
    const g = this.group;
    if (!g) return;
    this.group = null;
    if (g.poisoned) {
      this.builder.stats.droppedSessions += Math.max(1, g.serps.length);
      return;
    }
    const b = this.buffer;
    for (const serp of g.serps) {
      b.clear();
      for (let i = serp.from; i < serp.to; i++) b.add(g.urls[i], g.clicks[i], NaN, serp.line);
      this.builder.addSession(serp.query, b);
    }
  }

  finish(): ParsedYandexLog {
    const report = this.end();
    this.closeGroup();
    const c = this.counts;
    if (c.unshownClicks > 0) {
      const lines = this.unshownLines.map((l) => l.toLocaleString('en')).join(', ');
      report.warnings.push(
        `${c.unshownClicks.toLocaleString('en')} click(s) on URLs their SERP did not show (or with no query before them in their session) were ignored; the first on line(s) ${lines}`,
      );
    }
    if (c.testQueries > 0) report.warnings.push(`${c.testQueries.toLocaleString('en')} test quer(ies) (T records, clicks withheld) were left out`);
    if (c.duplicateUrls > 0) report.warnings.push(`${c.duplicateUrls.toLocaleString('en')} SERP(s) list a URL twice; clicks on it count for the higher slot`);
    if (this.builder.stats.emptySessions > 0) {
      report.warnings.push(`${this.builder.stats.emptySessions.toLocaleString('en')} query record(s) showed no URLs and were dropped`);
    }
    if (this.builder.sessions === 0) throw this.noSessions('no sessions: the file has no query records with URLs');
    return { format: 'yandex', variant: this.variant ?? 'rpc', yandex: c, ...this.builder.build(), ...report };
  }
}

/** A non-negative integer id. */
function isId(token: string): boolean {
  if (token.length === 0 || token.length > 20) return false;
  for (let i = 0; i < token.length; i++) {
    const c = token.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

function findUrl(group: Group, serp: Serp, url: string): number {
  for (let i = serp.from; i < serp.to; i++) if (group.urls[i] === url) return i;
  return -1;
}

export async function parseYandexClicks(source: ByteSource, opts: YandexOptions & ClickLogParseOptions = {}): Promise<ParsedYandexLog> {
  const parser = new YandexClickParser(source.name, opts);
  await drive(source, parser, opts);
  return parser.finish();
}
