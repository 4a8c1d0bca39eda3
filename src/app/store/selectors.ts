import type { MetricPoint } from '../../core/experiment/runner';
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
  return s.backend !== null && !s.switchingBackend && !s.loading;
}
