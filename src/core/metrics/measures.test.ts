import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatListMeasure, parseListMeasure, parseListMeasures, type ListMeasure, type ListMeasureName } from './measures';

describe('measure names', () => {
  it('formats as people write them', () => {
    expect(formatListMeasure({ name: 'ndcg', k: 10 })).toBe('ndcg@10');
    expect(formatListMeasure({ name: 'ndcg' })).toBe('ndcg');
    expect(formatListMeasure({ name: 'dcg', k: 5 })).toBe('dcg@5');
    expect(formatListMeasure({ name: 'err', k: 20 })).toBe('err@20');
    expect(formatListMeasure({ name: 'ap' })).toBe('map');
    expect(formatListMeasure({ name: 'ap', k: 100 })).toBe('map@100');
    expect(formatListMeasure({ name: 'rr' })).toBe('mrr');
    expect(formatListMeasure({ name: 'p', k: 5 })).toBe('p@5');
    expect(formatListMeasure({ name: 'recall', k: 10 })).toBe('recall@10');
  });

  it('parses its own spelling, case and spaces aside, and a few aliases', () => {
    expect(parseListMeasure('nDCG@10')).toEqual({ name: 'ndcg', k: 10 });
    expect(parseListMeasure(' map ')).toEqual({ name: 'ap' });
    expect(parseListMeasure('MRR')).toEqual({ name: 'rr' });
    expect(parseListMeasure('P@5')).toEqual({ name: 'p', k: 5 });
    expect(parseListMeasure('precision@3')).toEqual({ name: 'p', k: 3 });
    expect(parseListMeasure('r@7')).toEqual({ name: 'recall', k: 7 });
    expect(parseListMeasure('ap@4')).toEqual({ name: 'ap', k: 4 });
    expect(parseListMeasures('ndcg@10, map,mrr,NDCG@10')).toEqual([{ name: 'ndcg', k: 10 }, { name: 'ap' }, { name: 'rr' }]);
  });

  it('rejects malformed measures with a message saying what is allowed', () => {
    expect(() => parseListMeasure('ndgc@10')).toThrow(/unknown measure 'ndgc@10': expected one of ndcg, dcg, err, map, mrr, p, recall/);
    expect(() => parseListMeasure('')).toThrow(/empty measure/);
    expect(() => parseListMeasure('p')).toThrow(/'p' needs a cutoff: write p@10/);
    expect(() => parseListMeasure('recall')).toThrow(/needs a cutoff/);
    expect(() => parseListMeasure('ndcg@0')).toThrow(/cutoff after @ must be a positive integer, got '0'/);
    expect(() => parseListMeasure('ndcg@')).toThrow(/positive integer, got ''/);
    expect(() => parseListMeasure('ndcg@1.5')).toThrow(/positive integer/);
    expect(() => parseListMeasure('ndcg@-3')).toThrow(/positive integer/);
    expect(() => parseListMeasure('ndcg@10@2')).toThrow(/positive integer/);
    expect(() => parseListMeasures('ndcg@10,,map')).toThrow(/empty measure/);
    expect(() => formatListMeasure({ name: 'ndcg', k: 0 })).toThrow(/ndcg: the cutoff k must be a positive integer, got 0/);
    expect(() => formatListMeasure({ name: 'p' })).toThrow(/p needs a cutoff/);
    expect(() => formatListMeasure({ name: 'nope' as ListMeasureName })).toThrow(/unknown measure name 'nope'/);
  });

  it('parse ∘ format is the identity', () => {
    const measureArb: fc.Arbitrary<ListMeasure> = fc
      .record({
        name: fc.constantFrom<ListMeasureName>('ndcg', 'dcg', 'err', 'ap', 'rr', 'p', 'recall'),
        k: fc.option(fc.integer({ min: 1, max: 1_000_000 }), { nil: undefined }),
      })
      .map(({ name, k }) => (k === undefined && (name === 'p' || name === 'recall') ? { name, k: 1 } : k === undefined ? { name } : { name, k }));
    fc.assert(
      fc.property(measureArb, (m) => {
        expect(parseListMeasure(formatListMeasure(m))).toEqual(m);
      }),
    );
  });
});
