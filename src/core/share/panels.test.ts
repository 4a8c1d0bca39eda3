import fc from 'fast-check';
import { deflateSync, strToU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../experiment/config';
import { toBase64Url } from '../experiment/url-codec';
import { CLICK_MODELS } from '../clicks/models/config';
import { TEXT_ESTIMATORS } from '../text/adapt/types';
import { ADAPTATION_KINDS } from '../text/lora/adaptation';
import { LOSS_NAMES } from '../rank/losses/types';
import { decodeLink, encodeLink, LINK_KEY } from './link';
import {
  ADAPT_TARGETS,
  CLICK_POLICIES,
  defaultAdaptForm,
  defaultClickForm,
  defaultPanelForms,
  defaultTextForm,
  TEXT_MODELS,
  type AdaptForm,
  type ClickForm,
  type PanelForms,
  type TextForm,
} from './panel-forms';
import { formsOf, linkedCorpus, panelsOf, parsePanels, type SharePanels } from './panels';
import type { ShareLink } from './types';
import linksV1 from './fixtures/links-v1.json';
import linksV2 from './fixtures/links-v2.json';

const hashOfJson = (value: unknown): string => `#${LINK_KEY}=${toBase64Url(deflateSync(strToU8(JSON.stringify(value)), { level: 9 }))}`;

const real = fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }).map((x) => (x === 0 ? 0 : x)); // JSON has no -0
const count = fc.integer({ min: 0, max: 100_000 });

const clickArb: fc.Arbitrary<ClickForm> = fc.record({
  model: fc.constantFrom(...CLICK_MODELS),
  eta: real,
  examination: fc.constantFrom('power' as const, 'eye-tracking' as const),
  epsMinus: real,
  epsPlus: real,
  ymax: fc.option(count, { nil: null }),
  topK: count,
  trustBias: fc.boolean(),
  sessions: count,
  policy: fc.constantFrom(...CLICK_POLICIES),
  temperature: real,
  intervention: fc.constantFrom('none' as const, 'randtop' as const, 'swap' as const),
  interventionN: fc.option(count, { nil: null }),
  swapFraction: real,
  fit: fc.boolean(),
  fitModel: fc.constantFrom(...CLICK_MODELS),
  seed: count,
});

/** The demo corpus: a stored corpus does not travel (tested below). */
const textArb: fc.Arbitrary<TextForm> = fc.record({
  corpus: fc.constant('demo'),
  split: fc.constantFrom('test' as const, 'train' as const, 'judged' as const, 'all' as const),
  k1: real,
  b: real,
  k: count,
  depth: count,
  model: fc.constantFrom(...TEXT_MODELS),
  modelUrl: fc.oneof(fc.constant(''), fc.webUrl(), fc.string({ maxLength: 80 })),
  backend: fc.constantFrom('auto' as const, 'webgpu' as const, 'wasm' as const),
});

const adaptArb: fc.Arbitrary<AdaptForm> = fc.record({
  kind: fc.constantFrom(...ADAPTATION_KINDS),
  r: count,
  alpha: real,
  dropout: real,
  targets: fc.subarray([...ADAPT_TARGETS]),
  signal: fc.constantFrom('labels' as const, 'clicks' as const),
  estimator: fc.constantFrom(...TEXT_ESTIMATORS),
  sessionsPerQuery: count,
  eta: real,
  loss: fc.constantFrom(...LOSS_NAMES),
  negatives: fc.constantFrom('random' as const, 'hard' as const),
  skipTopUnlabelled: count,
  steps: count,
  learningRate: real,
  evalEvery: count,
  patience: count,
  seed: count,
});

/** Each form either at its defaults or random: links with some panels, all or none. */
const formsArb: fc.Arbitrary<PanelForms> = fc.record({
  clicks: fc.oneof(fc.constant(defaultClickForm), clickArb),
  text: fc.oneof(fc.constant(defaultTextForm), textArb),
  adapt: fc.oneof(fc.constant(defaultAdaptForm), adaptArb),
});

function linkWith(panels: SharePanels | undefined): ShareLink {
  const link: ShareLink = { v: 2, experiment: defaultConfig(), view: {} };
  if (panels) link.panels = panels;
  return link;
}

describe('panel settings in share links', () => {
  it('round-trip each panel exactly: forms → link → hash → link → forms', () => {
    fc.assert(
      fc.property(formsArb, (forms) => {
        const link = linkWith(panelsOf(forms));
        const hash = encodeLink(link);
        const decoded = decodeLink(hash);
        expect(decoded).toEqual({ link, fromHash: true });
        expect(formsOf(decoded.link.panels)).toEqual(forms);
        // Re-encoding what was read gives the very same text.
        expect(encodeLink(decoded.link)).toBe(hash);
      }),
      { numRuns: 200 },
    );
  });

  it('writes only the settings that differ from the defaults, and nothing for default panels', () => {
    expect(panelsOf(defaultPanelForms())).toBeUndefined();
    const forms = defaultPanelForms();
    forms.clicks.eta = 2;
    forms.text.b = 0.75;
    forms.adapt.r = 16;
    forms.adapt.targets = ['query', 'value'];
    expect(panelsOf(forms)).toEqual({ clicks: { eta: 2 }, text: { b: 0.75 }, adapt: { r: 16, targets: ['query', 'value'] } });
    forms.clicks.eta = 1;
    expect(panelsOf(forms)).toEqual({ text: { b: 0.75 }, adapt: { r: 16, targets: ['query', 'value'] } });
  });

  it('a link whose panels are all at their defaults is the link of old, byte for byte', () => {
    const old: ShareLink = { v: 2, experiment: defaultConfig(), view: { metric: 'err@10' }, run: false };
    const now = linkWith(panelsOf(defaultPanelForms()));
    now.view = { metric: 'err@10' };
    now.run = false;
    expect(encodeLink(now)).toBe(encodeLink(old));
  });

  it('stored v1 and v2 links (no panels) open with every panel at its defaults', () => {
    for (const { hash } of [...linksV1.links, ...linksV2.links]) {
      const decoded = decodeLink(hash);
      expect(decoded.error).toBeUndefined();
      expect(decoded.notes).toBeUndefined();
      expect('panels' in decoded.link).toBe(false);
      expect(formsOf(decoded.link.panels)).toEqual(defaultPanelForms());
    }
  });

  it('never writes files, a stored corpus (nor its split) or numbers that are not numbers', () => {
    const forms = defaultPanelForms();
    forms.text = { ...forms.text, corpus: 'c0ffee-uuid-of-a-local-set', split: 'all', model: 'files', depth: Number.NaN };
    forms.clicks.eta = Number.NaN;
    forms.adapt.steps = Number.POSITIVE_INFINITY;
    expect(panelsOf(forms)).toEqual({ text: { model: 'files' } });
    // The reader gets the demo corpus, the files choice (and is told to pick them), and defaults for the rest.
    expect(formsOf(panelsOf(forms)).text).toEqual({ ...defaultTextForm, model: 'files' });
    // The demo corpus's own splits travel.
    forms.text.corpus = 'demo';
    forms.text.split = 'train';
    expect(panelsOf(forms)?.text).toEqual({ split: 'train', model: 'files' });
  });

  it("a stored corpus with a source travels by that source, with its split; the reader's form waits on the demo corpus", () => {
    const forms = defaultPanelForms();
    forms.text = { ...forms.text, corpus: 'c0ffee-uuid-of-a-local-set', split: 'all', k: 50 };
    const source = { from: 'files' as const, files: [{ name: 'corpus.jsonl', bytes: 170_390, sha256: 'd'.repeat(64) }] };
    const panels = panelsOf(forms, { source, name: 'my passages' });
    expect(panels?.text).toEqual({ split: 'all', k: 50, corpusSource: source, corpusName: 'my passages' });
    const decoded = decodeLink(encodeLink(linkWith(panels)));
    expect(decoded.notes).toBeUndefined();
    expect(linkedCorpus(decoded.link.panels)).toEqual({ source, name: 'my passages' });
    // The corpus id never travels; the reader's form has no trace of the source either.
    expect(formsOf(decoded.link.panels).text).toEqual({ ...defaultTextForm, split: 'all', k: 50 });
    expect(linkedCorpus(panelsOf(defaultPanelForms()))).toBeUndefined();
  });

  it('a corpus source that is not one is dropped with a note', () => {
    const d = decodeLink(hashOfJson({ v: 2, experiment: defaultConfig(), view: {}, panels: { text: { k: 7, corpusSource: { from: 'url', url: 'javascript:alert(1)' } } } }));
    expect(d.link.panels).toEqual({ text: { k: 7 } });
    expect(d.notes?.join(' ')).toMatch(/corpusSource/);
  });

  it('a model URL travels', () => {
    const forms = defaultPanelForms();
    forms.text = { ...forms.text, model: 'url', modelUrl: 'https://huggingface.co/cross-encoder/ms-marco-MiniLM-L6-v2/resolve/main/' };
    const decoded = decodeLink(encodeLink(linkWith(panelsOf(forms))));
    expect(decoded.link.panels?.text).toEqual({ model: 'url', modelUrl: forms.text.modelUrl });
  });
});

describe('reading untrusted panel settings', () => {
  const decodePanels = (panels: unknown) => decodeLink(hashOfJson({ v: 2, experiment: defaultConfig(), view: {}, panels }));

  it('drops a panel part that is not an object with a note, and uses the others', () => {
    const d = decodePanels({ clicks: 'eta=2', text: { b: 0.5 }, adapt: [1, 2] });
    expect(d.fromHash).toBe(true);
    expect(d.error).toBeUndefined();
    expect(d.link.panels).toEqual({ text: { b: 0.5 } });
    expect(d.link.experiment).toEqual(defaultConfig());
    expect(d.notes).toHaveLength(2);
    expect(d.notes?.[0]).toContain('clicks panel');
    expect(d.notes?.[1]).toContain('adapt panel');
  });

  it('drops unknown or invalid settings one by one, with a note each, keeping the panel’s others', () => {
    const d = decodePanels({
      clicks: { eta: 'steep', seed: 3, bogus: 1, model: 'rocket' },
      text: { corpus: 'someone-elses-set', modelUrl: 'x'.repeat(2001), depth: 10 },
      adapt: { targets: ['query', 'query'], steps: null, r: 4 },
      ranker: { lr: 1 },
    });
    expect(d.link.panels).toEqual({ clicks: { seed: 3 }, text: { depth: 10 }, adapt: { r: 4 } });
    // decodeLink keeps the first five notes.
    expect(d.notes).toHaveLength(5);
    const notes: string[] = [];
    parsePanels({ clicks: { eta: 'steep', bogus: 1 }, text: { corpus: 'x' }, adapt: { targets: ['query', 'query'], steps: null }, ranker: {} }, notes);
    expect(notes).toHaveLength(6);
    expect(notes.join(' ')).toMatch(/"ranker".*not one this RankPlay knows/);
    expect(notes.join(' ')).toMatch(/clicks panel setting "eta" has a value/);
    expect(notes.join(' ')).toMatch(/text panel setting "corpus" is not one/);
  });

  it('panels that are not an object, or empty, are ignored; the rest of the link is used', () => {
    const d = decodePanels(['clicks']);
    expect(d.link.panels).toBeUndefined();
    expect(d.notes).toEqual(['its panel settings were not an object and were ignored']);
    const empty = decodePanels({ clicks: {} });
    expect('panels' in empty.link).toBe(false);
    expect(empty.notes).toBeUndefined();
  });
});
