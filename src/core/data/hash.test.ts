import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { bytesSource } from './parse/stream';
import { hashWhileReading, sha256Of } from './hash';

const nodeSha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

async function readAll(stream: ReadableStream<Uint8Array>): Promise<number> {
  const reader = stream.getReader();
  let n = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return n;
    n += value.length;
  }
}

describe('sha256Of', () => {
  it('is the SHA-256 of the bytes (vs node:crypto), across chunk boundaries', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 3 << 20 }), async (bytes) => {
        const ref = await sha256Of(bytesSource(bytes, 'f.txt'));
        expect(ref).toEqual({ name: 'f.txt', bytes: bytes.length, sha256: nodeSha(bytes) });
      }),
      { numRuns: 20 },
    );
  });

  it('knows the empty file and a textbook value', async () => {
    expect((await sha256Of(bytesSource(new Uint8Array(0), 'e'))).sha256).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect((await sha256Of(bytesSource(new TextEncoder().encode('abc'), 'abc'))).sha256).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('stops when cancelled', async () => {
    const abort = new AbortController();
    abort.abort();
    await expect(sha256Of(bytesSource(new Uint8Array(10), 'x'), { signal: abort.signal })).rejects.toThrow(/cancelled/);
  });
});

describe('hashWhileReading', () => {
  it('gives the hash of a stream read to its end, and none for a head read alone', async () => {
    const bytes = new Uint8Array(2_500_000).map((_, i) => (i * 31) % 251);
    const { source, ref } = hashWhileReading(bytesSource(bytes, 'train.txt'));
    const head = source.stream().getReader();
    await head.read();
    await head.cancel();
    expect(ref()).toBeNull();
    expect(await readAll(source.stream())).toBe(bytes.length);
    expect(ref()).toEqual({ name: 'train.txt', bytes: bytes.length, sha256: nodeSha(bytes) });
  });
});
