import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MsMarcoTsvParser, type TextCollection } from './msmarco';
import { expectDataError, tableRows, utf8 } from './test-util';
import { StringColumnBuilder } from './text-table';

function tsv(text: string, opts: { skipBadLines?: boolean } = {}): TextCollection {
  const p = new MsMarcoTsvParser('collection.tsv', opts);
  p.push(utf8(text));
  return p.finish();
}

describe('MS MARCO TSV', () => {
  it('reads ids and texts into a TextTable', () => {
    const { table, warnings } = tsv('0\tThe presence of communication amid scientific minds\r\n1\tThe Manhattan Project\n\n7\t\n');
    expect(table.size).toBe(3);
    expect(tableRows(table)).toEqual([
      { id: '0', text: 'The presence of communication amid scientific minds' },
      { id: '1', text: 'The Manhattan Project' },
      { id: '7', text: '' },
    ]);
    expect(table.indexOf('1')).toBe(1);
    expect(table.indexOf('7')).toBe(2);
    expect(table.indexOf('2')).toBe(-1);
    expect(warnings).toEqual([]);
  });

  it('keeps later tabs as part of the text and trims spaces around the id', () => {
    const { table } = tsv(' 42 \ta\tb c  \n');
    expect(tableRows(table)).toEqual([{ id: '42', text: 'a\tb c  ' }]);
  });

  it('keeps the first of a repeated id and warns', () => {
    const { table, warnings } = tsv('1\tfirst\n2\tsecond\n1\tagain\n');
    expect(tableRows(table)).toEqual([
      { id: '1', text: 'first' },
      { id: '2', text: 'second' },
    ]);
    expect(warnings).toEqual(["line 3: id '1' appeared before; the first entry is kept"]);
  });

  it('refuses a line without a tab or with an empty id', () => {
    expectDataError(() => tsv('1\tok\n2 no tab here\n'), { kind: 'format', line: 2, reason: /found no tab/, token: '2 no tab here' });
    expectDataError(() => tsv('\tno id\n'), { line: 1, reason: /id before the tab is empty/ });
  });

  it('rejects out-of-range indexes instead of returning garbage', () => {
    const { table } = tsv('1\ta\n');
    expect(() => table.text(1)).toThrow(RangeError);
    expect(() => table.id(-1)).toThrow(RangeError);
  });
});

describe('StringColumnBuilder', () => {
  it('returns every string back across segment boundaries', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 12 }), { maxLength: 60 }), fc.integer({ min: 1, max: 20 }), (strings, segmentChars) => {
        const b = new StringColumnBuilder(segmentChars);
        for (const s of strings) b.push(s);
        const col = b.build();
        expect(col.size).toBe(strings.length);
        expect(Array.from({ length: col.size }, (_, i) => col.get(i))).toEqual(strings);
      }),
      { numRuns: 200 },
    );
  });
});
