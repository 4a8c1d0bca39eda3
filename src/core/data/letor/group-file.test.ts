import { describe, expect, it } from 'vitest';
import { DataError } from '../parse/errors';
import { bytesSource } from '../parse/stream';
import { GroupFileParser } from './group-file';
import { parseGroupFile, parseLetor } from './index';
import { enc, parse, parseError } from './test-helpers';

describe('group files', () => {
  function groupFile(text: string, chunk = Infinity): Int32Array {
    const p = new GroupFileParser('train.query');
    const b = enc.encode(text);
    for (let i = 0; i < b.length; i += chunk) p.push(b.subarray(i, Math.min(b.length, i + chunk)));
    return p.finish();
  }

  it('GroupFileParser reads one count per line (CRLF, blanks, spaces, no final newline, any chunking)', () => {
    expect(Array.from(groupFile('2\n3\n1\n'))).toEqual([2, 3, 1]);
    expect(Array.from(groupFile(' 2 \r\n\r\n3\r\n1'))).toEqual([2, 3, 1]);
    for (const chunk of [1, 2, 3]) expect(Array.from(groupFile('12\r\n345\n\n6', chunk))).toEqual([12, 345, 6]);
    const many = Array.from({ length: 5000 }, (_, i) => (i % 9) + 1);
    expect(Array.from(groupFile(many.join('\n')))).toEqual(many);
  });

  it('GroupFileParser refuses zero, negatives, non-integers, and empty files', () => {
    const bad = (text: string) => {
      try {
        groupFile(text);
      } catch (e) {
        expect(e).toBeInstanceOf(DataError);
        return e as DataError;
      }
      return expect.fail('expected a DataError');
    };
    const zero = bad('2\n0\n');
    expect([zero.line, zero.token, zero.kind]).toEqual([2, '0', 'format']);
    expect(zero.message).toMatch(/positive whole number/);
    expect(bad('2\n-1\n').line).toBe(2);
    expect(bad('1.5\n').token).toBe('1.5');
    expect(bad('3 4\n').line).toBe(1);
    expect(bad('').message).toMatch(/the group file is empty/);
    expect(bad('\n\n').message).toMatch(/no counts/);
  });

  it('parseGroupFile streams a source', async () => {
    expect(Array.from(await parseGroupFile(bytesSource(enc.encode('1\n2\n'), 'a.group')))).toEqual([1, 2]);
  });

  it('the groups option assigns documents to queries by count', () => {
    const groups = new Int32Array([2, 1, 3]);
    const res = parse('1 1:1\n0 1:2 #docid = d2\n2 2:3\n# c\n\n0 1:4\n1 1:5\n3 2:6', { groups });
    expect(Array.from(res.dataset.qidOffsets)).toEqual([0, 2, 3, 6]);
    expect(res.dataset.queryIds).toEqual(['1', '2', '3']);
    expect(Array.from(res.dataset.labels)).toEqual([1, 0, 2, 0, 1, 3]);
    expect(Array.from(res.dataset.features)).toEqual([1, 0, 2, 0, 0, 3, 4, 0, 5, 0, 0, 6]);
    expect(res.docIds).toEqual(['', 'd2', '', '', '', '']);
  });

  it('too many document lines for the group file is an error at the first extra line', () => {
    const e = parseError('1 1:1\n0 1:2\n2 1:3\n', { groups: new Int32Array([1, 1]) });
    expect(e.kind).toBe('format');
    expect(e.line).toBe(3);
    expect(e.message).toMatch(/accounts for 2 documents, but the feature file has more lines/);
    // Not a bad line: skipBadLines does not hide it.
    expect(parseError('1 1:1\n0 1:2\n2 1:3\n', { groups: new Int32Array([1, 1]), skipBadLines: true }).line).toBe(3);
  });

  it('too few document lines for the group file is an error', () => {
    const e = parseError('1 1:1\n0 1:2\n', { groups: new Int32Array([2, 1]) });
    expect(e.kind).toBe('format');
    expect(e.message).toMatch(/accounts for 3 documents in 2 queries, but the feature file has 2 document lines/);
  });

  it('a qid: on a line is an error when a group file is given', () => {
    const e = parseError('1 qid:3 1:1\n', { groups: new Int32Array([1]) });
    expect([e.line, e.column, e.token]).toEqual([1, 3, 'qid:']);
    expect(e.message).toMatch(/group file was given/);
  });

  it('with skipBadLines, a bad line still takes its place in its group (the counts stay aligned)', () => {
    const groups = new Int32Array([2, 2, 1]);
    // Line 1 has a bad label, line 4 a bad value, line 5 (query 3's only line) a bad index.
    const res = parse('x 1:1\n0 1:2\n1 1:3\n2 1:nan\n3 0:1\n', { groups, skipBadLines: true });
    expect(res.skipped.count).toBe(3);
    expect(res.dataset.queryIds).toEqual(['1', '2']);
    expect(Array.from(res.dataset.qidOffsets)).toEqual([0, 1, 2]);
    expect(Array.from(res.dataset.labels)).toEqual([0, 1]);
    // And the totals are still checked, counting the skipped lines.
    const e = parseError('x 1:1\n0 1:2\n', { groups: new Int32Array([3]), skipBadLines: true });
    expect(e.message).toMatch(/accounts for 3 documents in 1 queries, but the feature file has 2 document lines/);
  });
});

describe('parseLetor', () => {
  it('streams a source and names it in errors', async () => {
    const res = await parseLetor(bytesSource(enc.encode('1 qid:1 1:1\n'), 'fold1/train.txt'));
    expect(res.dataset.features.length).toBe(1);
    await expect(parseLetor(bytesSource(enc.encode('1 qid:1 1:q\n'), 'fold1/vali.txt'))).rejects.toThrow(/^fold1\/vali\.txt, line 1, column 9: /);
  });
});
