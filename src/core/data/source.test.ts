import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { checkFiles, dataSourceSchema, describeSource, sameSource, type FileRef } from './source';

const hex = (c: string) => c.repeat(64);
const ref = (name: string, c: string, bytes = 100): FileRef => ({ name, bytes, sha256: hex(c) });

describe('dataSourceSchema', () => {
  it('takes the three kinds and refuses what a link must not carry', () => {
    expect(dataSourceSchema.parse({ from: 'bundled', name: 'rankplay-demo-letor' })).toEqual({ from: 'bundled', name: 'rankplay-demo-letor' });
    expect(dataSourceSchema.safeParse({ from: 'bundled', name: 'nope' }).success).toBe(false);
    expect(dataSourceSchema.safeParse({ from: 'url', url: 'javascript:alert(1)' }).success).toBe(false);
    expect(dataSourceSchema.safeParse({ from: 'url', url: 'file:///etc/passwd' }).success).toBe(false);
    expect(dataSourceSchema.safeParse({ from: 'url', url: 'https://example.org/train.txt' }).success).toBe(true);
    expect(dataSourceSchema.safeParse({ from: 'files', files: [ref('a', 'a')] }).success).toBe(true);
    expect(dataSourceSchema.safeParse({ from: 'files', files: [{ name: 'a', bytes: 1, sha256: 'ABC' }] }).success).toBe(false);
    expect(dataSourceSchema.safeParse({ from: 'files', files: [] }).success).toBe(false);
  });
});

describe('sameSource', () => {
  it('matches file sets by content in any order, never across kinds', () => {
    const a = { from: 'files' as const, files: [ref('train.txt', 'a'), ref('test.txt', 'b')] };
    const b = { from: 'files' as const, files: [ref('copy-of-test.txt', 'b'), ref('t.txt', 'a')] };
    expect(sameSource(a, b)).toBe(true);
    expect(sameSource(a, { from: 'files', files: [ref('train.txt', 'a')] })).toBe(false);
    expect(sameSource({ from: 'bundled', name: 'rankplay-demo-letor' }, { from: 'bundled', name: 'rankplay-demo-letor' })).toBe(true);
    expect(sameSource({ from: 'url', url: 'https://x/a' }, { from: 'bundled', name: 'rankplay-demo-letor' })).toBe(false);
    expect(sameSource(undefined, a)).toBe(false);
  });

  it('is symmetric and reflexive', () => {
    const file = fc.record({ name: fc.string({ minLength: 1, maxLength: 5 }), bytes: fc.nat(), sha256: fc.constantFrom(hex('a'), hex('b'), hex('c')) });
    const source = fc.array(file, { minLength: 1, maxLength: 3 }).map((files) => ({ from: 'files' as const, files }));
    fc.assert(fc.property(source, source, (x, y) => sameSource(x, x) && sameSource(x, y) === sameSource(y, x)));
  });
});

describe('checkFiles', () => {
  const expected = [ref('Fold1/train.txt', 'a', 1234), ref('Fold1/test.txt', 'b')];

  it('accepts the same contents under any names', () => {
    expect(checkFiles(expected, [ref('test.txt', 'b'), ref('my-train.txt', 'a', 1234)])).toEqual({ ok: true });
  });

  it('names a wrong file with both hashes and sizes', () => {
    const result = checkFiles(expected, [ref('train.txt', 'c', 999), ref('test.txt', 'b')]);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toContain('train.txt is not the file this link was made with');
    expect(result.error).toContain('cccccccccccc…');
    expect(result.error).toContain('aaaaaaaaaaaa…');
    expect(result.error).toContain('1,234 bytes');
    expect(result.error).not.toContain('test.txt is not');
  });

  it('names a missing file and an extra one', () => {
    const result = checkFiles(expected, [ref('train.txt', 'a', 1234), ref('notes.txt', 'd')]);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toContain('missing Fold1/test.txt');
    expect(result.error).toContain('notes.txt is not one of the link');
  });
});

describe('describeSource', () => {
  it('says where the data can be had', () => {
    expect(describeSource({ from: 'bundled', name: 'rankplay-demo-letor' })).toContain('rankplay-demo-letor');
    expect(describeSource({ from: 'url', url: 'https://x/a.txt' })).toBe('https://x/a.txt');
    expect(describeSource({ from: 'files', files: [ref('train.txt', 'a', 2048)] })).toBe('train.txt (2,048 bytes, SHA-256 aaaaaaaaaaaa…)');
  });
});
