import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { configChanges, formatSettingValue } from './config-diff';
import { defaultConfig } from './config';

describe('configChanges', () => {
  it('finds nothing between equal configs, and exactly the changed leaves otherwise', () => {
    const a = defaultConfig();
    expect(configChanges(a, structuredClone(a))).toEqual([]);
    const b = structuredClone(a);
    b.clicks.model.eta = 2;
    b.seed = 7;
    expect(configChanges(a, b)).toEqual([
      { path: 'seed', from: a.seed, to: 7 },
      { path: 'clicks.model.eta', from: a.clicks.model.eta, to: 2 },
    ]);
  });

  it('compares value arrays whole, object arrays by element, and reports added or removed keys', () => {
    const a = { hidden: [32, 16], rankers: [{ id: 'a', est: 'naive' }, { id: 'b', est: 'ips' }] };
    const b = { hidden: [32, 8], rankers: [{ id: 'a', est: 'naive' }, { id: 'b', est: 'dla' }], extra: true };
    expect(configChanges(a, b)).toEqual([
      { path: 'hidden', from: [32, 16], to: [32, 8] },
      { path: 'rankers.1.est', from: 'ips', to: 'dla' },
      { path: 'extra', from: undefined, to: true },
    ]);
    expect(configChanges({ r: [{ x: 1 }] }, { r: [{ x: 1 }, { x: 2 }] })).toEqual([{ path: 'r', from: [{ x: 1 }], to: [{ x: 1 }, { x: 2 }] }]);
  });

  it('is empty exactly when the two are deeply equal (JSON values)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (a, b) => {
        const same = JSON.stringify(a) === JSON.stringify(b);
        if (same) expect(configChanges(a, b)).toEqual([]);
        expect(configChanges(a, a)).toEqual([]);
      }),
    );
  });
});

describe('formatSettingValue', () => {
  it('reads like a setting', () => {
    expect(formatSettingValue(2)).toBe('2');
    expect(formatSettingValue('ips')).toBe('ips');
    expect(formatSettingValue(undefined)).toBe('(not set)');
    expect(formatSettingValue([32, 16])).toBe('[32,16]');
    expect(formatSettingValue({ long: 'x'.repeat(100) })).toMatch(/…$/);
  });
});
