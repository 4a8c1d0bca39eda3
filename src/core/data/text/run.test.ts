import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareCodePoints, trecEvalOrder, TrecRunParser, type TrecRun } from './run';
import { expectDataError, utf8 } from './test-util';

function run(text: string, opts: { skipBadLines?: boolean } = {}): TrecRun {
  const p = new TrecRunParser('bm25.run', opts);
  p.push(utf8(text));
  return p.finish();
}

/** Each query's docnos in trec_eval order. */
function ordered(r: TrecRun): Record<string, string[]> {
  const lists = trecEvalOrder(r);
  const out: Record<string, string[]> = {};
  r.queryIds.forEach((q, qi) => {
    out[q] = Array.from(lists.rows.subarray(lists.offsets[qi], lists.offsets[qi + 1]), (row) => r.docIds[r.doc[row]]);
  });
  return out;
}

describe('TREC run', () => {
  it('reads rows into columns', () => {
    const r = run('q1 Q0 d1 1 12.5 bm25\nq1 Q0 d2 2 11 bm25\r\nq2 Q0 d1 1 -3e-2 bm25');
    expect(r.queryIds).toEqual(['q1', 'q2']);
    expect(r.docIds).toEqual(['d1', 'd2']);
    expect([...r.query]).toEqual([0, 0, 1]);
    expect([...r.doc]).toEqual([0, 1, 0]);
    expect([...r.rank]).toEqual([1, 2, 1]);
    expect([...r.score]).toEqual([12.5, 11, -0.03]);
    expect(r.score).toBeInstanceOf(Float64Array);
    expect(r.tag).toBe('bm25');
    expect(r.warnings).toEqual([]);
  });

  it('keeps the first tag and warns once per different tag', () => {
    const r = run('1 Q0 a 1 3 first\n1 Q0 b 2 2 second\n1 Q0 c 3 1 second\n1 Q0 d 4 0 third\n');
    expect(r.tag).toBe('first');
    expect(r.warnings).toHaveLength(2);
    expect(r.warnings[0]).toMatch(/line 2: run tag 'second' differs from 'first'/);
  });

  it('ignores fields after the tag with one warning, as trec_eval does', () => {
    const r = run('1 Q0 a 1 3 t extra\n1 Q0 b 2 2 t more stuff\n');
    expect(r.docIds).toEqual(['a', 'b']);
    expect(r.warnings).toEqual(['line 1: 1 field(s) after the run tag are ignored, as trec_eval does']);
  });

  it('accepts an integral rank written as a decimal', () => {
    expect([...run('1 Q0 a 3.0 1 t\n').rank]).toEqual([3]);
  });

  it('refuses short lines, bad ranks and bad scores with the token', () => {
    expectDataError(() => run('1 Q0 a 1 3\n'), { kind: 'format', line: 1, reason: /^expected 6 whitespace-separated fields \(qid Q0 docno rank score tag\), found 5$/ });
    expectDataError(() => run('1 Q0 a 1 3 t\n1 Q0 b first 2 t\n'), { kind: 'value', line: 2, reason: /rank is not an integer/, token: 'first' });
    expectDataError(() => run('1 Q0 a 1.5 3 t\n'), { reason: /rank is not an integer/ });
    expectDataError(() => run('1 Q0 a 99999999999 3 t\n'), { reason: /32-bit/ });
    expectDataError(() => run('1 Q0 a 1 high t\n'), { kind: 'value', reason: /^score is not a number$/, token: 'high' });
    expectDataError(() => run('1 Q0 a 1 0x1f t\n'), { reason: /^score is not a number$/ });
    for (const bad of ['NaN', 'nan', 'Infinity', '-inf', '1e999']) {
      expectDataError(() => run(`1 Q0 a 1 ${bad} t\n`), { kind: 'value', line: 1, reason: /score must be a finite number, not NaN or infinity/, token: bad });
    }
  });

  it('skips comment lines and bad lines when asked', () => {
    const r = run('# header\n1 Q0 a 1 NaN t\n1 Q0 b 2 1 t\n', { skipBadLines: true });
    expect(r.docIds).toEqual(['b']);
    expect(r.skipped).toMatchObject({ count: 1, first: [{ line: 2 }] });
  });
});

describe('trecEvalOrder', () => {
  it('sorts by score descending and breaks ties by docno descending, ignoring the rank column', () => {
    const r = run(
      [
        'q1 Q0 doc-a 1 5 t',
        'q1 Q0 doc-c 2 5 t',
        'q1 Q0 doc-b 3 5 t',
        'q1 Q0 doc-z 4 7 t',
        'q1 Q0 doc-y 5 -1 t',
        'q2 Q0 B 1 1 t',
        'q2 Q0 a 2 1 t',
        'q2 Q0 A 3 1 t',
        'q1 Q0 doc-10 6 5 t',
        'q1 Q0 doc-9 7 5 t',
      ].join('\n'),
    );
    // 'doc-9' > 'doc-c'? No: '9' (0x39) < 'c' (0x63); and 'doc-9' > 'doc-10' byte-wise.
    expect(ordered(r)).toEqual({
      q1: ['doc-z', 'doc-c', 'doc-b', 'doc-a', 'doc-9', 'doc-10', 'doc-y'],
      q2: ['a', 'B', 'A'],
    });
    expect(trecEvalOrder(r).duplicates).toEqual([]);
  });

  it('reports documents listed twice for a query', () => {
    const r = run('q Q0 a 1 2 t\nq Q0 b 2 1 t\nq Q0 a 3 0 t\nr Q0 a 1 1 t\n');
    expect(trecEvalOrder(r).duplicates).toEqual([{ query: 'q', doc: 'a' }]);
  });

  it('agrees with a plain sort of (score desc, docno desc) on random runs with many ties', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ q: fc.integer({ min: 0, max: 3 }), d: fc.stringMatching(/^[a-c0-9]{1,3}$/), s: fc.integer({ min: 0, max: 3 }) }), { minLength: 1, maxLength: 60 }),
        (rows) => {
          const r = run(rows.map((x, i) => `q${x.q} Q0 ${x.d} ${i + 1} ${x.s} t`).join('\n'));
          const got = ordered(r);
          for (const q of r.queryIds) {
            const expected = rows
              .filter((x) => `q${x.q}` === q)
              .sort((a, b) => b.s - a.s || (a.d < b.d ? 1 : a.d > b.d ? -1 : 0))
              .map((x) => x.d);
            expect(got[q]).toEqual(expected);
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('compareCodePoints', () => {
  it('orders like strcmp on UTF-8 bytes, not like UTF-16 units', () => {
    const astral = '\u{1F600}'; // UTF-8 F0 9F 98 80, UTF-16 D83D DE00
    const bmpHigh = '\uFF21'; // UTF-8 EF BC A1
    expect(astral < bmpHigh).toBe(true); // JavaScript's order
    expect(compareCodePoints(astral, bmpHigh)).toBeGreaterThan(0); // strcmp's order
    expect(compareCodePoints('abc', 'abd')).toBeLessThan(0);
    expect(compareCodePoints('ab', 'abc')).toBeLessThan(0);
    expect(compareCodePoints('x', 'x')).toBe(0);
  });

  it('matches byte order on random strings', () => {
    const bytesCompare = (a: string, b: string) => {
      const x = utf8(a);
      const y = utf8(b);
      for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] - y[i];
      return x.length - y.length;
    };
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), (a, b) => {
        expect(Math.sign(compareCodePoints(a, b))).toBe(Math.sign(bytesCompare(a, b)));
      }),
      { numRuns: 150 },
    );
  });
});
