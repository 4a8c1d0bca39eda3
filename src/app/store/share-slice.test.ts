import { describe, expect, it } from 'vitest';
import { decodeLink } from '../../core/share/link';
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
