import { isBackendName, type BackendName } from '../compute/types';
import { encodeLink } from '../core/share/link';
import { panelsOf, type LinkedCorpus } from '../core/share/panels';
import type { ShareLink } from '../core/share/types';
import type { RankPlayState } from './store/types';

/**
 * The URL is the experiment's share link: the config, view and panel settings live in the hash
 * (core/share/link.ts), the backend choice in `?backend=`. replaceState (not pushState) because
 * every settings tweak would otherwise flood the back button, and because it does not fire
 * 'hashchange' back at us.
 */
function canWriteUrl(): boolean {
  return typeof window !== 'undefined' && typeof window.history?.replaceState === 'function';
}

/** What of the store a share link holds. */
export type LinkState = Pick<RankPlayState, 'config' | 'shareView' | 'clickForm' | 'textForm' | 'adaptForm' | 'datasets' | 'linkedCorpus'>;

/**
 * The text panel's corpus as a link names it: the source of the stored set in use, or the linked
 * one still on its way (with the split it will be used with).
 */
function corpusOf(state: LinkState): { text: LinkState['textForm']; corpus?: LinkedCorpus } {
  const wanted = state.linkedCorpus;
  if (wanted) return { text: { ...state.textForm, corpus: 'linked', split: wanted.split }, corpus: { source: wanted.source, name: wanted.name } };
  const set = state.textForm.corpus === 'demo' ? undefined : state.datasets.find((d) => d.id === state.textForm.corpus);
  return { text: state.textForm, corpus: set?.source ? { source: set.source, name: set.name } : undefined };
}

/** The link the page is showing now: config, view, and the panels' settings that differ from their defaults. */
export function stateLink(state: LinkState, run = false): ShareLink {
  const link: ShareLink = { v: 2, experiment: state.config, view: state.shareView };
  const { text, corpus } = corpusOf(state);
  const panels = panelsOf({ clicks: state.clickForm, text, adapt: state.adaptForm }, corpus);
  if (panels) link.panels = panels;
  link.run = run;
  return link;
}

/**
 * Writes this share link (`#l=`) into the address. A link over the size limit is not written:
 * the hash is cleared (a stale link must not pass for this experiment) and the reason returned.
 */
export function writeLinkToUrl(link: ShareLink): string | null {
  if (!canWriteUrl()) return null;
  let hash = '';
  let error: string | null = null;
  try {
    hash = encodeLink(link);
  } catch (e) {
    error = e instanceof Error ? e.message : String(e);
  }
  if (window.location.hash === hash) return error;
  const url = new URL(window.location.href);
  window.history.replaceState(window.history.state, '', url.pathname + url.search + hash);
  return error;
}

/** Writes the page's current link (run: false) into the address: on every config, view or panel change. */
export function writeStateToUrl(state: LinkState): string | null {
  return writeLinkToUrl(stateLink(state, false));
}

export function writeBackendToUrl(backend: BackendName | null): void {
  if (!canWriteUrl()) return;
  const url = new URL(window.location.href);
  if (backend === null) url.searchParams.delete('backend');
  else url.searchParams.set('backend', backend);
  window.history.replaceState(window.history.state, '', url.pathname + url.search + url.hash);
}

export type BackendParam = { backend: BackendName | null; unknown?: string };

/** Reads `?backend=`; an unknown value is reported back (so it can be shown) and means automatic. */
export function readBackendParam(search: string): BackendParam {
  const value = new URLSearchParams(search).get('backend');
  if (value === null || value === '' || value === 'auto') return { backend: null };
  if (isBackendName(value)) return { backend: value };
  return { backend: null, unknown: value.slice(0, 40) };
}
