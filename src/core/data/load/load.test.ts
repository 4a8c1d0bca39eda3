import { describe, expect, it } from 'vitest';
import { isDataError } from '../parse/errors';
import { bytesSource } from '../parse/stream';
import { loadDataset, type LoadedDataset } from './index';

const enc = (s: string) => new TextEncoder().encode(s);
const settings = { skipBadLines: false, memoryBudgetBytes: 1 << 30 };
const noProgress = () => ({});

async function load(files: Record<string, string>): Promise<LoadedDataset> {
  return loadDataset(Object.entries(files).map(([name, text]) => bytesSource(enc(text), name)), settings, noProgress);
}

async function failure(files: Record<string, string>): Promise<string> {
  try {
    await load(files);
  } catch (e) {
    expect(isDataError(e)).toBe(true);
    return (e as Error).message;
  }
  throw new Error('expected the load to fail');
}

describe('loadDataset', () => {
  it('loads LETOR train/vali/test by name, widening a split that uses fewer features', async () => {
    const r = await load({
      'train.txt': '2 qid:1 1:1 3:3\n0 qid:1 2:2\n1 qid:2 1:5\n',
      'vali.txt': '1 qid:3 1:1\n',
      'test.txt': '0 qid:4 1:1 2:1\n3 qid:4 3:1\n',
    });
    expect(r.info.kind).toBe('features');
    expect(r.info.files.map((f) => f.role)).toEqual(['train', 'vali', 'test']);
    if (r.payload.kind !== 'features') throw new Error('features expected');
    expect(r.payload.splits.vali!.nFeatures).toBe(3);
    expect(Array.from(r.payload.splits.vali!.features)).toEqual([1, 0, 0]);
    expect(r.info.splits.train!.stats.queries).toBe(2);
    expect(r.info.splits.test!.stats.labels).toEqual({ '0': 1, '3': 1 });
    expect(r.info.warnings.join(' ')).toMatch(/vali: its file uses features up to 1/);
  });

  it('pairs a group file with its feature file', async () => {
    const r = await load({ 'train.txt': '1 1:1\n0 1:2\n2 1:3\n', 'train.query': '2\n1\n' });
    if (r.payload.kind !== 'features') throw new Error('features expected');
    expect(Array.from(r.payload.splits.train!.qidOffsets)).toEqual([0, 2, 3]);
    expect(r.info.files.map((f) => f.format)).toEqual(['group', 'letor+group']);
  });

  it('loads a BEIR text set and counts its parts', async () => {
    const r = await load({
      'corpus.jsonl': '{"_id":"d1","title":"T","text":"alpha"}\n{"_id":"d2","text":"beta"}\n',
      'queries.jsonl': '{"_id":"q1","text":"alpha?"}\n',
      'qrels/test.tsv': 'query-id\tcorpus-id\tscore\nq1\td1\t1\nq1\td2\t0\n',
    });
    expect(r.info.kind).toBe('text');
    expect(r.info.text).toMatchObject({ documents: 2, queries: 1, judgements: 2, labels: { '0': 1, '1': 1 } });
  });

  it('names the file and line of a bad token', async () => {
    expect(await failure({ 'train.txt': '1 qid:1 1:1\n0 qid:1 1:x\n' })).toMatch(/^train\.txt, line 2, column 9: the value of feature 1 is not a number/);
  });

  it('refuses an empty file, a binary file and a mix of kinds, saying what was expected', async () => {
    expect(await failure({ 'train.txt': '' })).toMatch(/train\.txt: the file is empty/);
    expect(await failure({ 'x.bin': '\u0000\u0001PNG\u0000' })).toMatch(/x\.bin: not a format RankPlay reads.*not a text file/);
    expect(await failure({ 'train.txt': '1 qid:1 1:1\n', 'corpus.jsonl': '{"_id":"d1","text":"a"}\n' })).toMatch(/load feature files .* and text files separately/);
    expect(await failure({ 'train.query': '2\n' })).toMatch(/a group file needs its feature file/);
  });

  it('skips bad lines when asked, and reports them', async () => {
    const r = await loadDataset([bytesSource(enc('1 qid:1 1:1\nbad line\n0 qid:1 1:2\n'), 'train.txt')], { ...settings, skipBadLines: true }, noProgress);
    expect(r.info.splits.train!.stats.docs).toBe(2);
    expect(r.info.warnings.join(' ')).toMatch(/skipped 1 bad line\(s\), first at line\(s\) 2/);
  });
});
