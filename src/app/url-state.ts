import { isBackendName, type BackendName } from '../compute/types';
import type { ExperimentConfig } from '../core/experiment/config';
import { encodeLink } from '../core/share/link';
import type { ShareView } from '../core/share/types';

/**
 * The URL is the experiment's share link: the config and view live in the hash (core/share/link.ts), the backend choice in
 * `?backend=`. replaceState (not pushState) because every settings tweak would otherwise flood
 * the back button, and because it does not fire 'hashchange' back at us.
 */
function canWriteUrl(): boolean {
  return typeof window !== 'undefined' && typeof window.history?.replaceState === 'function';
}

/**
 * Writes the share link (`#l=`, run: false) for this config and view. A link over the size limit
 * is not written: the hash is cleared (a stale link must not pass for this experiment) and the
 * reason returned.
 */
export function writeLinkToUrl(config: ExperimentConfig, view: ShareView): string | null {
  if (!canWriteUrl()) return null;
  let hash = '';
  let error: string | null = null;
  try {
    hash = encodeLink({ v: 2, experiment: config, view, run: false });
  } catch (e) {
    error = e instanceof Error ? e.message : String(e);
  }
  if (window.location.hash === hash) return error;
  const url = new URL(window.location.href);
  window.history.replaceState(window.history.state, '', url.pathname + url.search + hash);
  return error;
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
