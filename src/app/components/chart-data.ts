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

const RANKER_COLORS = ['#1f6fd1', '#e0663a', '#2a9d5c', '#8a4fcf', '#c23b6e', '#7a6a2f'];

/** Colour by position in the run's ranker list, so a ranker keeps its colour in every chart and table. */
export function rankerColor(rankerIds: readonly string[], id: string): string {
  const index = Math.max(0, rankerIds.indexOf(id));
  return RANKER_COLORS[index % RANKER_COLORS.length];
}
