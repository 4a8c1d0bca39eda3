import type { MetricPoint } from '../../core/experiment/runner';
import type { DatasetInfo } from '../../core/data/library';
import type { RankPlayState } from './types';

/** How many recent points the live rate spans: recent enough to follow a change, long enough to be steady. */
const RATE_WINDOW = 5;

/**
 * Derived, not stored: steps over the worker's own training time across the last few points
 * (the worker's clock runs only while training, so pauses do not dilute the rate).
 */
export function stepsPerSecond(points: readonly MetricPoint[], elapsedMs: readonly number[]): number | null {
  const last = points.length - 1;
  if (last < 1) return null;
  const first = Math.max(0, last - RATE_WINDOW);
  const steps = points[last].step - points[first].step;
  const ms = elapsedMs[last] - elapsedMs[first];
  return steps > 0 && ms > 0 ? (steps / ms) * 1000 : null;
}

export function selectStepsPerSecond(s: RankPlayState): number | null {
  return stepsPerSecond(s.points, s.pointElapsedMs);
}

export function selectLatestPoint(s: RankPlayState): MetricPoint | null {
  return s.points[s.points.length - 1] ?? null;
}

/** Controls are live only once the worker has a backend and is not rebuilding. */
export function selectControlsReady(s: RankPlayState): boolean {
  return s.backend !== null && !s.switchingBackend && !s.loading && !s.dataWaiting;
}

/** Share of the current file read, 0..1; null while its size is unknown (a URL without Content-Length). */
export function selectLoadFraction(s: RankPlayState): number | null {
  const p = s.loadProgress;
  if (!p || p.totalBytes === null || p.totalBytes <= 0) return null;
  return Math.min(1, p.bytesRead / p.totalBytes);
}

/** Rows parsed per second in the current file, from the worker's own clock. */
export function selectLoadRowsPerSecond(s: RankPlayState): number | null {
  const p = s.loadProgress;
  if (!p || p.elapsedMs <= 0 || p.rows <= 0) return null;
  return (p.rows / p.elapsedMs) * 1000;
}

/** The stored data set the config trains on, when it is in this browser. */
export function selectDatasetInUse(s: RankPlayState): DatasetInfo | null {
  const data = s.config.data;
  if (data.kind !== 'stored') return null;
  return s.datasets.find((d) => d.id === data.id) ?? null;
}

/** Whose summary to show: the one picked, else the one in use, else the newest. */
export function selectShownDataset(s: RankPlayState): DatasetInfo | null {
  if (s.shownDatasetId) {
    const picked = s.datasets.find((d) => d.id === s.shownDatasetId);
    if (picked) return picked;
  }
  const inUse = selectDatasetInUse(s);
  if (inUse) return inUse;
  let newest: DatasetInfo | null = null;
  for (const d of s.datasets) if (!newest || d.createdAt > newest.createdAt) newest = d;
  return newest;
}
