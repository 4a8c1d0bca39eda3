import { describe, expect, it } from 'vitest';
import { applyRerank, listsToRunColumns, planRerank, rankedListChunks, rankedLists } from './rerank-run';

const run = {
  queryIds: ['q1', 'q2'],
  docIds: ['a', 'b', 'c', 'd', 'e'],
  query: Int32Array.of(0, 0, 0, 0, 0, 1, 1),
  doc: Int32Array.of(0, 1, 2, 3, 4, 0, 1),
  // q1: b and c tie at 2 (trec_eval puts c first: docno descending).
  score: Float64Array.of(3, 2, 2, 1, 0.5, 1, 2),
};
const texts: Record<string, string> = { a: 'A', b: 'B', c: 'C', e: 'E', q1: 'one' };

describe('reranking a run', () => {
  const lists = rankedLists(run);
  it("reads each query's list in trec_eval's order", () => {
    expect(lists).toEqual([
      { qid: 'q1', docs: ['a', 'c', 'b', 'd', 'e'], scores: [3, 2, 2, 1, 0.5] },
      { qid: 'q2', docs: ['b', 'a'], scores: [2, 1] },
    ]);
  });

  it('scores the top depth with text, reorders it, and keeps the rest below in order', () => {
    const plan = planRerank(lists, 4, (q) => texts[q] ?? null, (d) => texts[d] ?? null);
    expect(plan.pairs).toEqual([{ query: 'one', passage: 'A' }, { query: 'one', passage: 'C' }, { query: 'one', passage: 'B' }]);
    expect(plan).toMatchObject({ missingQueries: ['q2'], missingDocs: 1 });
    const out = applyRerank(lists, plan, Float32Array.of(-0.5, 1.25, 1.25));
    // c and b tie: docno descending, so the written ranks are trec_eval's.
    expect(out[0]).toEqual({ qid: 'q1', docs: ['c', 'b', 'a', 'd', 'e'], scores: [1.25, 1.25, -0.5, -2, -3] });
    expect(out[1]).toBe(lists[1]);
    expect([...rankedListChunks(out, 'ce')].join('')).toBe(
      ['q1 Q0 c 1 1.25 ce', 'q1 Q0 b 2 1.25 ce', 'q1 Q0 a 3 -0.5 ce', 'q1 Q0 d 4 -2 ce', 'q1 Q0 e 5 -3 ce', 'q2 Q0 b 1 2 ce', 'q2 Q0 a 2 1 ce', ''].join('\n'),
    );
    // Written and read back, the run ranks as it was written.
    expect(rankedLists(listsToRunColumns(out, 'ce'))).toEqual(out);
  });

  it('checks its inputs', () => {
    expect(() => planRerank(lists, 0, () => '', () => '')).toThrow(/depth must be a positive integer/);
    const plan = planRerank(lists, 2, () => 'q', () => 'p');
    expect(() => applyRerank(lists, plan, new Float32Array(3))).toThrow('3 scores for 4 pairs');
  });
});
