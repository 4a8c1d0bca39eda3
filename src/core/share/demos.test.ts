import katex from 'katex';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../experiment/config';
import { allDemosDefined, DEMOS, demoById, demoLink, splitTex } from './demos';
import { CHART_METRICS, DEMO_IDS, HIDE_KEYS } from './types';

describe('guided demos', () => {
  it('every DemoId has exactly one demo', () => {
    expect(allDemosDefined()).toBe(true);
    expect(DEMOS.map((d) => d.id).sort()).toEqual([...DEMO_IDS].sort());
    for (const id of DEMO_IDS) expect(demoById(id).id).toBe(id);
  });

  it.each(DEMO_IDS)('%s: its link is a valid v2 link that round-trips through JSON', (id) => {
    const link = demoLink(id);
    expect(link.v).toBe(2);
    expect(link.view.demo).toBe(id);
    const parsed = parseConfig(link.experiment);
    expect(parsed.ok ? null : parsed.error).toBeNull();
    if (parsed.ok) expect(parsed.config).toEqual(link.experiment);
    expect(JSON.parse(JSON.stringify(link))).toEqual(link);
    for (const key of link.view.hide ?? []) expect(HIDE_KEYS).toContain(key);
    expect(new Set(link.view.hide).size).toBe(link.view.hide?.length ?? 0);
    if (link.view.metric !== undefined) expect(CHART_METRICS).toContain(link.view.metric);
    // A fresh object each time: a caller's edit never leaks into the next link.
    expect(demoLink(id)).not.toBe(link);
    expect(demoLink(id).experiment).not.toBe(link.experiment);
  });

  it('training demos start by themselves and compare the rankers their lesson names', () => {
    const estimators = (id: (typeof DEMO_IDS)[number]) => demoLink(id).experiment.rankers.map((r) => r.estimator).sort();
    expect(estimators('position-bias')).toEqual(['naive', 'oracle']);
    expect(estimators('ips')).toEqual(['ips', 'naive', 'oracle']);
    expect(estimators('dla')).toEqual(['dla', 'naive', 'oracle']);
    expect(estimators('trust-bias')).toEqual(['ips', 'naive', 'oracle']);
    for (const id of ['position-bias', 'ips', 'dla', 'trust-bias'] as const) {
      expect(demoLink(id).run).toBe(true);
      expect(demoLink(id).experiment.clicks.model).toMatchObject({ model: 'pbm', eta: 1, topK: 10 });
    }
    const trust = demoLink('trust-bias').experiment.clicks.model.trustBias;
    expect(trust?.epsMinus[0]).toBeGreaterThan(trust?.epsMinus[9] ?? 1);
    expect(demoLink('click-log').run).toBeUndefined();
    expect(demoLink('click-log').view.hide).not.toContain('click-log-panel');
    expect(demoLink('lora').view.hide).not.toContain('text-panel');
    expect(demoLink('lora').view.hide).toContain('rankers');
  });

  it('every demo has 2–4 paragraphs and a "what to watch" sentence, and all its TeX renders', () => {
    for (const demo of DEMOS) {
      expect(demo.paragraphs.length, demo.id).toBeGreaterThanOrEqual(2);
      expect(demo.paragraphs.length, demo.id).toBeLessThanOrEqual(4);
      expect(demo.watch.length, demo.id).toBeGreaterThan(20);
      let formulas = 0;
      for (const p of demo.paragraphs) {
        for (const part of splitTex(p)) {
          if (part.kind !== 'tex') continue;
          formulas++;
          expect(() => katex.renderToString(part.tex, { throwOnError: true, displayMode: part.display }), `${demo.id}: ${part.tex}`).not.toThrow();
        }
      }
      expect(formulas, `${demo.id} shows at least one formula`).toBeGreaterThan(0);
    }
  });

  it('splitTex cuts at $…$ (inline) and $$…$$ (display) and keeps an unmatched $ as text', () => {
    expect(splitTex('a $x^2$ b')).toEqual([
      { kind: 'text', text: 'a ' },
      { kind: 'tex', tex: 'x^2', display: false },
      { kind: 'text', text: ' b' },
    ]);
    expect(splitTex('$y$')).toEqual([{ kind: 'tex', tex: 'y', display: false }]);
    expect(splitTex('so $$a = b,$$ with $c$')).toEqual([
      { kind: 'text', text: 'so ' },
      { kind: 'tex', tex: 'a = b,', display: true },
      { kind: 'text', text: ' with ' },
      { kind: 'tex', tex: 'c', display: false },
    ]);
    expect(splitTex('costs $5')).toEqual([{ kind: 'text', text: 'costs $5' }]);
  });
});
