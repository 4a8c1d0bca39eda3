import { describe, expect, it } from 'vitest';
import { clickModel } from '../models/config';
import { trustBiasPreset } from '../models/trust-bias';
import { parseClickSimRequest, type ClickSimRequest } from './request';

const base: ClickSimRequest = { model: {}, policy: 'random', sessions: 100, seed: 1, fit: false };
const parse = (over: Partial<ClickSimRequest>, top?: number) => parseClickSimRequest({ ...base, ...over }, top);
const error = (over: Partial<ClickSimRequest>) => {
  const r = parse(over);
  if (r.ok) throw new Error('expected a refusal');
  return r.error;
};

describe('parseClickSimRequest', () => {
  it('fills defaults: ymax from the data, RandTop over the top-k, PBM for fit: true', () => {
    const r = parse({ intervention: { kind: 'randtop' }, fit: true }, 3);
    if (!r.ok) throw new Error(r.error);
    expect(r.value.model.ymax).toBe(3);
    expect(r.value.intervention).toEqual({ kind: 'randtop', n: 10, fraction: 1 });
    expect(r.value.fit).toBe('pbm');
    expect(r.value.policy).toEqual({ kind: 'random' });
    // ymax is at least 1 (binary labels 0/1 and all-zero data alike) and a given one wins.
    const allZero = parse({}, 0);
    expect(allZero.ok && allZero.value.model.ymax).toBe(1);
    const given = parse({ model: { ymax: 2 } }, 4);
    expect(given.ok && given.value.model.ymax).toBe(2);
  });

  it('names what is wrong', () => {
    expect(error({ model: { table: 'eye-tracking', topK: 11 } })).toBe("click model: table 'eye-tracking' covers ranks 1..10 but topK is 11");
    expect(error({ model: { eta: Number.NaN } })).toMatch(/^click model: eta must be a number/);
    expect(error({ seed: 1.5 })).toMatch(/^seed must be a whole number/);
    expect(error({ sessions: 2_000_000 })).toMatch(/^sessions must be a whole number from 1 to 1,000,000, got 2000000/);
    expect(error({ policy: { kind: 'pl', base: 'scores' } })).toMatch(/needs a score file/);
    expect(error({ policy: 'best' })).toMatch(/kind must be one of/);
    expect(error({ intervention: { kind: 'randtop', fraction: 0 } })).toMatch(/fraction is 0/);
    expect(error({ intervention: { kind: 'randtop', n: 1 } })).toBe('intervention.n must be ≥ 2, got 1');
    expect(error({ intervention: { kind: 'shuffle' } })).toMatch(/kind must be 'randtop' or 'swap'/);
    expect(error({ fit: 3 as unknown as string })).toBe('fit must be a click model name or false, got 3');
  });
});

describe('trustBiasPreset', () => {
  it('gives valid per-rank ε± that the click-model schema accepts', () => {
    const tb = trustBiasPreset(0.1, 1, 10);
    expect(tb.epsMinus[0]).toBeCloseTo(0.37);
    expect(tb.epsPlus[0]).toBe(1);
    expect(tb.epsMinus[9]).toBeLessThan(tb.epsMinus[0]);
    for (let r = 0; r < 10; r++) expect(tb.epsMinus[r]).toBeLessThanOrEqual(tb.epsPlus[r]);
    expect(() => clickModel({ trustBias: tb })).not.toThrow();
  });
});
