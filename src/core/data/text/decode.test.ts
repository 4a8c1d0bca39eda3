import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { firstInvalidUtf8, Utf8Stage } from './decode';
import { MAX_LINE_CHARS } from './lines';
import { TrecQrelsParser } from './qrels';
import { expectDataError, utf8 } from './test-util';

function decodesWhole(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

describe('firstInvalidUtf8', () => {
  it('agrees with the fatal TextDecoder on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 24 }), (bytes) => {
        const at = firstInvalidUtf8(bytes);
        if (decodesWhole(bytes)) expect(at).toBe(-1);
        else if (at >= 0) {
          // Everything before the reported byte is a valid prefix.
          expect(decodesWhole(bytes.subarray(0, at))).toBe(true);
        } else {
          // -1 on undecodable input only when the end cuts a character short: streaming accepts it.
          expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: true })).not.toThrow();
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('finds overlong forms, surrogates and out-of-range code points', () => {
    expect(firstInvalidUtf8(new Uint8Array([0x41, 0xc0, 0x80]))).toBe(1);
    expect(firstInvalidUtf8(new Uint8Array([0xe0, 0x80, 0x80]))).toBe(0);
    expect(firstInvalidUtf8(new Uint8Array([0xed, 0xa0, 0x80]))).toBe(0);
    expect(firstInvalidUtf8(new Uint8Array([0xf4, 0x90, 0x80, 0x80]))).toBe(0);
    expect(firstInvalidUtf8(utf8('ok é € 😀'))).toBe(-1);
    expect(firstInvalidUtf8(new Uint8Array([0x41, 0xe2, 0x82]))).toBe(-1);
  });
});

describe('Utf8Stage', () => {
  it('decodes characters split across chunks', () => {
    const stage = new Utf8Stage('f', 'text');
    const bytes = utf8('a😀é');
    const text = Array.from(bytes, (b) => stage.decode(new Uint8Array([b]), () => 1)).join('');
    stage.end(1);
    expect(text).toBe('a😀é');
    expect(stage.bytes).toBe(bytes.length);
  });

  it('places invalid bytes by file offset and line, even when the bad character began in the previous chunk', () => {
    const stage = new Utf8Stage('f', 'a test file');
    stage.decode(utf8('line one\nab'), () => 1);
    stage.decode(new Uint8Array([0xe2, 0x82]), () => 2);
    const e = expectDataError(() => stage.decode(new Uint8Array([0x41, 0x0a]), () => 2), { kind: 'format', line: 2, token: 'e2 82 41 0a' });
    expect(e.reason).toBe('invalid UTF-8 at byte 11: this is not a UTF-8 text file (expected a test file)');
  });

  it('refuses a file that ends inside a character', () => {
    const p = new TrecQrelsParser('q.txt');
    p.push(new Uint8Array([...utf8('1 0 d 1\n1 0 caf'), 0xc3]));
    expectDataError(() => p.finish(), { line: 2, reason: /ends in the middle of a UTF-8 character/ });
  });

  it('refuses Latin-1 text with the line of the first bad byte', () => {
    const latin1 = new Uint8Array([...utf8('1 0 a 1\n1 0 caf'), 0xe9, ...utf8(' 1\n')]);
    expectDataError(() => new TrecQrelsParser('q.txt').push(latin1), { line: 2, reason: /invalid UTF-8 at byte 15/ });
  });
});

describe('line limits', () => {
  it('stops at an absurdly long line instead of buffering the whole file', () => {
    const p = new TrecQrelsParser('huge.txt');
    const chunk = new Uint8Array(1 << 20).fill(0x61);
    expectDataError(
      () => {
        for (let i = 0; i <= MAX_LINE_CHARS >> 20; i++) p.push(chunk);
      },
      { kind: 'limit', line: 1, reason: /line is longer than 16,777,216 characters: is this a TREC qrels file/ },
    );
  });
});
