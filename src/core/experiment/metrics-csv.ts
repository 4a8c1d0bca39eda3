import type { MetricPoint } from './runner';

/** RFC 4180 field: quoted when it holds a comma, quote, CR or LF; quotes doubled. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function numberField(value: number | null | undefined): string {
  return value === null || value === undefined || !Number.isFinite(value) ? '' : String(value);
}

/** Measure keys in a stable, readable order: nDCG by cutoff, then ERR, then anything else by name. */
function orderKeys(keys: Set<string>): string[] {
  const rank = (key: string): [number, number, string] => {
    const [name, k] = key.split('@');
    const cutoff = Number(k);
    const family = name === 'ndcg' ? 0 : name === 'err' ? 1 : 2;
    return [family, Number.isFinite(cutoff) ? cutoff : Infinity, key];
  };
  return [...keys].sort((a, b) => {
    const [fa, ka, na] = rank(a);
    const [fb, kb, nb] = rank(b);
    return fa - fb || ka - kb || (na < nb ? -1 : na > nb ? 1 : 0);
  });
}

/**
 * The run's metric history as CSV: one row per recorded point × ranker, with the step, ranker id,
 * training loss, every test measure (`test_ndcg@10`, `test_err@10`, …) and, when any ranker has
 * one, every validation measure (`validation_…`). Missing values are empty fields. CRLF line ends.
 */
export function metricsCsv(points: readonly MetricPoint[], rankerIds?: readonly string[]): string {
  const ids: string[] = rankerIds ? [...rankerIds] : [];
  const testKeys = new Set<string>();
  const validationKeys = new Set<string>();
  for (const point of points) {
    for (const [id, m] of Object.entries(point.rankers)) {
      if (!rankerIds && !ids.includes(id)) ids.push(id);
      for (const key of Object.keys(m.test)) testKeys.add(key);
      for (const key of Object.keys(m.validation ?? {})) validationKeys.add(key);
    }
  }
  const tests = orderKeys(testKeys);
  const validations = orderKeys(validationKeys);
  const header = ['step', 'ranker', 'loss', ...tests.map((k) => `test_${k}`), ...validations.map((k) => `validation_${k}`)];
  const lines = [header.map(csvField).join(',')];
  for (const point of points) {
    for (const id of ids) {
      const m = point.rankers[id];
      if (!m) continue;
      const row = [
        String(point.step),
        id,
        numberField(m.loss),
        ...tests.map((k) => numberField(m.test[k])),
        ...validations.map((k) => numberField(m.validation?.[k])),
      ];
      lines.push(row.map(csvField).join(','));
    }
  }
  return `${lines.join('\r\n')}\r\n`;
}
