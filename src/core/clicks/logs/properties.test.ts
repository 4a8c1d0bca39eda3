import fc from 'fast-check';
import { gzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { bytesSource } from '../../data/parse/stream';
import type { ChunkConsumer } from '../../data/parse/stream';
import { BaiduAnnotatedParser } from './baidu-annotated';
import { BaiduTrainParser } from './baidu';
import { parsePlainTsvClicks, PlainTsvClickParser } from './plain-tsv';
import { feed, onlyDataErrors, sessionsOf, utf8, type SessionView } from './test-util';
import type { ClickLogParserOptions } from './types';
import { YandexClickParser } from './yandex';

/**
 * Generated logs of every format: the plain TSV round trip (what was written is what is read),
 * independence from chunk boundaries, and fuzzing (random bytes and mutated files: only
 * DataError may escape).
 */

type Parser = ChunkConsumer & { finish(): unknown };
const PARSERS: Record<string, (opts: ClickLogParserOptions) => Parser> = {
  'plain-tsv': (o) => new PlainTsvClickParser('log.tsv', o),
  yandex: (o) => new YandexClickParser('train', o),
  'baidu-train': (o) => new BaiduTrainParser('part-00001', o),
  'baidu-annotated': (o) => new BaiduAnnotatedParser('test_data.txt', o),
};

/** An id for TSV: no tab, line break or NUL; may be any other Unicode. */
const id = fc
  .oneof(fc.stringMatching(/^[A-Za-z0-9_.:-]{1,6}$/), fc.string({ unit: 'binary', minLength: 1, maxLength: 4 }))
  .filter((s) => !/[\t\n\r\u0000]/.test(s) && s.trim().length > 0);
const dwell = fc.oneof(fc.constant(''), fc.integer({ min: 0, max: 10_000 }).map(String), fc.double({ min: 0, max: 1e4, noNaN: true }).map((x) => String(Math.fround(x))));
const eol = fc.constantFrom('\n', '\r\n');

const plainCase = fc
  .tuple(
    fc.uniqueArray(
      fc.record({
        session: id,
        query: id,
        slots: fc.array(fc.record({ doc: id, click: fc.integer({ min: 0, max: 1 }), dwell }), { minLength: 1, maxLength: 6 }),
      }),
      { selector: (s) => s.session, minLength: 1, maxLength: 12 },
    ),
    fc.boolean(),
    eol,
    fc.boolean(),
  )
  .map(([sessions, withDwell, nl, header]) => {
    const lines: string[] = header ? ['session\tquery\trank\tdoc\tclick'] : [];
    const expected: SessionView[] = [];
    for (const s of sessions) {
      const view: SessionView = { query: s.query, docs: [], clicks: [] };
      s.slots.forEach((slot, r) => {
        lines.push([s.session, s.query, r + 1, slot.doc, slot.click, ...(withDwell ? [slot.dwell] : [])].join('\t'));
        view.docs.push(slot.doc);
        view.clicks.push(slot.click);
      });
      if (withDwell) view.dwell = s.slots.map((slot) => (slot.dwell === '' ? NaN : Math.fround(Number(slot.dwell))));
      expected.push(view);
    }
    // Dwell is present in the log when any line gave a value.
    if (withDwell && !sessions.some((s) => s.slots.some((slot) => slot.dwell !== ''))) for (const v of expected) delete v.dwell;
    return { text: lines.join(nl) + nl, expected };
  });

const int = (max: number) => fc.integer({ min: 0, max }).map(String);
const yandexCase = fc
  .array(
    fc.record({
      session: int(50),
      serps: fc.array(fc.record({ query: int(20), urls: fc.uniqueArray(int(30), { minLength: 1, maxLength: 10 }), clicks: fc.array(int(30), { maxLength: 4 }) }), { minLength: 1, maxLength: 3 }),
    }),
    { minLength: 1, maxLength: 8 },
  )
  .map((groups) => {
    const lines: string[] = [];
    let sessionId = 0;
    for (const g of groups) {
      sessionId++;
      g.serps.forEach((serp, i) => {
        lines.push([sessionId, i * 10, 'Q', serp.query, 0, ...serp.urls].join('\t'));
        // Clicks on shown URLs mostly; others exercise the unshown count.
        serp.clicks.forEach((c, j) => lines.push([sessionId, i * 10 + j + 1, 'C', c].join('\t')));
      });
    }
    return `${lines.join('\n')}\n`;
  });

const tokens = fc.array(fc.integer({ min: 0, max: 99999 }), { maxLength: 5 }).map((t) => t.join('\u0001'));
const baiduCase = fc
  .array(
    fc.record({ qid: int(9), query: tokens, docs: fc.array(fc.record({ url: fc.stringMatching(/^[0-9a-f]{4}$/), title: tokens, abstract: tokens, click: int(1), dwell: fc.oneof(fc.constant('-'), int(500)) }), { maxLength: 5 }) }),
    { minLength: 1, maxLength: 6 },
  )
  .map((sessions) => {
    const lines: string[] = [];
    for (const s of sessions) {
      lines.push(`${s.qid}\t${s.query}\t-`);
      s.docs.forEach((d, i) => {
        const f = Array.from({ length: 32 }, () => '0');
        [f[0], f[1], f[2], f[3], f[5], f[16]] = [String(i + 1), d.url, d.title, d.abstract, d.click, d.dwell];
        lines.push(f.join('\t'));
      });
    }
    // At least one session with a document, so the file is a valid log.
    lines.push('99\t1\t-', ['1', 'ffff', '1', '2', '0', '1', ...Array.from({ length: 26 }, () => '0')].join('\t'));
    return `${lines.join('\n')}\n`;
  });

const annotatedCase = fc
  .array(fc.record({ qid: int(5), query: tokens, title: tokens, abstract: tokens, label: int(4), bucket: int(9) }), { minLength: 1, maxLength: 10 })
  .map((rows) => `${rows.map((r) => [r.qid, r.query, r.title, r.abstract, r.label, r.bucket].join('\t')).join('\n')}\n`);

const CASES: Record<string, fc.Arbitrary<string>> = {
  'plain-tsv': plainCase.map((c) => c.text),
  yandex: yandexCase,
  'baidu-train': baiduCase,
  'baidu-annotated': annotatedCase,
};

/** A deterministic, comparable view of any result (typed arrays to arrays; NaN kept). */
function plain(result: unknown): unknown {
  return JSON.parse(JSON.stringify(result, (_k, v) => (ArrayBuffer.isView(v) ? Array.from(v as unknown as ArrayLike<number>, (x) => (Number.isNaN(x) ? 'NaN' : x)) : v)));
}

const cuts = (max: number) => fc.array(fc.integer({ min: 0, max }), { maxLength: 8 });

describe('click-log parser properties', () => {
  it('plain TSV: what was written is what is read, however the bytes are cut', () => {
    fc.assert(
      fc.property(plainCase, cuts(2000), ({ text, expected }, at) => {
        const r = feed(new PlainTsvClickParser('log.tsv'), text, at);
        expect(sessionsOf(r.log)).toEqual(expected);
      }),
      { numRuns: 150 },
    );
  });

  for (const [format, arb] of Object.entries(CASES)) {
    it(`${format}: the result does not depend on chunk boundaries`, () => {
      fc.assert(
        fc.property(arb, cuts(3000), (text, at) => {
          const whole = plain(feed(PARSERS[format]({}), text));
          expect(plain(feed(PARSERS[format]({}), text, at))).toEqual(whole);
          expect(plain(feed(PARSERS[format]({}), utf8(text), [...Array(utf8(text).length).keys()].filter((i) => i % 7 === 3)))).toEqual(whole);
        }),
        { numRuns: 60 },
      );
    });

    it(`${format}: random bytes and mutated files raise only DataError`, () => {
      const mutation = fc.tuple(arb, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 }), fc.constantFrom('set', 'insert', 'delete')), { minLength: 1, maxLength: 6 }), fc.boolean());
      fc.assert(
        fc.property(mutation, ([text, edits, skipBadLines]) => {
          const bytes = [...utf8(text)];
          for (const [pos, byte, op] of edits) {
            const i = pos % (bytes.length + 1);
            if (op === 'set' && i < bytes.length) bytes[i] = byte;
            else if (op === 'insert') bytes.splice(i, 0, byte);
            else bytes.splice(i, 1);
          }
          onlyDataErrors(() => feed(PARSERS[format]({ skipBadLines }), Uint8Array.from(bytes)));
        }),
        { numRuns: 150 },
      );
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 300 }), fc.boolean(), (bytes, skipBadLines) => {
          onlyDataErrors(() => feed(PARSERS[format]({ skipBadLines }), bytes));
        }),
        { numRuns: 100 },
      );
      fc.assert(
        fc.property(fc.array(fc.constantFrom('0', '1', '7', '\t', '\n', ' ', 'Q', 'C', 'M', 'T', ',', '\u0001', '-', 'a'), { maxLength: 80 }), fc.boolean(), (chars, skipBadLines) => {
          onlyDataErrors(() => feed(PARSERS[format]({ skipBadLines }), chars.join('')));
        }),
        { numRuns: 150 },
      );
    });
  }

  it('gzip gives the same log as plain bytes', async () => {
    const [{ text }] = fc.sample(plainCase, { numRuns: 1, seed: 7 });
    const a = await parsePlainTsvClicks(bytesSource(utf8(text), 'log.tsv'));
    const b = await parsePlainTsvClicks(bytesSource(gzipSync(utf8(text)), 'log.tsv.gz'));
    expect(plain(b)).toEqual(plain(a));
  });
});
