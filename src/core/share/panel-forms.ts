import { z } from '../zod';
import { CLICK_MODELS } from '../clicks/models/config';
import { TEXT_ESTIMATORS } from '../text/adapt/types';
import { ADAPTATION_KINDS, DEFAULT_ADAPTATION } from '../text/lora/adaptation';
import type { LoraTarget } from '../text/lora/lora';
import { LOSS_NAMES } from '../rank/losses/types';

/**
 * The settings forms of three panels (click simulation, "Rerank text", "Adapt the reranker"):
 * one zod schema each, the forms' types inferred from them, and their defaults. The store keeps
 * these forms; a share link carries the settings that differ from the defaults (./panels.ts).
 *
 * Numbers are typed `number` but the forms hold them as typed (NaN for an unreadable box): each
 * panel names what is wrong beside the field. The schemas accept finite numbers only, so a NaN
 * never goes into a link (the reader gets that field's default instead).
 */

const num = z.number(); // zod 4: finite only

/** Click-sim logging policies (the worker's ClickPolicyName; types.ts in the store checks they agree). */
export const CLICK_POLICIES = ['production', 'random', 'pl'] as const;

export const clickFormSchema = z.object({
  model: z.enum(CLICK_MODELS),
  eta: num,
  /** PBM/UBM examination: (1/r)^η, or the eye-tracking table^η (ranks 1..10 only). */
  examination: z.enum(['power', 'eye-tracking']),
  epsMinus: num,
  epsPlus: num,
  /** null: the data's top grade. */
  ymax: num.nullable(),
  topK: num,
  /** Per-rank ε± from core's trust-bias preset. */
  trustBias: z.boolean(),
  sessions: num,
  policy: z.enum(CLICK_POLICIES),
  /** Plackett–Luce temperature (policy 'pl' only). */
  temperature: num,
  intervention: z.enum(['none', 'randtop', 'swap']),
  /** Ranks the intervention covers; null: all top-k. */
  interventionN: num.nullable(),
  /** Fraction of sessions swapped (swap only; RandTop-n shuffles every session). */
  swapFraction: num,
  /** Fit `fitModel` on 75% of the sessions, evaluate on 25%. */
  fit: z.boolean(),
  fitModel: z.enum(CLICK_MODELS),
  seed: num,
});

/** The click panel's settings, as typed (numbers unchecked: core's request parser names what is wrong). */
export type ClickForm = z.infer<typeof clickFormSchema>;

export const defaultClickForm: ClickForm = {
  model: 'pbm',
  eta: 1,
  examination: 'power',
  epsMinus: 0.1,
  epsPlus: 1,
  ymax: null,
  topK: 10,
  trustBias: false,
  sessions: 20_000,
  policy: 'random',
  temperature: 1,
  intervention: 'none',
  interventionN: null,
  swapFraction: 0.5,
  fit: true,
  fitModel: 'pbm',
  seed: 7,
};

/** Query sets of a text collection (the worker's TextSplit): the demo has test/train, a stored set judged/all. */
export const TEXT_SPLITS = ['test', 'train', 'judged', 'all'] as const;
export const TEXT_MODELS = ['demo', 'url', 'files'] as const;

export const textFormSchema = z.object({
  /** 'demo' (the bundled corpus) or the id of a stored text set. */
  corpus: z.string().max(200),
  split: z.enum(TEXT_SPLITS),
  k1: num,
  b: num,
  /** Documents retrieved per query. */
  k: num,
  /** Documents per query the cross-encoder rescores. */
  depth: num,
  model: z.enum(TEXT_MODELS),
  /** A URL base (…/resolve/main/) or a Hugging Face id, for model 'url'. */
  modelUrl: z.string().max(2000),
  backend: z.enum(['auto', 'webgpu', 'wasm']),
});

/** The "Rerank text" panel's settings, as typed (the worker checks them and says what is wrong). */
export type TextForm = z.infer<typeof textFormSchema>;

export const defaultTextForm: TextForm = { corpus: 'demo', split: 'test', k1: 0.9, b: 0.4, k: 100, depth: 30, model: 'demo', modelUrl: '', backend: 'auto' };

/**
 * The cross-encoder's LoRA target layers (core/text/lora/lora.ts's LORA_TARGETS, repeated here so
 * that links do not load tfjs; the check below fails to compile if the two lists part).
 */
export const ADAPT_TARGETS = ['query', 'key', 'value', 'attention.output.dense', 'intermediate.dense', 'output.dense'] as const satisfies readonly LoraTarget[];
/** `true` only when ADAPT_TARGETS names every LoraTarget. */
export const ADAPT_TARGETS_COMPLETE: Exclude<LoraTarget, (typeof ADAPT_TARGETS)[number]> extends never ? true : false = true;

export const adaptFormSchema = z.object({
  kind: z.enum(ADAPTATION_KINDS),
  r: num,
  alpha: num,
  dropout: num,
  targets: z
    .array(z.enum(ADAPT_TARGETS))
    .max(ADAPT_TARGETS.length)
    .refine((t) => new Set(t).size === t.length, 'a layer is named twice'),
  signal: z.enum(['labels', 'clicks']),
  estimator: z.enum(TEXT_ESTIMATORS),
  sessionsPerQuery: num,
  eta: num,
  loss: z.enum(LOSS_NAMES),
  negatives: z.enum(['random', 'hard']),
  skipTopUnlabelled: num,
  steps: num,
  learningRate: num,
  evalEvery: num,
  patience: num,
  seed: num,
});

/**
 * The "Adapt the reranker" settings as typed. Numbers stay as typed (NaN for an unreadable field)
 * so the form can say what is wrong beside the field; the worker's core checks everything again.
 */
export type AdaptForm = z.infer<typeof adaptFormSchema>;

/**
 * LoRA r=8 from IPS-debiased clicks: the example. A learning rate this high suits the
 * adapter's few parameters (B starts at zero). Measured on wasm with 2 cores (e2e/adapt.spec.ts):
 * 40 steps with 5 validations take about a minute and lift validation nDCG@10 from 0.552 to 0.580.
 */
export const defaultAdaptForm: AdaptForm = {
  kind: 'lora',
  r: DEFAULT_ADAPTATION.r,
  alpha: DEFAULT_ADAPTATION.alpha,
  dropout: DEFAULT_ADAPTATION.dropout,
  targets: [...DEFAULT_ADAPTATION.targetModules],
  signal: 'clicks',
  estimator: 'ips',
  sessionsPerQuery: 50,
  eta: 1,
  loss: 'softmax',
  negatives: 'hard',
  skipTopUnlabelled: 3,
  steps: 60,
  learningRate: 0.003,
  evalEvery: 10,
  patience: 0,
  seed: 7,
};

/** The three forms together, as the store holds them. */
export interface PanelForms {
  clicks: ClickForm;
  text: TextForm;
  adapt: AdaptForm;
}

export function defaultPanelForms(): PanelForms {
  return { clicks: { ...defaultClickForm }, text: { ...defaultTextForm }, adapt: { ...defaultAdaptForm, targets: [...defaultAdaptForm.targets] } };
}
