import { describe, expect, it } from 'vitest';
import type { LetorOptions } from './parser';
import { enc, f32, FILE, parse, parseError, row } from './test-helpers';

describe('LetorParser: columnar output', () => {
  it('reads a small file into CSR offsets, row-major features with zeros for absent ones, labels and query ids', () => {
    const res = parse(['2 qid:1 1:0.5 2:1.5 3:-2', '0 qid:1 1:0.25 3:4', '1 qid:7 2:3', '4 qid:7 1:1 2:2 3:3', '3 qid:2 3:0.125', ''].join('\n'));
    const ds = res.dataset;
    expect(Array.from(ds.qidOffsets)).toEqual([0, 2, 4, 5]);
    expect(ds.queryIds).toEqual(['1', '7', '2']);
    expect(ds.nFeatures).toBe(3);
    expect(Array.from(ds.labels)).toEqual([2, 0, 1, 4, 3]);
    expect(Array.from(ds.features)).toEqual(f32([0.5, 1.5, -2, 0.25, 0, 4, 0, 3, 0, 1, 2, 3, 0, 0, 0.125]));
    expect(ds.features.length).toBe(15);
    expect(Array.from(res.featurePresence)).toEqual([3, 3, 4]);
    expect(res.docIds).toBeNull();
    expect(res.warnings).toEqual([]);
    expect(res.skipped).toEqual({ count: 0, first: [] });
    expect(res.lines).toBe(5);
  });

  it('reads MQ2008-style lines with doc ids in comments', () => {
    const values = Array.from({ length: 46 }, (_, j) => (j % 5 === 1 ? '0.000000' : ((j * 7919) % 1000) / 1000 + 0.000537).toString());
    const mq = (label: number, qid: string, docid: string, shift: number) =>
      `${label} qid:${qid} ${values.map((v, j) => `${j + 1}:${j === 45 ? (0.076923 + shift).toFixed(6) : v}`).join(' ')} #docid = ${docid} inc = 0.0119881192468859 prob = 0.139842`;
    const text = [
      mq(2, '10032', 'GX029-35-5894638', 0),
      mq(0, '10032', 'GX030-77-6315042', 1),
      mq(1, '10039', 'GX008-86-4444840', 2),
    ].join('\r\n');
    const res = parse(text);
    expect(res.dataset.nFeatures).toBe(46);
    expect(res.dataset.queryIds).toEqual(['10032', '10039']);
    expect(Array.from(res.dataset.qidOffsets)).toEqual([0, 2, 3]);
    expect(Array.from(res.dataset.labels)).toEqual([2, 0, 1]);
    expect(res.docIds).toEqual(['GX029-35-5894638', 'GX030-77-6315042', 'GX008-86-4444840']);
    for (let r = 0; r < 3; r++) {
      const expected = values.map((v, j) => Math.fround(j === 45 ? Number((0.076923 + r).toFixed(6)) : Number(v)));
      expect(row(res, r)).toEqual(expected);
    }
    expect(Array.from(res.featurePresence)).toEqual(new Array(46).fill(3));
  });

  it('gives "" for lines without a doc id once some line has one, null when none has', () => {
    const res = parse('1 qid:1 1:1\n0 qid:1 1:2 #docid = B\n0 qid:1 1:3 # no id here\n2 qid:2 1:4 #docid=D\n');
    expect(res.docIds).toEqual(['', 'B', '', 'D']);
    expect(parse('1 qid:1 1:1 # just a note\n').docIds).toBeNull();
  });

  it('reads sparse Yahoo-like lines: few features, large indices, width = largest index', () => {
    const res = parse(['0 qid:1 12:0.5 350:0.25 699:1', '1 qid:1 3:0.75', '2 qid:2 700:0.125 5:0.5'].join('\n'));
    expect(res.dataset.nFeatures).toBe(700);
    expect(res.dataset.features.length).toBe(3 * 700);
    const r0 = row(res, 0);
    expect(r0[11]).toBe(0.5);
    expect(r0[349]).toBe(0.25);
    expect(r0[698]).toBe(1);
    expect(r0.filter((v) => v !== 0).length).toBe(3);
    expect(row(res, 1).filter((v) => v !== 0)).toEqual([0.75]);
    const r2 = row(res, 2);
    expect(r2[699]).toBe(0.125);
    expect(r2[4]).toBe(0.5);
    expect(res.featurePresence[11]).toBe(1);
    expect(res.featurePresence[0]).toBe(0);
    expect(res.featurePresence.reduce((a, b) => a + b, 0)).toBe(6);
  });

  it('accepts out-of-order indices, tabs, extra spaces, labels -128..127, and values in any decimal form', () => {
    const res = parse('  3\tqid:q-1  \t 3:3   1:1e-3 2:-.5  \n-128 qid:q-1 4:+7 1:5. 2:1.2345678901234567 3:2E+2\n127 qid:x 1:0.000000000000000000001\n');
    expect(res.dataset.nFeatures).toBe(4);
    expect(Array.from(res.dataset.labels)).toEqual([3, -128, 127]);
    expect(row(res, 0)).toEqual(f32([0.001, -0.5, 3, 0]));
    expect(row(res, 1)).toEqual(f32([5, 1.2345678901234567, 200, 7]));
    expect(row(res, 2)).toEqual(f32([1e-21, 0, 0, 0]));
    expect(res.dataset.queryIds).toEqual(['q-1', 'x']);
  });

  it('ignores blank and # lines but counts them in line numbers; CRLF and a missing final newline work', () => {
    const text = '# header comment\r\n\r\n1 qid:1 1:1\r\n   \r\n\t# indented comment\r\n0 qid:1 1:2\r\n1 qid:1 1:x';
    const err = parseError(text);
    expect(err.line).toBe(7);
    const ok = parse('# header comment\r\n\r\n1 qid:1 1:1\r\n   \r\n\t# indented comment\r\n0 qid:1 2:2\r\n1 qid:1 1:3');
    expect(ok.lines).toBe(7);
    expect(Array.from(ok.dataset.labels)).toEqual([1, 0, 1]);
    expect(Array.from(ok.dataset.features)).toEqual([1, 0, 0, 2, 3, 0]);
  });

  it('skips a UTF-8 byte order mark before the first line (only there)', () => {
    const bom = new Uint8Array([0xef, 0xbb, 0xbf]);
    const text = enc.encode('1 qid:1 1:0.5\r\n0 qid:1 1:2\r\n');
    const withBom = new Uint8Array(bom.length + text.length);
    withBom.set(bom);
    withBom.set(text, bom.length);
    expect(Array.from(parse(withBom).dataset.features)).toEqual([0.5, 2]);
    const e = parseError(withBom.subarray(0, 13)); // BOM + '1 qid:1 1:': the bad token is at byte column 12
    expect([e.line, e.column, e.token]).toEqual([1, 12, '1:']);
    const second = parseError(enc.encode('1 qid:1 1:1\n\ufeff1 qid:1 1:1\n'));
    expect(second.line).toBe(2);
  });

  it('a line with no features is a document of zeros; a file with none at all has width 1', () => {
    const res = parse('1 qid:1\n0 qid:1 # nothing\n');
    expect(res.dataset.nFeatures).toBe(1);
    expect(Array.from(res.dataset.features)).toEqual([0, 0]);
    expect(Array.from(res.featurePresence)).toEqual([0]);
    const two = parse('1 qid:1\n0 qid:1 2:5\n');
    expect(Array.from(two.dataset.features)).toEqual([0, 0, 0, 5]);
  });

  it('groups a reappearing qid with its first occurrence, in file order, and warns naming the lines', () => {
    const text = ['1 qid:A 1:1', '2 qid:A 1:2', '0 qid:B 1:3', '3 qid:A 1:4 #docid = a3', '4 qid:C 1:5', '1 qid:B 1:6', '0 qid:B 1:7'].join('\n');
    const res = parse(text);
    expect(res.dataset.queryIds).toEqual(['A', 'B', 'C']);
    expect(Array.from(res.dataset.qidOffsets)).toEqual([0, 3, 6, 7]);
    expect(Array.from(res.dataset.features)).toEqual([1, 2, 4, 3, 6, 7, 5]);
    expect(Array.from(res.dataset.labels)).toEqual([1, 2, 3, 0, 1, 0, 4]);
    expect(res.docIds).toEqual(['', '', 'a3', '', '', '', '']);
    expect(res.warnings).toHaveLength(1);
    expect(res.warnings[0]).toContain('2 time(s)');
    expect(res.warnings[0]).toContain('qid A at line 4 (first at line 1)');
    expect(res.warnings[0]).toContain('qid B at line 6 (first at line 3)');
    expect(res.warnings[0]).toContain(FILE);
  });

  it('keeps a query whose lines are contiguous without any warning, even if a numeric qid repeats as a prefix', () => {
    const res = parse('1 qid:1 1:1\n1 qid:10 1:2\n1 qid:1 1:3\n');
    expect(res.dataset.queryIds).toEqual(['1', '10']);
    expect(Array.from(res.dataset.features)).toEqual([1, 3, 2]);
    expect(res.warnings).toHaveLength(1);
  });
});

describe('LetorParser: width growth after the first block (block re-layout)', () => {
  it('keeps every value when a much larger index first appears after 8192 rows, even mid-row', () => {
    const lines: string[] = [];
    const N = 10_000;
    const v = (r: number, j: number) => ((r * 31 + j * 7) % 1000) / 8; // exact in float32
    for (let r = 0; r < N; r++) {
      const q = Math.floor(r / 10);
      if (r === 9_000) lines.push(`1 qid:${q} 1:${v(r, 1)} 2:${v(r, 2)} 600:${v(r, 600)} 3:${v(r, 3)}`);
      else if (r === 9_500) lines.push(`1 qid:${q} 1:${v(r, 1)} 2:${v(r, 2)} 3:${v(r, 3)} 1000:${v(r, 1000)}`);
      else lines.push(`${r % 5} qid:${q} 1:${v(r, 1)} 2:${v(r, 2)} 3:${v(r, 3)}`);
    }
    const res = parse(lines.join('\n'));
    const ds = res.dataset;
    expect(ds.nFeatures).toBe(1000);
    expect(ds.features.length).toBe(N * 1000);
    for (const r of [0, 1, 8191, 8192, 8193, 8999, 9000, 9001, 9499, 9500, 9501, N - 1]) {
      const got = row(res, r);
      const want = new Array(1000).fill(0);
      want[0] = v(r, 1);
      want[1] = v(r, 2);
      want[2] = v(r, 3);
      if (r === 9_000) want[599] = v(r, 600);
      if (r === 9_500) want[999] = v(r, 1000);
      expect(got, `row ${r}`).toEqual(want);
    }
    // All rows: only features 1..3 (and the two wide ones) are non-zero.
    let nonZeroBeyond3 = 0;
    for (let r = 0; r < N; r++) for (let j = 3; j < 1000; j++) if (ds.features[r * 1000 + j] !== 0) nonZeroBeyond3++;
    expect(nonZeroBeyond3).toBe(2);
    expect(res.featurePresence[599]).toBe(1);
    expect(res.featurePresence[999]).toBe(1);
    expect(res.featurePresence[0]).toBe(N);
    expect(Array.from(ds.labels.subarray(0, 6))).toEqual([0, 1, 2, 3, 4, 0]);
  });

  it('a skipped line does not widen the dataset, nor leave values or presence behind', () => {
    const lines = ['1 qid:1 1:1 2:2'];
    lines.push('1 qid:1 1:9 500:9 2:oops'); // bad after widening the storage
    lines.push('1 qid:1 1:3 2:4');
    const res = parse(lines.join('\n'), { skipBadLines: true });
    expect(res.dataset.nFeatures).toBe(2);
    expect(Array.from(res.dataset.features)).toEqual([1, 2, 3, 4]);
    expect(Array.from(res.featurePresence)).toEqual([2, 2]);
  });
});

describe('LetorParser: errors', () => {
  const cases: { name: string; text: string; opts?: Omit<LetorOptions, 'fileName'>; line: number; column?: number; token?: string; message: RegExp }[] = [
    { name: 'feature index 0', text: '1 qid:1 1:1\n1 qid:1 0:0.5 2:1', line: 2, column: 9, token: '0:0.5', message: /1-based/ },
    { name: 'index over maxFeatureIndex (default 100000)', text: '1 qid:1 100001:1', line: 1, column: 9, token: '100001:1', message: /absurdly large.*100,000/ },
    { name: 'index over a given maxFeatureIndex', text: '1 qid:1 3:1 11:1', opts: { maxFeatureIndex: 10 }, line: 1, column: 13, token: '11:1', message: /absurdly large \(the limit is 10\)/ },
    { name: 'a 10-digit index', text: '1 qid:1 1234567890:1', line: 1, column: 9, token: '1234567890:1', message: /absurdly large/ },
    { name: 'a 20-digit index', text: '1 qid:1 12345678901234567890:1', line: 1, column: 9, token: '12345678901234567890:1', message: /absurdly large/ },
    { name: 'a repeated feature', text: '1 qid:1 1:1 2:2 1:3', line: 1, column: 17, token: '1:3', message: /feature 1 appears twice/ },
    { name: 'a repeated feature, out of order', text: '0 qid:1 5:1 2:2 5:3', line: 1, column: 17, token: '5:3', message: /feature 5 appears twice/ },
    { name: 'NaN', text: '1 qid:1 1:1 2:NaN', line: 1, column: 13, token: '2:NaN', message: /feature 2 is not a finite number/ },
    { name: 'nan', text: '1 qid:1 2:nan', line: 1, column: 9, token: '2:nan', message: /not a finite number/ },
    { name: 'inf', text: '1 qid:1 2:inf', line: 1, column: 9, token: '2:inf', message: /not a finite number/ },
    { name: '-Infinity', text: '1 qid:1 2:-Infinity', line: 1, column: 9, token: '2:-Infinity', message: /not a finite number/ },
    { name: 'a non-numeric value', text: '1 qid:1 1:abc', line: 1, column: 9, token: '1:abc', message: /the value of feature 1 is not a number/ },
    { name: 'an empty value', text: '1 qid:1 1: 2:1', line: 1, column: 9, token: '1:', message: /is not a number/ },
    { name: 'two dots', text: '1 qid:1 1:1.2.3', line: 1, column: 9, token: '1:1.2.3', message: /is not a number/ },
    { name: 'a hex value', text: '1 qid:1 1:0x10', line: 1, column: 9, token: '1:0x10', message: /is not a number/ },
    { name: 'a value with a colon', text: '1 qid:1 1:2:3', line: 1, column: 9, token: '1:2:3', message: /is not a number/ },
    { name: 'a non-numeric index', text: '1 qid:1 abc:1', line: 1, column: 9, token: 'abc:1', message: /index is not a whole number/ },
    { name: 'a negative index', text: '1 qid:1 -1:1', line: 1, column: 9, token: '-1:1', message: /index is not a whole number/ },
    { name: 'a token without a colon', text: '1 qid:1 1:1 17', line: 1, column: 13, token: '17', message: /expected a feature 'index:value'/ },
    { name: 'a missing qid', text: '1 1:0.5', line: 1, column: 3, token: '1:0.5', message: /expected 'qid:<id>'/ },
    { name: 'an empty qid', text: '1 qid: 1:0.5', line: 1, column: 3, token: 'qid:', message: /the qid is empty/ },
    { name: 'a label out of range', text: '1 qid:1 1:1\n128 qid:1 1:1', line: 2, column: 1, token: '128', message: /integer from -128 to 127/ },
    { name: 'a label below range', text: '-129 qid:1 1:1', line: 1, column: 1, token: '-129', message: /integer from -128 to 127/ },
    { name: 'a fractional label', text: '1.5 qid:1 1:1', line: 1, column: 1, token: '1.5', message: /integer from -128 to 127/ },
    { name: 'a non-numeric label after data', text: '1 qid:1 1:1\n\n  x qid:1 1:1', line: 3, column: 3, token: 'x', message: /^train\.txt, line 3, column 3: the label is not a number \('x'\)$/ },
  ];
  for (const c of cases) {
    it(`${c.name} → DataError at line ${c.line}`, () => {
      const e = parseError(c.text, c.opts);
      expect(e.kind).toBe('format');
      expect(e.file).toBe(FILE);
      expect(e.line).toBe(c.line);
      if (c.column !== undefined) expect(e.column).toBe(c.column);
      if (c.token !== undefined) expect(e.token).toBe(c.token);
      expect(e.message).toMatch(c.message);
      expect(e.message).toContain(`${FILE}, line ${c.line}`);
      expect(e).toBeInstanceOf(Error);
      expect(e.name).toBe('DataError');
    });
  }

  it('gives the same column and token with CRLF line ends and at the end of a line', () => {
    const e = parseError('1 qid:1 1:1\r\n1 qid:1 1:1 2:nan\r\n');
    expect([e.line, e.column, e.token]).toEqual([2, 13, '2:nan']);
    const last = parseError('1 qid:1 1:1\r\n1 qid:1 1:1 2:nan');
    expect([last.line, last.column, last.token]).toEqual([2, 13, '2:nan']);
  });

  it('a value beyond the float32 range (1e400, 3.5e38) is refused, not stored as Infinity', () => {
    const e = parseError('1 qid:1 1:1e400');
    expect(e.token).toBe('1:1e400');
    expect(e.message).toMatch(/the value of feature 1 is not a finite number in 32-bit floats/);
    const f = parseError('1 qid:1 1:1 2:-3.5e38');
    expect([f.column, f.token]).toEqual([13, '2:-3.5e38']);
    expect(f.message).toMatch(/not a finite number/);
    expect(Array.from(parse('1 qid:1 1:3.4e38 2:-3.4028235e38 3:1e-50').dataset.features)).toEqual(f32([3.4e38, -3.4028235e38, 0]));
  });

  it('an empty file, and a file without document lines', () => {
    const empty = parseError('');
    expect(empty.kind).toBe('format');
    expect(empty.message).toContain('the file is empty');
    expect(empty.line).toBeUndefined();
    const comments = parseError('# only\n\n# comments\n');
    expect(comments.message).toMatch(/no document lines in 3 lines/);
  });

  describe('a binary file or another format is refused on line 1 with a hint', () => {
    const random = new Uint8Array(4096);
    let s = 12345;
    for (let i = 0; i < random.length; i++) {
      s = (s * 1103515245 + 12345) >>> 0;
      random[i] = s >>> 24;
    }
    random[0] = 0x9c; // a non-text first byte, as in most binary files
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 1, 0]);
    const inputs: [string, Uint8Array][] = [
      ['CSV', enc.encode('label,qid,f1,f2\n1,7,0.5,0.25\n')],
      ['headerless CSV', enc.encode('1,7,0.5,0.25\n0,7,0.1,0.2\n')],
      ['JSON', enc.encode('{"queries": [{"qid": 1, "docs": []}]}\n')],
      ['JSON array', enc.encode('[1, 2, 3]')],
      ['PNG', png],
      ['random bytes', random],
      ['UTF-16 text', new Uint8Array([0xff, 0xfe, 0x31, 0x00, 0x20, 0x00])],
      ['gzip bytes given raw', new Uint8Array([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 1, 2, 3])],
    ];
    for (const [name, bytes] of inputs) {
      it(name, () => {
        const e = parseError(bytes);
        expect(e.kind).toBe('format');
        expect(e.line).toBe(1);
        expect(e.column).toBe(1);
        expect(e.message).toContain('is this a LETOR/SVMlight file');
        expect(e.token!.length).toBeLessThanOrEqual(41);
        expect(e.token).not.toMatch(/[\u0000-\u001f]/);
      });
    }
  });

  it('the hint is only given before the first document', () => {
    const e = parseError('1 qid:1 1:1\nfoo,bar\n');
    expect(e.line).toBe(2);
    expect(e.message).not.toContain('is this a LETOR/SVMlight file');
  });
});

describe('LetorParser: skipBadLines', () => {
  it('drops bad lines, reports the count and the first 5 line numbers, and warns', () => {
    const lines = [
      '1 qid:1 1:1', // 1
      'x qid:1 1:1', // 2 bad label
      '2 qid:1 1:2 2:nan', // 3 bad value (after a good feature)
      '# comment', // 4
      '3 qid:1 0:1', // 5 index 0
      '1 1:1', // 6 no qid
      '0 qid:2 3:3 3:3', // 7 repeated (query 2 only has this line)
      '4 qid:3 1:4', // 8
      '0 qid:3 1:x', // 9 bad, 6th
      '1 qid:3 2:5', // 10
    ];
    const res = parse(lines.join('\n'), { skipBadLines: true });
    expect(res.skipped.count).toBe(6);
    expect(res.skipped.first.map((s) => s.line)).toEqual([2, 3, 5, 6, 7]);
    expect(res.skipped.first[1].reason).toMatch(/line 3.*not a finite number/);
    expect(res.dataset.queryIds).toEqual(['1', '3']); // query 2's only line was skipped
    expect(Array.from(res.dataset.qidOffsets)).toEqual([0, 1, 3]);
    expect(Array.from(res.dataset.labels)).toEqual([1, 4, 1]);
    expect(res.dataset.nFeatures).toBe(2);
    expect(Array.from(res.dataset.features)).toEqual([1, 0, 4, 0, 0, 5]);
    expect(Array.from(res.featurePresence)).toEqual([2, 1]);
    expect(res.warnings.some((w) => w.includes('skipped 6 bad line(s), first at line(s) 2, 3, 5, 6, 7'))).toBe(true);
  });

  it('keeps doc ids aligned with the rows that remain', () => {
    const res = parse('1 qid:1 1:1 #docid = a\n1 qid:1 1:z #docid = b\n1 qid:1 1:3 #docid = c\n', { skipBadLines: true });
    expect(res.docIds).toEqual(['a', 'c']);
  });

  it('still stops on a memory limit, and a file of only bad lines has no documents', () => {
    expect(parseError('x\ny\n', { skipBadLines: true }).message).toMatch(/no document lines/);
    expect(parseError('1 qid:1 1:1\n', { skipBadLines: true, memoryBudgetBytes: 1000 }).kind).toBe('limit');
  });
});

describe('LetorParser: memory budget and wide indices', () => {
  it('refuses a wide index before allocating for it', () => {
    const t = performance.now();
    const e = parseError('1 qid:1 1:1\n1 qid:1 99999:1\n', { memoryBudgetBytes: 64 * 1024 ** 2 });
    expect(e.kind).toBe('limit');
    expect(e.line).toBe(2);
    expect(e.message).toMatch(/budget/);
    expect(e.message).toMatch(/about [\d,]+ documents of 99999 features/);
    expect(performance.now() - t).toBeLessThan(1000);
  });
});
