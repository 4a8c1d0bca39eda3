import { gzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { bytesSource } from '../../data/parse/stream';
import { columnsOf, expectDataError, feed, sessionsOf, utf8 } from './test-util';
import { parseYandexClicks, YandexClickParser, type YandexOptions } from './yandex';

const read = (text: string, opts: YandexOptions = {}) => feed(new YandexClickParser('clicks.txt', opts), text);
const rows = (lines: string[][]) => `${lines.map((l) => l.join('\t')).join('\n')}\n`;

// Relevance Prediction Challenge: SessionID TimePassed Q QueryID RegionID URLs… / SessionID TimePassed C URLID
const RPC = rows([
  ['0', '0', 'Q', '10', '0', '51', '52', '53'],
  ['0', '13', 'C', '52'],
  ['0', '20', 'C', '53'],
  ['0', '45', 'Q', '11', '0', '53', '54'],
  ['0', '50', 'C', '53'],
  ['0', '60', 'C', '51'],
  ['1', '0', 'Q', '10', '2', '51', '52', '53'],
]);

// Personalized Web Search Challenge: M / Q with SERPID, terms and URL,domain pairs / C with SERPID
const PWSC = rows([
  ['744899', 'M', '23', '123123123'],
  ['744899', '0', 'Q', '0', '192902', '4857,3847,2939', '632428,2384', '309585,28374', '319567,38724'],
  ['744899', '1403', 'C', '0', '632428'],
  ['744899', '1500', 'Q', '1', '192903', '4857', '319567,38724', '1,2'],
  ['744899', '1600', 'C', '0', '319567'],
  ['744899', '1700', 'C', '1', '1'],
  ['744900', 'M', '24', '5'],
  ['744900', '0', 'T', '0', '7', '1,2', '9,9'],
]);

describe('Yandex Relevance Prediction Challenge log', () => {
  it('makes one session per query record; clicks go to the latest query of the session that showed the URL', () => {
    const r = read(RPC);
    expect(r.variant).toBe('rpc');
    expect(sessionsOf(r.log)).toEqual([
      { query: '10', docs: ['51', '52', '53'], clicks: [1, 1, 1] },
      { query: '11', docs: ['53', '54'], clicks: [1, 0] },
      { query: '10', docs: ['51', '52', '53'], clicks: [0, 0, 0] },
    ]);
    expect(columnsOf(r.log)).toMatchObject({ k: 3, query: [0, 1, 0], shown: [0, 1, 2, 2, 3, -1, 0, 1, 2], dwell: undefined });
    expect(r.stats.sessions).toBe(3);
    expect(r.stats.clicks).toBe(4);
    expect(r.yandex).toEqual({ unshownClicks: 0, repeatClicks: 0, testQueries: 0, duplicateUrls: 0 });
  });

  it('accepts space-separated copies of the log', () => {
    expect(sessionsOf(read('5 0 Q 1 0 7 8\n5 3 C 8\n').log)).toEqual([{ query: '1', docs: ['7', '8'], clicks: [0, 1] }]);
  });

  it('counts and ignores a click on a URL not shown (or before any query), with a warning naming lines', () => {
    const r = read(rows([
      ['0', '0', 'C', '51'],
      ['0', '1', 'Q', '1', '0', '51', '52'],
      ['0', '2', 'C', '99'],
      ['0', '3', 'C', '52'],
      ['0', '4', 'C', '52'],
    ]));
    expect(sessionsOf(r.log)).toEqual([{ query: '1', docs: ['51', '52'], clicks: [0, 1] }]);
    expect(r.yandex.unshownClicks).toBe(2);
    expect(r.yandex.repeatClicks).toBe(1);
    expect(r.warnings).toContain('2 click(s) on URLs their SERP did not show (or with no query before them in their session) were ignored; the first on line(s) 1, 3');
  });

  it("makes a click on an unshown URL an error with unshownClicks: 'error'", () => {
    const text = rows([
      ['0', '1', 'Q', '1', '0', '51', '52'],
      ['0', '2', 'C', '99'],
    ]);
    expectDataError(() => read(text, { unshownClicks: 'error' }), { kind: 'value', line: 2, reason: /click on URL 99, which any query of session 0 so far did not show/, token: '99' });
  });

  it('drops a query record with no URLs as an empty session, with a warning', () => {
    const r = read(rows([
      ['0', '1', 'Q', '1', '0'],
      ['0', '2', 'Q', '2', '0', '7'],
    ]));
    expect(sessionsOf(r.log)).toEqual([{ query: '2', docs: ['7'], clicks: [0] }]);
    expect(r.stats.emptySessions).toBe(1);
    expect(r.warnings).toContain('1 query record(s) showed no URLs and were dropped');
    expectDataError(() => read('0\t1\tQ\t1\t0\n'), { kind: 'format', reason: /no sessions: the file has no query records with URLs/ });
  });

  it('keeps a URL listed twice; its clicks count for the higher slot', () => {
    const r = read('0\t0\tQ\t1\t0\t7\t8\t7\n0\t1\tC\t7\n');
    expect(sessionsOf(r.log)).toEqual([{ query: '1', docs: ['7', '8', '7'], clicks: [1, 0, 0] }]);
    expect(r.yandex.duplicateUrls).toBe(1);
  });

  it('refuses malformed records with the line', () => {
    expectDataError(() => read('0\t0\tX\t1\t0\t7\n'), { kind: 'format', line: 1, reason: /unknown record type 'X'/ });
    expectDataError(() => read('0\tx\tQ\t1\t0\t7\n'), { kind: 'value', line: 1, reason: /TimePassed is not a non-negative integer/ });
    expectDataError(() => read('a\t0\tQ\t1\t0\t7\n'), { kind: 'value', line: 1, reason: /SessionID is not an integer id/ });
    expectDataError(() => read('0\t0\tQ\t1\t0\t7x\n'), { line: 1, reason: /URLID is not an integer id/, token: '7x' });
    expectDataError(() => read('0\t0\tQ\t1\t0\t7\n0\t1\tC\t7\t8\n'), { kind: 'format', line: 2, reason: /has the shape of a Personalized Web Search Challenge log, but this file is a Relevance Prediction Challenge log/ });
    expectDataError(() => read('0\t0\tQ\n'), { kind: 'format', line: 1, reason: /found 3 field/ });
  });

  it('with skipBadLines drops every SERP of the session a bad record belongs to', () => {
    const r = read(rows([
      ['0', '0', 'Q', '1', '0', '7', '8'],
      ['0', '1', 'C', 'eight'],
      ['0', '2', 'Q', '2', '0', '9'],
      ['1', '0', 'Q', '3', '0', '5'],
      ['1', '1', 'C', '5'],
    ]), { skipBadLines: true });
    expect(sessionsOf(r.log)).toEqual([{ query: '3', docs: ['5'], clicks: [1] }]);
    expect(r.stats.droppedSessions).toBe(1);
    expect(r.skipped.first).toEqual([{ line: 2, reason: expect.stringMatching(/URLID is not an integer id/) }]);
  });
});

describe('Yandex Personalized Web Search Challenge log', () => {
  it('matches clicks by SERPID, takes URL ids from URL,domain pairs and leaves test queries out', () => {
    const r = read(PWSC);
    expect(r.variant).toBe('pwsc');
    expect(sessionsOf(r.log)).toEqual([
      // Line 5 clicks 319567 in SERP 0 (its third slot), not in SERP 1 where it is first.
      { query: '192902', docs: ['632428', '309585', '319567'], clicks: [1, 0, 1] },
      { query: '192903', docs: ['319567', '1'], clicks: [0, 1] },
    ]);
    expect(r.yandex.testQueries).toBe(1);
    expect(r.warnings).toContain('1 test quer(ies) (T records, clicks withheld) were left out');
  });

  it('counts a click naming a SERP that did not show the URL', () => {
    const r = read(rows([
      ['1', '0', 'Q', '0', '5', '1', '10,1', '11,1'],
      ['1', '1', 'Q', '1', '6', '1', '12,1'],
      ['1', '2', 'C', '1', '10'],
      ['1', '3', 'C', '7', '10'],
    ]));
    expect(sessionsOf(r.log).map((s) => s.clicks)).toEqual([[0, 0], [0]]);
    expect(r.yandex.unshownClicks).toBe(2);
    expectDataError(
      () =>
        read(
          rows([
            ['1', '0', 'Q', '0', '5', '1', '10,1'],
            ['1', '2', 'C', '0', '11'],
          ]),
          { unshownClicks: 'error' },
        ),
      { line: 2, reason: /click on URL 11, which SERP 0 of session 1 did not show/ },
    );
  });

  it('refuses a reused SERPID, a URL without its domain and bad metadata', () => {
    expectDataError(() => read(rows([['1', '0', 'Q', '0', '5', '1', '10,1'], ['1', '1', 'Q', '0', '6', '1', '11,1']])), {
      line: 2,
      reason: /SERP 0 of session 1 already appeared on line 1/,
    });
    expectDataError(() => read('1\tM\t2\t3\n1\t0\tQ\t0\t5\t1\t10\n'), { line: 2, reason: /expected a URLID,DomainID pair/, token: '10' });
    expectDataError(() => read('1\tM\tday\t3\n'), { line: 1, reason: /Day is not an integer/ });
    expectDataError(() => read('1\tM\t2\t3\t4\n'), { line: 1, reason: /expected 4 fields in a metadata record/ });
    expectDataError(() => read('1\t0\tQ\t0\t5\tx,y\t10,1\n'), { line: 1, reason: /ListOfTerms is not a comma-separated list/ });
  });

  it('can be told the version, and reads gzip through drive()', async () => {
    expectDataError(() => read('1\tM\t2\t3\n', { variant: 'rpc' }), { reason: /has the shape of a Personalized Web Search Challenge log, but this file is a Relevance Prediction Challenge log/ });
    const r = await parseYandexClicks(bytesSource(gzipSync(utf8(PWSC)), 'train.gz'));
    expect(r.stats.sessions).toBe(2);
  });
});
