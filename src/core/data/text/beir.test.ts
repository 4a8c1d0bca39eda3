import { describe, expect, it } from 'vitest';
import { BeirCorpusParser, BeirQrelsParser, BeirQueriesParser } from './beir';
import { expectDataError, tableRows, utf8 } from './test-util';

function corpus(text: string, opts: { skipBadLines?: boolean } = {}) {
  const p = new BeirCorpusParser('scifact/corpus.jsonl', opts);
  p.push(utf8(text));
  return p.finish();
}

function queries(text: string) {
  const p = new BeirQueriesParser('scifact/queries.jsonl');
  p.push(utf8(text));
  return p.finish();
}

function qrels(text: string) {
  const p = new BeirQrelsParser('scifact/qrels/test.tsv');
  p.push(utf8(text));
  return p.finish();
}

describe('BEIR corpus.jsonl', () => {
  it('keeps title and text apart, numeric ids as text, metadata ignored', () => {
    const { table, warnings } = corpus(
      [
        '{"_id": "4983", "title": "Microstructural development", "text": "Alterations of the architecture", "metadata": {}}',
        '{"_id": 5836, "text": "No title here"}',
        '{"_id": "x", "title": null, "text": "null title\\nwith newline"}',
      ].join('\r\n'),
    );
    expect(tableRows(table)).toEqual([
      { id: '4983', text: 'Alterations of the architecture' },
      { id: '5836', text: 'No title here' },
      { id: 'x', text: 'null title\nwith newline' },
    ]);
    expect([0, 1, 2].map((i) => table.title(i))).toEqual(['Microstructural development', '', '']);
    expect(table.indexOf('5836')).toBe(1);
    expect(warnings).toEqual([]);
  });

  it('wraps JSON errors into DataErrors with the line', () => {
    const e = expectDataError(() => corpus('{"_id": "1", "text": "a"}\n\n{"_id": "2", "text": \n'), { kind: 'format', line: 3 });
    expect(e.reason).toMatch(/^not valid JSON \(/);
  });

  it('refuses a line that is not an object', () => {
    expectDataError(() => corpus('[1, 2]\n'), { line: 1, reason: /expected a JSON object per line, found an array/ });
    expectDataError(() => corpus('{"_id": "1", "text": "a"}\n"just a string"\n'), { line: 2, reason: /found a string/ });
    expectDataError(() => corpus('42\n'), { reason: /found a number/ });
    expectDataError(() => corpus('null\n'), { reason: /found null/ });
  });

  it('refuses a missing or mistyped _id, text or title', () => {
    expectDataError(() => corpus('{"title": "t", "text": "a"}\n'), { reason: /no "_id"/ });
    expectDataError(() => corpus('{"_id": true, "text": "a"}\n'), { reason: /"_id" must be a non-empty string or a number, found a boolean/ });
    expectDataError(() => corpus('{"_id": "", "text": "a"}\n'), { reason: /found an empty string/ });
    expectDataError(() => corpus('{"_id": {"a": 1}, "text": "a"}\n'), { reason: /found an object/ });
    expectDataError(() => corpus('{"_id": "1"}\n'), { reason: /no "text"/ });
    expectDataError(() => corpus('{"_id": "1", "text": 5}\n'), { reason: /"text" must be a string, found a number/ });
    expectDataError(() => corpus('{"_id": "1", "title": ["x"], "text": "a"}\n'), { reason: /"title" must be a string, found an array/ });
  });

  it('skips bad lines when asked and keeps the first of a repeated id', () => {
    const { table, skipped, warnings } = corpus('{"_id": "1", "text": "a"}\nnot json\n{"_id": "1", "text": "b"}\n', { skipBadLines: true });
    expect(tableRows(table)).toEqual([{ id: '1', text: 'a' }]);
    expect(skipped.count).toBe(1);
    expect(warnings[0]).toMatch(/line 3: _id '1' appeared before/);
  });
});

describe('BEIR queries.jsonl', () => {
  it('reads ids and texts', () => {
    const { table } = queries('{"_id": "0", "text": "0-dimensional biomaterials show inductive properties.", "metadata": {}}\n{"_id": "2", "text": "1 in 5 million"}');
    expect(tableRows(table)).toEqual([
      { id: '0', text: '0-dimensional biomaterials show inductive properties.' },
      { id: '2', text: '1 in 5 million' },
    ]);
  });
});

describe('BEIR qrels TSV', () => {
  it('skips the header and reads judgements with the TREC qrels structure', () => {
    const q = qrels('query-id\tcorpus-id\tscore\r\n1\t31715818\t1\r\n3\t14717500\t1\r\n1\t42\t0\r\n');
    expect(q.queryIds).toEqual(['1', '3']);
    expect(q.docIds).toEqual(['31715818', '14717500', '42']);
    expect([...q.query]).toEqual([0, 1, 0]);
    expect([...q.rel]).toEqual([1, 1, 0]);
    expect(q.warnings).toEqual([]);
  });

  it('accepts a file without a header, with a warning', () => {
    const q = qrels('1\t31715818\t1\n');
    expect(q.docIds).toEqual(['31715818']);
    expect(q.warnings[0]).toMatch(/line 1: no header line/);
  });

  it('refuses bad scores and field counts, and says when the file is TREC qrels', () => {
    expectDataError(() => qrels('query-id\tcorpus-id\tscore\n1\t2\thigh\n'), { kind: 'value', line: 2, reason: /score is not an integer/, token: 'high' });
    expectDataError(() => qrels('query-id\tcorpus-id\tscore\n1\t2\n'), { line: 2, reason: /expected 3 fields/ });
    expectDataError(() => qrels('1 0 doc 1\n'), { line: 1, reason: /this looks like a TREC qrels file/ });
  });
});
