import { DataError } from '../../data/parse/errors';
import type { ClickLog } from '../log';

/** Ids looked up one by one (a TextTable fits). */
export interface IdLookup {
  readonly size: number;
  id(i: number): string;
  /** Index of `id`, or -1. */
  indexOf(id: string): number;
}

/**
 * What a real click log is joined to.
 *
 * - `ranking`: a feature dataset whose rows have document ids (LETOR files with `# docid = …`
 *   comments, e.g. MQ2007/2008): a shown document matches the row of its session's query with
 *   that id. The joined log's `shown` are dataset rows, exactly like a log simulated on it.
 * - `collection`: a text collection (queries and documents tables, e.g. MS MARCO / BEIR): queries
 *   and documents are looked up on their own, any document may be shown for any query. `shown`
 *   are document indices of the collection.
 *
 * (The Baidu-ULTR annotated set has no document ids, so it cannot be joined by id.)
 */
export type JoinTarget =
  | { kind: 'ranking'; queryIds: readonly string[]; qidOffsets: Int32Array; docIds: readonly string[] }
  | { kind: 'collection'; queries: IdLookup; docs: IdLookup };

export interface JoinOptions {
  /**
   * Sessions whose query is unknown or that show an unknown document: refuse the join with a
   * DataError listing counts and the first unknown ids (default), or drop those sessions. A
   * session cannot keep a hole where an unknown document was (empty slots are only at the end).
   */
  unknown?: 'error' | 'drop';
  /** Names the log in messages. */
  file?: string;
}

const EXAMPLES = 5;

export interface JoinReport {
  sessions: number;
  /** Sessions whose query and every shown document matched. */
  matchedSessions: number;
  impressions: number;
  matchedImpressions: number;
  unknownQueries: {
    /** Distinct query ids not in the target. */
    count: number;
    sessions: number;
    first: string[];
  };
  unknownDocs: {
    /** Distinct document ids unknown (for ranking targets: not among their query's rows). */
    count: number;
    /** Sessions with a known query that show at least one unknown document. */
    sessions: number;
    impressions: number;
    first: { query: string; doc: string }[];
  };
  /** Rows of the target that repeat a document id within a query: the first row is used. */
  ambiguousRows: number;
}

export interface ClickLogJoin {
  /**
   * The matched sessions over the target: `query` indexes the target's query ids (`queryIds`),
   * `shown` holds target rows (ranking) or document indices (collection); no `docIds`, as for a
   * simulated log. Clicks and dwell are carried over.
   */
  log: ClickLog;
  /** For each session of `log`, its index in the input log. */
  sessions: Int32Array;
  report: JoinReport;
}

interface Matching {
  report: JoinReport;
  /** Per input session: target query, or -1; per slot: target row, or -1 (unknown) / -2 (empty). */
  sessionQuery: Int32Array;
  slotRow: Int32Array;
  ok: Uint8Array;
}

/**
 * Joins a real click log (one with `docIds`) to a dataset by query and document ids. See JoinTarget
 * for what matches what, JoinOptions for unknown ids.
 */
export function joinClickLog(log: ClickLog, target: JoinTarget, opts: JoinOptions = {}): ClickLogJoin {
  const file = opts.file ?? 'click log';
  const m = match(log, target, file);
  const r = m.report;
  const bad = r.sessions - r.matchedSessions;
  if (bad > 0 && (opts.unknown ?? 'error') === 'error') {
    throw new DataError({ kind: 'value', file, reason: `${describeUnknown(r)}; join with unknown: 'drop' to leave those sessions out` });
  }
  if (r.matchedSessions === 0) {
    throw new DataError({ kind: 'value', file, reason: `no session matches the dataset: ${describeUnknown(r)}. Is this the dataset the log was recorded on?` });
  }
  const k = log.k;
  const n = r.matchedSessions;
  const sessions = new Int32Array(n);
  const out: ClickLog = {
    k,
    query: new Int32Array(n),
    shown: new Int32Array(n * k).fill(-1),
    clicks: new Uint8Array(n * k),
    queryIds: target.kind === 'ranking' ? [...target.queryIds] : Array.from({ length: target.queries.size }, (_, i) => target.queries.id(i)),
  };
  if (log.dwell) out.dwell = new Float32Array(n * k).fill(NaN);
  let j = 0;
  for (let s = 0; s < log.query.length; s++) {
    if (!m.ok[s]) continue;
    sessions[j] = s;
    out.query[j] = m.sessionQuery[s];
    for (let r2 = 0; r2 < k; r2++) {
      const row = m.slotRow[s * k + r2];
      if (row < 0) break;
      out.shown[j * k + r2] = row;
      out.clicks[j * k + r2] = log.clicks[s * k + r2];
      if (out.dwell && log.dwell) out.dwell[j * k + r2] = log.dwell[s * k + r2];
    }
    j++;
  }
  return { log: out, sessions, report: r };
}

/** The join's counts without building the joined log (to show before joining). */
export function joinReport(log: ClickLog, target: JoinTarget, file = 'click log'): JoinReport {
  return match(log, target, file).report;
}

function match(log: ClickLog, target: JoinTarget, file: string): Matching {
  const docIds = log.docIds;
  if (!docIds) {
    throw new DataError({ kind: 'value', file, reason: 'this log has no document ids (it was simulated on a dataset, whose rows it already uses): there is nothing to join' });
  }
  const nq = log.queryIds.length;
  const nd = docIds.length;
  const queryMap = new Int32Array(nq);
  if (target.kind === 'ranking') {
    if (target.docIds.length !== target.qidOffsets[target.qidOffsets.length - 1]) {
      throw new DataError({ kind: 'value', file, reason: `the dataset has ${target.docIds.length.toLocaleString('en')} document ids for ${target.qidOffsets[target.qidOffsets.length - 1].toLocaleString('en')} rows` });
    }
    const byId = new Map<string, number>();
    target.queryIds.forEach((id, i) => {
      if (!byId.has(id)) byId.set(id, i);
    });
    for (let q = 0; q < nq; q++) queryMap[q] = byId.get(log.queryIds[q]) ?? -1;
  } else {
    for (let q = 0; q < nq; q++) queryMap[q] = target.queries.indexOf(log.queryIds[q]);
  }

  // Document lookup: collection docs directly; ranking rows per target query (only queries the log uses).
  let ambiguousRows = 0;
  let rowOf: (tq: number, d: number) => number;
  if (target.kind === 'collection') {
    const docMap = new Int32Array(nd);
    for (let d = 0; d < nd; d++) docMap[d] = target.docs.indexOf(docIds[d]);
    rowOf = (_tq, d) => docMap[d];
  } else {
    const logDoc = new Map<string, number>();
    docIds.forEach((id, i) => logDoc.set(id, i));
    const perQuery = new Map<number, Map<number, number>>();
    for (let q = 0; q < nq; q++) {
      const tq = queryMap[q];
      if (tq < 0 || perQuery.has(tq)) continue;
      const rows = new Map<number, number>();
      for (let row = target.qidOffsets[tq]; row < target.qidOffsets[tq + 1]; row++) {
        const d = logDoc.get(target.docIds[row]);
        if (d === undefined) continue;
        if (rows.has(d)) ambiguousRows++;
        else rows.set(d, row);
      }
      perQuery.set(tq, rows);
    }
    rowOf = (tq, d) => perQuery.get(tq)?.get(d) ?? -1;
  }

  const k = log.k;
  const n = log.query.length;
  const sessionQuery = new Int32Array(n);
  const slotRow = new Int32Array(n * k);
  const ok = new Uint8Array(n);
  const report: JoinReport = {
    sessions: n,
    matchedSessions: 0,
    impressions: 0,
    matchedImpressions: 0,
    unknownQueries: { count: 0, sessions: 0, first: [] },
    unknownDocs: { count: 0, sessions: 0, impressions: 0, first: [] },
    ambiguousRows,
  };
  const queryReported = new Uint8Array(nq);
  const docReported = new Uint8Array(nd);
  for (let s = 0; s < n; s++) {
    const lq = log.query[s];
    const tq = queryMap[lq];
    sessionQuery[s] = tq;
    let good = tq >= 0;
    if (tq < 0) {
      report.unknownQueries.sessions++;
      if (!queryReported[lq]) {
        queryReported[lq] = 1;
        report.unknownQueries.count++;
        if (report.unknownQueries.first.length < EXAMPLES) report.unknownQueries.first.push(log.queryIds[lq]);
      }
    }
    let unknownHere = false;
    for (let r = 0; r < k; r++) {
      const d = log.shown[s * k + r];
      if (d < 0) {
        for (let rest = r; rest < k; rest++) slotRow[s * k + rest] = -2;
        break;
      }
      report.impressions++;
      if (tq < 0) {
        slotRow[s * k + r] = -1;
        continue;
      }
      const row = rowOf(tq, d);
      slotRow[s * k + r] = row;
      if (row >= 0) {
        report.matchedImpressions++;
        continue;
      }
      good = false;
      unknownHere = true;
      report.unknownDocs.impressions++;
      if (!docReported[d]) {
        docReported[d] = 1;
        report.unknownDocs.count++;
        if (report.unknownDocs.first.length < EXAMPLES) report.unknownDocs.first.push({ query: log.queryIds[lq], doc: docIds[d] });
      }
    }
    if (unknownHere) report.unknownDocs.sessions++;
    if (good) {
      ok[s] = 1;
      report.matchedSessions++;
    }
  }
  return { report, sessionQuery, slotRow, ok };
}

/** "3 of 120 sessions cannot be joined: …" with the first unknown ids. */
export function describeUnknown(r: JoinReport): string {
  const bad = r.sessions - r.matchedSessions;
  const parts: string[] = [];
  const uq = r.unknownQueries;
  if (uq.count > 0) {
    const more = uq.count > uq.first.length ? ', …' : '';
    parts.push(`${uq.count.toLocaleString('en')} unknown query id(s) in ${uq.sessions.toLocaleString('en')} session(s) (${uq.first.map((q) => `'${q}'`).join(', ')}${more})`);
  }
  const ud = r.unknownDocs;
  if (ud.count > 0) {
    const more = ud.count > ud.first.length ? ', …' : '';
    const examples = ud.first.map((e) => `'${e.doc}' for query '${e.query}'`).join(', ');
    parts.push(`${ud.count.toLocaleString('en')} unknown document id(s) shown ${ud.impressions.toLocaleString('en')} time(s) in ${ud.sessions.toLocaleString('en')} session(s) (${examples}${more})`);
  }
  const what = parts.length > 0 ? parts.join(' and ') : 'no unknown ids';
  return `${bad.toLocaleString('en')} of ${r.sessions.toLocaleString('en')} session(s) cannot be joined: ${what}`;
}
