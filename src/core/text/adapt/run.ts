import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import type { Tokenizer } from '@huggingface/tokenizers';
import { createRng, type Rng } from '../../experiment/rng';
import { createEstimator, type Estimator } from '../../rank/estimators/index';
import { lossByName } from '../../rank/losses/index';
import { LOSS_SAMPLES, type LossFn } from '../../rank/losses/types';
import { applySchedule, createOptimizer, type SchedulableOptimizer } from '../../rank/optim';
import { assignValues, checkOptimizerState, checkValues, DevicePlacer, holdOptimizerState, holdValues, restoreOptimizerState } from '../../rank/optim-state';
import type { Adaptation, TrainableCount } from '../lora/adaptation';
import { createAdaptation } from '../lora/adaptations';
import { rankMe } from '../lora/rankme';
import { bertLogits, type BertDropout } from '../model/bert';
import type { BertConfig } from '../model/config';
import type { BertParams } from '../model/params';
import { TrainBatcher, type TrainBatch } from './batches';
import { pbmPropensities, simulatePbmSessions } from './clicks';
import { checkAdaptData, checkAdaptTrainConfig } from './config';
import { maxGrade } from './data';
import { pooledPrepared, preparePairs, rankByScore, scorePrepared, trecNdcg, type ForwardFactory, type PreparedPairs } from './score';
import { guardedStep } from './step';
import type { AdaptCheckpoint, AdaptData, AdaptEvalReport, AdaptQuery, AdaptStepReport, AdaptSummary, AdaptTrainConfig } from './types';

/**
 * Adapting the cross-encoder to a collection: an Adaptation (LoRA or a variant) trained on judged
 * lists or on simulated clicks through an unbiased-LTR estimator, validated by reranking held-out
 * queries. The caller drives it (step / evaluate), so the worker can stream progress, pause and
 * checkpoint between any two calls.
 */

/** Validation pairs, tokenised once: every query's top rerankDepth candidates, flattened. */
interface ValidationSet {
  queries: AdaptQuery[];
  offsets: number[];
  candidates: number[][];
  pairs: PreparedPairs;
}

interface Best {
  eval: AdaptEvalReport;
  /** Copies of the adaptation's variables at the best evaluation (kept on the device). */
  values: tf.Tensor[];
}

/** Never drawn from: inference (training = false) reads no randomness, and this keeps it off the training streams. */
const INFERENCE_RNG = createRng(0);

export class AdaptRun {
  readonly count: TrainableCount;
  private readonly variables: tf.Variable[];
  private readonly loss: LossFn;
  private stepCount = 0;
  private lastEvalStep = -1;
  private best: Best | null = null;
  private evalsSinceBest = 0;
  stopped: string | null = null;
  private readonly stepReports: AdaptStepReport[] = [];
  private readonly evals: AdaptEvalReport[] = [];
  private profileBatch: TrainBatch | null = null;

  private constructor(
    private readonly c: BertConfig,
    private readonly base: BertParams,
    private readonly tokenizer: Tokenizer,
    private readonly data: AdaptData,
    readonly config: AdaptTrainConfig,
    readonly adaptation: Adaptation,
    private readonly estimator: Estimator | null,
    private readonly optimizer: SchedulableOptimizer,
    private readonly batcher: TrainBatcher,
    private readonly listRng: Rng,
    private readonly stepRng: Rng,
    private readonly validation: ValidationSet,
    private readonly rankMePairs: PreparedPairs | null,
  ) {
    this.count = adaptation.count;
    this.variables = [...adaptation.variables, ...(estimator?.variables ?? [])];
    this.loss = lossByName(config.loss);
  }

  /** Checks the config and data (readable errors), builds the adapter, simulates the clicks once. */
  static async create(c: BertConfig, base: BertParams, tokenizer: Tokenizer, data: AdaptData, cfg: AdaptTrainConfig): Promise<AdaptRun> {
    checkAdaptTrainConfig(cfg);
    checkAdaptData(data, cfg);
    const root = createRng(cfg.seed);
    const s = cfg.signal;
    const sessions = s.kind === 'clicks' ? simulatePbmSessions(data.train, s, maxGrade(data), root.fork('clicks')) : null;
    const validation = validationSet(tokenizer, data, cfg);
    const rankMePairs = cfg.rankMePairs > 0 ? heldOutPairs(tokenizer, data, validation, cfg, root.fork('rankme')) : null;
    const listRng = root.fork('lists');
    const batcher = new TrainBatcher(data, cfg, tokenizer, c.pad_token_id, sessions, listRng);
    const adaptation = await createAdaptation(cfg.adaptation, c, base, root.fork('adaptation'));
    const estimator =
      s.kind === 'clicks'
        ? createEstimator(s.estimator, { k: s.topK, loss: lossByName(cfg.loss), propensities: s.estimator === 'ips' ? pbmPropensities(s.topK, s.eta) : undefined, clip: s.clip })
        : null;
    const optimizer = createOptimizer('adam', cfg.learningRate);
    return new AdaptRun(c, base, tokenizer, data, cfg, adaptation, estimator, optimizer, batcher, listRng, root.fork('step'), validation, rankMePairs);
  }

  /** A run built like `create`, continued from a checkpoint: the next steps are bit-identical on the same backend. */
  static async resume(c: BertConfig, base: BertParams, tokenizer: Tokenizer, data: AdaptData, cfg: AdaptTrainConfig, checkpoint: AdaptCheckpoint): Promise<AdaptRun> {
    const run = await AdaptRun.create(c, base, tokenizer, data, cfg);
    try {
      await run.restore(checkpoint);
    } catch (e) {
      run.dispose();
      throw e;
    }
    return run;
  }

  /** Optimiser steps taken. */
  get steps(): number {
    return this.stepCount;
  }

  get done(): boolean {
    return this.stopped !== null || this.stepCount >= this.config.steps;
  }

  /** Whether the schedule calls for a validation now (step 0, every evalEvery steps, the last step) and none ran at this step. */
  get evaluationDue(): boolean {
    const s = this.stepCount;
    return this.lastEvalStep !== s && (s === 0 || s % this.config.evalEvery === 0 || s >= this.config.steps);
  }

  get history(): { steps: readonly AdaptStepReport[]; evals: readonly AdaptEvalReport[] } {
    return { steps: this.stepReports, evals: this.evals };
  }

  get bestEval(): AdaptEvalReport | null {
    return this.best?.eval ?? null;
  }

  /** Params and forward options for inference: the base model alone, or with the adaptation (not training). */
  private inference(baseOnly: boolean): ForwardFactory {
    return () => {
      if (baseOnly) return { params: this.base, opts: {} };
      const f = this.adaptation.forward(this.base, { training: false, rng: INFERENCE_RNG });
      return { params: f.params, opts: { linearDelta: f.linearDelta } };
    };
  }

  /** The training loss of a batch, drawing dropout seeds and loss uniforms from `rng`. Call inside a tape. */
  private lossOf(b: TrainBatch, rng: Rng): tf.Scalar {
    const shape: [number, number] = [b.nLists, b.width];
    const samples = LOSS_SAMPLES[this.config.loss];
    const u = new Float32Array(samples * b.nLists * b.width);
    for (let i = 0; i < u.length; i++) u[i] = Math.min(1 - 1e-7, Math.max(1e-7, rng.next()));
    const uniforms = samples > 0 ? tf.tensor3d(u, [samples, b.nLists, b.width]) : undefined;
    const p = this.config.modelDropout ?? 0;
    const dropout: BertDropout | undefined = p > 0 ? { hidden: p, attention: p, seed: () => rng.int(2 ** 31) } : undefined;
    const f = this.adaptation.forward(this.base, { training: true, rng });
    const scores = tf.reshape(bertLogits(this.c, f.params, b.pairs, { dropout, linearDelta: f.linearDelta }), shape) as tf.Tensor2D;
    const targets = tf.tensor2d(b.targets, shape);
    const mask = tf.tensor2d(b.mask, shape);
    if (this.estimator) return this.estimator.loss({ scores, clicks: targets, labels: tf.tensor2d(b.labels, shape), mask, uniforms });
    return this.loss({ scores, labels: targets, mask, uniforms });
  }

  /** Gradients reach the adaptation's own transform (ALLoRA) alone; the estimator's pass through. */
  private transform(): ((g: tf.NamedTensorMap) => tf.NamedTensorMap) | undefined {
    const t = this.adaptation.transformGradients?.bind(this.adaptation);
    if (!t) return undefined;
    const own = new Set(this.adaptation.variables.map((v) => v.name));
    return (g) => {
      const mine: tf.NamedTensorMap = {};
      for (const name of Object.keys(g)) if (own.has(name)) mine[name] = g[name];
      return { ...g, ...t(mine) };
    };
  }

  /** One optimiser step. Throws (changing nothing) when the loss is NaN or infinite. */
  async step(): Promise<AdaptStepReport> {
    if (this.done) throw new Error(this.stopped ? `training stopped early: ${this.stopped}` : `all ${this.config.steps} steps are done`);
    const t0 = performance.now();
    const b = this.batcher.next();
    const schedule = { kind: 'warmup-linear' as const, warmupSteps: this.config.warmupSteps, finalFraction: 0 };
    const learningRate = applySchedule(this.optimizer, this.config.learningRate, schedule, this.stepCount, this.config.steps);
    const { loss, gradNorm } = await guardedStep(this.optimizer, () => this.lossOf(b, this.stepRng), this.variables, this.config.clipNorm, this.transform(), this.stepCount + 1);
    this.adaptation.afterStep?.(learningRate);
    if (this.estimator?.afterStep) {
      // Closed-form estimator updates see the ranker after this step, without dropout, outside the tape.
      const shape: [number, number] = [b.nLists, b.width];
      const t = tf.tidy(() => {
        const { params, opts } = this.inference(false)();
        return [tf.reshape(bertLogits(this.c, params, b.pairs, opts), shape), tf.tensor2d(b.targets, shape), tf.tensor2d(b.labels, shape), tf.tensor2d(b.mask, shape)] as tf.Tensor2D[];
      });
      this.estimator.afterStep({ scores: t[0], clicks: t[1], labels: t[2], mask: t[3] });
      tf.dispose(t);
    }
    this.stepCount++;
    const report: AdaptStepReport = { step: this.stepCount, loss, learningRate, gradNorm, stepMs: performance.now() - t0, tensorBytes: tf.memory().numBytes };
    this.stepReports.push(report);
    return report;
  }

  /**
   * Validation nDCG@10 (reranking each validation query's top rerankDepth), RankMe on the held-out
   * pairs, and with `profile` the peak bytes of one training-like step on a fixed batch (its own
   * random stream and no update, so training continues exactly as without it). Tracks the best
   * weights and early stopping, unless `track` is false (a look at other settings, e.g. DyLoRA's
   * inference ranks after training, that must not enter the history or the best weights).
   */
  async evaluate(opts: { profile?: boolean; track?: boolean } = {}): Promise<AdaptEvalReport> {
    const v = this.validation;
    const scores = await scorePrepared(this.c, v.pairs, this.inference(false));
    const perQueryNdcg10 = v.queries.map((q, i) => {
      const ranked = rankByScore(v.candidates[i], scores.subarray(v.offsets[i], v.offsets[i + 1])).map((r) => r.passage);
      return trecNdcg(ranked, q.judged, 10);
    });
    const ndcg10 = perQueryNdcg10.reduce((a, b) => a + b, 0) / perQueryNdcg10.length;
    let rank: number | null = null;
    if (this.rankMePairs) {
      const n = this.rankMePairs.encoded.length;
      rank = rankMe(await pooledPrepared(this.c, this.rankMePairs, this.inference(false)), n, this.c.hidden_size);
    }
    const peakStepBytes = opts.profile ? await this.profileStep() : null;
    const report: AdaptEvalReport = { step: this.stepCount, ndcg10, perQueryNdcg10, rankMe: rank, peakStepBytes };
    if (opts.track !== false) this.track(report);
    return report;
  }

  private async profileStep(): Promise<number> {
    this.profileBatch ??= new TrainBatcher(this.data, this.config, this.tokenizer, this.c.pad_token_id, this.batcher.sessions, createRng(this.config.seed).fork('profile')).next();
    const b = this.profileBatch;
    const rng = createRng(this.config.seed).fork('profile-step');
    const info = await tf.profile(() => {
      const { value, grads } = tf.variableGrads(() => this.lossOf(b, rng), this.variables);
      tf.dispose([value, ...Object.values(grads)]);
    });
    return info.peakBytes;
  }

  private track(report: AdaptEvalReport): void {
    this.evals.push(report);
    this.lastEvalStep = report.step;
    if (!this.best || report.ndcg10 > this.best.eval.ndcg10) {
      tf.dispose(this.best?.values ?? []);
      this.best = { eval: report, values: this.adaptation.variables.map((x) => tf.keep(tf.clone(x))) };
      this.evalsSinceBest = 0;
      return;
    }
    this.evalsSinceBest++;
    const p = this.config.patience;
    if (p > 0 && this.evalsSinceBest >= p && this.stopped === null) {
      this.stopped = `validation nDCG@10 did not improve for ${p} evaluation${p === 1 ? '' : 's'} (best ${this.best.eval.ndcg10.toFixed(4)} at step ${this.best.eval.step})`;
    }
  }

  /** Puts the best validated weights back into the adaptation (after training, before export). */
  async restoreBest(): Promise<void> {
    if (!this.best) return;
    this.adaptation.variables.forEach((x, i) => x.assign(this.best!.values[i]));
  }

  /** One query's top `depth` candidates reranked by the adapted model, or by the base model alone with `base`. */
  async rerank(query: AdaptQuery, depth: number, opts: { base?: boolean } = {}): Promise<{ passage: number; score: number }[]> {
    const candidates = query.candidates.slice(0, Math.max(0, depth));
    if (candidates.length === 0) return [];
    const pairs = preparePairs(this.tokenizer, candidates.map((p) => ({ query: query.query, passage: this.data.corpus[p] })), this.config.maxLength);
    return rankByScore(candidates, await scorePrepared(this.c, pairs, this.inference(opts.base === true)));
  }

  /** The whole training state as plain data (captured before this returns: a later step cannot tear it). */
  async snapshot(): Promise<AdaptCheckpoint> {
    const readVariables = holdValues(this.adaptation.variables);
    const readEstimator = holdValues(this.estimator?.variables ?? []);
    const readEstimatorState = holdValues(this.estimator?.stateVariables ?? []);
    const readOptimizer = holdOptimizerState(this.optimizer);
    const readBest = holdValues(this.best?.values ?? []);
    const fixed = {
      format: 'rankplay-adapt-checkpoint' as const,
      version: 1 as const,
      step: this.stepCount,
      rng: { lists: this.listRng.getState(), step: this.stepRng.getState() },
      order: this.batcher.getState(),
      evalsSinceBest: this.evalsSinceBest,
      stopped: this.stopped,
      history: structuredClone({ steps: this.stepReports, evals: this.evals }),
    };
    const bestEval = this.best ? structuredClone(this.best.eval) : null;
    return {
      ...fixed,
      variables: await readVariables(),
      estimatorVariables: await readEstimator(),
      estimatorState: await readEstimatorState(),
      optimizer: await readOptimizer(),
      best: bestEval ? { eval: bestEval, variables: await readBest() } : null,
    };
  }

  private async restore(cp: AdaptCheckpoint): Promise<void> {
    if (cp?.format !== 'rankplay-adapt-checkpoint' || cp.version !== 1) throw new Error('not an adaptation checkpoint (or one of a newer version)');
    const shapes = this.adaptation.variables.map((x) => x.shape);
    checkValues(cp.variables, shapes, 'adapter');
    checkValues(cp.estimatorVariables, (this.estimator?.variables ?? []).map((x) => x.shape), 'estimator');
    checkValues(cp.estimatorState, (this.estimator?.stateVariables ?? []).map((x) => x.shape), 'estimator state');
    checkOptimizerState(this.optimizer, cp.optimizer, this.variables.map((x) => x.shape), 'adapter');
    if (cp.best) checkValues(cp.best.variables, shapes, 'best adapter');
    if (!(Number.isInteger(cp.step) && cp.step >= 0 && cp.step <= this.config.steps)) throw new Error(`the checkpoint is at step ${cp.step}, beyond this run's ${this.config.steps} steps`);
    this.batcher.setState(cp.order);
    this.listRng.setState(cp.rng.lists);
    this.stepRng.setState(cp.rng.step);
    const place = new DevicePlacer();
    try {
      assignValues(this.adaptation.variables, cp.variables, place);
      assignValues(this.estimator?.variables ?? [], cp.estimatorVariables, place);
      assignValues(this.estimator?.stateVariables ?? [], cp.estimatorState, place);
      await restoreOptimizerState(this.optimizer, cp.optimizer, place);
      tf.dispose(this.best?.values ?? []);
      this.best = cp.best ? { eval: structuredClone(cp.best.eval), values: cp.best.variables.map((t) => tf.keep(place.tensor(t.values, t.shape))) } : null;
    } finally {
      place.dispose();
    }
    this.stepCount = cp.step;
    this.evalsSinceBest = cp.evalsSinceBest;
    this.stopped = cp.stopped;
    this.stepReports.splice(0, this.stepReports.length, ...structuredClone(cp.history.steps));
    this.evals.splice(0, this.evals.length, ...structuredClone(cp.history.evals));
    this.lastEvalStep = this.evals.length > 0 ? this.evals[this.evals.length - 1].step : -1;
  }

  /** Base (the first evaluation), best and last evaluations, and the adaptation's own report. */
  async summary(): Promise<AdaptSummary> {
    if (this.evals.length === 0 || !this.best) throw new Error('no evaluation yet: call evaluate() first');
    return {
      count: this.count,
      base: this.evals[0],
      best: this.best.eval,
      last: this.evals[this.evals.length - 1],
      steps: this.stepCount,
      stopped: this.stopped,
      report: await this.adaptation.report(),
    };
  }

  dispose(): void {
    tf.dispose(this.best?.values ?? []);
    this.best = null;
    this.adaptation.dispose();
    this.estimator?.dispose();
    this.optimizer.dispose();
  }
}

function validationSet(tokenizer: Tokenizer, data: AdaptData, cfg: AdaptTrainConfig): ValidationSet {
  const queries = data.validation;
  const candidates = queries.map((q) => q.candidates.slice(0, cfg.rerankDepth));
  const offsets = [0];
  for (const c of candidates) offsets.push(offsets[offsets.length - 1] + c.length);
  const pairs = preparePairs(tokenizer, queries.flatMap((q, i) => candidates[i].map((p) => ({ query: q.query, passage: data.corpus[p] }))), cfg.maxLength);
  return { queries, offsets, candidates, pairs };
}

/** rankMePairs validation (query, candidate) pairs, drawn once without replacement (all of them when there are fewer). */
function heldOutPairs(tokenizer: Tokenizer, data: AdaptData, v: ValidationSet, cfg: AdaptTrainConfig, rng: Rng): PreparedPairs | null {
  const all = v.queries.flatMap((q, i) => v.candidates[i].map((p) => ({ query: q.query, passage: data.corpus[p] })));
  for (let i = 0; i < Math.min(cfg.rankMePairs, all.length); i++) {
    const j = i + rng.int(all.length - i);
    [all[i], all[j]] = [all[j], all[i]];
  }
  const chosen = all.slice(0, cfg.rankMePairs);
  return chosen.length >= 2 ? preparePairs(tokenizer, chosen, cfg.maxLength) : null;
}
