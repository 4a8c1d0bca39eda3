import { z } from '../zod';
import { NORMALIZATION_KINDS } from '../data/normalize';
import { dataSourceSchema } from '../data/source';
import { clickModelSchema } from '../clicks/models/config';
import { policySchema } from '../clicks/policies/config';
import { interventionSchema } from '../clicks/interventions/config';
import { LOSS_NAMES } from '../rank/losses/types';
import { ESTIMATOR_NAMES } from '../rank/estimators/types';

// zod sets its English messages as a module side effect that bundlers may tree-shake away
// (seen in the CLI bundle: every issue read "Invalid input"); set them explicitly.
z.config(z.locales.en());

/**
 * The one experiment config. Everything a run depends on lives here (and in the backend),
 * so a link that carries the config reproduces the run. Bump CONFIG_VERSION on any change
 * that alters meaning, and add a migration in url-codec.ts for the old version.
 */
export const CONFIG_VERSION = 1;

const MAX_DOCS = 2_000_000;
const MAX_FEATURE_VALUES = 64_000_000;

export const syntheticDataSchema = z
  .strictObject({
    kind: z.literal('synthetic'),
    queries: z.number().int().min(4).max(100_000).default(200),
    docsPerQuery: z.number().int().min(2).max(1000).default(20),
    /** When set, each query's list size is uniform in [docsPerQueryMin, docsPerQuery]; else all are docsPerQuery. */
    docsPerQueryMin: z.number().int().min(1).max(1000).optional(),
    features: z.number().int().min(1).max(1024).default(16),
    relevance: z.enum(['linear', 'nonlinear']).default('nonlinear'),
    noise: z.number().min(0).max(10).default(0.5),
    labelDistribution: z.array(z.number().min(0).max(1000)).min(2).max(16).default([0.4, 0.3, 0.15, 0.1, 0.05]),
    testFraction: z.number().min(0.05).max(0.95).default(0.25),
  })
  .refine((d) => d.queries * d.docsPerQuery <= MAX_DOCS, {
    message: `too many documents (queries × docsPerQuery must be at most ${MAX_DOCS.toLocaleString('en')})`,
  })
  .refine((d) => d.queries * d.docsPerQuery * d.features <= MAX_FEATURE_VALUES, {
    message: `too many feature values (queries × docsPerQuery × features must be at most ${MAX_FEATURE_VALUES.toLocaleString('en')})`,
  })
  .refine((d) => d.labelDistribution.some((p) => p > 0), { message: 'labelDistribution needs at least one positive entry' })
  .refine((d) => d.docsPerQueryMin === undefined || d.docsPerQueryMin <= d.docsPerQuery, {
    message: 'docsPerQueryMin must not exceed docsPerQuery',
    path: ['docsPerQueryMin'],
  });

/** A data set loaded into this browser (kept in IndexedDB), referenced by its id. */
export const storedDataSchema = z.strictObject({
  kind: z.literal('stored'),
  id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'data set id: letters, digits, _ and -'),
  name: z.string().max(200),
  normalization: z.enum(NORMALIZATION_KINDS).default('zscore'),
  /** Used only when the data set has no test split: a seeded split of its training queries. */
  testFraction: z.number().min(0.05).max(0.95).default(0.25),
  /**
   * Where the set can be had in another browser (a bundled name, public URLs, or local files by
   * SHA-256): a link carries it so the visitor's page can fetch or ask for the data. Optional:
   * configs from before sources existed parse to the very same object.
   */
  source: dataSourceSchema.optional(),
});

export const dataSchema = z.discriminatedUnion('kind', [syntheticDataSchema, storedDataSchema]);

export const modelSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('linear') }),
  z.strictObject({
    kind: z.literal('mlp'),
    hidden: z.array(z.number().int().min(1).max(1024)).min(1).max(8).default([32, 16]),
    activation: z.enum(['elu', 'relu', 'tanh']).default('elu'),
    // Optional rather than defaulted, so configs and links made before these existed parse to the
    // very same object; absent means false / 0 (applied in rank/models.ts).
    layerNorm: z.boolean().optional(),
    dropout: z.number().min(0).lt(0.9).optional(),
  }),
  z
    .strictObject({
      kind: z.literal('attention'),
      dModel: z.number().int().min(1).max(512).default(32),
      heads: z.number().int().min(1).max(16).default(2),
      layers: z.number().int().min(1).max(8).default(2),
      ffHidden: z.number().int().min(1).max(2048).default(64),
      dropout: z.number().min(0).lt(0.9).default(0),
    })
    .refine((m) => m.dModel % m.heads === 0, { message: 'dModel must be a multiple of heads', path: ['dModel'] }),
]);

export const rankerSchema = z.strictObject({
  id: z.string().regex(/^[a-z][a-z0-9-]{0,23}$/, 'ranker id: lowercase letters, digits and dashes, 1–24 characters'),
  model: modelSchema,
  /** How the ranker learns: 'oracle' from the true labels of whole lists; the others from the simulated clicks. */
  estimator: z.enum(ESTIMATOR_NAMES).default('oracle'),
  /** Overrides train.loss for this ranker. */
  loss: z.enum(LOSS_NAMES).optional(),
  /** IPS: the true examination of the click model, or the one estimated from intervention sessions. */
  propensities: z.enum(['true', 'estimated']).default('true'),
  /** IPS/DLA: propensities are clipped from below at this value (0 = no clipping). */
  clip: z.number().min(0).max(1).default(0),
});

/**
 * Where clicks come from when a ranker learns from them: a click model simulated on the training
 * queries with a logging policy, `sessions` sessions (uniform over queries), seeded from the config.
 * `estimation` is a separate randomised log whose only use is to estimate propensities for IPS.
 */
export const clicksSchema = z.strictObject({
  model: clickModelSchema.prefault({}),
  policy: policySchema.prefault({ kind: 'production' }),
  sessions: z.number().int().min(10).max(5_000_000).default(20_000),
  estimation: z
    .strictObject({
      intervention: interventionSchema.prefault({ kind: 'randtop' }),
      sessions: z.number().int().min(100).max(5_000_000).default(20_000),
    })
    .prefault({}),
});

export const scheduleSchema = z.strictObject({
  kind: z.enum(['constant', 'warmup-cosine', 'warmup-linear']).default('constant'),
  warmupSteps: z.number().int().min(0).max(1_000_000).default(0),
  /** The learning rate at the end of the schedule, as a fraction of the peak. */
  finalFraction: z.number().min(0).max(1).default(0),
});

export const trainSchema = z.strictObject({
  /** The loss of every ranker that does not name its own. */
  loss: z.enum(LOSS_NAMES).default('softmax'),
  optimizer: z.enum(['adam', 'adagrad', 'sgd']).default('adam'),
  learningRate: z.number().gt(0).max(10).default(0.01),
  batchQueries: z.number().int().min(1).max(4096).default(16),
  maxSteps: z.number().int().min(1).max(1_000_000).default(300),
  evalEvery: z.number().int().min(1).max(100_000).default(10),
  schedule: scheduleSchema.prefault({}),
  /** Global gradient-norm clipping (0 = off). */
  clipNorm: z.number().min(0).max(1e6).default(0),
  /**
   * Held-out training queries for validation (0 = none: no validation curve, no early stopping).
   * Default 0 so configs from before validation existed keep their meaning.
   */
  validationFraction: z.number().min(0).max(0.5).default(0),
  /** Stop a ranker after this many evaluations without a better validation score (0 = never). */
  patience: z.number().int().min(0).max(10_000).default(0),
  /** Validation score for early stopping: nDCG@k on labels, or the estimator's loss on held-out click sessions. */
  validateBy: z.enum(['labels', 'clicks']).default('labels'),
});

export const evalSchema = z.strictObject({
  k: z.number().int().min(1).max(1000).default(10),
  gain: z.enum(['exp2', 'linear']).default('exp2'),
  noRelevant: z.enum(['drop', 'zero', 'one']).default('drop'),
});

export const experimentConfigSchema = z
  .strictObject({
    version: z.literal(CONFIG_VERSION),
    seed: z.number().int().min(0).max(0xffffffff).default(42),
    data: dataSchema.prefault({ kind: 'synthetic' }),
    rankers: z
      .array(rankerSchema)
      .min(1)
      .max(6)
      // A factory, not a literal: zod only shallow-copies a literal default, so every config
      // would share (and could mutate or freeze) the same ranker objects. A prefault, so the
      // rankers' own defaults (estimator, propensities, clip) are filled in by parsing.
      .prefault((): z.input<typeof rankerSchema>[] => [
        { id: 'linear', model: { kind: 'linear' } },
        { id: 'mlp', model: { kind: 'mlp', hidden: [32, 16], activation: 'elu' } },
      ]),
    clicks: clicksSchema.prefault({}),
    train: trainSchema.prefault({}),
    eval: evalSchema.prefault({}),
  })
  .refine((c) => new Set(c.rankers.map((r) => r.id)).size === c.rankers.length, {
    message: 'ranker ids must be unique',
    path: ['rankers'],
  });

export type ExperimentConfig = z.infer<typeof experimentConfigSchema>;
export type ModelSpec = z.infer<typeof modelSchema>;
export type SyntheticDataSpec = z.infer<typeof syntheticDataSchema>;
export type StoredDataSpec = z.infer<typeof storedDataSchema>;
export type RankerSpec = z.infer<typeof rankerSchema>;
export type ClicksSpec = z.infer<typeof clicksSchema>;
export type TrainSpec = z.infer<typeof trainSchema>;

export type ConfigResult = { ok: true; config: ExperimentConfig } | { ok: false; error: string };

/** Validates an untrusted value (a parsed JSON file or URL hash) into a config, or a readable error. */
export function parseConfig(value: unknown): ConfigResult {
  const parsed = experimentConfigSchema.safeParse(value);
  if (parsed.success) return { ok: true, config: parsed.data };
  const issues = parsed.error.issues.slice(0, 3).map((issue) => {
    const where = issue.path.length ? issue.path.join('.') : 'config';
    return `${where}: ${issue.message}`;
  });
  return { ok: false, error: issues.join('; ') };
}

export function defaultConfig(): ExperimentConfig {
  return experimentConfigSchema.parse({ version: CONFIG_VERSION });
}
