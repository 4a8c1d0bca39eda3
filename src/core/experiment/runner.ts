import * as tf from '@tensorflow/tfjs-core';
import { generateSynthetic } from '../data/synthetic';
import { splitByQuery, type TrainTestSplit } from '../data/split';
import type { RankingDataset } from '../data/dataset';
import type { FeatureSplits } from '../data/library';
import { applyNormalization, fitNormalization } from '../data/normalize';
import { meanNdcg } from '../metrics/ndcg';
import { RankerTrainer } from '../rank/trainer';
import type { ExperimentConfig } from './config';
import { createRng } from './rng';

export interface RankerMetrics {
  /** Training loss of the latest step; null before the first step. */
  loss: number | null;
  /** nDCG@k on the held-out test queries. */
  ndcg: number;
}

export interface MetricPoint {
  step: number;
  rankers: Record<string, RankerMetrics>;
}

export interface ReferenceLines {
  /** Test nDCG@k of ranking by the hidden (noise-free) relevance function: what a perfect learner of the truth reaches. */
  hiddenFunction: number | null;
}

export interface DatasetSummary {
  trainQueries: number;
  testQueries: number;
  documents: number;
  features: number;
}

/**
 * One experiment: data, split, rankers and their training, stepped from outside (the worker
 * drives it; play/pause/step live there). Backend-agnostic: it uses whichever tfjs backend is
 * active. Same config + same backend = same numbers.
 */
export class ExperimentRun {
  private stepCount = 0;
  private readonly trainers: RankerTrainer[];
  private readonly trainFeatures: tf.Tensor2D;
  private readonly testFeatures: tf.Tensor2D;
  readonly reference: ReferenceLines;
  readonly summary: DatasetSummary;

  private constructor(
    readonly config: ExperimentConfig,
    private readonly train: RankingDataset,
    private readonly test: RankingDataset,
  ) {
    const root = createRng(config.seed);
    this.trainFeatures = tf.tensor2d(train.features, [train.labels.length, train.nFeatures]);
    this.testFeatures = tf.tensor2d(test.features, [test.labels.length, test.nFeatures]);
    this.trainers = config.rankers.map(
      (spec) => new RankerTrainer(spec, train, this.trainFeatures, config.train, root.fork(`ranker:${spec.id}`)),
    );
    this.reference = {
      hiddenFunction: test.hiddenScores ? meanNdcg(test.hiddenScores, test.labels, test.qidOffsets, config.eval) : null,
    };
    this.summary = {
      trainQueries: train.qidOffsets.length - 1,
      testQueries: test.qidOffsets.length - 1,
      documents: train.labels.length + test.labels.length,
      features: train.nFeatures,
    };
  }

  /**
   * Builds the run. Synthetic data is generated from the config; a stored data set's splits are
   * passed in by whoever holds them (the worker), normalised with statistics of train only.
   */
  static create(config: ExperimentConfig, stored?: FeatureSplits): ExperimentRun {
    const { train, test } = resolveSplits(config, stored);
    return new ExperimentRun(config, train, test);
  }

  get step(): number {
    return this.stepCount;
  }

  get done(): boolean {
    return this.stepCount >= this.config.train.maxSteps;
  }

  get rankerIds(): string[] {
    return this.trainers.map((t) => t.id);
  }

  /** One optimisation step for every ranker. */
  trainStep(): void {
    if (this.done) return;
    for (const t of this.trainers) t.step();
    this.stepCount++;
  }

  isEvaluationStep(): boolean {
    return this.stepCount % this.config.train.evalEvery === 0 || this.done;
  }

  /** Reads losses and scores the test split; throws a readable error if training diverged. */
  async evaluate(): Promise<MetricPoint> {
    const rankers: Record<string, RankerMetrics> = {};
    for (const t of this.trainers) {
      const loss = await t.readLoss();
      if (loss !== null && !Number.isFinite(loss)) {
        throw new Error(`ranker "${t.id}": loss became ${loss} by step ${this.stepCount}: lower the learning rate`);
      }
      const scores = await t.scoreAll(this.testFeatures);
      rankers[t.id] = { loss, ndcg: meanNdcg(scores, this.test.labels, this.test.qidOffsets, this.config.eval) };
    }
    return { step: this.stepCount, rankers };
  }

  dispose(): void {
    for (const t of this.trainers) t.dispose();
    this.trainFeatures.dispose();
    this.testFeatures.dispose();
  }
}

function resolveSplits(config: ExperimentConfig, stored: FeatureSplits | undefined): TrainTestSplit {
  const data = config.data;
  if (data.kind === 'synthetic') return splitByQuery(generateSynthetic(data, config.seed), data.testFraction, config.seed);
  if (!stored?.train) throw new Error(`data set "${data.name}" has no training split in this browser`);
  const split = stored.test ? { train: stored.train, test: stored.test } : splitByQuery(stored.train, data.testFraction, config.seed);
  const transform = fitNormalization(split.train, data.normalization);
  return { train: applyNormalization(split.train, transform), test: applyNormalization(split.test, transform) };
}
