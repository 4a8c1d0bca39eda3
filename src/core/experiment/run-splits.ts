import type { RankingDataset } from '../data/dataset';
import type { FeatureSplits } from '../data/library';
import { applyNormalization, fitNormalization, type FeatureTransform } from '../data/normalize';
import { splitByQuery } from '../data/split';
import { generateSynthetic } from '../data/synthetic';
import type { ExperimentConfig } from './config';

export interface RunSplits {
  train: RankingDataset;
  /** Held-out training queries for early stopping; null when train.validationFraction is 0. */
  validation: RankingDataset | null;
  test: RankingDataset;
  /** The transform fitted on train and applied to every split (stored data only; synthetic data is used as generated). */
  normalization?: FeatureTransform;
}

/**
 * The run's query splits. Synthetic data is generated from the config; a stored data set's splits
 * are passed in by whoever holds them (the worker), normalised with statistics of train only. A
 * stored validation split is used when the data set has one; otherwise `validationFraction` of the
 * training queries is held out (seeded, by query), after the test split so test never changes.
 */
export function resolveRunSplits(config: ExperimentConfig, stored: FeatureSplits | undefined): RunSplits {
  const data = config.data;
  let train: RankingDataset;
  let test: RankingDataset;
  let validation: RankingDataset | null = null;
  if (data.kind === 'synthetic') {
    ({ train, test } = splitByQuery(generateSynthetic(data, config.seed), data.testFraction, config.seed));
  } else {
    if (!stored?.train) throw new Error(`data set "${data.name}" has no training split in this browser`);
    ({ train, test } = stored.test ? { train: stored.train, test: stored.test } : splitByQuery(stored.train, data.testFraction, config.seed));
    if (stored.vali && config.train.validationFraction > 0) validation = stored.vali;
  }
  if (!validation && config.train.validationFraction > 0) {
    const held = splitByQuery(train, config.train.validationFraction, config.seed ^ 0x5eed);
    train = held.train;
    validation = held.test;
  }
  if (data.kind === 'stored') {
    const transform = fitNormalization(train, data.normalization);
    train = applyNormalization(train, transform);
    test = applyNormalization(test, transform);
    if (validation) validation = applyNormalization(validation, transform);
    return { train, validation, test, normalization: transform };
  }
  return { train, validation, test };
}
