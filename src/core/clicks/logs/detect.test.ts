import { gzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { bytesSource } from '../../data/parse/stream';
import { detectClickLogFormat } from './detect';
import { parseClickFile } from './index';
import { utf8 } from './test-util';

const X = '\u0001';

describe('click-log format detection', () => {
  it('recognises each format with a reason', () => {
    const cases: [string, string, string][] = [
      ['clicks.tsv', 's1\tq1\t1\td1\t1\t3.5\ns1\tq1\t2\td2\t0\t0\n', 'plain-tsv'],
      ['clicks.tsv', 'session\tquery\trank\tdoc\tclick\ns1\tq\t1\td\t0\n', 'plain-tsv'],
      ['train', '0\t0\tQ\t10\t0\t51\t52\n0\t13\tC\t52\n', 'yandex'],
      ['train', '744899 M 23 123123123\n744899 0 Q 0 192902 4857,3847 632428,2384\n', 'yandex'],
      ['part-00001', `1\t5${X}6\t-\n1\tu1\t10${X}11\t12\t0\t1\t-\t-\t0\n`, 'baidu-train'],
      ['nips_annotation_data_0522.txt', `1\t5${X}6\t10\t11${X}12\t3\t0\n`, 'baidu-annotated'],
    ];
    for (const [name, head, format] of cases) {
      const g = detectClickLogFormat(name, utf8(head));
      expect(g.format, `${name}: ${g.reason}`).toBe(format);
      expect(g.reason.length).toBeGreaterThan(10);
    }
  });

  it('says why nothing fits', () => {
    expect(detectClickLogFormat('x.bin', new Uint8Array([0x1f, 0x8b, 8, 0])).reason).toMatch(/gzip-compressed/);
    expect(detectClickLogFormat('x', new Uint8Array([0xff, 0xfe, 0])).reason).toMatch(/not valid UTF-8/);
    expect(detectClickLogFormat('x', 'a\u0000b').reason).toMatch(/NUL/);
    expect(detectClickLogFormat('x', '')).toEqual({ format: null, reason: 'file is empty' });
    const g = detectClickLogFormat('part-00003', 'hello world\n');
    expect(g.format).toBeNull();
    expect(g.reason).toMatch(/unrecognised content \(first line 'hello world'; expected Baidu-ULTR training sessions/);
  });

  it('parseClickFile detects and reads (gzip included)', async () => {
    const r = await parseClickFile(bytesSource(gzipSync(utf8('0\t0\tQ\t10\t0\t51\t52\n0\t13\tC\t52\n')), 'relpred.gz'));
    expect(r.format).toBe('yandex');
    await expect(parseClickFile(bytesSource(utf8('nothing to see'), 'x.txt'))).rejects.toThrow(/not a click log RankPlay reads/);
  });
});
