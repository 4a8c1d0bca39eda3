import { gzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { parseLetor } from '../letor';
import { DataError } from './errors';
import { bytesSource, drive, innerName, isGzipName, readHead, type ByteSource, type ChunkConsumer, type ParseProgress } from './stream';

const enc = new TextEncoder();

/** A consumer that keeps everything it is given and counts newlines as rows. */
class Collect implements ChunkConsumer {
  parts: Uint8Array[] = [];
  rows = 0;
  push(chunk: Uint8Array): void {
    this.parts.push(chunk.slice());
    for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) this.rows++;
  }
  /** Byte-for-byte equality with `want` (vitest's deep equality is slow on megabytes). */
  same(want: Uint8Array): boolean {
    return Buffer.from(this.bytes()).equals(Buffer.from(want));
  }

  bytes(): Uint8Array {
    const out = new Uint8Array(this.parts.reduce((n, p) => n + p.length, 0));
    let o = 0;
    for (const p of this.parts) {
      out.set(p, o);
      o += p.length;
    }
    return out;
  }
}

/** LETOR text of n documents, about 60 bytes each. */
function letorText(n: number): Uint8Array {
  const lines: string[] = [];
  for (let r = 0; r < n; r++) lines.push(`${r % 3} qid:${Math.floor(r / 20)} 1:${(r % 97) / 8} 2:0.5 3:${r % 11} 4:0.125 #docid = d${r}`);
  return enc.encode(`${lines.join('\n')}\n`);
}

async function dataError(p: Promise<unknown>): Promise<DataError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof DataError) return e;
    throw e;
  }
  return expect.fail('expected a DataError');
}

describe('gzip names', () => {
  it('isGzipName and innerName', () => {
    expect(isGzipName('train.txt.gz')).toBe(true);
    expect(isGzipName('TRAIN.TXT.GZ')).toBe(true);
    expect(isGzipName('train.txt')).toBe(false);
    expect(isGzipName('gz.txt')).toBe(false);
    expect(innerName('Fold1/train.txt.gz')).toBe('Fold1/train.txt');
    expect(innerName('train.txt')).toBe('train.txt');
  });
});

describe('drive', () => {
  const plain = letorText(2000);
  const gz = gzipSync(plain);

  it('passes plain bytes through unchanged', async () => {
    const c = new Collect();
    await drive(bytesSource(plain, 'train.txt'), c);
    expect(c.same(plain)).toBe(true);
  });

  it('decompresses gzip detected by the name', async () => {
    const c = new Collect();
    await drive(bytesSource(gz, 'train.txt.gz'), c);
    expect(c.same(plain)).toBe(true);
  });

  it('decompresses gzip detected by the magic bytes, whatever the name', async () => {
    const c = new Collect();
    await drive(bytesSource(gz, 'train.txt'), c);
    expect(c.same(plain)).toBe(true);
    const res = await parseLetor(bytesSource(gz, 'download'));
    expect(res.dataset.labels.length).toBe(2000);
    expect(res.docIds![1999]).toBe('d1999');
  });

  it('decompresses a multi-MB gzip arriving in several chunks', async () => {
    const big = letorText(80_000);
    const c = new Collect();
    await drive(bytesSource(gzipSync(big), 'big.txt.gz'), c);
    expect(c.same(big)).toBe(true);
  });

  it('a truncated .gz is an io DataError saying so', async () => {
    for (const cut of [gz.length - 8, Math.floor(gz.length / 2), 12]) {
      const e = await dataError(drive(bytesSource(gz.subarray(0, cut), 'train.txt.gz'), new Collect()));
      expect(e.kind).toBe('io');
      expect(e.file).toBe('train.txt.gz');
      expect(e.message).toContain('truncated or corrupt');
      expect(e.line).toBeUndefined();
    }
    // Detected by magic bytes only: the same.
    const e = await dataError(parseLetor(bytesSource(gz.subarray(0, gz.length >> 1), 'train.txt')));
    expect(e.kind).toBe('io');
    expect(e.message).toContain('truncated or corrupt');
  });

  it('corrupt gzip data (damaged bytes, or not gzip at all under a .gz name) is an io DataError', async () => {
    const damaged = gz.slice();
    for (let i = 20; i < damaged.length - 20; i += 97) damaged[i] ^= 0x5a;
    const e = await dataError(drive(bytesSource(damaged, 'train.txt.gz'), new Collect()));
    expect(e.kind).toBe('io');
    expect(e.message).toContain('truncated or corrupt');
    const notGz = await dataError(drive(bytesSource(plain, 'train.txt.gz'), new Collect()));
    expect(notGz.kind).toBe('io');
  });

  it("the parser's own DataErrors pass through unchanged, plain or gzip", async () => {
    const bad = enc.encode('1 qid:1 1:1\n1 qid:1 1:oops\n');
    for (const [bytes, name] of [[bad, 'a.txt'], [gzipSync(bad), 'a.txt.gz']] as const) {
      const e = await dataError(parseLetor(bytesSource(bytes, name)));
      expect(e.kind).toBe('format');
      expect([e.file, e.line, e.column, e.token]).toEqual([name, 2, 9, '1:oops']);
    }
  });

  it('an empty source reaches the parser as an empty file', async () => {
    const e = await dataError(parseLetor(bytesSource(new Uint8Array(0), 'empty.txt')));
    expect(e.message).toContain('the file is empty');
  });

  it('a failing stream becomes an io DataError', async () => {
    const failing: ByteSource = {
      name: 'flaky.txt',
      size: null,
      stream: () => {
        let n = 0;
        return new ReadableStream<Uint8Array>({
          pull(controller) {
            if (n++ === 0) controller.enqueue(enc.encode('1 qid:1 1:1\n'));
            else controller.error(new Error('disk went away'));
          },
        });
      },
    };
    const e = await dataError(drive(failing, new Collect()));
    expect(e.kind).toBe('io');
    expect(e.message).toMatch(/reading failed after 12 bytes \(disk went away\)/);
  });

  it('reports progress: bytesRead and rows never decrease, and the last report has bytesRead === size', async () => {
    const big = letorText(80_000); // about 5 MB: several 1 MB chunks
    expect(big.length).toBeGreaterThan(3 << 20);
    for (const [bytes, name] of [[big, 'big.txt'], [gzipSync(big), 'big.txt.gz']] as const) {
      const reports: ParseProgress[] = [];
      const res = await parseLetor(bytesSource(bytes, name), {}, { onProgress: (p) => reports.push({ ...p }), progressEveryMs: 0 });
      expect(reports.length).toBeGreaterThanOrEqual(3);
      for (let k = 1; k < reports.length; k++) {
        expect(reports[k].bytesRead).toBeGreaterThanOrEqual(reports[k - 1].bytesRead);
        expect(reports[k].rows).toBeGreaterThanOrEqual(reports[k - 1].rows);
        expect(reports[k].elapsedMs).toBeGreaterThanOrEqual(reports[k - 1].elapsedMs);
      }
      expect(reports[0].bytesRead).toBeGreaterThan(0);
      // Plain: 1 MB chunks, so the first report comes early. (The .gz is one chunk of compressed bytes.)
      if (name === 'big.txt') expect(reports[0].bytesRead).toBeLessThan(bytes.length);
      expect(reports[0].rows).toBeLessThan(80_000);
      const last = reports[reports.length - 1];
      expect(last.bytesRead).toBe(bytes.length);
      expect(last.totalBytes).toBe(bytes.length);
      expect(last.rows).toBe(80_000);
      expect(res.dataset.labels.length).toBe(80_000);
    }
  });

  it('throttles progress reports by progressEveryMs, but always reports the end', async () => {
    const reports: ParseProgress[] = [];
    await drive(bytesSource(letorText(80_000), 'big.txt'), new Collect(), { onProgress: (p) => reports.push(p), progressEveryMs: 60_000 });
    // The first chunk reports (nothing reported yet), then nothing until the forced final one.
    expect(reports.length).toBe(2);
  });

  it('an AbortSignal aborted mid-way gives a cancelled DataError (plain and gzip)', async () => {
    const big = letorText(80_000);
    for (const [bytes, name] of [[big, 'big.txt'], [gzipSync(big), 'big.txt.gz']] as const) {
      const ctl = new AbortController();
      let calls = 0;
      const c = new Collect();
      const e = await dataError(
        drive(bytesSource(bytes, name), c, {
          signal: ctl.signal,
          progressEveryMs: 0,
          onProgress: () => {
            if (++calls === 1) ctl.abort();
          },
        }),
      );
      expect(e.kind).toBe('cancelled');
      expect(e.file).toBe(name);
      expect(e.message).toContain('cancelled');
      expect(calls).toBe(1);
      expect(c.bytes().length).toBeLessThan(big.length);
    }
  });

  it('a signal aborted before the start cancels without reading everything', async () => {
    const ctl = new AbortController();
    ctl.abort();
    const c = new Collect();
    const e = await dataError(drive(bytesSource(letorText(80_000), 'big.txt'), c, { signal: ctl.signal }));
    expect(e.kind).toBe('cancelled');
    expect(c.parts.length).toBe(0);
  });
});

describe('readHead', () => {
  it('gives the first bytes, decompressed, up to maxBytes', async () => {
    const plain = letorText(2000);
    expect(await readHead(bytesSource(plain, 'a.txt'), 100)).toEqual(plain.subarray(0, 100));
    expect(await readHead(bytesSource(gzipSync(plain), 'a.txt.gz'), 1000)).toEqual(plain.subarray(0, 1000));
    expect(await readHead(bytesSource(plain.subarray(0, 50), 'a.txt'))).toEqual(plain.subarray(0, 50));
  });
});
