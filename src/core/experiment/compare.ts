import type { EstimatorName } from '../rank/estimators/types';
import type { ExperimentConfig, RankerSpec } from './config';

/**
 * "Compare estimators": the same data, clicks and model for each estimator, repeated over several
 * seeds. One run per seed holds every estimator as a ranker, so within a seed they all learn from
 * the very same click log; across seeds data, clicks and initial weights all change.
 */
export const COMPARE_ESTIMATORS: readonly EstimatorName[] = ['naive', 'ips', 'dla', 'rem', 'paird', 'oracle'];

/** The per-seed configs of a comparison: the base config's first ranker's model and loss, one ranker per estimator. */
export function comparisonConfigs(base: ExperimentConfig, seeds: readonly number[], estimators: readonly EstimatorName[] = COMPARE_ESTIMATORS): ExperimentConfig[] {
  if (seeds.length === 0) throw new Error('a comparison needs at least one seed');
  if (estimators.length === 0) throw new Error('a comparison needs at least one estimator');
  if (estimators.length > 6) throw new Error(`a run holds at most 6 rankers, got ${estimators.length} estimators`);
  const template = base.rankers[0];
  const rankers: RankerSpec[] = estimators.map((estimator) => ({
    id: estimator,
    model: structuredClone(template.model),
    estimator,
    loss: template.loss,
    propensities: template.propensities,
    clip: template.clip,
  }));
  return seeds.map((seed) => ({ ...structuredClone(base), seed, rankers: structuredClone(rankers) }));
}

/** Two-sided 97.5% quantiles of Student's t for 1..30 degrees of freedom; beyond, the normal's 1.96. */
const T975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069,
  2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];

export function tQuantile975(df: number): number {
  if (!(df >= 1)) throw new Error(`degrees of freedom must be ≥ 1, got ${df}`);
  return df <= 30 ? T975[Math.floor(df) - 1] : 1.96;
}

export interface MeanCi {
  mean: number;
  /** Half-width of the 95% confidence interval of the mean (t-based); NaN with one value. */
  ci95: number;
  n: number;
}

export function meanCi(values: readonly number[]): MeanCi {
  const n = values.length;
  if (n === 0) return { mean: NaN, ci95: NaN, n: 0 };
  const mean = values.reduce((s, v) => s + v, 0) / n;
  if (n === 1) return { mean, ci95: NaN, n };
  const variance = values.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1);
  return { mean, ci95: tQuantile975(n - 1) * Math.sqrt(variance / n), n };
}

/** Final test measures of one seed's run: ranker id → measure → value. */
export type SeedResult = Record<string, Record<string, number>>;

/** Per estimator and measure, the mean ± 95% CI over seeds. */
export function summarizeComparison(results: readonly SeedResult[]): Record<string, Record<string, MeanCi>> {
  const out: Record<string, Record<string, MeanCi>> = {};
  const rankerIds = [...new Set(results.flatMap((r) => Object.keys(r)))];
  for (const id of rankerIds) {
    const measures = [...new Set(results.flatMap((r) => Object.keys(r[id] ?? {})))];
    out[id] = {};
    for (const m of measures) {
      const values = results.map((r) => r[id]?.[m]).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
      out[id][m] = meanCi(values);
    }
  }
  return out;
}
