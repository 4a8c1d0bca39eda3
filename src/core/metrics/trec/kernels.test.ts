import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dcgAt, idealDcgAt } from '../kernels';
import { judgementsOf } from './judgements';
import { bpref, interpolatedPrecision, trecDcg, trecIdealDcg, trecNdcg } from './kernels';
import { IN_POOL_UNJUDGED, NOT_IN_POOL, rankQuery, type RankedQuery } from './ranking';

/** A ranked query from grades by rank (undefined = not in the qrels) plus unretrieved judged grades. */
function query(retrieved: (number | undefined)[], unretrieved: number[] = [], level = 1): RankedQuery {
  const qrels = { queryIds: ['q'], docIds: [] as string[], query: [] as number[], doc: [] as number[], rel: [] as number[] };
  const judge = (docno: string, grade: number) => {
    qrels.docIds.push(docno);
    qrels.query.push(0);
    qrels.doc.push(qrels.docIds.length - 1);
    qrels.rel.push(grade);
  };
  retrieved.forEach((g, i) => g !== undefined && judge(`r${i}`, g));
  unretrieved.forEach((g, i) => judge(`u${i}`, g));
  const j = judgementsOf({ ...qrels, query: Int32Array.from(qrels.query), doc: Int32Array.from(qrels.doc), rel: Int8Array.from(qrels.rel) });
  return rankQuery(j.get('q')!, retrieved.map((_, i) => `r${i}`), level);
}

const grades = fc.array(fc.option(fc.integer({ min: -2, max: 4 }), { nil: undefined }), { minLength: 1, maxLength: 30 });

describe('trec_eval ranking codes', () => {
  it('grade, -1 for documents not in the qrels, -2 for negative grades; counts as form_res_rels', () => {
    const q = query([0, -1, 3, undefined, 1], [2, 1, -3]);
    expect(Array.from(q.rel)).toEqual([0, IN_POOL_UNJUDGED, 3, NOT_IN_POOL, 1]);
    expect(q.levels).toEqual([1, 2, 1, 1]);
    expect({ ret: q.numRet, rel: q.numRel, relRet: q.numRelRet, nonpool: q.numNonpool, unjudged: q.numUnjudged }).toEqual({ ret: 5, rel: 4, relRet: 2, nonpool: 1, unjudged: 1 });
  });
});

describe('trec_eval kernels', () => {
  it('nDCG with gain = grade agrees with the list-mode kernels (linear gain) over the qrels ideal', () => {
    fc.assert(
      fc.property(grades, fc.array(fc.integer({ min: -2, max: 4 }), { maxLength: 10 }), fc.integer({ min: 1, max: 40 }), (retrieved, unretrieved, k) => {
        const q = query(retrieved, unretrieved);
        const allJudged = [...retrieved.filter((g): g is number => g !== undefined), ...unretrieved];
        expect(trecDcg(q.rel, k)).toBeCloseTo(dcgAt(q.rel, k, 'linear'), 12);
        expect(trecIdealDcg(q.levels, k)).toBeCloseTo(idealDcgAt(allJudged, k, 'linear'), 12);
        const ideal = idealDcgAt(allJudged, k, 'linear');
        expect(trecNdcg(q, k)).toBeCloseTo(ideal > 0 ? dcgAt(q.rel, k, 'linear') / ideal : 0, 12);
      }),
    );
  });

  it('interpolated precision is the best precision at any rank reaching the recall point', () => {
    const points = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1];
    fc.assert(
      fc.property(grades, fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 10 }), (retrieved, unretrieved) => {
        const q = query(retrieved, unretrieved);
        const got = interpolatedPrecision(q, points);
        points.forEach((p, i) => {
          const needed = Math.trunc(p * q.numRel + 0.9);
          let best = needed === 0 ? q.numRelRet / q.numRet : 0;
          let hits = 0;
          for (let r = 0; r < q.numRet; r++) {
            if (q.rel[r] >= 1) hits++;
            if (hits >= needed && hits > 0) best = Math.max(best, hits / (r + 1));
          }
          if (needed > q.numRelRet) best = 0;
          expect(got[i]).toBeCloseTo(best, 12);
        });
      }),
    );
  });

  it('bpref as defined: judged non-relevant above each relevant one, unjudged skipped', () => {
    // Judged non-relevant: 2 retrieved + 1 not; R = 2. Relevant at ranks 2 and 6, with 1 and 2
    // judged non-relevant above them (the unjudged ones at ranks 3 and 4 do not count).
    const q = query([0, 1, undefined, -1, 0, 2], [0]);
    expect(q.numRel).toBe(2);
    // min(nonrel, R)/min(3, R): 1 − 1/2, 1 − 2/2 → (0.5 + 0)/2
    expect(bpref(q)).toBe(0.25);
    expect(bpref(query([2, 1], [0, 0]))).toBe(1);
    expect(bpref(query([0], [1]))).toBe(0);
    expect(bpref(query([0, 0]))).toBe(0);
  });
});
