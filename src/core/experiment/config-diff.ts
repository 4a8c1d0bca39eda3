/**
 * What differs between two experiment configs, as dotted paths with before/after values: a guided
 * demo says which of its settings the visitor changed (its text describes the original), and
 * anything comparing two setups can list the differences instead of dumping both.
 */
export interface ConfigChange {
  /** Dotted path, array indices as numbers: `clicks.model.eta`, `rankers.1.estimator`. */
  path: string;
  /** undefined: absent on that side. */
  from: unknown;
  to: unknown;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isLeafArray = (v: unknown): v is unknown[] => Array.isArray(v) && v.every((x) => typeof x !== 'object' || x === null);

/**
 * Leaf-by-leaf differences, in the key order of `before` then keys only `after` has. Arrays of
 * plain values (a label distribution, hidden sizes) are one setting and compared whole; arrays of
 * objects (rankers) are compared element by element unless their lengths differ.
 */
export function configChanges(before: unknown, after: unknown, prefix = ''): ConfigChange[] {
  if (Object.is(before, after)) return [];
  if (isRecord(before) && isRecord(after)) {
    const keys = [...Object.keys(before), ...Object.keys(after).filter((k) => !(k in before))];
    return keys.flatMap((k) => configChanges(before[k], after[k], prefix ? `${prefix}.${k}` : k));
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    if (isLeafArray(before) && isLeafArray(after)) {
      return before.length === after.length && before.every((x, i) => Object.is(x, after[i])) ? [] : [{ path: prefix, from: before, to: after }];
    }
    if (before.length === after.length) return before.flatMap((x, i) => configChanges(x, after[i], `${prefix}.${i}`));
  }
  return [{ path: prefix, from: before, to: after }];
}

/** A value as a person reads it in a one-line summary. */
export function formatSettingValue(v: unknown): string {
  if (v === undefined) return '(not set)';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || v === null) return String(v);
  const json = JSON.stringify(v);
  return json.length > 60 ? `${json.slice(0, 57)}…` : json;
}
