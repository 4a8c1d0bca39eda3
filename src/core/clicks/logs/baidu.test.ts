import { gzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { bytesSource } from '../../data/parse/stream';
import { BaiduAnnotatedParser, parseBaiduAnnotated } from './baidu-annotated';
import { BaiduTrainParser, parseBaiduTrain, type BaiduTrainOptions } from './baidu';
import { columnsOf, expectDataError, feed, sessionsOf, utf8 } from './test-util';
import { tokenList } from './tokens';

const X = '\u0001';
const toks = (...ids: number[]) => ids.join(X);

/** A 32-field document line as in the dataset README, with the fields the reader uses set. */
function docLine(pos: number | string, url: string, title: string, abstract: string, click: number | string, o: { dwell?: string; media?: string; height?: string; shown?: string } = {}): string {
  const f = Array.from({ length: 32 }, () => '0');
  f[0] = String(pos);
  f[1] = url;
  f[2] = title;
  f[3] = abstract;
  f[4] = o.media ?? '0';
  f[5] = String(click);
  f[6] = '-';
  f[7] = '-';
  f[9] = o.height ?? '1200';
  f[10] = o.shown ?? '3.5';
  f[16] = o.dwell ?? '0';
  f[22] = '-';
  f[27] = '-';
  f[31] = '-';
  return f.join('\t');
}

const queryLine = (qid: string, ...tokens: number[]) => `${qid}\t${toks(...tokens)}\t-`;

const TRAIN = [
  queryLine('1', 5, 6),
  docLine(1, 'u1', toks(10, 11), toks(12), 0),
  docLine(2, 'u2', toks(20), toks(21, 22, 23), 1, { dwell: '42.5', media: '-', height: '-' }),
  queryLine('2', 7),
  docLine(1, 'u2', toks(20), toks(30), 1, { dwell: '8' }),
  queryLine('1', 5, 6),
  docLine(1, 'u1', toks(10, 11), toks(12), 1, { shown: '-' }),
  '',
].join('\n');

const read = (text: string, opts: BaiduTrainOptions = {}) => feed(new BaiduTrainParser('part-00001', opts), text);

describe('Baidu-ULTR training sessions', () => {
  it('reads sessions with clicks, dwell and display fields in the log layout', () => {
    const r = read(TRAIN);
    expect(r.format).toBe('baidu-train');
    expect(columnsOf(r.log)).toEqual({
      k: 2,
      query: [0, 1, 0],
      shown: [0, 1, 1, -1, 0, -1],
      clicks: [0, 1, 1, 0, 1, 0],
      dwell: [0, 42.5, 8, NaN, 0, NaN],
      queryIds: ['1', '2'],
      docIds: ['u1', 'u2'],
    });
    expect([...r.display.multimediaType]).toEqual([0, -1, 0, -1, 0, -1]);
    expect([...r.display.serpHeight]).toEqual([1200, NaN, 1200, NaN, 1200, NaN]);
    expect([...r.display.displayedTime]).toEqual([3.5, 3.5, 3.5, NaN, NaN, NaN]);
  });

  it('keeps token ids compactly: per query, and per (query, document) pair for title and abstract', () => {
    const t = read(TRAIN).text!;
    expect([0, 1].map((q) => [...tokenList(t.query, q)])).toEqual([[5, 6], [7]]);
    // Pairs: (q1,u1), (q1,u2), (q2,u2); the third session repeats (q1,u1).
    expect([...t.pairQuery]).toEqual([0, 0, 1]);
    expect([...t.pairDoc]).toEqual([0, 1, 1]);
    expect([0, 1, 2].map((p) => [...tokenList(t.title, p)])).toEqual([[10, 11], [20], [20]]);
    expect([0, 1, 2].map((p) => [...tokenList(t.abstract, p)])).toEqual([[12], [21, 22, 23], [30]]);
    expect([...t.slotPair]).toEqual([0, 1, 2, -1, 0, -1]);
    expect(t.title.tokens).toBeInstanceOf(Int32Array);
    expect(read(TRAIN, { text: false }).text).toBeNull();
  });

  it('keeps at most maxTokens ids per query, title and abstract (the rest still checked)', () => {
    const t = read(TRAIN, { maxTokens: 1 }).text!;
    expect([0, 1].map((q) => [...tokenList(t.query, q)])).toEqual([[5], [7]]);
    expect([0, 1, 2].map((p) => [...tokenList(t.title, p)])).toEqual([[10], [20], [20]]);
    expect([0, 1, 2].map((p) => [...tokenList(t.abstract, p)])).toEqual([[12], [21], [30]]);
    expectDataError(() => read(`1	2${X}3${X}x
1	u	1	1	0	0
`, { maxTokens: 1 }), { line: 1, reason: /query token is not a token id/, token: 'x' });
  });

  it('keeps the top k with the k option, text and display included', () => {
    const r = read(TRAIN, { k: 1 });
    expect(r.log.k).toBe(1);
    expect(sessionsOf(r.log).map((s) => s.docs)).toEqual([['u1'], ['u2'], ['u1']]);
    expect(r.stats.slotsBeyondK).toBe(1);
    expect(r.stats.clicksBeyondK).toBe(1);
    expect([...r.text!.slotPair]).toEqual([0, 1, 0]);
    expect([...r.display.serpHeight]).toEqual([1200, 1200, 1200]);
  });

  it('drops a query line without documents (empty session) and warns', () => {
    const r = read([queryLine('9', 1), queryLine('1', 5), docLine(1, 'u', '1', '2', 0), queryLine('10', 3), ''].join('\n'));
    expect(sessionsOf(r.log).map((s) => s.query)).toEqual(['1']);
    expect(r.stats.emptySessions).toBe(2);
    expect(r.warnings).toContain('2 query line(s) had no document lines; those sessions were dropped');
    expectDataError(() => read(`${queryLine('9', 1)}\n`), { reason: /no sessions: the file has no query line followed by document lines/ });
  });

  it('refuses positions out of order, repeated or with a gap, naming the qid and line', () => {
    const q = queryLine('77', 1);
    expectDataError(() => read([q, docLine(1, 'a', '1', '1', 0), docLine(1, 'b', '1', '1', 0)].join('\n')), {
      kind: 'value',
      line: 3,
      reason: /^position 1 of the session of qid '77' \(line 1\) was already given on line 2/,
    });
    expectDataError(() => read([q, docLine(1, 'a', '1', '1', 0), docLine(3, 'b', '1', '1', 0)].join('\n')), { line: 3, reason: /position 3 follows position 1 .*position 2 is missing or out of order/ });
    expectDataError(() => read([q, docLine(2, 'a', '1', '1', 0)].join('\n')), { line: 2, reason: /starts at position 2, not 1/ });
  });

  it('refuses bad clicks, dwell, tokens and framing', () => {
    const q = queryLine('1', 1);
    expectDataError(() => read([q, docLine(1, 'a', '1', '1', 2)].join('\n')), { line: 2, reason: /^click must be 0 or 1$/ });
    expectDataError(() => read([q, docLine(1, 'a', '1', '1', 0, { dwell: 'nan' })].join('\n')), { line: 2, reason: /dwelling_time must be a finite number/ });
    expectDataError(() => read([q, docLine(1, 'a', '1', '1', 0, { dwell: '-1' })].join('\n')), { line: 2, reason: /dwelling_time must not be negative/ });
    expectDataError(() => read([q, docLine(1, 'a', `1${X}x2`, '1', 0)].join('\n')), { line: 2, reason: /title token is not a token id/, token: 'x2' });
    expectDataError(() => read(`1\t2${X}-3\t\n`), { line: 1, reason: /query token is not a token id/, token: '-3' });
    expectDataError(() => read([q, docLine(1, 'a', '1', '1', 0, { height: 'tall' })].join('\n')), { line: 2, reason: /serp_height is not a number/ });
    expectDataError(() => read(docLine(1, 'a', '1', '1', 0)), { kind: 'format', line: 1, reason: /document line comes before any query line/ });
    expectDataError(() => read([q, 'a\tb\tc\td'].join('\n')), { kind: 'format', line: 2, reason: /found 4 field/ });
  });

  it('tolerates empty token pieces and short document lines (missing fields unknown)', () => {
    const r = read(`1\t${X}5${X}${X}6${X}\n1\tu\t7\t\t0\t1\n`);
    expect(sessionsOf(r.log)).toEqual([{ query: '1', docs: ['u'], clicks: [1] }]);
    expect(r.log.dwell).toBeUndefined();
    expect([...tokenList(r.text!.query, 0)]).toEqual([5, 6]);
    expect([...tokenList(r.text!.abstract, 0)]).toEqual([]);
    expect([...r.display.serpHeight]).toEqual([NaN]);
  });

  it('with skipBadLines drops the session of a bad line (a bad query line takes its documents with it)', () => {
    const text = [
      queryLine('1', 1),
      docLine(1, 'a', '1', '1', 0),
      docLine(2, 'b', '1', '1', 9),
      docLine(3, 'c', '1', '1', 0),
      `2\t1${X}y`,
      docLine(1, 'a', '1', '1', 0),
      queryLine('3', 1),
      docLine(1, 'd', '4', '5', 1),
      '',
    ].join('\n');
    const r = read(text, { skipBadLines: true });
    expect(sessionsOf(r.log)).toEqual([{ query: '3', docs: ['d'], clicks: [1], dwell: [0] }]);
    expect(r.stats.droppedSessions).toBe(2);
    expect(r.skipped.first.map((s) => s.line)).toEqual([3, 5]);
    expect([...tokenList(r.text!.title, 0)]).toEqual([4]);
    expect(r.log.docIds).toEqual(['d']);
  });

  it('reads part files gzipped through drive()', async () => {
    const r = await parseBaiduTrain(bytesSource(gzipSync(utf8(TRAIN)), 'part-00001.gz'));
    expect(r.stats).toMatchObject({ sessions: 3, impressions: 4, clicks: 3 });
  });
});

const ANNOTATED = [
  ['1', toks(5, 6), toks(10), toks(11, 12), '3', '0'],
  ['1', toks(5, 6), toks(20), toks(21), '0', '0'],
  ['2', toks(7), toks(30), toks(31), '4', '9'],
  ['1', toks(5, 6), toks(40), toks(41), '1', '0'],
  ['1', toks(8), toks(50), toks(51), '2', '5'],
]
  .map((f) => f.join('\t'))
  .join('\n');

describe('Baidu-ULTR annotated set', () => {
  const readA = (text: string, skipBadLines = false) => feed(new BaiduAnnotatedParser('annotation_data_0522.txt', { skipBadLines }), text);

  it('reads a relevance table grouped by query, splitting a qid reused for another query', () => {
    const a = readA(ANNOTATED);
    expect(a.queryIds).toEqual(['1', '2', '1#2']);
    expect([...a.queryOffsets]).toEqual([0, 3, 4, 5]);
    expect([...a.label]).toEqual([3, 0, 1, 4, 2]);
    expect([...a.bucket]).toEqual([0, 0, 0, 9, 5]);
    expect([...a.line]).toEqual([1, 2, 4, 3, 5]);
    expect([0, 1, 2].map((q) => [...tokenList(a.query, q)])).toEqual([[5, 6], [7], [8]]);
    expect([0, 1, 2, 3, 4].map((r) => [...tokenList(a.title, r)])).toEqual([[10], [20], [40], [30], [50]]);
    expect([0, 1, 2, 3, 4].map((r) => [...tokenList(a.abstract, r)])).toEqual([[11, 12], [21], [41], [31], [51]]);
    expect(a.reusedQids).toBe(1);
    expect(a.splitBlocks).toBe(1);
    expect(a.warnings).toEqual([
      'line 4: rows of qid 1 come back after other queries (its block ended on line 2); they are grouped with the first block',
      "line 5: qid 1 comes back with different query tokens; read as another query, '1#2'",
    ]);
  });

  it('refuses bad labels, buckets, tokens and field counts', () => {
    expectDataError(() => readA(`1\t5\t6\t7\t5\t0`), { kind: 'value', line: 1, reason: /label must be an integer from 0 to 4/, token: '5' });
    expectDataError(() => readA(`1\t5\t6\t7\t1\t10`), { line: 1, reason: /bucket must be an integer from 0 to 9/ });
    expectDataError(() => readA(`1\t5\tx\t7\t1\t1`), { line: 1, reason: /title token is not a token id/ });
    expectDataError(() => readA(`5\t6\t7\t1\t1`), { kind: 'format', line: 1, reason: /found 5; the README's table omits the qid, but the file has it first/ });
  });

  it('skips bad rows alone with skipBadLines, and reads gzip', async () => {
    const a = readA(`1\t5\t6\t7\t9\t0\n1\t5\t6\t7\t1\t0\n`, true);
    expect([...a.label]).toEqual([1]);
    expect(a.skipped.count).toBe(1);
    const g = await parseBaiduAnnotated(bytesSource(gzipSync(utf8(ANNOTATED)), 'test_data.txt.gz'));
    expect(g.queryIds).toHaveLength(3);
  });
});
