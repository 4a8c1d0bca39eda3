import type { MetricPoint } from '../../core/experiment/runner';
import type { RankPlayState } from './types';

/** Derived, not stored: the step count of the latest point over the worker's own elapsed time. */
export function stepsPerSecond(points: readonly MetricPoint[], elapsedMs: number): number | null {
  const last = points[points.length - 1];
  if (!last || last.step === 0 || elapsedMs <= 0) return null;
  return (last.step / elapsedMs) * 1000;
}

export function selectStepsPerSecond(s: RankPlayState): number | null {
  return stepsPerSecond(s.points, s.elapsedMs);
}

export function selectLatestPoint(s: RankPlayState): MetricPoint | null {
  return s.points[s.points.length - 1] ?? null;
}

/** Controls are live only once the worker has a backend and is not rebuilding. */
export function selectControlsReady(s: RankPlayState): boolean {
  return s.backend !== null && !s.switchingBackend && !s.loading;
}
