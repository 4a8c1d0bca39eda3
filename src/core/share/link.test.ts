import fc from 'fast-check';
import { deflateSync, strToU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
import { defaultConfig, parseConfig, type ExperimentConfig } from '../experiment/config';
import { applyPreset } from '../experiment/presets';
import { configToHash, toBase64Url } from '../experiment/url-codec';
import { decodeLink, defaultLink, encodeLink, LINK_KEY, linkSize, linkUrl, MAX_HASH_CHARS, MIGRATIONS, type DecodedLink } from './link';
import { CHART_METRICS, DEMO_IDS, HIDE_KEYS, LINK_VERSION, type ShareLink, type ShareView } from './types';
import linksV1 from './fixtures/links-v1.json';
import linksV2 from './fixtures/links-v2.json';

const hashOfText = (text: string, key = LINK_KEY): string => `#${key}=${toBase64Url(deflateSync(strToU8(text), { level: 9 }))}`;
const hashOfJson = (value: unknown, key = LINK_KEY): string => hashOfText(JSON.stringify(value), key);

function expectRejected(r: DecodedLink): string {
  expect(r.fromHash).toBe(false);
  expect(r.link).toEqual(defaultLink());
  expect(typeof r.error).toBe('string');
  expect(r.error).toContain('default experiment');
  return r.error as string;
}

function config(value: unknown): ExperimentConfig {
  const r = parseConfig(value);
  if (!r.ok) throw new Error(r.error);
  return r.config;
}

const CONFIGS: ExperimentConfig[] = [
  defaultConfig(),
  applyPreset(defaultConfig(), 'teaching'),
  applyPreset(defaultConfig(), 'all-estimators'),
  config({ version: 1, seed: 9, data: { kind: 'stored', id: 'web30k', name: 'Web30K <b>fold</b> "1"' } }),
];

const viewArb: fc.Arbitrary<ShareView> = fc.record(
  {
    metric: fc.constantFrom(...CHART_METRICS),
    hide: fc.subarray([...HIDE_KEYS]),
    demo: fc.constantFrom(...DEMO_IDS),
  },
  { requiredKeys: [] },
);

const linkArb: fc.Arbitrary<ShareLink> = fc
  .record({ experiment: fc.constantFrom(...CONFIGS), view: viewArb, run: fc.option(fc.boolean(), { nil: undefined }) })
  .map(({ experiment, view, run }) => (run === undefined ? { v: 2, experiment, view } : { v: 2, experiment, view, run }));

describe('encodeLink / decodeLink', () => {
  it('round-trips random views, run flags and configs exactly', () => {
    fc.assert(
      fc.property(linkArb, (link) => {
        const hash = encodeLink(link);
        expect(hash.startsWith(`#${LINK_KEY}=`)).toBe(true);
        const decoded = decodeLink(hash);
        expect(decoded).toEqual({ link, fromHash: true });
      }),
      { numRuns: 150 },
    );
  });

  it('an empty hash is the default link, quietly', () => {
    expect(decodeLink('')).toEqual({ link: defaultLink(), fromHash: false });
    expect(decodeLink('#')).toEqual({ link: defaultLink(), fromHash: false });
  });

  it('has a migration from every older version', () => {
    for (let v = 1; v < LINK_VERSION; v++) expect(typeof MIGRATIONS[v]).toBe('function');
  });
});

describe('stored examples', () => {
  it.each(linksV1.links)('v1 $name opens as v2, migrated from 1', ({ hash, expected }) => {
    expect(hash.startsWith('#c=')).toBe(true);
    const decoded = decodeLink(hash);
    expect(decoded.error).toBeUndefined();
    expect(decoded.migratedFrom).toBe(1);
    expect(decoded.fromHash).toBe(true);
    expect(decoded.link).toEqual({ v: 2, experiment: expected, view: {} });
    // Rewritten as v2 and read back, nothing changes.
    expect(decodeLink(encodeLink(decoded.link))).toEqual({ link: decoded.link, fromHash: true });
  });

  it.each(linksV2.links)('v2 $name opens unchanged', ({ hash, expected }) => {
    const decoded = decodeLink(hash);
    expect(decoded).toEqual({ link: expected, fromHash: true });
    // Today's encoder still writes the very same text.
    expect(encodeLink(decoded.link)).toBe(hash);
  });
});

describe('versions', () => {
  it('refuses a future link version with a readable message', () => {
    const error = expectRejected(decodeLink(hashOfJson({ v: 3, experiment: defaultConfig(), view: {}, hologram: true })));
    expect(error).toContain('made by a newer RankPlay (link version 3)');
    expect(error).toContain('up to version 2');
  });

  it('refuses a future config version inside a v2 link, and a future v1 config', () => {
    expect(expectRejected(decodeLink(hashOfJson({ v: 2, experiment: { version: 7 }, view: {} })))).toContain('newer RankPlay (settings version 7)');
    expect(expectRejected(decodeLink(hashOfJson({ version: 2 }, 'c')))).toContain('newer RankPlay (settings version 2)');
  });

  it('refuses nonsense versions', () => {
    for (const v of [0, -1, 1.5, '2', null, undefined]) expectRejected(decodeLink(hashOfJson({ v, experiment: defaultConfig(), view: {} })));
  });

  it('an #l= payload claiming v: 1 goes through the migration table and is then validated', () => {
    // Never written (v1 was #c=): the v1→v2 step wraps the whole payload, whose stray "v" key the config schema refuses.
    const r = decodeLink(hashOfJson({ ...defaultConfig(), v: 1 }));
    expect(r.error).toContain('could not be used');
  });
});

describe('view validation', () => {
  it('drops unknown view keys and values with a note, keeping the rest', () => {
    const r = decodeLink(hashOfJson({ v: 2, experiment: defaultConfig(), view: { metric: 'err@10', sparkles: 1, hide: ['data', 'warp-drive'], demo: 'nope' } }));
    expect(r.fromHash).toBe(true);
    expect(r.error).toBeUndefined();
    expect(r.link.view).toEqual({ metric: 'err@10', hide: ['data'] });
    expect(r.notes?.join(' | ')).toMatch(/"sparkles".*ignored/);
    expect(r.notes?.join(' | ')).toContain('1 unknown control(s) to hide');
    expect(r.notes?.join(' | ')).toContain('"demo"');
  });

  it('ignores a view that is not an object, a non-boolean run and unknown link parts', () => {
    const r = decodeLink(hashOfJson({ v: 2, experiment: defaultConfig(), view: ['metric'], run: 'yes', extra: {} }));
    expect(r.link).toEqual(defaultLink());
    expect(r.fromHash).toBe(true);
    expect(r.notes).toHaveLength(3);
  });

  it('a missing view is an empty one', () => {
    expect(decodeLink(hashOfJson({ v: 2, experiment: defaultConfig() }))).toEqual({ link: defaultLink(), fromHash: true });
  });
});

describe('size', () => {
  it('measures a link and accepts ordinary ones', () => {
    const link = defaultLink();
    const size = linkSize(link);
    expect(size).toEqual({ chars: encodeLink(link).length - 1, limit: MAX_HASH_CHARS, ok: true });
  });

  it('refuses (throws), never truncates, a link over the limit', () => {
    // The config's own limits keep real links far below 8000 characters; incompressible padding
    // stands in for whatever a later version might add.
    const [noise] = fc.sample(fc.string({ unit: 'grapheme-ascii', minLength: 9000, maxLength: 9000 }), { numRuns: 1, seed: 1 });
    const fat = { v: 2, experiment: { ...defaultConfig(), padding: noise }, view: {} } as unknown as ShareLink;
    const size = linkSize(fat);
    expect(size.ok).toBe(false);
    expect(size.chars).toBeGreaterThan(MAX_HASH_CHARS);
    expect(() => encodeLink(fat)).toThrow(/would be \d+ characters, over the 8000-character limit/);
  });

  it('refuses an oversize hash before decoding it', () => {
    const error = expectRejected(decodeLink(`#${LINK_KEY}=${'A'.repeat(MAX_HASH_CHARS + 10)}`));
    expect(error).toContain('over the 8000 limit');
  });
});

describe('hostile input', () => {
  it('bad base64 and non-deflate data', () => {
    expect(expectRejected(decodeLink('#l=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E'))).toContain('characters that base64url does not use');
    expect(expectRejected(decodeLink('#l=not-a-link'))).toContain('not valid compressed data');
  });

  it('a zip bomb is cut off while inflating', () => {
    const bomb = `#${LINK_KEY}=${toBase64Url(deflateSync(new Uint8Array(2_000_000).fill(32), { level: 9 }))}`;
    expect(bomb.length).toBeLessThan(MAX_HASH_CHARS);
    expect(expectRejected(decodeLink(bomb))).toContain('expands beyond 64 KB');
  });

  it('wrong JSON types', () => {
    expect(expectRejected(decodeLink(hashOfText('{"v": 2,')))).toContain('not valid JSON');
    for (const value of [null, 42, 'l', [1, 2], true]) expectRejected(decodeLink(hashOfJson(value)));
    expect(expectRejected(decodeLink(hashOfJson({ v: 2, experiment: 'default', view: {} })))).toContain('no experiment settings');
    expect(expectRejected(decodeLink(hashOfJson({ v: 2, experiment: { version: 1, seed: 'x' }, view: {} })))).toContain('seed');
    // "__proto__" as an own key (JSON.parse makes it one) is just an unknown key.
    const proto = decodeLink(hashOfText('{"v":2,"experiment":{"version":1},"view":{"__proto__":{"metric":"err@10"}}}'));
    expect(proto.link).toEqual(defaultLink());
    expect(proto.notes?.[0]).toContain('"__proto__"');
    expect(expectRejected(decodeLink(hashOfText('{"v":2,"experiment":{"version":1,"__proto__":{"seed":1}},"view":{}}')))).toContain('could not be used');
  });

  it('a hash with neither l= nor c=', () => {
    expect(expectRejected(decodeLink('#x=1'))).toContain('"l="');
  });

  it('prefers l= when a hash has both', () => {
    const r = decodeLink(`${encodeLink({ v: 2, experiment: CONFIGS[1], view: { metric: 'ndcg@3' } })}&${configToHash(CONFIGS[0]).slice(1)}`);
    expect(r.link.experiment).toEqual(CONFIGS[1]);
    expect(r.migratedFrom).toBeUndefined();
  });
});

describe('linkUrl', () => {
  it('builds origin + path, ?backend= when chosen, and the hash', () => {
    const link = defaultLink();
    expect(linkUrl({ origin: 'https://x.org', pathname: '/rankplay/' }, link)).toBe(`https://x.org/rankplay/${encodeLink(link)}`);
    expect(linkUrl({ origin: 'https://x.org', pathname: '/' }, link, 'wasm')).toBe(`https://x.org/?backend=wasm${encodeLink(link)}`);
  });
});
