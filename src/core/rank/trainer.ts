import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { maxListSize, type RankingDataset } from '../data/dataset';
import type { RankerSpec, TrainSpec } from '../experiment/config';
import type { Rng } from '../experiment/rng';
import { ipsPropensities, type RunClickData } from '../experiment/click-data';
import { disposeBatch, QueryBatcher } from './batches';
import { createEstimator } from './estimators/index';
import type { Estimator } from './estimators/types';
import { lossByName } from './losses/index';
import { LOSS_SAMPLES, type LossFn, type LossName } from './losses/types';
import { createModel, type ScoringModel } from './models';
import { applySchedule, clippedStep, createOptimizer } from './optim';
import { assignValues, checkOptimizerState, checkValues, DevicePlacer, holdOptimizerState, holdValues, restoreOptimizerState } from './optim-state';
import { disposeSessionBatch, SessionBatcher } from './sessions';
import { checkTrainerStateFields, type TrainerState } from './trainer-state';

const NO_BAD_STEP = -1;

/** Queries scored per call by a listwise model: bounds the padded [queries, maxList, features] tensor. */
const LISTWISE_CHUNK_ROWS = 1 << 16;

/**
 * A listwise model scores each query's list whole: queries are padded to the longest list and fed
 * in chunks, and the scores of real rows are copied back to data order.
 */
async function scoreListwise(model: ScoringModel, ds: RankingDataset, features: tf.Tensor2D): Promise<Float32Array> {
  const nQ = ds.qidOffsets.length - 1;
  const out = new Float32Array(ds.labels.length);
  const L = Math.max(1, maxListSize(ds));
  const perChunk = Math.max(1, Math.floor(LISTWISE_CHUNK_ROWS / L));
  for (let q0 = 0; q0 < nQ; q0 += perChunk) {
    const n = Math.min(perChunk, nQ - q0);
    const rows = new Int32Array(n * L);
    const mask = new Float32Array(n * L);
    for (let i = 0; i < n; i++) {
      const from = ds.qidOffsets[q0 + i];
      const to = ds.qidOffsets[q0 + i + 1];
      for (let j = 0; j < to - from; j++) {
        rows[i * L + j] = from + j;
        mask[i * L + j] = 1;
      }
    }
    const scores = tf.tidy(() => {
      const x = tf.reshape(tf.gather(features, tf.tensor1d(rows, 'int32')), [n, L, ds.nFeatures]) as tf.Tensor3D;
      return model.scoreLists(x, tf.tensor2d(mask, [n, L]));
    });
    const values = await scores.data();
    scores.dispose();
    for (let i = 0; i < n; i++) {
      const from = ds.qidOffsets[q0 + i];
      const to = ds.qidOffsets[q0 + i + 1];
      for (let j = 0; j < to - from; j++) out[from + j] = values[i * L + j];
    }
  }
  return out;
}

/** What every ranker of a run shares: the training split, its features on the device, the clicks. */
export interface TrainingContext {
  train: RankingDataset;
  trainFeatures: tf.Tensor2D;
  clicks: RunClickData | null;
}

/**
 * Trains one ranker: the oracle on whole labelled lists, every other estimator on batches of
 * logged sessions. The training features stay on the device; each step gathers its batch there,
 * so only indices, clicks and labels cross from JavaScript.
 */
export class RankerTrainer {
  readonly id: string;
  readonly model: ScoringModel;
  readonly estimator: Estimator | null;
  private readonly optimizer: tf.Optimizer;
  private readonly lossName: LossName;
  private readonly loss: LossFn;
  private readonly queries: QueryBatcher | null;
  private readonly sessions: SessionBatcher | null;
  /** Randomness per step (stochastic losses' uniforms, dropout seeds), forked so it never shifts batches. */
  private readonly stepRng: Rng;
  private steps = 0;
  /** Loss of the latest step, still on the device: read only when reported, to avoid a sync per step. */
  private lastLoss: tf.Scalar | null = null;
  /** Global gradient norm before clipping at the latest step (when clipping is on). */
  private lastNorm: tf.Scalar | null = null;
  /**
   * The first step (1-based) whose loss was not finite, or NO_BAD_STEP, kept on the device and
   * updated by a few ops per step, so divergence is pinned to its step without a sync per step.
   */
  private firstBadStep: tf.Scalar = tf.scalar(NO_BAD_STEP);

  constructor(
    spec: RankerSpec,
    private readonly ctx: TrainingContext,
    private readonly opts: TrainSpec,
    rng: Rng,
  ) {
    this.id = spec.id;
    this.model = createModel(spec.model, ctx.train.nFeatures, rng.fork('init'));
    this.optimizer = createOptimizer(opts.optimizer, opts.learningRate);
    this.lossName = spec.loss ?? opts.loss;
    this.loss = lossByName(this.lossName);
    this.stepRng = rng.fork('step');
    if (spec.estimator === 'oracle') {
      this.estimator = null;
      this.sessions = null;
      this.queries = new QueryBatcher(ctx.train, opts.batchQueries, rng.fork('batches'));
    } else {
      const clicks = ctx.clicks;
      if (!clicks) throw new Error(`ranker "${spec.id}": the ${spec.estimator} estimator learns from clicks, but the run has none`);
      this.queries = null;
      this.sessions = new SessionBatcher(ctx.train, clicks.train, opts.batchQueries, rng.fork('batches'));
      this.estimator = createEstimator(spec.estimator, {
        k: clicks.k,
        loss: this.loss,
        propensities: spec.estimator === 'ips' ? ipsPropensities(clicks, spec.propensities) : undefined,
        clip: spec.clip,
      });
    }
  }

  /** Uniforms in (0, 1) for a stochastic loss, drawn from the seeded stream (never from tf.random). */
  private uniforms(nLists: number, listSize: number): tf.Tensor3D | undefined {
    const samples = LOSS_SAMPLES[this.lossName];
    if (samples === 0) return undefined;
    const values = new Float32Array(samples * nLists * listSize);
    for (let i = 0; i < values.length; i++) values[i] = Math.min(1 - 1e-7, Math.max(1e-7, this.stepRng.next()));
    return tf.tensor3d(values, [samples, nLists, listSize]);
  }

  /** Scores of gathered rows as [nLists, listSize] lists (a listwise model sees each list whole). */
  private scoreRows(rows: tf.Tensor1D, mask: tf.Tensor2D, nLists: number, listSize: number, training: boolean): tf.Tensor2D {
    const x = tf.reshape(tf.gather(this.ctx.trainFeatures, rows), [nLists, listSize, this.ctx.train.nFeatures]) as tf.Tensor3D;
    return this.model.scoreLists(x, mask, training ? { training: true, seed: this.stepRng.int(0x7fffffff) } : undefined);
  }

  private minimize(f: () => tf.Scalar, variables: tf.Variable[]): void {
    applySchedule(this.optimizer, this.opts.learningRate, this.opts.schedule, this.steps, this.opts.maxSteps);
    this.lastLoss?.dispose();
    this.lastNorm?.dispose();
    this.lastNorm = null;
    if (this.opts.clipNorm > 0) {
      const { loss, norm } = clippedStep(this.optimizer, f, variables, this.opts.clipNorm);
      this.lastLoss = loss;
      this.lastNorm = norm;
    } else {
      this.lastLoss = this.optimizer.minimize(f, true, variables);
    }
    this.steps++;
    const loss = this.lastLoss;
    const previous = this.firstBadStep;
    if (loss) {
      this.firstBadStep = tf.tidy(() => {
        const firstBadHere = tf.logicalAnd(tf.logicalNot(tf.isFinite(loss)), tf.equal(previous, NO_BAD_STEP));
        return tf.where(firstBadHere, tf.scalar(this.steps), previous) as tf.Scalar;
      });
      previous.dispose();
    }
  }

  /** The first step whose loss was NaN or infinite, or null if none was. */
  async firstNonFiniteStep(): Promise<number | null> {
    const v = (await this.firstBadStep.data())[0];
    return v === NO_BAD_STEP ? null : v;
  }

  step(): void {
    if (this.queries) {
      const batch = this.queries.next();
      const uniforms = this.uniforms(batch.nLists, batch.listSize);
      this.minimize(
        () => this.loss({ scores: this.scoreRows(batch.rows, batch.mask, batch.nLists, batch.listSize, true), labels: batch.labels, mask: batch.mask, uniforms }),
        this.model.variables,
      );
      uniforms?.dispose();
      disposeBatch(batch);
      return;
    }
    const sessions = this.sessions as SessionBatcher;
    const estimator = this.estimator as Estimator;
    const batch = sessions.next();
    const uniforms = this.uniforms(batch.nSessions, batch.k);
    const clickBatch = (scores: tf.Tensor2D) => ({ scores, clicks: batch.clicks, labels: batch.labels, mask: batch.mask, uniforms });
    this.minimize(() => estimator.loss(clickBatch(this.scoreRows(batch.rows, batch.mask, batch.nSessions, batch.k, true))), [...this.model.variables, ...estimator.variables]);
    if (estimator.afterStep) {
      // Closed-form updates see the ranker after this step, without dropout and outside the tape.
      const scores = tf.tidy(() => this.scoreRows(batch.rows, batch.mask, batch.nSessions, batch.k, false));
      estimator.afterStep(clickBatch(scores));
      scores.dispose();
    }
    uniforms?.dispose();
    disposeSessionBatch(batch);
  }

  async readLoss(): Promise<number | null> {
    if (!this.lastLoss) return null;
    return (await this.lastLoss.data())[0];
  }

  async readGradNorm(): Promise<number | null> {
    if (!this.lastNorm) return null;
    return (await this.lastNorm.data())[0];
  }

  async propensities(): Promise<number[] | null> {
    return this.estimator ? this.estimator.propensities() : null;
  }

  /** Scores every row of `ds` (whose features are `features`), in inference mode. */
  async scoreAll(ds: RankingDataset, features: tf.Tensor2D): Promise<Float32Array> {
    if (!this.model.listwise) {
      const scores = this.model.score(features);
      const values = (await scores.data()) as Float32Array;
      scores.dispose();
      return values;
    }
    return scoreListwise(this.model, ds, features);
  }

  /** What training updates by gradient, in the order minimize() is given them (the optimizer's slots follow it). */
  private trainableVariables(): tf.Variable[] {
    return [...this.model.variables, ...(this.estimator?.variables ?? [])];
  }

  private get batcher(): QueryBatcher | SessionBatcher {
    return (this.queries ?? this.sessions) as QueryBatcher | SessionBatcher;
  }

  /**
   * The whole training state. Everything is captured before this returns (tensors by cheap clones),
   * so a step taken while the values are read back from the device cannot tear the snapshot.
   */
  snapshot(): Promise<TrainerState> {
    const readVariables = holdValues(this.trainableVariables());
    const readEstimator = holdValues(this.estimator?.stateVariables ?? []);
    const readOptimizer = holdOptimizerState(this.optimizer);
    const readScalars = holdValues([this.firstBadStep, ...(this.lastLoss ? [this.lastLoss] : []), ...(this.lastNorm ? [this.lastNorm] : [])]);
    const hasLoss = this.lastLoss !== null;
    const hasNorm = this.lastNorm !== null;
    const fixed = { id: this.id, steps: this.steps, batches: this.batcher.getState(), stepRng: this.stepRng.getState() };
    return (async () => {
      const [bad, ...rest] = (await readScalars()).map((t) => t.values[0]);
      return {
        ...fixed,
        variables: await readVariables(),
        estimatorState: await readEstimator(),
        optimizer: await readOptimizer(),
        lastLoss: hasLoss ? rest[0] : null,
        lastNorm: hasNorm ? rest[hasLoss ? 1 : 0] : null,
        firstBadStep: bad === NO_BAD_STEP ? null : bad,
      };
    })();
  }

  /** Throws a readable error, changing nothing, unless `state` is a snapshot of a trainer built like this one. */
  checkState(state: TrainerState): void {
    checkTrainerStateFields(state, this.id);
    const what = `ranker "${this.id}"`;
    const shapes = this.trainableVariables().map((v) => v.shape);
    checkValues(state.variables, shapes, `${what} (variables)`);
    checkValues(state.estimatorState, (this.estimator?.stateVariables ?? []).map((v) => v.shape), `${what} (estimator state)`);
    checkOptimizerState(this.optimizer, state.optimizer, shapes, what);
    this.batcher.checkState(state.batches);
  }

  /** Continues from a snapshot: the next steps are bit-identical to those the snapshotted trainer would take. */
  async restore(state: TrainerState): Promise<void> {
    this.checkState(state);
    const place = new DevicePlacer();
    try {
      assignValues(this.trainableVariables(), state.variables, place);
      assignValues(this.estimator?.stateVariables ?? [], state.estimatorState, place);
      await restoreOptimizerState(this.optimizer, state.optimizer, place);
      tf.dispose([this.firstBadStep, ...(this.lastLoss ? [this.lastLoss] : []), ...(this.lastNorm ? [this.lastNorm] : [])]);
      const scalar = (v: number) => place.tensor([v], []) as tf.Scalar;
      this.firstBadStep = scalar(state.firstBadStep ?? NO_BAD_STEP);
      this.lastLoss = state.lastLoss === null ? null : scalar(state.lastLoss);
      this.lastNorm = state.lastNorm === null ? null : scalar(state.lastNorm);
    } finally {
      place.dispose();
    }
    this.batcher.setState(state.batches);
    this.stepRng.setState(state.stepRng);
    this.steps = state.steps;
  }

  dispose(): void {
    this.firstBadStep.dispose();
    this.lastLoss?.dispose();
    this.lastNorm?.dispose();
    this.model.dispose();
    this.estimator?.dispose();
    this.optimizer.dispose();
  }
}
