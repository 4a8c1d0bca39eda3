import { describe, expect, it } from 'vitest';
import { createSkipReport, DataError, isDataError, recordSkip, shortToken } from './errors';

describe('DataError', () => {
  it('says where, why and what, in one readable message', () => {
    const e = new DataError({ kind: 'format', file: 'train.txt', line: 12345, column: 7, token: '3:abc', reason: 'the value of feature 3 is not a number' });
    expect(e.message).toBe("train.txt, line 12,345, column 7: the value of feature 3 is not a number ('3:abc')");
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('DataError');
    expect([e.kind, e.file, e.line, e.column, e.token, e.reason]).toEqual(['format', 'train.txt', 12345, 7, '3:abc', 'the value of feature 3 is not a number']);
    expect(isDataError(e)).toBe(true);
    expect(isDataError(new Error('x'))).toBe(false);
  });

  it('leaves out what it does not know', () => {
    expect(new DataError({ kind: 'io', file: 'a.gz', reason: 'truncated' }).message).toBe('a.gz: truncated');
    expect(new DataError({ kind: 'format', file: 'a', line: 3, reason: 'r' }).message).toBe('a, line 3: r');
    expect(new DataError({ kind: 'format', file: 'a', line: 3, reason: 'r', token: '' }).message).toBe("a, line 3: r ('')");
  });

  it('shortens tokens and makes control bytes visible', () => {
    expect(shortToken('a\u0000b\r\n\u001b')).toBe('a?b???');
    expect(shortToken('\ufffd')).toBe('?');
    const long = 'x'.repeat(100);
    expect(shortToken(long)).toBe(`${'x'.repeat(40)}…`);
    const e = new DataError({ kind: 'format', file: 'f', reason: 'r', token: `\u0000${long}` });
    expect(e.token).toBe(`?${'x'.repeat(39)}…`);
    expect(e.message).not.toMatch(/\u0000/);
  });
});

describe('SkipReport', () => {
  it('counts every skip and keeps the first five', () => {
    const report = createSkipReport();
    for (let line = 1; line <= 8; line++) recordSkip(report, new DataError({ kind: 'format', file: 'f', line: line * 10, reason: `bad ${line}` }));
    expect(report.count).toBe(8);
    expect(report.first.map((s) => s.line)).toEqual([10, 20, 30, 40, 50]);
    expect(report.first[0].reason).toBe('f, line 10: bad 1');
  });
});
