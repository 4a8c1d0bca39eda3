import type { StateCreator } from 'zustand';
import { linkUrl } from '../../core/share/link';
import { formsOf, linkedCorpus, type LinkedCorpus, type SharePanels } from '../../core/share/panels';
import { defaultTextForm, type TextForm } from '../../core/share/panel-forms';
import { CHART_METRICS, type ChartMetric, type HideKey, type ShareLink, type ShareView } from '../../core/share/types';
import { stateLink, writeStateToUrl, type LinkState } from '../url-state';
import { useRankPlay } from './index';
import type { RankPlayState } from './types';

/**
 * How the experiment is shown, as a share link carries it (issue 9): the main chart's metric,
 * hidden controls and the guided demo. It is written into the URL with the config on every change.
 * The link also carries the click, text and adapt panels' settings (their slices hold them and
 * write the URL when they change; `setPanels` adopts a link's).
 */
export interface ShareSlice {
  shareView: ShareView;
  /**
   * The main chart's measure as picked (null: the config's nDCG@k). A measure outside
   * CHART_METRICS (say nDCG@20) is shown but cannot travel in a link.
   */
  chartMeasure: string | null;
  /** The chart's measure picker: also sets `shareView.metric` when the measure is a ChartMetric. */
  setChartMeasure(measure: string | null): void;
  /** Adopts a link's view (boot, a pasted link) or a demo's. */
  setShareView(view: ShareView): void;
  /**
   * Adopts a link's panel settings (boot, a pasted link): each panel's form becomes its defaults
   * with the link's settings over them; absent means every panel at its defaults.
   */
  setPanels(panels: SharePanels | undefined): void;
  /**
   * A stored text corpus a link's text panel names by its source, not (yet) in this browser: the
   * text panel asks for it and uses it once here (linked-data.ts). Its split waits with it.
   */
  linkedCorpus: (LinkedCorpus & { split: TextForm['split'] }) | null;
  /** The visitor goes on with the demo corpus instead. */
  dropLinkedCorpus(): void;
}

const isChartMetric = (m: string | null): m is ChartMetric => m !== null && (CHART_METRICS as readonly string[]).includes(m);

/** The link the page is showing now (run: false, so that opening it does not start training). */
export function currentLink(state: LinkState, run = false): ShareLink {
  return stateLink(state, run);
}

/**
 * The absolute share link: origin + path, `?backend=` when one was chosen, and the `#l=` hash.
 * Throws (encodeLink's message) when the link would be over the size limit.
 */
export function currentLinkUrl(
  state: LinkState & Pick<RankPlayState, 'requestedBackend'>,
  options: { run?: boolean; where?: { origin: string; pathname: string } } = {},
): string {
  const where = options.where ?? window.location;
  return linkUrl(where, currentLink(state, options.run ?? false), state.requestedBackend);
}

export function createShareSlice(): StateCreator<RankPlayState, [], [], ShareSlice> {
  return (set, get) => {
    function adoptView(shareView: ShareView, chartMeasure: string | null): void {
      set({ shareView, chartMeasure });
      writeStateToUrl(get());
    }
    return {
      shareView: {},
      chartMeasure: null,
      setChartMeasure: (measure) => {
        const view: ShareView = { ...get().shareView };
        if (isChartMetric(measure)) view.metric = measure;
        else delete view.metric;
        adoptView(view, measure);
      },
      setShareView: (view) => adoptView(view, view.metric ?? null),
      linkedCorpus: null,
      dropLinkedCorpus: () => {
        set({ linkedCorpus: null });
        writeStateToUrl(get());
      },
      setPanels: (panels) => {
        const forms = formsOf(panels);
        const corpus = linkedCorpus(panels);
        // The demo corpus until the linked one is here; its split (judged/all) waits with it.
        const wanted = corpus ? { ...corpus, split: forms.text.split } : null;
        if (corpus) forms.text.split = defaultTextForm.split;
        // Whole forms, through the slices' setters: each writes the address, adapt recounts its parameters.
        get().setClickForm(forms.clicks);
        get().setTextForm(forms.text);
        get().setAdaptForm(forms.adapt);
        // After the text form (choosing a corpus ends a wait), then the address again with it.
        set({ linkedCorpus: wanted });
        writeStateToUrl(get());
      },
    };
  };
}

/** True when a share link hid this control (`view.hide`). */
export function useHidden(key: HideKey): boolean {
  return useRankPlay((s) => s.shareView.hide?.includes(key) ?? false);
}
