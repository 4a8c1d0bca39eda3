/**
 * A list-mode measure as data: what to compute and its cutoff. Strings like `ndcg@10`, `map`,
 * `mrr`, `p@5` are the spelling for people (CLI, UI, result keys); `ListMeasure` is what code
 * passes around, so a typo is caught once, at parse time, with a message saying what is allowed.
 */
export type ListMeasureName = 'ndcg' | 'dcg' | 'err' | 'ap' | 'rr' | 'p' | 'recall';

export interface ListMeasure {
  name: ListMeasureName;
  /** Cutoff (a positive integer). Absent: the whole list. Required for `p` and `recall`. */
  k?: number;
}

/** Per-measure spelling: `ap` and `rr` are averaged over queries, so people write MAP and MRR. */
const DISPLAY: Record<ListMeasureName, string> = {
  ndcg: 'ndcg',
  dcg: 'dcg',
  err: 'err',
  ap: 'map',
  rr: 'mrr',
  p: 'p',
  recall: 'recall',
};

/** Accepted spellings (lower case) → measure. */
const ALIASES: Record<string, ListMeasureName> = {
  ndcg: 'ndcg',
  dcg: 'dcg',
  err: 'err',
  map: 'ap',
  ap: 'ap',
  mrr: 'rr',
  rr: 'rr',
  p: 'p',
  precision: 'p',
  recall: 'recall',
  r: 'recall',
};

/** P@k and R@k over the whole candidate list are not useful (R would be 1): they need a cutoff. */
const NEEDS_K: ReadonlySet<ListMeasureName> = new Set(['p', 'recall']);

const ACCEPTED = 'ndcg, dcg, err, map, mrr, p, recall (each optionally @k, e.g. ndcg@10; p and recall need @k)';

/** Throws if the measure is malformed; returns it otherwise. */
export function checkListMeasure(m: ListMeasure): ListMeasure {
  if (!(m.name in DISPLAY)) throw new Error(`unknown measure name '${String(m.name)}': expected one of ${Object.keys(DISPLAY).join(', ')}`);
  if (m.k !== undefined && !(Number.isInteger(m.k) && m.k >= 1)) {
    throw new Error(`${DISPLAY[m.name]}: the cutoff k must be a positive integer, got ${String(m.k)}`);
  }
  if (m.k === undefined && NEEDS_K.has(m.name)) throw new Error(`${DISPLAY[m.name]} needs a cutoff: write ${DISPLAY[m.name]}@10, for example`);
  return m;
}

/** `ndcg@10`, `map`, `map@100`, `mrr`, `p@5`, `recall@10`, `err@20`, `dcg`. */
export function formatListMeasure(m: ListMeasure): string {
  checkListMeasure(m);
  return m.k === undefined ? DISPLAY[m.name] : `${DISPLAY[m.name]}@${m.k}`;
}

/**
 * Parses one measure as `formatListMeasure` writes it (case-insensitive, surrounding spaces
 * ignored). Also accepts `ap`, `rr`, `precision@k` and `r@k`.
 */
export function parseListMeasure(text: string): ListMeasure {
  const s = text.trim().toLowerCase();
  if (s === '') throw new Error(`empty measure: expected one of ${ACCEPTED}`);
  const at = s.indexOf('@');
  const namePart = at < 0 ? s : s.slice(0, at);
  const name = ALIASES[namePart];
  if (name === undefined) throw new Error(`unknown measure '${text.trim()}': expected one of ${ACCEPTED}`);
  if (at < 0) {
    if (NEEDS_K.has(name)) throw new Error(`'${text.trim()}' needs a cutoff: write ${DISPLAY[name]}@10, for example`);
    return { name };
  }
  const kPart = s.slice(at + 1);
  if (!/^[1-9][0-9]*$/.test(kPart) || !Number.isSafeInteger(Number(kPart))) {
    throw new Error(`'${text.trim()}': the cutoff after @ must be a positive integer, got '${kPart}'`);
  }
  return { name, k: Number(kPart) };
}

/** A comma-separated list, e.g. `ndcg@10,map,mrr`; duplicates (after normalising) are dropped. */
export function parseListMeasures(text: string): ListMeasure[] {
  const parts = text.split(',');
  const out: ListMeasure[] = [];
  const seen = new Set<string>();
  for (const part of parts) {
    const m = parseListMeasure(part);
    const key = formatListMeasure(m);
    if (!seen.has(key)) {
      seen.add(key);
      out.push(m);
    }
  }
  return out;
}
