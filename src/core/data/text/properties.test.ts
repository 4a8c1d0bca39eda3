import fc from 'fast-check';
import { gzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { bytesSource } from '../parse/stream';
import type { TextFormat } from './detect';
import { parseTextFile, type ParsedText } from './parsers';
import { ALL_FORMATS, onlyDataErrors, parseBytes, plain, utf8 } from './test-util';

/**
 * Generated files of every format: round trip (what was written is what is read), independence
 * from chunk boundaries, and fuzzing (random bytes and mutated files: only DataError may escape).
 */

const asciiSpace = /[\t\n\v\f\r ]/;
/** An id: no ASCII whitespace or NUL, not starting a comment; any other Unicode allowed. */
const token = fc
  .oneof(fc.stringMatching(/^[A-Za-z0-9_.:-]{1,6}$/), fc.string({ unit: 'binary', minLength: 1, maxLength: 5 }))
  .filter((s) => !asciiSpace.test(s) && !s.includes('\u0000') && !s.startsWith('#'));
/** A word of SGML text: nothing markup or whitespace collapsing would touch. */
const word = fc.string({ unit: 'binary', minLength: 1, maxLength: 6 }).filter((s) => !/[\s<>&:\u0000]/u.test(s));
const words = (min: number) => fc.array(word, { minLength: min, maxLength: 5 });
const sep = fc.constantFrom(' ', '\t', '  ', ' \t ');
const eol = fc.constantFrom('\n', '\r\n');
const gap = fc.constantFrom('', '', '\n', ' \r\n', '\t\n');
const ws = fc.constantFrom(' ', '\n', '\r\n', '  \n\t');

interface Case {
  format: TextFormat;
  text: string;
  /** plain() of the expected result, less warnings and skipped. */
  expected: Record<string, unknown>;
}

/** First-seen index of each id, as the parsers build their id tables. */
function interner() {
  const ids: string[] = [];
  const map = new Map<string, number>();
  return { ids, of: (id: string) => map.get(id) ?? (map.set(id, ids.length), ids.push(id), ids.length - 1) };
}

function lines(parts: string[], eols: string[], gaps: string[], finalNewline: boolean): string {
  return parts.map((p, i) => gaps[i] + p + (i < parts.length - 1 || finalNewline ? eols[i] : '')).join('');
}

/** Per-line layout: separators, line end, blank lines before. */
const layout = fc.record({ s1: sep, s2: sep, s3: sep, s4: sep, s5: sep, lead: fc.constantFrom('', ' ', '\t'), eol, gap });

const qrelsCase: fc.Arbitrary<Case> = fc
  .tuple(
    fc.uniqueArray(fc.record({ q: token, d: token, rel: fc.integer({ min: -128, max: 127 }), l: layout }), { selector: (j) => `${j.q}\u0000${j.d}`, minLength: 1, maxLength: 25 }),
    fc.boolean(),
  )
  .map(([js, finalNewline]) => {
    const qs = interner();
    const ds = interner();
    const text = lines(
      js.map((j) => `${j.l.lead}${j.q}${j.l.s1}0${j.l.s2}${j.d}${j.l.s3}${j.rel}`),
      js.map((j) => j.l.eol),
      js.map((j) => j.l.gap),
      finalNewline,
    );
    const query = js.map((j) => qs.of(j.q));
    const doc = js.map((j) => ds.of(j.d));
    return { format: 'trec-qrels', text, expected: { queryIds: qs.ids, docIds: ds.ids, query, doc, rel: js.map((j) => j.rel) } };
  });

const beirQrelsCase: fc.Arbitrary<Case> = qrelsCase.map(({ expected }) => {
  const e = expected as { queryIds: string[]; docIds: string[]; query: number[]; doc: number[]; rel: number[] };
  const body = e.query.map((q, j) => `${e.queryIds[q]}\t${e.docIds[e.doc[j]]}\t${e.rel[j]}\n`).join('');
  return { format: 'beir-qrels', text: `query-id\tcorpus-id\tscore\n${body}`, expected };
});

const score = fc.double({ noNaN: true, noDefaultInfinity: true }).map((x) => (x === 0 ? 0 : x));
const runCase: fc.Arbitrary<Case> = fc
  .tuple(fc.array(fc.record({ q: token, d: token, rank: fc.integer({ min: -5, max: 100000 }), score, l: layout }), { minLength: 1, maxLength: 25 }), token, fc.boolean())
  .map(([rows, tag, finalNewline]) => {
    const qs = interner();
    const ds = interner();
    const text = lines(
      rows.map((r) => `${r.l.lead}${r.q}${r.l.s1}Q0${r.l.s2}${r.d}${r.l.s3}${r.rank}${r.l.s4}${r.score}${r.l.s5}${tag}`),
      rows.map((r) => r.l.eol),
      rows.map((r) => r.l.gap),
      finalNewline,
    );
    const query = rows.map((r) => qs.of(r.q));
    const doc = rows.map((r) => ds.of(r.d));
    return { format: 'trec-run', text, expected: { queryIds: qs.ids, docIds: ds.ids, query, doc, rank: rows.map((r) => r.rank), score: rows.map((r) => r.score), tag } };
  });

const lineText = fc.string({ unit: 'binary', maxLength: 12 }).filter((s) => !/[\n\r\u0000]/.test(s));
const tsvCase: fc.Arbitrary<Case> = fc
  .tuple(fc.uniqueArray(fc.record({ id: token, text: lineText, eol, gap }), { selector: (r) => r.id, minLength: 1, maxLength: 20 }), fc.boolean())
  .map(([rows, finalNewline]) => ({
    format: 'msmarco-tsv',
    text: lines(
      rows.map((r) => `${r.id}\t${r.text}`),
      rows.map((r) => r.eol),
      rows.map((r) => r.gap),
      finalNewline,
    ),
    expected: { rows: rows.map(({ id, text }) => ({ id, text })) },
  }));

const anyText = fc.string({ unit: 'binary', maxLength: 12 });
const jsonId = fc.oneof(token, fc.integer({ min: 0, max: 1e9 }));
const beirCase = (format: 'beir-corpus' | 'beir-queries'): fc.Arbitrary<Case> =>
  fc
    .tuple(fc.uniqueArray(fc.record({ id: jsonId, title: fc.option(anyText), text: anyText, eol, meta: fc.boolean() }), { selector: (r) => String(r.id), minLength: 1, maxLength: 15 }), fc.boolean())
    .map(([rows, finalNewline]) => {
      const objects = rows.map((r) => ({
        _id: r.id,
        ...(format === 'beir-corpus' && r.title !== null ? { title: r.title } : {}),
        text: r.text,
        ...(r.meta ? { metadata: { url: 'x' } } : {}),
      }));
      const text = lines(
        objects.map((o) => JSON.stringify(o)),
        rows.map((r) => r.eol),
        rows.map(() => ''),
        finalNewline,
      );
      const expected = rows.map((r) => ({ id: String(r.id), text: r.text, ...(format === 'beir-corpus' ? { title: r.title ?? '' } : {}) }));
      return { format, text, expected: { rows: expected } };
    });

const contentTag = fc.constantFrom('TEXT', 'HEADLINE', 'TITLE', 'text');
const sgmlCase: fc.Arbitrary<Case> = fc
  .uniqueArray(
    fc.record({ id: fc.stringMatching(/^[A-Z0-9-]{1,10}$/), groups: fc.array(fc.record({ tag: contentTag, words: words(0), a: ws, b: ws }), { maxLength: 3 }), a: ws, b: ws }),
    { selector: (d) => d.id, minLength: 1, maxLength: 8 },
  )
  .map((docs) => ({
    format: 'trec-sgml-docs',
    text: docs
      .map((d) => `<DOC>${d.a}<DOCNO>${d.b}${d.id}${d.a}</DOCNO>${d.groups.map((g) => `${g.a}<${g.tag}>${g.b}${g.words.join(g.a)}${g.b}</${g.tag}>`).join('')}${d.b}</DOC>${d.a}`)
      .join(''),
    expected: { rows: docs.map((d) => ({ id: d.id, text: d.groups.flatMap((g) => g.words).join(' ') })) },
  }));

const topicsCase: fc.Arbitrary<Case> = fc
  .uniqueArray(
    fc.record({ num: fc.integer({ min: 0, max: 99999 }), title: words(1), desc: words(0), narr: words(0), closed: fc.boolean(), prefixed: fc.boolean(), a: ws }),
    { selector: (t) => t.num, minLength: 1, maxLength: 8 },
  )
  .map((ts) => ({
    format: 'trec-topics',
    text: ts
      .map((t) => {
        const field = (tag: string, prefix: string, value: string) =>
          `<${tag}>${t.a}${t.prefixed ? `${prefix}${t.a}` : ''}${value}${t.a}${t.closed ? `</${tag}>${t.a}` : ''}`;
        return `<top>${t.a}${field('num', 'Number:', String(t.num))}${field('title', 'Topic:', t.title.join(' '))}${field('desc', 'Description:', t.desc.join(t.a))}${field('narr', 'Narrative:', t.narr.join(' '))}</top>${t.a}`;
      })
      .join(''),
    expected: { rows: ts.map((t) => ({ id: String(t.num), text: t.title.join(' '), desc: t.desc.join(' '), narr: t.narr.join(' ') })) },
  }));

const CASES: Record<TextFormat, fc.Arbitrary<Case>> = {
  'trec-qrels': qrelsCase,
  'beir-qrels': beirQrelsCase,
  'trec-run': runCase,
  'msmarco-tsv': tsvCase,
  'beir-corpus': beirCase('beir-corpus'),
  'beir-queries': beirCase('beir-queries'),
  'trec-sgml-docs': sgmlCase,
  'trec-topics': topicsCase,
};

const cuts = fc.array(fc.nat({ max: 4000 }), { maxLength: 8 });

function withoutReport(r: ParsedText): Record<string, unknown> {
  const { warnings, skipped, ...rest } = plain(r) as Record<string, unknown>;
  expect(warnings).toEqual([]);
  expect(skipped).toEqual({ count: 0, first: [] });
  return rest;
}

describe.each(ALL_FORMATS)('%s', (format) => {
  it('reads back what was written, whatever the chunk boundaries', () => {
    fc.assert(
      fc.property(CASES[format], cuts, (c, at) => {
        const bytes = utf8(c.text);
        expect(withoutReport(parseBytes(format, bytes))).toEqual(c.expected);
        // Cut anywhere, even inside a UTF-8 character or between CR and LF: the same result.
        expect(withoutReport(parseBytes(format, bytes, { cuts: at.map((x) => x % (bytes.length + 1)) }))).toEqual(c.expected);
        expect(withoutReport(parseBytes(format, bytes, { cuts: Array.from(bytes.keys()) }))).toEqual(c.expected);
      }),
      { numRuns: 60 },
    );
  });

  it('lets only DataError escape, and fails or succeeds alike whatever the chunking, on mutated files', () => {
    const mutation = fc.record({
      at: fc.nat(),
      op: fc.constantFrom('replace', 'insert', 'delete', 'truncate'),
      byte: fc.oneof(fc.constantFrom(0x00, 0x0a, 0x0d, 0x09, 0x20, 0x3c, 0x3e, 0x2f, 0x7b, 0x7d, 0x22, 0x23, 0xff, 0xc3, 0xe2, 0xf0), fc.integer({ min: 0, max: 255 })),
    });
    fc.assert(
      fc.property(fc.oneof(CASES[format], ...ALL_FORMATS.map((f) => CASES[f])), fc.array(mutation, { minLength: 1, maxLength: 4 }), cuts, fc.boolean(), (c, ms, at, skipBadLines) => {
        let bytes = Array.from(utf8(c.text));
        for (const m of ms) {
          const i = bytes.length === 0 ? 0 : m.at % bytes.length;
          if (m.op === 'replace' && bytes.length > 0) bytes[i] = m.byte;
          else if (m.op === 'insert') bytes.splice(i, 0, m.byte);
          else if (m.op === 'delete') bytes.splice(i, 1);
          else if (m.op === 'truncate') bytes = bytes.slice(0, i);
        }
        const input = Uint8Array.from(bytes);
        const outcome = (cutAt: number[]) => {
          try {
            return { ok: true, value: plain(parseBytes(format, input, { skipBadLines, cuts: cutAt })) };
          } catch (e) {
            onlyDataErrors(() => {
              throw e;
            });
            return { ok: false };
          }
        };
        expect(outcome(at.map((x) => x % (input.length + 1)))).toEqual(outcome([]));
      }),
      { numRuns: 300 },
    );
  });

  it('lets only DataError escape on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.boolean(), (bytes, skipBadLines) => {
        onlyDataErrors(() => parseBytes(format, bytes, { skipBadLines }));
      }),
      { numRuns: 200 },
    );
  });
});

describe('through drive()', () => {
  it('gives the same result for a file and its gzip, for every format', async () => {
    for (const format of ALL_FORMATS) {
      const [c] = fc.sample(CASES[format], { numRuns: 1, seed: 7 });
      const bytes = utf8(c.text);
      const direct = plain(await parseTextFile(bytesSource(bytes, 'f'), format));
      expect(plain(await parseTextFile(bytesSource(gzipSync(bytes), 'f.gz'), format))).toEqual(direct);
      expect(direct).toEqual(plain(parseBytes(format, bytes)));
    }
  });

  it('reports a truncated .gz as an io error, for every format', async () => {
    for (const format of ALL_FORMATS) {
      const [c] = fc.sample(CASES[format], { numRuns: 1, seed: 11 });
      const gz = gzipSync(utf8(c.text));
      await expect(parseTextFile(bytesSource(gz.subarray(0, gz.length - 9), 'f.gz'), format)).rejects.toMatchObject({ name: 'DataError', kind: 'io', reason: expect.stringMatching(/truncated/) });
    }
  });
});
