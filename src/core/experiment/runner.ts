import * as tf from '@tensorflow/tfjs-core';
import type { RankingDataset } from '../data/dataset';
import type { FeatureSplits } from '../data/library';
import { meanNdcg } from '../metrics/ndcg';
import { RankerTrainer } from '../rank/trainer';
import { checkCheckpointOutline, CHECKPOINT_FORMAT, configFingerprint, type RunCheckpoint, type StopState } from './checkpoint';
import { buildRunClickData, type RunClickData } from './click-data';
import type { ExperimentConfig } from './config';
import { createRng } from './rng';
import { clickNdcg, evaluateSplit, headlineKey } from './run-metrics';
import { resolveRunSplits } from './run-splits';
import { clickCountsByRow, inspectQuery, type QueryInspection } from './run-inspect';

export interface RankerMetrics {
  /** Training loss of the latest step; null before the first step. */
  loss: number | null;
  /** The headline number: nDCG@k (the config's k) on the held-out test queries. */
  ndcg: number;
  /** Test-split measures (nDCG@1/3/5/10, ERR@10, …), keyed like `ndcg@10`. */
  test: Record<string, number>;
  /** Validation measures on labels, or `click-ndcg@k` when validating by clicks; absent without a validation split. */
  validation?: Record<string, number>;
  /** The estimator's current θ_r/θ_1 per rank (DLA, REM, PairD, PAL, IPS); absent for oracle and naive. */
  propensities?: number[];
  /** Global gradient norm before clipping, when clipping is on. */
  gradNorm?: number;
  /** True once early stopping has stopped this ranker (at `stoppedAt`). */
  stopped?: boolean;
  stoppedAt?: number;
  /** The step with the best validation score so far (early stopping's pick). */
  bestStep?: number;
}

export interface MetricPoint {
  step: number;
  rankers: Record<string, RankerMetrics>;
}

export interface ReferenceLines {
  /** Test nDCG@k of ranking by the hidden (noise-free) relevance function: what a perfect learner of the truth reaches. */
  hiddenFunction: number | null;
  /** The click model's true examination relative to rank 1, when rankers learn from clicks. */
  trueExamination: number[] | null;
}

export interface DatasetSummary {
  trainQueries: number;
  validationQueries: number;
  testQueries: number;
  documents: number;
  features: number;
  /** Logged sessions the click-based rankers learn from (0 when every ranker is an oracle). */
  clickSessions: number;
  clicks: number;
}

/**
 * One experiment: data, splits, clicks, rankers and their training, stepped from outside (the
 * worker drives it; play/pause/step live there). Backend-agnostic: it uses whichever tfjs backend
 * is active. Same config + same backend = same numbers.
 */
export class ExperimentRun {
  private stepCount = 0;
  private readonly trainers: RankerTrainer[];
  private readonly stops: StopState[];
  private readonly trainFeatures: tf.Tensor2D;
  private readonly testFeatures: tf.Tensor2D;
  private readonly validationFeatures: tf.Tensor2D | null;
  private readonly clicks: RunClickData | null;
  readonly reference: ReferenceLines;
  readonly summary: DatasetSummary;

  private constructor(
    readonly config: ExperimentConfig,
    private readonly train: RankingDataset,
    private readonly validation: RankingDataset | null,
    private readonly test: RankingDataset,
  ) {
    const root = createRng(config.seed);
    const needsClicks = config.rankers.some((r) => r.estimator !== 'oracle');
    this.clicks = needsClicks ? buildRunClickData(config, train, validation) : null;
    this.trainFeatures = tensorOf(train);
    this.testFeatures = tensorOf(test);
    this.validationFeatures = validation ? tensorOf(validation) : null;
    const ctx = { train, trainFeatures: this.trainFeatures, clicks: this.clicks };
    this.trainers = config.rankers.map((spec) => new RankerTrainer(spec, ctx, config.train, root.fork(`ranker:${spec.id}`)));
    this.stops = config.rankers.map(() => ({ best: -Infinity, bestStep: 0, evalsSinceBest: 0, stoppedAt: null }));
    const t1 = this.clicks?.trueExamination[0] || 1;
    this.reference = {
      hiddenFunction: test.hiddenScores ? meanNdcg(test.hiddenScores, test.labels, test.qidOffsets, config.eval) : null,
      trueExamination: this.clicks ? this.clicks.trueExamination.map((t) => t / t1) : null,
    };
    let clickCount = 0;
    if (this.clicks) for (const c of this.clicks.train.clicks) clickCount += c;
    this.summary = {
      trainQueries: train.qidOffsets.length - 1,
      validationQueries: validation ? validation.qidOffsets.length - 1 : 0,
      testQueries: test.qidOffsets.length - 1,
      documents: train.labels.length + test.labels.length + (validation?.labels.length ?? 0),
      features: train.nFeatures,
      clickSessions: this.clicks?.train.query.length ?? 0,
      clicks: clickCount,
    };
  }

  /**
   * Builds the run. Synthetic data is generated from the config; a stored data set's splits are
   * passed in by whoever holds them (the worker).
   */
  static create(config: ExperimentConfig, stored?: FeatureSplits): ExperimentRun {
    const { train, validation, test } = resolveRunSplits(config, stored);
    return new ExperimentRun(config, train, validation, test);
  }

  get step(): number {
    return this.stepCount;
  }

  /** Done at maxSteps, or once early stopping has stopped every ranker. */
  get done(): boolean {
    return this.stepCount >= this.config.train.maxSteps || this.stops.every((s) => s.stoppedAt !== null);
  }

  get rankerIds(): string[] {
    return this.trainers.map((t) => t.id);
  }

  /** One optimisation step for every ranker still training. */
  trainStep(): void {
    if (this.done) return;
    this.trainers.forEach((t, i) => {
      if (this.stops[i].stoppedAt === null) t.step();
    });
    this.stepCount++;
  }

  isEvaluationStep(): boolean {
    return this.stepCount % this.config.train.evalEvery === 0 || this.done;
  }

  /** Scores every split for every ranker; throws a readable error if training diverged. */
  async evaluate(): Promise<MetricPoint> {
    const rankers: Record<string, RankerMetrics> = {};
    for (let i = 0; i < this.trainers.length; i++) {
      const t = this.trainers[i];
      const badStep = await t.firstNonFiniteStep();
      if (badStep !== null) {
        throw new Error(`ranker "${t.id}": loss became NaN or infinite at step ${badStep}: lower the learning rate (or turn on gradient clipping)`);
      }
      const loss = await t.readLoss();
      const test = evaluateSplit(await t.scoreAll(this.test, this.testFeatures), this.test, this.config);
      const metrics: RankerMetrics = { loss, ndcg: test[headlineKey(this.config)], test };
      const validation = await this.validate(t);
      if (validation) {
        metrics.validation = validation.measures;
        this.updateStopping(i, validation.score);
        metrics.bestStep = this.stops[i].bestStep;
      }
      const stop = this.stops[i];
      if (stop.stoppedAt !== null) {
        metrics.stopped = true;
        metrics.stoppedAt = stop.stoppedAt;
      }
      const propensities = await t.propensities();
      if (propensities) metrics.propensities = propensities;
      const gradNorm = await t.readGradNorm();
      if (gradNorm !== null) metrics.gradNorm = gradNorm;
      rankers[t.id] = metrics;
    }
    return { step: this.stepCount, rankers };
  }

  /** Validation measures and the score early stopping watches (higher is better). */
  private async validate(t: RankerTrainer): Promise<{ measures: Record<string, number>; score: number } | null> {
    if (!this.validation || !this.validationFeatures) return null;
    const scores = await t.scoreAll(this.validation, this.validationFeatures);
    if (this.config.train.validateBy === 'clicks' && this.clicks?.validation) {
      const key = `click-${headlineKey(this.config)}`;
      const score = clickNdcg(scores, this.clicks.validation, this.config);
      return { measures: { [key]: score }, score };
    }
    const measures = evaluateSplit(scores, this.validation, this.config);
    return { measures, score: measures[headlineKey(this.config)] };
  }

  private updateStopping(i: number, score: number): void {
    const s = this.stops[i];
    if (s.stoppedAt !== null || this.stepCount === 0) return;
    if (score > s.best) {
      s.best = score;
      s.bestStep = this.stepCount;
      s.evalsSinceBest = 0;
      return;
    }
    s.evalsSinceBest++;
    const patience = this.config.train.patience;
    if (patience > 0 && s.evalsSinceBest >= patience) s.stoppedAt = this.stepCount;
  }

  /**
   * The training state as plain data. Captured before this returns, so steps taken while the values
   * are read back from the device do not leak into it.
   */
  snapshot(): Promise<RunCheckpoint> {
    const step = this.stepCount;
    const stops = this.stops.map((s) => ({ ...s }));
    const rankers = this.trainers.map((t) => t.snapshot());
    return Promise.all(rankers).then((states) => ({
      format: CHECKPOINT_FORMAT,
      fingerprint: configFingerprint(this.config),
      step,
      stops,
      rankers: states,
    }));
  }

  /**
   * Continues from a checkpoint of this config, on a run built by create(): the following steps and
   * evaluations give exactly the numbers the snapshotted run would have given (on the same backend).
   * Throws a readable error, before changing anything, if the checkpoint does not fit.
   */
  async restore(checkpoint: RunCheckpoint): Promise<void> {
    checkCheckpointOutline(checkpoint, this.config);
    this.trainers.forEach((t, i) => t.checkState(checkpoint.rankers[i]));
    for (let i = 0; i < this.trainers.length; i++) await this.trainers[i].restore(checkpoint.rankers[i]);
    checkpoint.stops.forEach((s, i) => Object.assign(this.stops[i], s));
    this.stepCount = checkpoint.step;
  }

  /** The test split and every ranker's scores of it (for TREC run export). */
  async testScores(): Promise<{ test: RankingDataset; scores: Record<string, Float32Array> }> {
    const scores: Record<string, Float32Array> = {};
    for (const t of this.trainers) scores[t.id] = await t.scoreAll(this.test, this.testFeatures);
    return { test: this.test, scores };
  }

  /** Query counts per split, for the inspector's query picker. */
  get queryCounts(): { train: number; test: number } {
    return { train: this.summary.trainQueries, test: this.summary.testQueries };
  }

  /** Every ranker's ranking of one training or test query, with labels and (training) click counts. */
  async inspect(split: 'train' | 'test', q: number): Promise<QueryInspection> {
    const ds = split === 'train' ? this.train : this.test;
    const features = split === 'train' ? this.trainFeatures : this.testFeatures;
    const scores: Record<string, Float32Array> = {};
    for (const t of this.trainers) scores[t.id] = await t.scoreAll(ds, features);
    const counts = split === 'train' && this.clicks ? clickCountsByRow(this.clicks.train, ds.labels.length) : null;
    return inspectQuery(ds, split, q, scores, counts);
  }

  dispose(): void {
    for (const t of this.trainers) t.dispose();
    this.trainFeatures.dispose();
    this.testFeatures.dispose();
    this.validationFeatures?.dispose();
  }
}

function tensorOf(ds: RankingDataset): tf.Tensor2D {
  return tf.tensor2d(ds.features, [ds.labels.length, ds.nFeatures]);
}
