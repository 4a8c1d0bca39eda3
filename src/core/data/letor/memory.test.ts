import { beforeAll, describe, expect, it } from 'vitest';
import { DataError } from '../parse/errors';
import { bytesSource } from '../parse/stream';
import { parseLetor } from './index';

/** An MSLR-WEB10K-shaped file: 136 features on every line, labels 0..4, ~100 docs per query. */
const DOCS = 20_000;
const F = 136;
const value = (r: number, j: number) => (j % 4 === 0 ? (r + j) % 50 : ((r * 131 + j * 17) % 1000) / 1000);

let file: Uint8Array;

beforeAll(() => {
  const lines = new Array<string>(DOCS);
  const tokens = new Array<string>(F);
  for (let r = 0; r < DOCS; r++) {
    for (let j = 0; j < F; j++) tokens[j] = `${j + 1}:${value(r, j)}`;
    lines[r] = `${r % 5} qid:${Math.floor(r / 100) * 3 + 1} ${tokens.join(' ')}`;
  }
  file = new TextEncoder().encode(`${lines.join('\n')}\n`);
});

describe('memory', () => {
  it(`parses ${DOCS.toLocaleString('en')} docs × ${F} features into exactly nDocs × nFeatures floats`, async () => {
    const res = await parseLetor(bytesSource(file, 'mslr-like.txt'));
    const ds = res.dataset;
    expect(ds.nFeatures).toBe(F);
    expect(ds.features.length).toBe(DOCS * F);
    expect(ds.features.buffer.byteLength).toBe(DOCS * F * 4);
    expect(ds.labels.length).toBe(DOCS);
    expect(ds.queryIds.length).toBe(DOCS / 100);
    expect(ds.qidOffsets[ds.queryIds.length]).toBe(DOCS);
    let mismatches = 0;
    for (let r = 0; r < DOCS; r++) {
      if (ds.labels[r] !== r % 5) mismatches++;
      for (let j = 0; j < F; j++) if (ds.features[r * F + j] !== Math.fround(value(r, j))) mismatches++;
    }
    expect(mismatches).toBe(0);
    expect(Array.from(res.featurePresence)).toEqual(new Array(F).fill(DOCS));
  });

  it('with a budget of half what the features need, stops early with a limit error that says how much fits', async () => {
    const needed = DOCS * F * 4;
    const budget = needed / 2;
    let error: unknown;
    try {
      await parseLetor(bytesSource(file, 'mslr-like.txt'), { memoryBudgetBytes: budget });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DataError);
    const e = error as DataError;
    expect(e.kind).toBe('limit');
    expect(e.file).toBe('mslr-like.txt');
    expect(e.line).toBeGreaterThanOrEqual(1);
    expect(e.line).toBeLessThan(DOCS); // before the data was all read
    expect(e.message).toContain('budget');
    expect(e.message).toContain(`about ${Math.floor(budget / 2 / 4 / F).toLocaleString('en')} documents of ${F} features`);
  });

  it('a budget that holds the first blocks but not the file stops after them, not at the end', async () => {
    const budget = DOCS * F * 4 * 1.2; // room for the first block, the copy and more, not the whole peak
    let error: unknown;
    try {
      await parseLetor(bytesSource(file, 'mslr-like.txt'), { memoryBudgetBytes: budget });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DataError);
    const e = error as DataError;
    expect(e.kind).toBe('limit');
    expect(e.line).toBeGreaterThan(1000); // past the first (small, doubling) blocks
    expect(e.line).toBeLessThan(DOCS);
  });
});

describe('many blocks', () => {
  it('parses more rows than 32 blocks hold (block sizes never overflow)', async () => {
    // 300,000 one-feature documents: past the doubling first blocks and 30+ full ones.
    const rows = 300_000;
    const text = Array.from({ length: rows }, (_, i) => `${i % 3} qid:${Math.floor(i / 50)} 1:${i % 7}`).join('\n');
    const r = await parseLetor(bytesSource(new TextEncoder().encode(text), 'long.txt'));
    expect(r.dataset.labels.length).toBe(rows);
    expect(r.dataset.features.length).toBe(rows);
    expect(r.dataset.features[rows - 1]).toBe((rows - 1) % 7);
    expect(r.dataset.labels[rows - 1]).toBe((rows - 1) % 3);
  });
});
