import { seriesColor } from './palette';
import type { MetricPoint } from '../../core/experiment/runner';

/** One row per evaluated step, one column per ranker: the shape recharts draws lines from. */
export type ChartRow = { step: number } & Record<string, number | null>;

/** Past this many points a line chart only gets slower, not more informative. */
const MAX_CHART_POINTS = 600;

/** Keeps every n-th point (and always the latest), so a long run stays smooth to draw. */
function thin(points: readonly MetricPoint[]): readonly MetricPoint[] {
  if (points.length <= MAX_CHART_POINTS) return points;
  const stride = Math.ceil(points.length / MAX_CHART_POINTS);
  const kept = points.filter((_, i) => i % stride === 0);
  const last = points[points.length - 1];
  if (kept[kept.length - 1] !== last) kept.push(last);
  return kept;
}

export function chartRows(points: readonly MetricPoint[], rankerIds: readonly string[], metric: 'ndcg' | 'loss'): ChartRow[] {
  return thin(points).map((point) => {
    const row: ChartRow = { step: point.step } as ChartRow;
    for (const id of rankerIds) row[id] = point.rankers[id]?.[metric] ?? null;
    return row;
  });
}

/**
 * The column of a ranker's validation curve. Ranker ids are lowercase letters, digits and dashes,
 * so `__` cannot clash with one; recharts reads dots in a dataKey as a path, hence no dots.
 */
export function validationKey(id: string): string {
  return `${id}__validation`;
}

/** Test values of one measure (e.g. `ndcg@5`), plus validation values where the run has them. */
export function measureRows(points: readonly MetricPoint[], rankerIds: readonly string[], measure: string): ChartRow[] {
  return thin(points).map((point) => {
    const row: ChartRow = { step: point.step } as ChartRow;
    for (const id of rankerIds) {
      const m = point.rankers[id];
      row[id] = m?.test[measure] ?? null;
      row[validationKey(id)] = m?.validation?.[measure] ?? null;
    }
    return row;
  });
}

/** The rankers that have a validation value of this measure anywhere in the run (the others get no dashed line). */
export function rankersWithValidation(points: readonly MetricPoint[], rankerIds: readonly string[], measure: string): string[] {
  return rankerIds.filter((id) => points.some((p) => typeof p.rankers[id]?.validation?.[measure] === 'number'));
}

/** The measures the run reports on the test split (nDCG@1/3/5/10, ERR@10, …), in the worker's order. */
export function testMeasures(point: MetricPoint | null): string[] {
  if (!point) return [];
  for (const m of Object.values(point.rankers)) return Object.keys(m.test);
  return [];
}

/** `ndcg@10` → `nDCG@10`, `err@10` → `ERR@10`. */
export function measureLabel(key: string): string {
  const [name, k] = key.split('@');
  const shown = name === 'ndcg' ? 'nDCG' : name.toUpperCase();
  return k === undefined ? shown : `${shown}@${k}`;
}

export type PropensityRow = { rank: number; truth: number | null } & Record<string, number | null>;

/** Rankers whose estimator reports an examination estimate at this point (DLA, REM, IPS, …). */
export function rankersWithPropensities(point: MetricPoint | null, rankerIds: readonly string[]): string[] {
  if (!point) return [];
  return rankerIds.filter((id) => (point.rankers[id]?.propensities?.length ?? 0) > 0);
}

/** One row per rank: the true θ_r/θ_1 and each estimator's current estimate. */
export function propensityRows(point: MetricPoint | null, rankerIds: readonly string[], truth: readonly number[] | null): PropensityRow[] {
  const ids = rankersWithPropensities(point, rankerIds);
  let ranks = truth?.length ?? 0;
  for (const id of ids) ranks = Math.max(ranks, point!.rankers[id].propensities!.length);
  return Array.from({ length: ranks }, (_, r) => {
    const row = { rank: r + 1, truth: truth?.[r] ?? null } as PropensityRow;
    for (const id of ids) row[id] = point!.rankers[id].propensities![r] ?? null;
    return row;
  });
}

export { REFERENCE_COLOR } from './palette';

/** Legend entries in the run's ranker order (recharts sorts by name otherwise); anything else, e.g. the truth, first. */
export function legendOrder(rankerIds: readonly string[]): (item: { dataKey?: unknown }) => number {
  return (item) => rankerIds.indexOf(String(item.dataKey));
}

/** Colour by position in the run's ranker list, so a ranker keeps its colour in every chart and table. */
export function rankerColor(rankerIds: readonly string[], id: string): string {
  const index = Math.max(0, rankerIds.indexOf(id));
  return seriesColor(index);
}
