import { COMPARE_ESTIMATORS, type MeanCi } from '../../../core/experiment/compare';

export interface CompareTable {
  /** Estimators (rows), in the order the literature introduces them. */
  rows: string[];
  /** Measures (columns), in the worker's order. */
  measures: string[];
  cell(row: string, measure: string): MeanCi | undefined;
  /** Whether this row has the highest mean of its column (ties all count). */
  isBest(row: string, measure: string): boolean;
}

/** Lays out a comparison's summary (estimator → measure → mean ± CI) as a table, best mean per column marked. */
export function compareTable(summary: Record<string, Record<string, MeanCi>>): CompareTable {
  const known = COMPARE_ESTIMATORS as readonly string[];
  const order = (id: string) => (known.includes(id) ? known.indexOf(id) : known.length);
  const rows = Object.keys(summary).sort((a, b) => order(a) - order(b) || a.localeCompare(b));
  const measures: string[] = [];
  for (const r of rows) for (const m of Object.keys(summary[r])) if (!measures.includes(m)) measures.push(m);
  const best = new Map<string, number>();
  for (const m of measures) {
    let top = -Infinity;
    for (const r of rows) {
      const v = summary[r][m]?.mean;
      if (typeof v === 'number' && Number.isFinite(v) && v > top) top = v;
    }
    best.set(m, top);
  }
  return {
    rows,
    measures,
    cell: (row, measure) => summary[row]?.[measure],
    isBest: (row, measure) => {
      const v = summary[row]?.[measure]?.mean;
      return typeof v === 'number' && Number.isFinite(v) && v === best.get(measure);
    },
  };
}

/** `0.8123 ± 0.0150`; one seed has no interval, so it shows the mean alone. */
export function formatMeanCi(c: MeanCi | undefined): string {
  if (!c || !Number.isFinite(c.mean)) return '—';
  return Number.isFinite(c.ci95) ? `${c.mean.toFixed(4)} ± ${c.ci95.toFixed(4)}` : c.mean.toFixed(4);
}
