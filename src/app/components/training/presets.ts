import { defaultConfig, parseConfig, type ExperimentConfig, type ModelSpec } from '../../../core/experiment/config';
import type { EstimatorName } from '../../../core/rank/estimators/types';

/**
 * Experiment presets: each replaces the rankers, the clicks and the training settings, and keeps
 * the data and the seed, so a researcher can apply one to their own data set. Which preset is
 * active is derived from the config (it matches), never stored, so a hand edit shows "Custom".
 */
export type PresetId = 'labels' | 'teaching' | 'all-estimators';

export interface Preset {
  id: PresetId;
  label: string;
  description: string;
}

export const PRESETS: readonly Preset[] = [
  {
    id: 'teaching',
    label: 'Teaching: Naive vs IPS vs DLA vs Oracle (PBM η=1)',
    description:
      'Clicks from a position-based user (η = 1) on rankings sampled around a production ranker. Naive plateaus below the oracle; IPS and DLA close the gap; DLA learns the examination curve.',
  },
  {
    id: 'all-estimators',
    label: 'All estimators',
    description: 'Naive, IPS, DLA, REM, PairD and the oracle side by side on the same clicks.',
  },
  { id: 'labels', label: 'Labels only (default)', description: 'Linear and MLP rankers trained on the true labels: no clicks.' },
];

/** The teaching model: small enough to train in seconds on wasm, able to fit the nonlinear synthetic relevance. */
const TEACHING_MODEL: ModelSpec = { kind: 'mlp', hidden: [16], activation: 'elu' };

function rankersFor(estimators: readonly EstimatorName[]): ExperimentConfig['rankers'] {
  return estimators.map((estimator) => ({ id: estimator, estimator, model: structuredClone(TEACHING_MODEL), propensities: 'true', clip: 0 }));
}

/**
 * Tuned on the default synthetic set (200 queries × 20 docs, 150 for training). The logging policy
 * is Plackett–Luce over the production ranker (temperature 1): biased towards what production
 * likes, so naive learns the bias, yet varied enough that DLA can tell position from relevance (under
 * a deterministic production ranking its propensities stay flat). Seen in Node at 400 steps over
 * seeds 1–3: oracle ≈ 0.86–0.90 nDCG@10; naive ≈ 0.82–0.85; IPS/DLA in between (noisy on 50 test
 * queries); DLA's θ_r/θ_1 within about 0.1 of the true curve by step 400.
 */
const CLICK_TRAINING: Pick<ExperimentConfig, 'clicks' | 'train'> = (() => {
  const base = defaultConfig();
  return {
    clicks: {
      ...base.clicks,
      model: { ...base.clicks.model, model: 'pbm', eta: 1, epsMinus: 0.1, epsPlus: 1, topK: 10 },
      policy: { kind: 'pl', temperature: 1, base: 'production', fraction: 0.01, ridge: 0.1 },
      sessions: 20_000,
    },
    train: { ...base.train, loss: 'softmax', optimizer: 'adam', learningRate: 0.03, batchQueries: 32, maxSteps: 400, evalEvery: 10 },
  };
})();

/** The preset's config for the current one (data and seed kept); parsed, so defaults are filled in. */
export function applyPreset(config: ExperimentConfig, id: PresetId): ExperimentConfig {
  const base = defaultConfig();
  let next: ExperimentConfig;
  switch (id) {
    case 'labels':
      next = { ...config, rankers: base.rankers, clicks: base.clicks, train: base.train };
      break;
    case 'teaching':
      next = { ...config, rankers: rankersFor(['naive', 'ips', 'dla', 'oracle']), ...structuredClone(CLICK_TRAINING) };
      break;
    case 'all-estimators':
      next = { ...config, rankers: rankersFor(['naive', 'ips', 'dla', 'rem', 'paird', 'oracle']), ...structuredClone(CLICK_TRAINING) };
      break;
  }
  const parsed = parseConfig(next);
  // The presets are constants checked by a unit test; failing here is a programming error.
  if (!parsed.ok) throw new Error(`preset '${id}' is not a valid config: ${parsed.error}`);
  return parsed.config;
}

/** The preset this config is (apart from data and seed), or null for a hand-made one. */
export function matchPreset(config: ExperimentConfig): PresetId | null {
  const key = (c: ExperimentConfig) => JSON.stringify([c.rankers, c.clicks, c.train]);
  const own = key(config);
  for (const p of PRESETS) if (key(applyPreset(config, p.id)) === own) return p.id;
  return null;
}
