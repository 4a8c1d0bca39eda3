import type { StoreApi } from 'zustand';
import type { DatasetInfo } from '../../core/data/library';
import { sameSource } from '../../core/data/source';
import type { ExperimentConfig } from '../../core/experiment/config';
import type { RankPlayState } from './types';

/**
 * A link's data set (issue 9). A stored set is known by an id that only the browser which loaded
 * it has; a config that also carries the set's source (bundled name, URL, or files by SHA-256)
 * can be brought here. Until it is, the run is not loaded (the worker would only say "not in this
 * browser"): `dataWaiting` is true and the page asks for the data.
 */

/** The site's base URL, which bundled sets' paths are relative to. */
export function siteBase(): string {
  const base = import.meta.env.BASE_URL ?? '/';
  return typeof window === 'undefined' ? new URL(base, 'http://localhost/').href : new URL(base, window.location.href).href;
}

/** True when the config trains on a set with a source that this browser does not (yet) hold. */
export function dataNotHereYet(state: Pick<RankPlayState, 'datasets'>, config: ExperimentConfig): boolean {
  const data = config.data;
  return data.kind === 'stored' && data.source !== undefined && !state.datasets.some((d) => d.id === data.id);
}

/**
 * A set just loaded whose source is the one the waiting config names takes the link's place:
 * the config keeps everything but the id. True when it did.
 */
export function takeWaitingPlace(get: () => RankPlayState, info: DatasetInfo): boolean {
  const state = get();
  const data = state.config.data;
  if (!state.dataWaiting || data.kind !== 'stored' || !sameSource(info.source, data.source)) return false;
  state.updateConfig((c) => {
    if (c.data.kind === 'stored') c.data.id = info.id;
  });
  return true;
}

/**
 * Brings a waiting config's data once the worker has listed what this browser holds: the set
 * itself (load the run), the same data under another id (use it), or a bundled set (fetch it from
 * the site). URL and file sources wait for the visitor: a link must not make a browser download
 * from elsewhere, or read its files, without being asked.
 */
export function resolveLinkedData(store: StoreApi<RankPlayState>): () => void {
  let fetched: string | null = null;
  const check = (s: RankPlayState): void => {
    resolveCorpus(s);
    const data = s.config.data;
    if (!s.dataWaiting || !s.datasetsKnown || s.dataLoading || data.kind !== 'stored') return;
    if (s.datasets.some((d) => d.id === data.id)) {
      s.replaceConfig(s.config);
      return;
    }
    const twin = s.datasets.find((d) => d.kind === 'features' && sameSource(d.source, data.source));
    if (twin) {
      s.pushNotice('info', `This link's data set is already in this browser as "${twin.name}": using it.`);
      s.updateConfig((c) => {
        if (c.data.kind === 'stored') c.data.id = twin.id;
      });
      return;
    }
    const key = JSON.stringify(data.source);
    if (data.source?.from === 'bundled' && fetched !== key) {
      fetched = key;
      s.fetchLinkedData();
    }
  };
  return store.subscribe(check);
}

/** The same experiment, but for the stored set's id: a link's set that took its place here (takeWaitingPlace). */
export function sameExceptDataId(a: ExperimentConfig, b: ExperimentConfig): boolean {
  if (a === b) return true;
  const withoutId = (c: ExperimentConfig) => JSON.stringify({ ...c, data: c.data.kind === 'stored' ? { ...c.data, id: '' } : c.data });
  return withoutId(a) === withoutId(b);
}

/** A link's text corpus: used as soon as a set with its source is in this browser (already, or just loaded). */
function resolveCorpus(s: RankPlayState): void {
  const wanted = s.linkedCorpus;
  if (!wanted || !s.datasetsKnown) return;
  const twin = s.datasets.find((d) => d.kind === 'text' && sameSource(d.source, wanted.source));
  if (twin) s.setTextForm({ corpus: twin.id, split: wanted.split });
}
