import { gzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { bytesSource } from '../../data/parse/stream';
import { parsePlainTsvClicks, PlainTsvClickParser } from './plain-tsv';
import { columnsOf, expectDataError, feed, sessionsOf, utf8 } from './test-util';
import type { ClickLogParserOptions } from './types';

const read = (text: string, opts: ClickLogParserOptions = {}) => feed(new PlainTsvClickParser('clicks.tsv', opts), text);

describe('plain TSV click log', () => {
  it('reads sessions into sessions × k columns with -1 / 0 / NaN in empty slots', () => {
    const r = read('s1\tq1\t1\td1\t0\t0\ns1\tq1\t2\td2\t1\t12.5\ns1\tq1\t3\td3\t0\t0\ns2\tq2\t1\td2\t1\t3\ns3\tq1\t1\td4\t0\t\n');
    expect(columnsOf(r.log)).toEqual({
      k: 3,
      query: [0, 1, 0],
      shown: [0, 1, 2, 1, -1, -1, 3, -1, -1],
      clicks: [0, 1, 0, 1, 0, 0, 0, 0, 0],
      dwell: [0, 12.5, 0, 3, NaN, NaN, NaN, NaN, NaN],
      queryIds: ['q1', 'q2'],
      docIds: ['d1', 'd2', 'd3', 'd4'],
    });
    expect(r.log.shown).toBeInstanceOf(Int32Array);
    expect(r.log.clicks).toBeInstanceOf(Uint8Array);
    expect(r.log.dwell).toBeInstanceOf(Float32Array);
    expect(r.stats).toEqual({ sessions: 3, impressions: 5, clicks: 2, emptySessions: 0, droppedSessions: 0, slotsBeyondK: 0, clicksBeyondK: 0 });
    expect(r.format).toBe('plain-tsv');
    expect(r.warnings).toEqual([]);
  });

  it('has no dwell column when no line gives one; accepts a header, CRLF, blank lines and no final newline', () => {
    const r = read('session\tquery\trank\tdoc\tclick\r\n\r\ns1\tq 1\t1\td 1\t1\r\ns1\tq 1\t2\td2\t0');
    expect(r.log.dwell).toBeUndefined();
    expect(sessionsOf(r.log)).toEqual([{ query: 'q 1', docs: ['d 1', 'd2'], clicks: [1, 0] }]);
  });

  it('keeps the top k with the k option and counts what fell below', () => {
    const r = read('s\tq\t1\ta\t0\ns\tq\t2\tb\t1\ns\tq\t3\tc\t1\nt\tq\t1\ta\t1\n', { k: 2 });
    expect(r.log.k).toBe(2);
    expect(sessionsOf(r.log)).toEqual([
      { query: 'q', docs: ['a', 'b'], clicks: [0, 1] },
      { query: 'q', docs: ['a'], clicks: [1] },
    ]);
    expect(r.stats.slotsBeyondK).toBe(1);
    expect(r.stats.clicksBeyondK).toBe(1);
    expect(read('s\tq\t1\ta\t0\n', { k: 4 }).log.k).toBe(4);
    expectDataError(() => read('s\tq\t1\ta\t0\n', { k: 0 }), { kind: 'value', reason: /k option must be an integer from 1 to 1,000/ });
  });

  it('refuses a rank that repeats, with the session and both lines', () => {
    const e = expectDataError(() => read('s1\tq\t1\ta\t0\ns1\tq\t2\tb\t0\ns1\tq\t2\tc\t1\n'), { kind: 'value', line: 3, token: '2' });
    expect(e.reason).toBe("rank 2 of session 's1' was already given on line 2 (ranks must be 1, 2, 3, … in order, each once)");
    expect(e.message).toMatch(/^clicks\.tsv, line 3: /);
  });

  it('refuses ranks out of order or with a gap', () => {
    expectDataError(() => read('s1\tq\t1\ta\t0\ns1\tq\t3\tb\t0\ns1\tq\t2\tc\t0\n'), {
      line: 2,
      reason: /^rank 3 follows rank 1 in session 's1': rank 2 is missing or out of order/,
    });
    expectDataError(() => read('s1\tq\t2\ta\t0\n'), { line: 1, reason: /^session 's1' starts at rank 2, not 1/ });
    expectDataError(() => read('s1\tq\t0\ta\t0\n'), { line: 1, reason: /rank must be 1 or more/ });
    expectDataError(() => read('s1\tq\tx\ta\t0\n'), { line: 1, reason: /rank is not an integer/, token: 'x' });
    expectDataError(() => read('s1\tq\t1001\ta\t0\n'), { line: 1, reason: /larger than 1,000/ });
  });

  it('refuses a click that is not 0 or 1', () => {
    expectDataError(() => read('s\tq\t1\ta\t2\n'), { kind: 'value', line: 1, reason: /^click must be 0 or 1$/, token: '2' });
    expectDataError(() => read('s\tq\t1\ta\ttrue\n'), { line: 1, reason: /click must be 0 or 1/ });
    expectDataError(() => read('s\tq\t1\ta\t\n'), { line: 1, reason: /click must be 0 or 1/ });
  });

  it('refuses NaN, infinite, negative or non-numeric dwell', () => {
    expectDataError(() => read('s\tq\t1\ta\t1\tNaN\n'), { line: 1, reason: /dwell time must be a finite number, not NaN or infinity/, token: 'NaN' });
    expectDataError(() => read('s\tq\t1\ta\t1\tinf\n'), { line: 1, reason: /finite number/ });
    expectDataError(() => read('s\tq\t1\ta\t1\t-3\n'), { line: 1, reason: /dwell time must not be negative/ });
    expectDataError(() => read('s\tq\t1\ta\t1\t12s\n'), { line: 1, reason: /dwell time is not a number/ });
  });

  it('refuses a session whose lines are not contiguous, and one that changes query', () => {
    expectDataError(() => read('s1\tq\t1\ta\t0\ns2\tq\t1\ta\t0\ns1\tq\t2\tb\t0\n'), {
      line: 3,
      reason: /session 's1' appeared earlier in the file: the lines of a session must be contiguous/,
    });
    expectDataError(() => read('s1\tq\t1\ta\t0\ns1\tr\t2\tb\t0\n'), { line: 2, reason: /session 's1' changes query from 'q' \(line 1\) to 'r'/ });
  });

  it('refuses wrong field counts and empty ids', () => {
    expectDataError(() => read('s\tq\t1\ta\n'), { kind: 'format', line: 1, reason: /expected 5 or 6 tab-separated fields \(session, query, rank, doc, click\[, dwell\]\), found 4/ });
    expectDataError(() => read('s\tq\t1\ta\t0\t1\tx\n'), { line: 1, reason: /found 7/ });
    expectDataError(() => read('s q 1 a 0\n'), { line: 1, reason: /found 1/ });
    expectDataError(() => read('s\tq\t1\t\t0\n'), { line: 1, reason: /document id is empty/ });
    expectDataError(() => read('\tq\t1\ta\t0\n'), { line: 1, reason: /session id is empty/ });
  });

  it('says when the file is empty or has only a header', () => {
    expectDataError(() => read(''), { kind: 'format', reason: /^file is empty$/ });
    expectDataError(() => read('\n\n'), { reason: /only blank lines/ });
    expectDataError(() => read('session\tquery\trank\tdoc\tclick\n'), { reason: /no sessions: the file has no result lines/ });
  });

  it('hints at the format when the first line fails and looks like another click log', () => {
    const e = expectDataError(() => read('1\t0\tQ\t5\t7\t11\t12\n'));
    expect(e.reason).toMatch(/looks like a Yandex click log/);
  });

  it('with skipBadLines drops the whole session of a bad line and reports it', () => {
    const text = ['s1\tq\t1\ta\t0', 's1\tq\t2\tb\t7', 's1\tq\t3\tc\t1', 's2\tq\t1\ta\t1', 's3\tq\t1\ta\t0', 's3\tq\t3\tb\t0', 's4\tq\t1\td\t0', ''].join('\n');
    const r = read(text, { skipBadLines: true });
    expect(sessionsOf(r.log)).toEqual([
      { query: 'q', docs: ['a'], clicks: [1] },
      { query: 'q', docs: ['d'], clicks: [0] },
    ]);
    expect(r.stats.droppedSessions).toBe(2);
    expect(r.skipped.count).toBe(2);
    expect(r.skipped.first.map((s) => s.line)).toEqual([2, 6]);
    expect(r.skipped.first[0].reason).toMatch(/click must be 0 or 1/);
  });

  it('with skipBadLines, a malformed line of the open session drops it; every session dropped is an error', () => {
    const r = read('s1\tq\t1\ta\t0\ns1\tq\n s2\tq\t1\tb\t0\n', { skipBadLines: true });
    expect(r.stats.droppedSessions).toBe(1);
    expect(sessionsOf(r.log)).toEqual([{ query: 'q', docs: ['b'], clicks: [0] }]);
    expectDataError(() => read('s1\tq\t1\ta\t5\n', { skipBadLines: true }), { kind: 'format', line: 1, reason: /no session could be read: 1 bad line\(s\) were skipped; the first: .*click must be 0 or 1/ });
  });

  it('reads gzip through drive(), with progress', async () => {
    const text = 's\tq\t1\ta\t1\t2.5\ns\tq\t2\tb\t0\t0\n';
    const progress: number[] = [];
    const r = await parsePlainTsvClicks(bytesSource(gzipSync(utf8(text)), 'clicks.tsv.gz'), { onProgress: (p) => progress.push(p.rows) });
    expect(sessionsOf(r.log)).toEqual([{ query: 'q', docs: ['a', 'b'], clicks: [1, 0], dwell: [2.5, 0] }]);
    expect(progress.at(-1)).toBe(2);
  });
});
