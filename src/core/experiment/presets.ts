import { defaultConfig, parseConfig, type ExperimentConfig, type ModelSpec } from './config';
import type { EstimatorName } from '../rank/estimators/types';

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
      'Clicks from a position-based user (η = 1) on the top 10 of a production ranker trained on 1% of the queries (ULTRA’s setting). Naive plateaus below the oracle; IPS and DLA close the gap; DLA learns the examination curve.',
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
 * ULTRA's simulation setting: a deterministic production ranker (least squares on 1% of the training
 * queries) shows the top 10, a PBM user (η = 1, ε− = 0.1, ε+ = 1) clicks. Position and the production
 * ranker's preferences are confounded, which is what naive click training learns and the debiasing
 * estimators undo. Measured margins (core/experiment/estimators.test.ts states them) hold over seeds.
 */
const CLICK_TRAINING: Pick<ExperimentConfig, 'clicks' | 'train'> = (() => {
  const base = defaultConfig();
  return {
    clicks: {
      ...base.clicks,
      model: { ...base.clicks.model, model: 'pbm', eta: 1, epsMinus: 0.1, epsPlus: 1, topK: 10 },
      policy: { kind: 'production', fraction: 0.01, ridge: 0.1 },
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
