import type * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../../experiment/rng';
import type { LinearDelta } from '../model/bert';
import type { BertConfig } from '../model/config';
import type { BertParams, BertWeights } from '../model/params';
import type { LoraTarget } from './lora';
import type { PeftAdapterFiles } from './peft';

/**
 * One interface for every way of fine-tuning the cross-encoder: LoRA and its variants change
 * frozen Linear layers through `linearDelta` (x·ΔWᵀ added to x·Wᵀ, never forming W + ΔW), the
 * full fine-tuning references replace base tensors by trainable copies in `params`. The trainer
 * only sees `variables`, `forward`, and the optional gradient/after-step hooks, so a new variant
 * needs no change to the training loop.
 */

export const ADAPTATION_KINDS = ['lora', 'dylora', 'sora', 'allora', 'randlora', 'svfit', 'head', 'full'] as const;
export type AdaptationKind = (typeof ADAPTATION_KINDS)[number];

export interface AdaptationConfig {
  kind: AdaptationKind;
  /** Rank r (DyLoRA: the largest rank; SoRA: the starting rank; RandLoRA: each basis's rank; SVFit: singular values trained). */
  r: number;
  /** LoRA's α: the update is scaled by α/r (DyLoRA: α/b for the sampled rank b). ALLoRA, RandLoRA, SVFit ignore it. */
  alpha: number;
  /** Dropout on the adapter's input x (PEFT's lora_dropout); ALLoRA has none. */
  dropout: number;
  targetModules: LoraTarget[];
  /** SoRA: strength λ of the L1 proximal step on the gates (g ← sign(g)·max(|g| − lr·λ, 0)). */
  soraLambda: number;
  /** ALLoRA: η of the per-row gradient scaling 1/√(‖θ_row‖² + 1/η²). */
  alloraEta: number;
  /** RandLoRA: random bases per module; 0 = ⌈min(in, out)/r⌉, enough for a full-rank update. */
  randloraBases: number;
}

export const DEFAULT_ADAPTATION: AdaptationConfig = {
  kind: 'lora',
  r: 8,
  alpha: 16,
  dropout: 0.05,
  targetModules: ['query', 'key', 'value', 'attention.output.dense'],
  soraLambda: 0.001,
  alloraEta: 4,
  randloraBases: 0,
};

/** Per-step context: whether the model is training (dropout, rank sampling) and the random stream for it. */
export interface StepContext {
  training: boolean;
  /** Seeds dropout masks and samples DyLoRA's rank; only read when training. */
  rng: Rng;
}

export interface AdaptedForward {
  /** The params bertLogits runs on: the base, with trainable copies where the adaptation replaces tensors. */
  params: BertParams;
  linearDelta?: LinearDelta;
}

/** What an adaptation says about itself after training (for the app's per-variant views). */
export interface AdaptationReport {
  /** SoRA: ranks left per module after pruning (gates at zero removed). */
  ranks?: { module: string; rank: number; of: number }[];
  /** DyLoRA: ranks that can be chosen at inference (1..r). */
  inferenceRanks?: number[];
}

export interface TrainableCount {
  trainable: number;
  /** The base model's parameters. */
  base: number;
  /** 100·trainable / base: the "% of the model". */
  percentOfModel: number;
}

export interface Adaptation {
  readonly config: AdaptationConfig;
  /** Trainable variables, in a fixed order (optimiser state is kept by position). */
  readonly variables: tf.Variable[];
  readonly count: TrainableCount;
  /** The forward pass's params and hook for one step. Call inside the tape / tf.tidy. */
  forward(base: BertParams, ctx: StepContext): AdaptedForward;
  /** ALLoRA: rescales gradients (by variable name) before clipping and the optimiser; must not dispose its input. */
  transformGradients?(grads: tf.NamedTensorMap): tf.NamedTensorMap;
  /** After the optimiser step, outside the tape (SoRA's proximal step). */
  afterStep?(learningRate: number): void;
  /** DyLoRA: the rank used when not training (null = r). */
  setInferenceRank?(rank: number | null): void;
  /** The base weights with this adaptation folded in (merge_and_unload): an ordinary model. */
  merge(base: BertWeights): Promise<BertWeights>;
  /** PEFT adapter files, for the kinds PEFT can load as LoRA (lora, dylora at its inference rank, sora pruned, allora). */
  exportPeft?(opts?: { baseModelNameOrPath?: string | null }): Promise<PeftAdapterFiles>;
  report(): Promise<AdaptationReport>;
  dispose(): void;
}

/** Builds one kind. `base` is the frozen model (SVFit takes its SVD, the full references copy it). */
export interface AdaptationFactory {
  kind: AdaptationKind;
  /** For the settings menu. */
  label: string;
  /** One sentence: what is trained. */
  summary: string;
  /** Trainable parameters without building anything (shown before training starts). */
  count(ac: AdaptationConfig, c: BertConfig): TrainableCount;
  create(ac: AdaptationConfig, c: BertConfig, base: BertParams, rng: Rng): Promise<Adaptation>;
}
