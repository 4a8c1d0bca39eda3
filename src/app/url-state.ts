import { isBackendName, type BackendName } from '../compute/types';
import { configToHash } from '../core/experiment/url-codec';
import type { ExperimentConfig } from '../core/experiment/config';

/**
 * The URL is the experiment's share link: the config lives in the hash, the backend choice in
 * `?backend=`. replaceState (not pushState) because every settings tweak would otherwise flood
 * the back button, and because it does not fire 'hashchange' back at us.
 */
function canWriteUrl(): boolean {
  return typeof window !== 'undefined' && typeof window.history?.replaceState === 'function';
}

export function writeConfigToUrl(config: ExperimentConfig): void {
  if (!canWriteUrl()) return;
  const hash = configToHash(config);
  if (window.location.hash === hash) return;
  window.history.replaceState(window.history.state, '', hash);
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
