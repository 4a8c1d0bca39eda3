import { gzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { DataError } from '../parse/errors';
import { bytesSource } from '../parse/stream';
import { parseTrecQrels, TrecQrelsParser, type Qrels } from './qrels';
import { expectDataError, utf8 } from './test-util';

function qrels(text: string, opts: { skipBadLines?: boolean } = {}): Qrels {
  const p = new TrecQrelsParser('qrels.txt', opts);
  p.push(utf8(text));
  return p.finish();
}

/** The judgements as readable tuples. */
function tuples(q: Qrels): [string, string, number][] {
  return Array.from(q.query, (qi, j) => [q.queryIds[qi], q.docIds[q.doc[j]], q.rel[j]]);
}

describe('TREC qrels', () => {
  it('reads judgements into columns with first-seen id tables', () => {
    const q = qrels('301 0 FBIS3-10082 1\n301 0 FBIS3-10169 0\n302 0 FBIS3-10082 2\n302 Q0 LA010189-0001 -1\n');
    expect(q.queryIds).toEqual(['301', '302']);
    expect(q.docIds).toEqual(['FBIS3-10082', 'FBIS3-10169', 'LA010189-0001']);
    expect([...q.query]).toEqual([0, 0, 1, 1]);
    expect([...q.doc]).toEqual([0, 1, 0, 2]);
    expect([...q.rel]).toEqual([1, 0, 2, -1]);
    expect(q.rel).toBeInstanceOf(Int8Array);
    expect(q.warnings).toEqual([]);
    expect(q.skipped.count).toBe(0);
  });

  it('accepts tabs, runs of spaces, CRLF, blank lines, comments and no final newline', () => {
    const q = qrels('# judged by NIST\r\n\r\n1\t0\td1\t1\r\n  2   0  d2   0  \r\n\n3 0 d3 3');
    expect(tuples(q)).toEqual([
      ['1', 'd1', 1],
      ['2', 'd2', 0],
      ['3', 'd3', 3],
    ]);
  });

  it('keeps the later grade of a pair judged twice and says which lines', () => {
    const q = qrels('1 0 a 0\n1 0 b 1\n1 0 a 2\n');
    expect(tuples(q)).toEqual([
      ['1', 'a', 2],
      ['1', 'b', 1],
    ]);
    expect(q.warnings).toHaveLength(1);
    expect(q.warnings[0]).toMatch(/line 3: query '1', document 'a' was already judged on line 1 \(0\); the later judgement \(2\) is kept/);
  });

  it('counts blank lines in line numbers: wrong field count', () => {
    const text = `${'1 0 d 1\n'.repeat(10)}\n1 0 d12\n`;
    const e = expectDataError(() => qrels(text), { kind: 'format', line: 12, token: '1 0 d12' });
    expect(e.reason).toBe('expected 4 whitespace-separated fields (qid iter docno rel), found 3');
    expect(e.message).toBe("qrels.txt, line 12: expected 4 whitespace-separated fields (qid iter docno rel), found 3 ('1 0 d12')");
    expect(e.file).toBe('qrels.txt');
  });

  it('refuses five fields, as trec_eval does', () => {
    expectDataError(() => qrels('1 0 d 1 extra\n'), { line: 1, reason: /found 5/ });
  });

  it('refuses a non-numeric or fractional grade and one outside Int8', () => {
    expectDataError(() => qrels('1 0 d rel\n'), { kind: 'value', line: 1, reason: /relevance is not an integer/, token: 'rel' });
    expectDataError(() => qrels('1 0 d 1\n1 0 e 0.5\n'), { kind: 'value', line: 2, token: '0.5' });
    expectDataError(() => qrels('1 0 d 128\n'), { kind: 'value', reason: /between -128 and 127/ });
  });

  it('says "file is empty" for no bytes and for blank lines only', () => {
    expectDataError(() => qrels(''), { kind: 'format', reason: /^file is empty$/ });
    expectDataError(() => qrels('\n \r\n\t\n'), { reason: /file is empty \(only blank lines\)/ });
  });

  it('skips bad lines into a report when asked', () => {
    const text = '1 0 a 1\nbad line\n1 0 b x\n\n1 0 c 2\n1 0 d\n1 0 e 1\n1 0 f\n1 0 g\n1 0 h\n';
    const q = qrels(text, { skipBadLines: true });
    expect(tuples(q).map((t) => t[1])).toEqual(['a', 'c', 'e']);
    expect(q.skipped.count).toBe(6);
    expect(q.skipped.first.map((s) => s.line)).toEqual([2, 3, 6, 8, 9]);
    expect(q.skipped.first[1].reason).toMatch(/line 3: relevance is not an integer/);
  });

  it('still fails when every line was skipped', () => {
    expectDataError(() => qrels('x\ny\n', { skipBadLines: true }), { line: 1, reason: /no line could be read: all 2 were skipped/ });
  });

  it('names the format a wrong file looks like', () => {
    const e = expectDataError(() => qrels('{"_id": "d1", "title": "", "text": "hello"}\n'), { line: 1 });
    expect(e.reason).toMatch(/found \d+; this looks like a BEIR corpus\.jsonl/);
    expectDataError(() => qrels('1 Q0 d1 1 12.5 bm25\n'), { reason: /this looks like a TREC run file/ });
  });

  it('refuses binary input and invalid UTF-8, with where', () => {
    expectDataError(() => qrels('1 0 a 1\n\u0000\u0001\u0002'), { kind: 'format', line: 2, reason: /NUL bytes: this is not a text file \(expected a TREC qrels file/ });
    const p = new TrecQrelsParser('q.txt');
    p.push(utf8('1 0 a 1\n1 0 b 1\n'));
    const e = expectDataError(() => p.push(new Uint8Array([0x31, 0x20, 0xff, 0x0a])), { line: 3, token: 'ff 0a' });
    expect(e.reason).toMatch(/invalid UTF-8 at byte 18/);
  });

  it('reads through drive(), gzip included, and reports truncated gzip as io', async () => {
    const text = Array.from({ length: 500 }, (_, i) => `${i % 7} 0 doc-${i} ${i % 3}`).join('\n');
    const plainResult = await parseTrecQrels(bytesSource(utf8(text), 'qrels.txt'));
    const gz = gzipSync(utf8(text));
    const gzResult = await parseTrecQrels(bytesSource(gz, 'qrels.txt.gz'));
    expect(gzResult).toEqual(plainResult);
    expect(plainResult.query.length).toBe(500);
    const truncated = parseTrecQrels(bytesSource(gz.subarray(0, gz.length - 12), 'qrels.txt.gz'));
    await expect(truncated).rejects.toBeInstanceOf(DataError);
    await expect(truncated).rejects.toMatchObject({ kind: 'io', reason: expect.stringMatching(/truncated/) });
  });
});
