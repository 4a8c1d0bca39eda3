import { describe, expect, it } from 'vitest';
import { clickModel } from '../clicks/models/config';
import { docName, scoresFromRun } from '../clicks/policies/run';
import { randomPolicy } from '../clicks/policies/policy';
import { simulateClicks } from '../clicks/simulate/simulate';
import { writeClickLogTsv } from '../clicks/simulate/tsv';
import { selectQueries, widenDataset, type RankingDataset } from './dataset';
import { loadDataset } from './load';
import { applyNormalization, fitNormalization } from './normalize';
import { bytesSource } from './parse/stream';
import { splitByQuery } from './split';

// Document ids (`# docid = X`) from the LETOR file to every slice of the data and to the click
// log's TSV: a log or run must name the same document whichever way the data was cut.

const settings = { skipBadLines: false, memoryBudgetBytes: 1 << 30 };

async function loadTrain(text: string): Promise<{ ds: RankingDataset; warnings: string[] }> {
  const r = await loadDataset([bytesSource(new TextEncoder().encode(text), 'train.txt')], settings, () => ({}));
  if (r.payload.kind !== 'features') throw new Error('features expected');
  return { ds: r.payload.splits.train!, warnings: r.info.warnings };
}

/** 4 queries × 3 documents, every line with an id naming its query and position. */
const WITH_IDS = Array.from({ length: 12 }, (_, i) => `${i % 3} qid:${Math.floor(i / 3) + 1} 1:${i} 2:${i % 2} #docid = D${Math.floor(i / 3) + 1}-${i % 3}`).join('\n') + '\n';

/** The id of each row must still be the one its (query, features) came with. */
function expectAligned(ds: RankingDataset): void {
  expect(ds.docIds).toBeDefined();
  expect(ds.docIds).toHaveLength(ds.labels.length);
  for (let q = 0; q + 1 < ds.qidOffsets.length; q++) {
    for (let row = ds.qidOffsets[q]; row < ds.qidOffsets[q + 1]; row++) {
      const original = ds.features[row * ds.nFeatures]; // feature 1 = the line number in WITH_IDS
      expect(ds.docIds![row]).toBe(`D${ds.queryIds[q]}-${original % 3}`);
    }
  }
}

describe('document ids', () => {
  it('are kept by the loader, one per row, in row order', async () => {
    const { ds, warnings } = await loadTrain(WITH_IDS);
    expect(ds.docIds).toEqual(['D1-0', 'D1-1', 'D1-2', 'D2-0', 'D2-1', 'D2-2', 'D3-0', 'D3-1', 'D3-2', 'D4-0', 'D4-1', 'D4-2']);
    expect(warnings).toEqual([]);
    expectAligned(ds);
  });

  it('follow a query that reappears later in the file (rows regrouped)', async () => {
    const { ds } = await loadTrain('1 qid:1 1:0 #docid = a\n0 qid:2 1:1 #docid = b\n2 qid:1 1:2 #docid = c\n');
    expect(ds.queryIds).toEqual(['1', '2']);
    expect(ds.docIds).toEqual(['a', 'c', 'b']);
  });

  it('are dropped, with a warning, when only some lines have them', async () => {
    const { ds, warnings } = await loadTrain('1 qid:1 1:1 #docid = a\n0 qid:1 1:2\n');
    expect(ds.docIds).toBeUndefined();
    expect(warnings.join(' ')).toMatch(/train\.txt: 1 of 2 lines carry a '# docid = \.\.\.' comment; the ids are ignored/);
  });

  it('are absent for data without them', async () => {
    const { ds } = await loadTrain('1 qid:1 1:1\n0 qid:1 1:2\n');
    expect(ds.docIds).toBeUndefined();
    expect(docName(ds, 1, 0)).toBe('1:1');
  });

  it('survive selectQueries, splitByQuery, widening and normalisation', async () => {
    const { ds } = await loadTrain(WITH_IDS);
    const picked = selectQueries(ds, [3, 1]);
    expect(picked.docIds).toEqual(['D4-0', 'D4-1', 'D4-2', 'D2-0', 'D2-1', 'D2-2']);
    expectAligned(picked);
    const { train, test } = splitByQuery(ds, 0.5, 9);
    expectAligned(train);
    expectAligned(test);
    expect([...train.docIds!, ...test.docIds!].sort()).toEqual([...ds.docIds!].sort());
    const wide = widenDataset(ds, 5);
    expect(wide.docIds).toBe(ds.docIds);
    const normalized = applyNormalization(ds, fitNormalization(ds, 'zscore'));
    expect(normalized.docIds).toBe(ds.docIds);
    expect(selectQueries({ ...ds, docIds: undefined }, [0]).docIds).toBeUndefined();
  });

  it('name the documents of a simulated TSV log and match a TREC run', async () => {
    const { ds } = await loadTrain(WITH_IDS);
    const sim = simulateClicks(ds, randomPolicy(3), clickModel({ topK: 3, ymax: 2 }), { sessions: 6, seed: 4 });
    let text = '';
    writeClickLogTsv(sim.log, ds, (chunk) => (text += chunk));
    const lines = text.trimEnd().split('\n');
    expect(lines).toHaveLength(18);
    for (const line of lines) {
      const [, qid, , doc] = line.split('\t');
      expect(doc).toMatch(new RegExp(`^D${qid}-[0-2]$`));
    }
    // Without ids: <qid>:<position>, as before.
    let plain = '';
    writeClickLogTsv(sim.log, { ...ds, docIds: undefined }, (chunk) => (plain += chunk));
    expect(plain.split('\n')[0].split('\t')[3]).toMatch(/^\d:[0-2]$/);

    const run = { queryIds: ['2'], docIds: ['D2-2', 'D2-0'], query: Int32Array.from([0, 0]), doc: Int32Array.from([0, 1]), score: Float64Array.from([2, 1]) };
    const scores = scoresFromRun(ds, run);
    expect(scores.matched).toBe(2);
    expect(scores.scores[5]).toBeGreaterThan(scores.scores[3]);
  });
});
