import { z } from 'zod';
import { NORMALIZATION_KINDS } from '../data/normalize';

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
});

export const dataSchema = z.discriminatedUnion('kind', [syntheticDataSchema, storedDataSchema]);

export const modelSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('linear') }),
  z.strictObject({
    kind: z.literal('mlp'),
    hidden: z.array(z.number().int().min(1).max(1024)).min(1).max(8).default([32, 16]),
    activation: z.enum(['elu', 'relu', 'tanh']).default('elu'),
  }),
]);

export const rankerSchema = z.strictObject({
  id: z.string().regex(/^[a-z][a-z0-9-]{0,23}$/, 'ranker id: lowercase letters, digits and dashes, 1–24 characters'),
  model: modelSchema,
});

export const trainSchema = z.strictObject({
  loss: z.enum(['softmax']).default('softmax'),
  optimizer: z.enum(['adam', 'adagrad', 'sgd']).default('adam'),
  learningRate: z.number().gt(0).max(10).default(0.01),
  batchQueries: z.number().int().min(1).max(4096).default(16),
  maxSteps: z.number().int().min(1).max(1_000_000).default(300),
  evalEvery: z.number().int().min(1).max(100_000).default(10),
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
      // would share (and could mutate or freeze) the same ranker objects.
      .default((): z.infer<typeof rankerSchema>[] => [
        { id: 'linear', model: { kind: 'linear' } },
        { id: 'mlp', model: { kind: 'mlp', hidden: [32, 16], activation: 'elu' } },
      ]),
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
