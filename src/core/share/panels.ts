import { z } from '../zod';
import {
  adaptFormSchema,
  clickFormSchema,
  defaultAdaptForm,
  defaultClickForm,
  defaultPanelForms,
  defaultTextForm,
  textFormSchema,
  type AdaptForm,
  type ClickForm,
  type PanelForms,
  type TextForm,
} from './panel-forms';
import { dataSourceSchema, type DataSource } from '../data/source';

/**
 * The panels' settings in a share link (`link.panels`, an optional part of v2 links): the click
 * panel, the "Rerank text" panel and the "Adapt the reranker" panel. Only settings that differ
 * from the defaults are written (links stay short, and a link without `panels` opens every panel
 * at its defaults, as links did before this part existed).
 *
 * What never travels:
 *   - files: the text panel's model files and TREC run file are not in its form at all; a model
 *     chosen "from files on this computer" travels as the kind 'files' only, and the reader is
 *     told to choose the files (the panel shows the pickers);
 *   - the text corpus's id: a stored text set's id is made up by the sender's browser (and means
 *     nothing in another). A set loaded with a source (a URL, or files by SHA-256) travels by
 *     that source (`corpusSource`, `corpusName`) and the reader's page brings it; one without a
 *     source is left out with its query split, and the reader gets the demo corpus;
 *   - numbers that are not numbers (a box holding unreadable text): the reader gets the default.
 * A model URL does travel: it is public by nature.
 *
 * Reading is per setting: an unknown key or a value this version does not accept is dropped
 * with a note, and the panel's other settings are used. A panel part that is not an object is
 * dropped whole, with a note.
 */

/**
 * A stored text corpus named by where it came from (bundled name, URL, or files by SHA-256, as a
 * feature set in the experiment config), never by its id: the reader's page finds the same data
 * here or asks for it.
 */
export interface LinkedCorpus {
  source: DataSource;
  name: string;
}

/** The text settings a link can carry: everything but the corpus id (see above), and the corpus's source. */
export type TextPanelLink = Partial<Omit<TextForm, 'corpus'>> & { corpusSource?: DataSource; corpusName?: string };

export interface SharePanels {
  clicks?: Partial<ClickForm>;
  text?: TextPanelLink;
  adapt?: Partial<AdaptForm>;
}

export const PANEL_KEYS = ['clicks', 'text', 'adapt'] as const;
export type PanelKey = (typeof PANEL_KEYS)[number];

type Shape = Record<string, z.ZodType>;

interface PanelSpec {
  shape: Shape;
  defaults: Record<string, unknown>;
  /** Settings a link never carries. */
  never: readonly string[];
}

const SPECS: Record<PanelKey, PanelSpec> = {
  clicks: { shape: clickFormSchema.shape, defaults: defaultClickForm, never: [] },
  text: { shape: { ...textFormSchema.shape, corpusSource: dataSourceSchema, corpusName: z.string().max(200) }, defaults: defaultTextForm, never: ['corpus'] },
  adapt: { shape: adaptFormSchema.shape, defaults: defaultAdaptForm, never: [] },
};

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** The settings of one form that differ from its defaults and can travel, in the schema's key order. */
function diff(spec: PanelSpec, form: Record<string, unknown>): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(spec.shape)) {
    if (spec.never.includes(key)) continue;
    const value = form[key];
    if (same(value, spec.defaults[key]) || !schema.safeParse(value).success) continue;
    out[key] = Array.isArray(value) ? [...(value as unknown[])] : value;
  }
  return Object.keys(out).length ? out : undefined;
}

/**
 * What a link carries of the panels: undefined when every panel is at its defaults. `corpus`: the
 * source of the stored text set the text panel uses, when it has one.
 */
export function panelsOf(forms: PanelForms, corpus?: LinkedCorpus): SharePanels | undefined {
  const panels: SharePanels = {};
  const clicks = diff(SPECS.clicks, forms.clicks);
  if (clicks) panels.clicks = clicks as Partial<ClickForm>;
  const textForm = forms.text;
  const text: Record<string, unknown> = diff(SPECS.text, textForm) ?? {};
  if (textForm.corpus !== 'demo' && corpus) {
    text.corpusSource = corpus.source;
    text.corpusName = corpus.name.slice(0, 200);
  } else if (textForm.corpus !== 'demo') {
    // Without a source the reader gets the demo corpus, for which a stored set's split means nothing.
    delete text.split;
  }
  if (Object.keys(text).length) panels.text = text as TextPanelLink;
  const adapt = diff(SPECS.adapt, forms.adapt);
  if (adapt) panels.adapt = adapt as Partial<AdaptForm>;
  return Object.keys(panels).length ? panels : undefined;
}

/** The forms a link's panels describe: the defaults with the link's settings over them. */
export function formsOf(panels: SharePanels | undefined): PanelForms {
  const forms = defaultPanelForms();
  if (!panels) return forms;
  const copy = <T>(v: T): T => (Array.isArray(v) ? ([...v] as T) : v);
  for (const [k, v] of Object.entries(panels.clicks ?? {})) Object.assign(forms.clicks, { [k]: copy(v) });
  for (const [k, v] of Object.entries(panels.text ?? {})) {
    // The corpus's source is not a setting: linkedCorpus() reads it, and the page brings the set.
    if (k !== 'corpusSource' && k !== 'corpusName') Object.assign(forms.text, { [k]: copy(v) });
  }
  for (const [k, v] of Object.entries(panels.adapt ?? {})) Object.assign(forms.adapt, { [k]: copy(v) });
  return forms;
}

/** The stored text corpus a link's text panel names, if any (formsOf leaves the demo corpus until it is here). */
export function linkedCorpus(panels: SharePanels | undefined): LinkedCorpus | undefined {
  const source = panels?.text?.corpusSource;
  return source ? { source, name: panels?.text?.corpusName ?? 'text corpus' } : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const shown = (key: string): string => JSON.stringify(key.slice(0, 40));

/** One panel's part: each known setting validated on its own, in the schema's key order. */
function parsePanel(name: PanelKey, value: unknown, notes: string[]): Record<string, unknown> | undefined {
  if (!isObject(value)) {
    notes.push(`the ${name} panel's settings were not an object and were ignored`);
    return undefined;
  }
  const spec = SPECS[name];
  for (const key of Object.keys(value)) {
    if (!(key in spec.shape) || spec.never.includes(key)) notes.push(`${name} panel setting ${shown(key)} is not one this RankPlay knows and was ignored`);
  }
  const out: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(spec.shape)) {
    if (spec.never.includes(key) || value[key] === undefined) continue;
    const parsed = schema.safeParse(value[key]);
    if (parsed.success) out[key] = parsed.data;
    else notes.push(`${name} panel setting ${shown(key)} has a value this RankPlay does not accept and was ignored`);
  }
  return Object.keys(out).length ? out : undefined;
}

/** Reads `link.panels` (untrusted): what is usable, with a note for each part dropped. */
export function parsePanels(value: unknown, notes: string[]): SharePanels | undefined {
  if (value === undefined) return undefined;
  if (!isObject(value)) {
    notes.push('its panel settings were not an object and were ignored');
    return undefined;
  }
  for (const key of Object.keys(value)) {
    if (!(PANEL_KEYS as readonly string[]).includes(key)) notes.push(`panel ${shown(key)} is not one this RankPlay knows and was ignored`);
  }
  const panels: SharePanels = {};
  for (const name of PANEL_KEYS) {
    if (value[name] === undefined) continue;
    const part = parsePanel(name, value[name], notes);
    if (part) Object.assign(panels, { [name]: part });
  }
  return Object.keys(panels).length ? panels : undefined;
}
