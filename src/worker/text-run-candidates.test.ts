import { describe, expect, it } from 'vitest';
import { candidatesFromRun } from './text-run-candidates';

const blob = (text: string) => new Blob([text]);
const DOCS = ['d1', 'd2', 'd3', 'd4'];

describe('candidatesFromRun', () => {
  it("takes each query's top k in trec_eval order (score desc, ties by docno desc), mapped to collection positions", async () => {
    const run = ['qa Q0 d1 1 1.0 t', 'qa Q0 d3 2 2.0 t', 'qa Q0 d2 3 2.0 t', 'qb Q0 d4 1 5.0 t', ''].join('\n');
    const { run: r, notes } = await candidatesFromRun(blob(run), 'x.run', ['qa', 'qb'], DOCS, 2);
    expect(r.queryIds).toEqual(['qa', 'qb']);
    expect(Array.from(r.offsets)).toEqual([0, 2, 3]);
    // qa: d3 and d2 tie at 2.0 → docno descending: d3, d2; d1 (1.0) is cut by k = 2.
    expect(Array.from(r.docs)).toEqual([2, 1, 3]);
    expect(Array.from(r.scores)).toEqual([2, 2, 5]);
    expect(notes).toEqual([]);
  });

  it('skips unknown documents and notes queries the run lacks', async () => {
    const run = 'qa Q0 zz 1 9 t\nqa Q0 d2 2 1 t\n';
    const { run: r, notes } = await candidatesFromRun(blob(run), 'x.run', ['qa', 'qc'], DOCS, 10);
    expect(Array.from(r.docs)).toEqual([1]);
    expect(Array.from(r.offsets)).toEqual([0, 1, 1]);
    expect(r.emptyQueries).toEqual(['qc']);
    expect(notes.join(' ')).toMatch(/no documents for 1 of the 2 queries.*'qc'/);
    expect(notes.join(' ')).toMatch(/1 listed documents are not in the collection/);
  });

  it('refuses a run that shares no document with the collection, and a malformed run with its line', async () => {
    await expect(candidatesFromRun(blob('qa Q0 zz 1 9 t\n'), 'foreign.run', ['qa'], DOCS, 10)).rejects.toThrow(/foreign\.run: none of its documents/);
    await expect(candidatesFromRun(blob('qa Q0 d1 1 9 t\nqa Q0 d2\n'), 'bad.run', ['qa'], DOCS, 10)).rejects.toThrow(/bad\.run.*line 2/);
  });
});
