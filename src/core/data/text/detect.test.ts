import { gzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { detectTextFormat } from './detect';
import { utf8 } from './test-util';

describe('detectTextFormat', () => {
  const cases: [string, string, string][] = [
    ['qrels.dl19-passage.txt', '19335 0 1017759 0\n19335 0 1082489 0\n', 'trec-qrels'],
    ['qrels.dev.tsv', '300674\t0\t7067032\t1\n125705\t0\t7067056\t1\n', 'trec-qrels'],
    ['bm25.trec', 'q1 Q0 d1 1 12.5 bm25\nq1 Q0 d2 2 11 bm25\n', 'trec-run'],
    ['collection.tsv', '0\tThe presence of communication amid scientific minds\n1\tThe Manhattan Project\n', 'msmarco-tsv'],
    ['queries.dev.tsv', '1048585\twhat is paula deen\'s brother\n2\tandrogen receptor define\n', 'msmarco-tsv'],
    ['something.tsv', '12\tdoc 0 1\n', 'msmarco-tsv'],
    ['corpus.jsonl', '{"_id": "4983", "title": "Micro", "text": "Alterations"}\n', 'beir-corpus'],
    ['queries.jsonl', '{"_id": "0", "text": "0-dimensional biomaterials"}\n', 'beir-queries'],
    ['data.jsonl', '{"_id": "0", "title": "", "text": "x"}\n', 'beir-corpus'],
    ['test.tsv', 'query-id\tcorpus-id\tscore\n1\t31715818\t1\n', 'beir-qrels'],
    ['scifact/qrels/test.tsv', '1\t31715818\t1\n3\t14717500\t1\n', 'beir-qrels'],
    ['fbis.sgml', '<DOC>\n<DOCNO> FBIS3-1 </DOCNO>\n<TEXT>hello</TEXT></DOC>\n', 'trec-sgml-docs'],
    ['topics.301-350.txt', '<top>\n<num> Number: 301\n<title> International Organized Crime\n', 'trec-topics'],
  ];

  it.each(cases)('%s → %s', (name, head, format) => {
    const guess = detectTextFormat(name, head);
    expect(guess.format, guess.reason).toBe(format);
    expect(guess.reason.length).toBeGreaterThan(5);
    // Bytes give the same answer, and so does a compressed file's name.
    expect(detectTextFormat(`${name}.gz`, utf8(head)).format).toBe(format);
  });

  it('decides on content, not on a misleading name', () => {
    expect(detectTextFormat('qrels.txt', 'q1 Q0 d1 1 12.5 bm25\n').format).toBe('trec-run');
  });

  it('ignores a last line cut off by the end of the head', () => {
    expect(detectTextFormat('x', '1 0 d 1\n2 0 e 1\n3 0 f').format).toBe('trec-qrels');
    expect(detectTextFormat('corpus.jsonl', '{"_id": "1", "title": "t", "te').format).toBe('beir-corpus');
  });

  it('reports binary data as not a text file, with what was expected', () => {
    const nul = detectTextFormat('qrels.txt', utf8('1 0 d\u0000 1\n'));
    expect(nul.format).toBeNull();
    expect(nul.reason).toMatch(/^not a text file: it has NUL bytes \(expected a TREC qrels file/);
    const invalid = detectTextFormat('corpus.jsonl.gz', new Uint8Array([0x7b, 0xc3, 0x28, 0x7d]));
    expect(invalid.reason).toMatch(/not a text file: it is not valid UTF-8 \(expected a BEIR corpus\.jsonl/);
    const controls = detectTextFormat('x.bin', '\u0001\u0002\u0003\u0004abc');
    expect(controls.reason).toMatch(/not a text file: it is mostly control characters \(expected a text-ranking file/);
    expect(detectTextFormat('qrels.txt', gzipSync(utf8('1 0 d 1\n'))).reason).toMatch(/gzip-compressed/);
  });

  it('accepts a head cut inside a UTF-8 character', () => {
    const bytes = utf8('0\tcafé au lait\n1\tcafé');
    expect(detectTextFormat('collection.tsv', bytes.subarray(0, bytes.length - 1)).format).toBe('msmarco-tsv');
  });

  it('says when a file is empty or unrecognised', () => {
    expect(detectTextFormat('qrels.txt', '')).toEqual({ format: null, reason: 'file is empty' });
    expect(detectTextFormat('qrels.txt', '\n  \n')).toEqual({ format: null, reason: 'file is empty' });
    const unknown = detectTextFormat('notes.txt', 'Dear reader, hello.\n');
    expect(unknown.format).toBeNull();
    expect(unknown.reason).toMatch(/unrecognised content \(first line 'Dear reader, hello\.'/);
    expect(detectTextFormat('x.jsonl', '{"a": 1}\n').format).toBeNull();
  });
});
