import { describe, expect, it } from 'vitest';
import { DataError } from '../../data/parse/errors';
import type { ClickLog } from '../log';
import { joinClickLog, joinReport, type IdLookup, type JoinTarget } from './join';
import { PlainTsvClickParser } from './plain-tsv';
import { columnsOf, expectDataError, feed } from './test-util';

const logOf = (text: string): ClickLog => feed(new PlainTsvClickParser('log.tsv'), text).log;

// Sessions: s1 (q1: a b), s2 (q2: c), s3 (q1: b x), s4 (q9: a)
const LOG = logOf(
  ['s1\tq1\t1\ta\t1\t5', 's1\tq1\t2\tb\t0\t0', 's2\tq2\t1\tc\t1\t7', 's3\tq1\t1\tb\t0\t0', 's3\tq1\t2\tx\t1\t2', 's4\tq9\t1\ta\t0\t0', ''].join('\n'),
);

/** A feature dataset: q2 rows 0..1 (c, d); q1 rows 2..4 (a, b, a again). */
const RANKING: JoinTarget = { kind: 'ranking', queryIds: ['q2', 'q1'], qidOffsets: Int32Array.from([0, 2, 5]), docIds: ['c', 'd', 'a', 'b', 'a'] };

function lookup(ids: string[]): IdLookup {
  return { size: ids.length, id: (i) => ids[i], indexOf: (id) => ids.indexOf(id) };
}

describe('joining a click log to a dataset by ids', () => {
  it('refuses by default, listing counts and the first unknown ids', () => {
    const e = expectDataError(() => joinClickLog(LOG, RANKING, { file: 'log.tsv' }), { kind: 'value' });
    expect(e.reason).toBe(
      "2 of 4 session(s) cannot be joined: 1 unknown query id(s) in 1 session(s) ('q9') and 1 unknown document id(s) shown 1 time(s) in 1 session(s) ('x' for query 'q1'); join with unknown: 'drop' to leave those sessions out",
    );
    expect(e.file).toBe('log.tsv');
  });

  it("drops sessions with an unknown query or document with unknown: 'drop', mapping the rest to dataset rows", () => {
    const j = joinClickLog(LOG, RANKING, { unknown: 'drop' });
    expect([...j.sessions]).toEqual([0, 1]);
    expect(columnsOf(j.log)).toEqual({
      k: 2,
      query: [1, 0],
      shown: [2, 3, 0, -1],
      clicks: [1, 0, 1, 0],
      dwell: [5, 0, 7, NaN],
      queryIds: ['q2', 'q1'],
      docIds: undefined,
    });
    expect(j.report).toEqual({
      sessions: 4,
      matchedSessions: 2,
      impressions: 6,
      matchedImpressions: 4,
      unknownQueries: { count: 1, sessions: 1, first: ['q9'] },
      unknownDocs: { count: 1, sessions: 1, impressions: 1, first: [{ query: 'q1', doc: 'x' }] },
      ambiguousRows: 1,
    });
  });

  it('matches a document only among its own query’s rows in a ranking dataset', () => {
    // 'c' is a row of q2 only: shown for q1 it is unknown.
    const log = logOf('s\tq1\t1\tc\t0\n');
    expect(joinReport(log, RANKING).unknownDocs.first).toEqual([{ query: 'q1', doc: 'c' }]);
  });

  it('joins to a text collection, where any document may be shown for any query', () => {
    const target: JoinTarget = { kind: 'collection', queries: lookup(['q0', 'q1', 'q2', 'q9']), docs: lookup(['x', 'a', 'b', 'c']) };
    const j = joinClickLog(LOG, target);
    expect(j.report.matchedSessions).toBe(4);
    expect(j.log.queryIds).toEqual(['q0', 'q1', 'q2', 'q9']);
    expect([...j.log.query]).toEqual([1, 2, 1, 3]);
    expect([...j.log.shown]).toEqual([1, 2, 3, -1, 2, 0, 1, -1]);
  });

  it('refuses a join where nothing matches, and a simulated log', () => {
    const target: JoinTarget = { kind: 'collection', queries: lookup(['other']), docs: lookup([]) };
    expectDataError(() => joinClickLog(LOG, target, { unknown: 'drop' }), { reason: /no session matches the dataset: 4 of 4 session\(s\) cannot be joined: 3 unknown query id\(s\)/ });
    const simulated: ClickLog = { ...LOG, docIds: undefined };
    expect(() => joinClickLog(simulated, RANKING)).toThrow(DataError);
    expectDataError(() => joinClickLog(LOG, { ...RANKING, docIds: ['c'] } as JoinTarget), { reason: /1 document ids for 5 rows/ });
  });
});
