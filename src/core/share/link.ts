import { z } from '../zod';
import { CONFIG_VERSION, defaultConfig, parseConfig } from '../experiment/config';
import { decodeJsonPayload, encodeJsonPayload, HASH_KEY as V1_HASH_KEY, MAX_HASH_CHARS } from '../experiment/url-codec';
import { parsePanels } from './panels';
import { CHART_METRICS, DEMO_IDS, HIDE_KEYS, LINK_VERSION, type HideKey, type ShareLink, type ShareView } from './types';

/**
 * Share links (issue 9). The hash is untrusted input: it is size-limited, inflated with a cap,
 * parsed only as JSON and validated; nothing in it is evaluated or rendered as HTML.
 *
 *   v1 `#c=` — the experiment config alone (url-codec.ts; still read, migrated to v2).
 *   v2 `#l=` — {v: 2, experiment, view, panels?, run?} (panels: ./panels.ts).
 *
 * To add v3: bump LINK_VERSION in types.ts, add `2: (v2) => v3` to MIGRATIONS and a v3 validator.
 * Old links are migrated forward one version at a time, never refused for their age.
 */
export const LINK_KEY = 'l';
export { MAX_HASH_CHARS };

export interface DecodedLink {
  link: ShareLink;
  /** True when the link came from the hash (even when parts of its view were dropped). */
  fromHash: boolean;
  /** The version the link was written in, when older than LINK_VERSION. */
  migratedFrom?: number;
  /** The hash was present but unusable: why, and that the default experiment is shown. */
  error?: string;
  /** Parts of the view or panels that were dropped (unknown keys or values); the rest of the link was used. */
  notes?: string[];
}

export interface LinkSize {
  /** Characters after '#'. */
  chars: number;
  limit: number;
  ok: boolean;
}

/** One step forward: a version-n payload (already JSON) to a version-(n+1) payload. */
type Migration = (payload: unknown) => unknown;

export const MIGRATIONS: Readonly<Record<number, Migration>> = {
  // v1 was the config alone; its view was whatever the page showed by default.
  1: (config) => ({ v: 2, experiment: config, view: {} }),
};

export function defaultLink(): ShareLink {
  return { v: LINK_VERSION, experiment: defaultConfig(), view: {} };
}

function hashBody(link: ShareLink): string {
  return `${LINK_KEY}=${encodeJsonPayload(link)}`;
}

export function linkSize(link: ShareLink): LinkSize {
  const chars = hashBody(link).length;
  return { chars, limit: MAX_HASH_CHARS, ok: chars <= MAX_HASH_CHARS };
}

/** `#l=<base64url(deflate(JSON))>`; a link over MAX_HASH_CHARS is refused (thrown), never truncated. */
export function encodeLink(link: ShareLink): string {
  const body = hashBody(link);
  if (body.length > MAX_HASH_CHARS) {
    throw new Error(
      `This experiment's link would be ${body.length} characters, over the ${MAX_HASH_CHARS}-character limit that browsers and chat apps keep intact; it was not made. Export the config as a file instead.`,
    );
  }
  return `#${body}`;
}

/** An absolute link: origin + path, `?backend=` when one was chosen, and the hash. */
export function linkUrl(where: { origin: string; pathname: string }, link: ShareLink, backend: string | null = null): string {
  const search = backend === null ? '' : `?backend=${encodeURIComponent(backend)}`;
  return `${where.origin}${where.pathname}${search}${encodeLink(link)}`;
}

function rejected(reason: string): DecodedLink {
  return { link: defaultLink(), fromHash: false, error: `The link's settings could not be used (${reason}); showing the default experiment instead.` };
}

function newer(what: string, version: number, known: number): DecodedLink {
  return {
    link: defaultLink(),
    fromHash: false,
    error: `This link was made by a newer RankPlay (${what} version ${version}); this one reads up to version ${known}, so it shows the default experiment instead. Open the link in an up-to-date RankPlay.`,
  };
}

const metricSchema = z.enum(CHART_METRICS);
const demoSchema = z.enum(DEMO_IDS);
const hideKeySchema = z.enum(HIDE_KEYS);
const VIEW_KEYS = ['metric', 'hide', 'demo'];

/**
 * Known view fields are validated one by one; unknown keys or values are dropped with a note.
 * Built in ShareView's key order, so that re-encoding a decoded link gives the same text.
 */
function parseView(value: unknown, notes: string[]): ShareView {
  const view: ShareView = {};
  if (value === undefined) return view;
  if (!isObject(value)) {
    notes.push('its view settings were not an object and were ignored');
    return view;
  }
  const ignored = (key: string): void => {
    notes.push(`view setting ${JSON.stringify(key.slice(0, 40))} has a value this RankPlay does not know and was ignored`);
  };
  for (const key of Object.keys(value)) {
    if (!VIEW_KEYS.includes(key)) notes.push(`view setting ${JSON.stringify(key.slice(0, 40))} is not one this RankPlay knows and was ignored`);
  }
  if (value.metric !== undefined) {
    const metric = metricSchema.safeParse(value.metric);
    if (metric.success) view.metric = metric.data;
    else ignored('metric');
  }
  if (value.hide !== undefined) {
    if (!Array.isArray(value.hide) || value.hide.length > 4 * HIDE_KEYS.length) ignored('hide');
    else {
      // Forward-compatible: a control this version does not have cannot be hidden; the others still are.
      const hide: HideKey[] = [];
      for (const k of value.hide as unknown[]) {
        const known = hideKeySchema.safeParse(k);
        if (known.success) hide.push(known.data);
      }
      if (hide.length < value.hide.length) notes.push(`${value.hide.length - hide.length} unknown control(s) to hide were ignored`);
      view.hide = hide;
    }
  }
  if (value.demo !== undefined) {
    const demo = demoSchema.safeParse(value.demo);
    if (demo.success) view.demo = demo.data;
    else ignored('demo');
  }
  return view;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Validates a current-version payload. */
function parseV2(payload: unknown): { link: ShareLink; notes: string[] } | { error: DecodedLink } {
  if (!isObject(payload)) return { error: rejected('it is not a link object') };
  const experiment = payload.experiment;
  if (!isObject(experiment)) return { error: rejected('it has no experiment settings') };
  const configVersion = experiment.version;
  if (typeof configVersion === 'number' && Number.isInteger(configVersion) && configVersion > CONFIG_VERSION) {
    return { error: newer('settings', configVersion, CONFIG_VERSION) };
  }
  const config = parseConfig(experiment);
  if (!config.ok) return { error: rejected(config.error.slice(0, 300)) };
  const notes: string[] = [];
  const link: ShareLink = { v: 2, experiment: config.config, view: parseView(payload.view, notes) };
  const panels = parsePanels(payload.panels, notes);
  if (panels) link.panels = panels;
  if (payload.run !== undefined) {
    if (typeof payload.run === 'boolean') link.run = payload.run;
    else notes.push('its "run" setting was not true or false and was ignored');
  }
  for (const key of Object.keys(payload)) {
    if (!['v', 'experiment', 'view', 'panels', 'run'].includes(key)) notes.push(`link part ${JSON.stringify(key.slice(0, 40))} is not one this RankPlay knows and was ignored`);
  }
  return { link, notes };
}

/** Reads a share link from a location hash (with or without '#'): `#l=` (v2) or legacy `#c=` (v1). */
export function decodeLink(hash: string): DecodedLink {
  const body = hash.startsWith('#') ? hash.slice(1) : hash;
  if (body === '') return { link: defaultLink(), fromHash: false };
  if (body.length > MAX_HASH_CHARS) return rejected(`it is ${body.length} characters long, over the ${MAX_HASH_CHARS} limit`);
  const params = new URLSearchParams(body);
  const v2 = params.get(LINK_KEY);
  const v1 = v2 === null ? params.get(V1_HASH_KEY) : null;
  const encoded = v2 ?? v1;
  if (encoded === null) return rejected(`it has no "${LINK_KEY}=" part`);

  let payload: unknown;
  try {
    payload = decodeJsonPayload(encoded);
  } catch (e) {
    return rejected(e instanceof Error ? e.message : String(e));
  }
  if (!isObject(payload)) return rejected('it is not a settings object');

  let version: number;
  if (v2 !== null) {
    const v = payload.v;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) return rejected(`its link version ${String(v).slice(0, 12)} is not one this app knows`);
    if (v > LINK_VERSION) return newer('link', v, LINK_VERSION);
    version = v;
  } else {
    // v1 carried the config alone, marked by the config's own version.
    const cv = payload.version;
    if (typeof cv === 'number' && Number.isInteger(cv) && cv > CONFIG_VERSION) return newer('settings', cv, CONFIG_VERSION);
    if (cv !== CONFIG_VERSION) return rejected(`settings version ${String(cv ?? 'missing').slice(0, 12)} is not one this app knows (it reads version ${CONFIG_VERSION})`);
    version = 1;
  }

  const from = version;
  let current: unknown = payload;
  while (version < LINK_VERSION) {
    const step = MIGRATIONS[version];
    if (!step) return rejected(`there is no way to update a version ${version} link`);
    current = step(current);
    version++;
  }
  const parsed = parseV2(current);
  if ('error' in parsed) return parsed.error;
  const result: DecodedLink = { link: parsed.link, fromHash: true };
  if (from < LINK_VERSION) result.migratedFrom = from;
  if (parsed.notes.length) result.notes = parsed.notes.slice(0, 5);
  return result;
}
