import fc from 'fast-check';
import { deflateSync, strToU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
import { defaultConfig, parseConfig, type ExperimentConfig } from './config';
import {
  configFromHash,
  configToHash,
  encodeConfig,
  fromBase64Url,
  HASH_KEY,
  MAX_HASH_CHARS,
  toBase64Url,
  type HashDecodeResult,
} from './url-codec';

/** `#c=` + base64url(deflate(text)): a hash carrying arbitrary text where the JSON would be. */
const hashOfText = (text: string): string => `#${HASH_KEY}=${toBase64Url(deflateSync(strToU8(text), { level: 9 }))}`;
const hashOfJson = (value: unknown): string => hashOfText(JSON.stringify(value));

function expectRejected(r: HashDecodeResult): string {
  expect(r.fromHash).toBe(false);
  expect(r.config).toEqual(defaultConfig());
  expect(typeof r.error).toBe('string');
  expect(r.error).toContain('showing the default experiment instead');
  return r.error as string;
}

const validConfigArb: fc.Arbitrary<ExperimentConfig> = fc
  .record({
    seed: fc.integer({ min: 0, max: 0xffffffff }),
    learningRate: fc.double({ min: Number.MIN_VALUE, max: 10, noNaN: true }),
    queries: fc.integer({ min: 4, max: 2000 }),
    noise: fc.double({ min: 0, max: 10, noNaN: true }),
    hidden: fc.array(fc.integer({ min: 1, max: 1024 }), { minLength: 1, maxLength: 8 }),
    activation: fc.constantFrom('elu', 'relu', 'tanh'),
    optimizer: fc.constantFrom('adam', 'adagrad', 'sgd'),
    gain: fc.constantFrom('exp2', 'linear'),
    labelDistribution: fc.array(fc.double({ min: 0.001, max: 1000, noNaN: true }), { minLength: 2, maxLength: 16 }),
  })
  .map((f) => {
    const r = parseConfig({
      version: 1,
      seed: f.seed,
      data: { kind: 'synthetic', queries: f.queries, noise: f.noise, labelDistribution: f.labelDistribution },
      rankers: [
        { id: 'linear', model: { kind: 'linear' } },
        { id: 'deep-1', model: { kind: 'mlp', hidden: f.hidden, activation: f.activation } },
      ],
      train: { learningRate: f.learningRate, optimizer: f.optimizer },
      eval: { gain: f.gain },
    });
    if (!r.ok) throw new Error(`arbitrary built an invalid config: ${r.error}`);
    return r.config;
  });

describe('base64url', () => {
  it('round-trips arbitrary bytes, every length mod 4, using only the url-safe alphabet and no padding', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const text = toBase64Url(bytes);
        expect(text).toMatch(/^[A-Za-z0-9_-]*$/);
        expect(Array.from(fromBase64Url(text))).toEqual(Array.from(bytes));
      }),
      { numRuns: 300 },
    );
  });

  it('uses - and _ where base64 uses + and /', () => {
    // 0xfb 0xff 0xbf = 111110 111111 111110 111111 → base64 "+/+/" → base64url "-_-_".
    expect(toBase64Url(new Uint8Array([0xfb, 0xff, 0xbf]))).toBe('-_-_');
    expect(Array.from(fromBase64Url('-_-_'))).toEqual([0xfb, 0xff, 0xbf]);
  });

  it('refuses characters outside the base64url alphabet', () => {
    for (const bad of ['abc+', 'ab/c', 'ab=c', 'a b', 'ab%3D', 'é']) {
      expect(() => fromBase64Url(bad)).toThrow(/characters/);
    }
  });
});

describe('configToHash / configFromHash', () => {
  it('round-trips the default config', () => {
    const d = defaultConfig();
    const hash = configToHash(d);
    expect(hash.startsWith(`#${HASH_KEY}=`)).toBe(true);
    const r = configFromHash(hash);
    expect(r).toEqual({ config: d, fromHash: true });
    // With or without the leading '#'.
    expect(configFromHash(hash.slice(1))).toEqual({ config: d, fromHash: true });
  });

  it('round-trips arbitrary valid configs (property)', () => {
    fc.assert(
      fc.property(validConfigArb, (config) => {
        const hash = configToHash(config);
        expect(hash.length).toBeLessThanOrEqual(MAX_HASH_CHARS);
        const r = configFromHash(hash);
        expect(r.error).toBeUndefined();
        expect(r.fromHash).toBe(true);
        expect(r.config).toEqual(config);
      }),
      { numRuns: 150 },
    );
  });

  it('ignores other hash parameters', () => {
    const d = { ...defaultConfig(), seed: 5 };
    expect(configFromHash(`#view=chart&${HASH_KEY}=${encodeConfig(d)}&x=1`).config.seed).toBe(5);
  });

  it('gives the default config quietly for an empty hash', () => {
    for (const empty of ['', '#']) {
      const r = configFromHash(empty);
      expect(r.fromHash).toBe(false);
      expect(r.error).toBeUndefined();
      expect(r.config).toEqual(defaultConfig());
    }
  });
});

describe('configFromHash rejections', () => {
  it('rejects garbage text', () => {
    expectRejected(configFromHash('#hello world'));
    expect(expectRejected(configFromHash('#foo=bar'))).toContain(`no "${HASH_KEY}=" part`);
    expectRejected(configFromHash(`#${HASH_KEY}=`));
    expectRejected(configFromHash(`#${HASH_KEY}=not-deflate-at-all`));
  });

  it('rejects characters outside base64url', () => {
    expect(expectRejected(configFromHash(`#${HASH_KEY}=abc$def`))).toContain('characters that base64url does not use');
    expect(expectRejected(configFromHash(`#${HASH_KEY}=ab<script>`))).toContain('characters that base64url does not use');
    // '+' and '/' are base64 but not base64url.
    expect(expectRejected(configFromHash(`#${HASH_KEY}=ab/cd`))).toContain('characters that base64url does not use');
  });

  it('rejects valid base64url that is not deflate data', () => {
    // 0x07 = 0b00000111: BFINAL = 1, BTYPE = 11, the reserved (invalid) block type.
    const reserved = toBase64Url(new Uint8Array([0x07, 0x00, 0x00, 0x00]));
    expect(expectRejected(configFromHash(`#${HASH_KEY}=${reserved}`))).toContain('not valid compressed data');
    // A truncated deflate stream.
    const full = deflateSync(strToU8(JSON.stringify(defaultConfig())));
    expectRejected(configFromHash(`#${HASH_KEY}=${toBase64Url(full.subarray(0, full.length >> 1))}`));
  });

  it('rejects deflate of non-JSON', () => {
    expect(expectRejected(configFromHash(hashOfText('this is not json')))).toContain('not valid JSON');
    expect(expectRejected(configFromHash(hashOfText('{"version":1,')))).toContain('not valid JSON');
  });

  it('rejects JSON that is not a settings object', () => {
    for (const v of [[], [{ version: 1 }], null, 1, 'config', true]) {
      expect(expectRejected(configFromHash(hashOfJson(v)))).toContain('not a settings object');
    }
  });

  it('rejects an unknown or missing version, naming it', () => {
    const err = expectRejected(configFromHash(hashOfJson({ ...defaultConfig(), version: 99 })));
    expect(err).toContain('version 99');
    expect(expectRejected(configFromHash(hashOfJson({ seed: 1 })))).toContain('version missing');
    expect(expectRejected(configFromHash(hashOfJson({ version: '1' })))).toContain('version missing');
  });

  it('rejects schema violations with the failing path', () => {
    const err = expectRejected(configFromHash(hashOfJson({ version: 1, train: { learningRate: -1 } })));
    expect(err).toContain('train.learningRate');
  });

  it('rejects __proto__ and constructor keys without polluting Object.prototype', () => {
    const texts = [
      '{"version":1,"__proto__":{"polluted":"yes"}}',
      '{"__proto__":{"polluted":"yes"},"version":1}',
      '{"version":1,"train":{"__proto__":{"polluted":"yes"}}}',
      '{"version":1,"data":{"kind":"synthetic","__proto__":{"polluted":"yes"}}}',
      '{"version":1,"rankers":[{"id":"a","model":{"kind":"linear"},"__proto__":{"polluted":"yes"}}]}',
      '{"version":1,"constructor":{"prototype":{"polluted":"yes"}}}',
      '{"version":1,"eval":{"constructor":{"prototype":{"polluted":"yes"}}}}',
    ];
    for (const text of texts) {
      const r = configFromHash(hashOfText(text));
      expectRejected(r);
      expect(Object.getPrototypeOf(r.config)).toBe(Object.prototype);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  it('refuses a hash over MAX_HASH_CHARS, without decoding it', () => {
    const body = `${HASH_KEY}=${'A'.repeat(MAX_HASH_CHARS)}`; // MAX_HASH_CHARS + 2 characters
    const err = expectRejected(configFromHash(`#${body}`));
    expect(err).toContain(`${body.length} characters long`);
    expect(err).toContain(`over the ${MAX_HASH_CHARS} limit`);
    // Exactly at the limit is not refused for its length (it fails later, as garbage).
    const atLimit = `${HASH_KEY}=${'A'.repeat(MAX_HASH_CHARS - 2)}`;
    expect(atLimit.length).toBe(MAX_HASH_CHARS);
    expect(expectRejected(configFromHash(`#${atLimit}`))).not.toContain('limit');
  });

  it('refuses a deflate bomb that fits in the hash, saying it expands, quickly', () => {
    // 5 MiB of spaces deflates to ~5 KB, i.e. a ~6.8k-character hash: under MAX_HASH_CHARS.
    const hash = hashOfText(' '.repeat(5 * 1024 * 1024));
    expect(hash.length).toBeLessThanOrEqual(MAX_HASH_CHARS);
    const t0 = performance.now();
    const err = expectRejected(configFromHash(hash));
    expect(performance.now() - t0).toBeLessThan(1500);
    expect(err).toContain('expands');
  });

  it('refuses a 10 MB bomb too (its hash is already over the length limit)', () => {
    const hash = hashOfText(' '.repeat(10 * 1024 * 1024));
    const t0 = performance.now();
    const err = expectRejected(configFromHash(hash));
    expect(performance.now() - t0).toBeLessThan(1500);
    expect(err).toMatch(/expands|limit/);
  });

  it('accepts a valid config padded with whitespace under the 64 KB inflate cap, refuses one over it', () => {
    const json = JSON.stringify({ ...defaultConfig(), seed: 9 });
    const under = configFromHash(hashOfText(json + ' '.repeat(60 * 1024)));
    expect(under.error).toBeUndefined();
    expect(under.config.seed).toBe(9);
    expect(expectRejected(configFromHash(hashOfText(json + ' '.repeat(70 * 1024))))).toContain('expands');
  });

  it('treats a <script> string only as data: rejected by the schema, never in the returned config', () => {
    const script = '<script>alert(1)</script>';
    const attempts = [
      { version: 1, rankers: [{ id: script, model: { kind: 'linear' } }] },
      { version: 1, train: { optimizer: script } },
      { version: 1, seed: script },
      { version: script },
      { version: 1, [script]: 1 },
    ];
    for (const value of attempts) {
      const r = configFromHash(hashOfJson(value));
      expectRejected(r);
      expect(JSON.stringify(r.config)).not.toContain('<script');
    }
    // Where the text is echoed at all, it is inside a plain string for the UI to show as text.
    const echoed = configFromHash(hashOfJson({ version: 1, rankers: [{ id: script, model: { kind: 'linear' } }] }));
    expect(echoed.error).not.toContain('<script');
  });

  it('caps a long schema error message', () => {
    const longKey = 'k'.repeat(2000);
    const err = expectRejected(configFromHash(hashOfJson({ version: 1, [longKey]: 1 })));
    expect(err.length).toBeLessThan(500);
  });
});
