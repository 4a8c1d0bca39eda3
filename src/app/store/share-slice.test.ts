import { afterEach, describe, expect, it, vi } from 'vitest';
import { decodeLink } from '../../core/share/link';
import { defaultPanelForms } from '../../core/share/panel-forms';
import { createRankPlayStore } from './index';
import { currentLink, currentLinkUrl } from './share-slice';

const where = { origin: 'https://rankplay.example', pathname: '/app/' };

describe('share slice', () => {
  it('starts with an empty view and no picked measure', () => {
    const s = createRankPlayStore().getState();
    expect(s.shareView).toEqual({});
    expect(s.chartMeasure).toBeNull();
  });

  it('a picked chart metric goes into the view; a measure links cannot carry is shown but left out', () => {
    const store = createRankPlayStore();
    store.getState().setChartMeasure('err@10');
    expect(store.getState().shareView).toEqual({ metric: 'err@10' });
    expect(store.getState().chartMeasure).toBe('err@10');
    store.getState().setChartMeasure('ndcg@20');
    expect(store.getState().shareView).toEqual({});
    expect(store.getState().chartMeasure).toBe('ndcg@20');
  });

  it("a link's view sets the chart's measure and keeps hide and demo", () => {
    const store = createRankPlayStore();
    store.getState().setShareView({ metric: 'ndcg@3', hide: ['clicks'], demo: 'ips' });
    expect(store.getState().chartMeasure).toBe('ndcg@3');
    expect(store.getState().shareView.hide).toEqual(['clicks']);
  });

  it('currentLinkUrl round-trips through decodeLink, with ?backend= when one was chosen', () => {
    const store = createRankPlayStore();
    store.getState().setShareView({ metric: 'err@10', hide: ['backend'] });
    store.setState({ requestedBackend: 'wasm' });
    const url = currentLinkUrl(store.getState(), { where, run: true });
    expect(url.startsWith('https://rankplay.example/app/?backend=wasm#l=')).toBe(true);
    const decoded = decodeLink(new URL(url).hash);
    expect(decoded.link).toEqual(currentLink(store.getState(), true));
    store.setState({ requestedBackend: null });
    expect(currentLinkUrl(store.getState(), { where })).toMatch(/^https:\/\/rankplay\.example\/app\/#l=/);
  });
});

/** Just enough of `window` for url-state.ts: a location and history.replaceState. */
function fakeWindow(href = 'https://rankplay.example/app/'): { location: URL } {
  const location = new URL(href);
  vi.stubGlobal('window', {
    location,
    history: { state: null, replaceState: (_state: unknown, _title: string, url: string) => (location.href = new URL(url, location.href).href) },
  });
  return { location };
}

describe('panel settings in the address', () => {
  afterEach(() => vi.unstubAllGlobals());

  const panelsInAddress = (w: { location: URL }) => decodeLink(w.location.hash).link.panels;

  it('a click, text or adapt setting changed rewrites the #l= link with it; set back, it leaves the link', () => {
    const w = fakeWindow();
    const s = createRankPlayStore().getState;
    s().setClickForm({ eta: 2 });
    expect(w.location.hash.startsWith('#l=')).toBe(true);
    expect(panelsInAddress(w)).toEqual({ clicks: { eta: 2 } });
    s().setTextForm({ model: 'url', modelUrl: 'owner/name' });
    expect(panelsInAddress(w)).toEqual({ clicks: { eta: 2 }, text: { model: 'url', modelUrl: 'owner/name' } });
    s().setAdaptForm({ r: 16 });
    expect(panelsInAddress(w)).toEqual({ clicks: { eta: 2 }, text: { model: 'url', modelUrl: 'owner/name' }, adapt: { r: 16 } });
    // A config change keeps the panels in the link.
    s().updateConfig((c) => void (c.seed = 99));
    expect(decodeLink(w.location.hash).link.experiment.seed).toBe(99);
    expect(panelsInAddress(w)?.adapt).toEqual({ r: 16 });
    s().setClickForm({ eta: 1 });
    s().setTextForm({ model: 'demo', modelUrl: '' });
    s().setAdaptForm({ r: 8 });
    expect(panelsInAddress(w)).toBeUndefined();
    // The Share dialog's link is the address's.
    expect(new URL(currentLinkUrl(s(), { where })).hash).toBe(w.location.hash);
  });

  it("setPanels adopts a link's settings over the defaults, and the address says so", () => {
    const w = fakeWindow();
    const store = createRankPlayStore();
    store.getState().setClickForm({ seed: 5, topK: 3 });
    store.getState().setPanels({ clicks: { policy: 'pl' }, text: { split: 'train', depth: 12 }, adapt: { targets: ['query'], signal: 'labels' } });
    const forms = defaultPanelForms();
    const s = store.getState();
    // Whole forms: the earlier seed and top-k are gone.
    expect(s.clickForm).toEqual({ ...forms.clicks, policy: 'pl' });
    expect(s.textForm).toEqual({ ...forms.text, split: 'train', depth: 12 });
    expect(s.adaptForm).toEqual({ ...forms.adapt, targets: ['query'], signal: 'labels' });
    expect(currentLink(s).panels).toEqual({ clicks: { policy: 'pl' }, text: { split: 'train', depth: 12 }, adapt: { targets: ['query'], signal: 'labels' } });
    expect(decodeLink(w.location.hash).link).toEqual(currentLink(s));
    store.getState().setPanels(undefined);
    expect(store.getState().clickForm).toEqual(forms.clicks);
    expect(panelsInAddress(w)).toBeUndefined();
  });
});
