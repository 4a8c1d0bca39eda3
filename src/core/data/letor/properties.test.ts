import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DataError } from '../parse/errors';
import { LetorParser, type LetorOptions, type LetorResult } from './parser';

/**
 * Properties of the LETOR parser: chunking never changes the result, what is written as LETOR
 * text reads back, and no input, however mangled, gets anything but a DataError out of it.
 */

const enc = new TextEncoder();
const FILE = 'prop.txt';

interface Doc {
  label: number;
  /** Per feature, the value or null when absent. */
  values: (number | null)[];
  comment: 'none' | 'docid' | 'note';
}

interface Spec {
  nFeatures: number;
  queries: Doc[][];
  qidPrefix: string;
  crlf: boolean;
  trailingNewline: boolean;
  reversed: boolean;
  /** Comment / blank lines after document k (by position in the file). */
  fillers: number[];
}

const value = fc.oneof(
  fc.float({ noNaN: true, noDefaultInfinity: true }),
  fc.float({ min: -10, max: 10, noNaN: true }),
  fc.integer({ min: -100_000, max: 100_000 }).map((n) => n / 1000),
  fc.integer({ min: 0, max: 5 }),
);

const spec: fc.Arbitrary<Spec> = fc.integer({ min: 1, max: 20 }).chain((nFeatures) =>
  fc.record({
    nFeatures: fc.constant(nFeatures),
    queries: fc.array(
      fc.array(
        fc.record({
          label: fc.integer({ min: 0, max: 4 }),
          values: fc.array(fc.option(value, { freq: 3 }), { minLength: nFeatures, maxLength: nFeatures }),
          comment: fc.constantFrom<Doc['comment']>('none', 'none', 'docid', 'note'),
        }),
        { minLength: 1, maxLength: 8 },
      ),
      { minLength: 1, maxLength: 10 },
    ),
    qidPrefix: fc.constantFrom('', 'q', 'Q-', '100'),
    crlf: fc.boolean(),
    trailingNewline: fc.boolean(),
    reversed: fc.boolean(),
    fillers: fc.array(fc.integer({ min: 0, max: 80 }), { maxLength: 4 }),
  }),
);

function docText(d: Doc, qid: string, docNo: number, reversed: boolean): string {
  const parts = [String(d.label), `qid:${qid}`];
  const feats: string[] = [];
  d.values.forEach((v, j) => {
    if (v !== null) feats.push(`${j + 1}:${String(v)}`);
  });
  if (reversed) feats.reverse();
  parts.push(...feats);
  if (d.comment === 'docid') parts.push(`#docid = D${docNo} inc = 0.5 prob = 0.25`);
  if (d.comment === 'note') parts.push('# note 1:2 qid:9');
  return parts.join(' ');
}

function writeLetor(s: Spec): string {
  const lines: string[] = [];
  let docNo = 0;
  s.queries.forEach((docs, q) => {
    for (const d of docs) {
      lines.push(docText(d, `${s.qidPrefix}${q}`, docNo, s.reversed));
      if (s.fillers.includes(docNo)) lines.push(docNo % 2 ? '' : '# a comment line');
      docNo++;
    }
  });
  const nl = s.crlf ? '\r\n' : '\n';
  return lines.join(nl) + (s.trailingNewline ? nl : '');
}

function parseChunks(bytes: Uint8Array, cuts: number[], opts: Omit<LetorOptions, 'fileName'> = {}): LetorResult {
  const p = new LetorParser({ fileName: FILE, ...opts });
  let from = 0;
  for (const c of [...cuts].sort((a, b) => a - b)) {
    const to = Math.min(c, bytes.length);
    if (to > from) p.push(bytes.subarray(from, to));
    from = Math.max(from, to);
  }
  if (from < bytes.length) p.push(bytes.subarray(from));
  return p.finish();
}

/** Everything a result says, as plain data, or the error's details. */
function outcome(run: () => LetorResult): unknown {
  try {
    const r = run();
    return {
      qidOffsets: Array.from(r.dataset.qidOffsets),
      features: Array.from(r.dataset.features),
      labels: Array.from(r.dataset.labels),
      nFeatures: r.dataset.nFeatures,
      queryIds: r.dataset.queryIds,
      docIds: r.docIds,
      featurePresence: Array.from(r.featurePresence),
      warnings: r.warnings,
      skipped: r.skipped,
      lines: r.lines,
    };
  } catch (e) {
    if (!(e instanceof DataError)) throw e;
    return { error: e.message, kind: e.kind, line: e.line, column: e.column, token: e.token };
  }
}

/** Structural invariants of any result the parser returns. */
function checkInvariants(r: LetorResult): void {
  const ds = r.dataset;
  const nDocs = ds.labels.length;
  const nQ = ds.queryIds.length;
  expect(ds.qidOffsets.length).toBe(nQ + 1);
  expect(ds.qidOffsets[0]).toBe(0);
  expect(ds.qidOffsets[nQ]).toBe(nDocs);
  for (let q = 0; q < nQ; q++) expect(ds.qidOffsets[q + 1]).toBeGreaterThan(ds.qidOffsets[q]);
  expect(new Set(ds.queryIds).size).toBe(nQ);
  expect(ds.nFeatures).toBeGreaterThanOrEqual(1);
  expect(ds.features.length).toBe(nDocs * ds.nFeatures);
  expect(r.featurePresence.length).toBe(ds.nFeatures);
  for (let j = 0; j < ds.nFeatures; j++) {
    let nonZero = 0;
    for (let d = 0; d < nDocs; d++) if (ds.features[d * ds.nFeatures + j] !== 0) nonZero++;
    // A present feature can be 0, an absent one never is anything else.
    expect(r.featurePresence[j]).toBeGreaterThanOrEqual(nonZero);
    expect(r.featurePresence[j]).toBeLessThanOrEqual(nDocs);
  }
  if (ds.nFeatures > 1) expect(r.featurePresence[ds.nFeatures - 1]).toBeGreaterThan(0);
  for (const v of ds.features) expect(Number.isFinite(v)).toBe(true);
  if (r.docIds) expect(r.docIds.length).toBe(nDocs);
}

const cutsFor = (len: number) => fc.oneof(fc.array(fc.integer({ min: 0, max: len }), { maxLength: 30 }), fc.constant(Array.from({ length: len }, (_, i) => i)));

describe('LETOR round trip', () => {
  it('what is written as LETOR text parses back exactly (float32 values, 0 where absent)', () => {
    fc.assert(
      fc.property(spec, (s) => {
        const text = writeLetor(s);
        const res = parseChunks(enc.encode(text), []);
        checkInvariants(res);
        const docs = s.queries.flat();
        let width = 1;
        for (const d of docs) d.values.forEach((v, j) => v !== null && (width = Math.max(width, j + 1)));
        const ds = res.dataset;
        expect(ds.nFeatures).toBe(width);
        expect(ds.queryIds).toEqual(s.queries.map((_, q) => `${s.qidPrefix}${q}`));
        const offsets = [0];
        for (const docsOfQ of s.queries) offsets.push(offsets[offsets.length - 1] + docsOfQ.length);
        expect(Array.from(ds.qidOffsets)).toEqual(offsets);
        expect(Array.from(ds.labels)).toEqual(docs.map((d) => d.label));
        const want = new Float32Array(docs.length * width);
        docs.forEach((d, r) => d.values.forEach((v, j) => v !== null && (want[r * width + j] = Math.fround(Number(String(v))))));
        expect(Array.from(ds.features)).toEqual(Array.from(want));
        const presence = new Array(width).fill(0);
        for (const d of docs) d.values.forEach((v, j) => v !== null && presence[j]++);
        expect(Array.from(res.featurePresence)).toEqual(presence);
        const anyDocId = docs.some((d) => d.comment === 'docid');
        expect(res.docIds).toEqual(anyDocId ? docs.map((d, k) => (d.comment === 'docid' ? `D${k}` : '')) : null);
        expect(res.warnings).toEqual([]);
        expect(res.skipped.count).toBe(0);
      }),
      { numRuns: 200 },
    );
  });
});

describe('LETOR chunk boundaries', () => {
  it('every single cut and every pair of cuts of a small CRLF file with long numbers and comments', () => {
    const text = enc.encode(
      '# head\r\n2 qid:10 1:1.25e-3 3:12345678901234567 2:-0.5 #docid = A\r\n\r\n0 qid:10 2:7\r\n1 qid:11 3:+.5E+2 # x\r\n4 qid:10 1:0.000001',
    );
    const whole = outcome(() => parseChunks(text, []));
    expect(whole).toHaveProperty('warnings');
    for (let a = 0; a <= text.length; a++) {
      expect(outcome(() => parseChunks(text, [a]))).toEqual(whole);
      for (let b = a + 1; b <= text.length; b += 7) expect(outcome(() => parseChunks(text, [a, b]))).toEqual(whole);
    }
    const groups = new Int32Array([2, 2]);
    const grouped = enc.encode('2 1:1\r\n0 2:2e1 #docid = B\r\n\r\n1 1:3\r\n0 3:4');
    const wholeGrouped = outcome(() => parseChunks(grouped, [], { groups }));
    expect(wholeGrouped).toHaveProperty('qidOffsets', [0, 2, 4]);
    for (let a = 0; a <= grouped.length; a++) expect(outcome(() => parseChunks(grouped, [a], { groups }))).toEqual(wholeGrouped);
    const bad = enc.encode('1 qid:1 1:1\r\n1 qid:1 1:1 2:12345678901234567x\r\n');
    const wholeBad = outcome(() => parseChunks(bad, []));
    expect(wholeBad).toMatchObject({ line: 2, column: 13, token: '2:12345678901234567x' });
    for (let a = 0; a <= bad.length; a++) expect(outcome(() => parseChunks(bad, [a]))).toEqual(wholeBad);
  });

  it('any split of the bytes into chunks gives the same result (valid files)', () => {
    const input = spec.chain((s) => {
      const bytes = enc.encode(writeLetor(s));
      return fc.tuple(fc.constant(bytes), cutsFor(bytes.length));
    });
    fc.assert(
      fc.property(input, ([bytes, cuts]) => {
        expect(outcome(() => parseChunks(bytes, cuts))).toEqual(outcome(() => parseChunks(bytes, [])));
      }),
      { numRuns: 150 },
    );
  });
});

const INSERTS = [':', '#', '\r', '\0', '\n', ' ', '\t', '0', '1', '9', '-', '.', 'e', 'q', 'qid:', '\r\n', '\xff', 'nan', '99999'].map((s) =>
  Uint8Array.from(s, (ch) => ch.charCodeAt(0)),
);

type Mutation = { kind: 'flip'; at: number; byte: number } | { kind: 'insert'; at: number; what: number } | { kind: 'delete'; at: number; n: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), what: fc.integer({ min: 0, max: INSERTS.length - 1 }) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), n: fc.integer({ min: 1, max: 4 }) }),
);

function mutate(bytes: Uint8Array, muts: Mutation[]): Uint8Array {
  let b = bytes;
  for (const m of muts) {
    const at = b.length ? m.at % (b.length + 1) : 0;
    if (m.kind === 'flip' && at < b.length) {
      b = b.slice();
      b[at] = m.byte;
    } else if (m.kind === 'insert') {
      const ins = INSERTS[m.what];
      const out = new Uint8Array(b.length + ins.length);
      out.set(b.subarray(0, at));
      out.set(ins, at);
      out.set(b.subarray(at), at + ins.length);
      b = out;
    } else if (m.kind === 'delete') {
      b = Uint8Array.from([...b.subarray(0, at), ...b.subarray(at + m.n)]);
    }
  }
  return b;
}

/** Parses; returns the result or the DataError, and fails on anything else thrown. */
function mustBeDataErrorOrResult(run: () => LetorResult): void {
  let res: LetorResult;
  try {
    res = run();
  } catch (e) {
    if (!(e instanceof DataError)) expect.fail(`not a DataError: ${e instanceof Error ? e.stack : String(e)}`);
    expect(e.message.length).toBeGreaterThan(0);
    expect(e.message).toContain(FILE);
    return;
  }
  checkInvariants(res);
}

describe('LETOR fuzz', () => {
  it('mutated valid files: a result or a DataError, never anything else, and chunking does not matter', () => {
    const input = spec.chain((s) =>
      fc.tuple(fc.constant(enc.encode(writeLetor(s))), fc.array(mutation, { minLength: 1, maxLength: 8 }), fc.boolean(), fc.array(fc.nat(), { maxLength: 12 })),
    );
    fc.assert(
      fc.property(input, ([bytes, muts, skipBadLines, rawCuts]) => {
        const mutated = mutate(bytes, muts);
        const cuts = rawCuts.map((c) => c % (mutated.length + 1));
        mustBeDataErrorOrResult(() => parseChunks(mutated, [], { skipBadLines }));
        expect(outcome(() => parseChunks(mutated, cuts, { skipBadLines }))).toEqual(outcome(() => parseChunks(mutated, [], { skipBadLines })));
      }),
      { numRuns: 300 },
    );
  });

  it('skipBadLines gives what the file gives with the skipped lines blanked out', () => {
    const input = spec.chain((s) => fc.tuple(fc.constant(enc.encode(writeLetor(s))), fc.array(mutation, { minLength: 1, maxLength: 4 })));
    let compared = 0;
    fc.assert(
      fc.property(input, ([bytes, muts]) => {
        const mutated = mutate(bytes, muts);
        let skipping: LetorResult;
        try {
          skipping = parseChunks(mutated, [], { skipBadLines: true });
        } catch (e) {
          if (e instanceof DataError) return;
          throw e;
        }
        if (skipping.skipped.count === 0 || skipping.skipped.count > 5) return;
        const bad = new Set(skipping.skipped.first.map((x) => x.line));
        const lines: Uint8Array[] = [];
        let from = 0;
        for (let i = 0; i <= mutated.length; i++) {
          if (i === mutated.length || mutated[i] === 10) {
            lines.push(bad.has(lines.length + 1) ? new Uint8Array([32]) : mutated.subarray(from, i));
            from = i + 1;
          }
        }
        const blanked = Uint8Array.from(lines.flatMap((l, k) => (k ? [10, ...l] : [...l])));
        const want = outcome(() => parseChunks(blanked, [])) as Record<string, unknown>;
        const got = outcome(() => skipping) as Record<string, unknown>;
        expect({ ...got, skipped: undefined, warnings: (got.warnings as string[]).filter((w) => !w.includes('bad line(s)')) }).toEqual({
          ...want,
          skipped: undefined,
        });
        compared++;
      }),
      { numRuns: 300 },
    );
    expect(compared).toBeGreaterThan(30);
  });

  it('random bytes: a result or a DataError, never anything else', () => {
    const text = fc.oneof(
      fc.uint8Array({ maxLength: 2000 }),
      fc.array(fc.constantFrom(...INSERTS, ...INSERTS.slice(7, 10)), { maxLength: 300 }).map((parts) => Uint8Array.from(parts.flatMap((p) => [...p]))),
    );
    fc.assert(
      fc.property(text, fc.boolean(), (bytes, skipBadLines) => {
        mustBeDataErrorOrResult(() => parseChunks(bytes, [], { skipBadLines }));
        mustBeDataErrorOrResult(() => parseChunks(bytes, [], { skipBadLines, groups: new Int32Array([1, 2, 3]) }));
      }),
      { numRuns: 300 },
    );
  });
});
