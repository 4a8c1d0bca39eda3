import { z } from '../../zod';
import type { RankingDataset } from '../../data/dataset';
import { formatIssues, type ParseResult } from '../models/config';
import { featureScores, plackettLucePolicy, randomPolicy, scoresPolicy, type LoggingPolicy } from './policy';
import { productionPolicy } from './production';

z.config(z.locales.en());

const fraction = () =>
  z.number({ error: 'must be a number' }).gt(0, { error: 'must be in (0, 1]' }).max(1, { error: 'must be in (0, 1]' }).default(0.01);
const ridge = () => z.number({ error: 'must be a number' }).gt(0, { error: 'must be > 0' }).max(1e6, { error: 'must be ≤ 1e6' }).default(0.1);

/**
 * The logging policy config. 'production': the least-squares ranker trained on `fraction` of the
 * queries (ULTRA's 1%), ranked deterministically. 'random': a uniformly random ranking per session.
 * 'pl': Plackett–Luce with a temperature over the production ranker's scores, or over given scores
 * ('scores' base). 'scores': a deterministic ranking by given per-document scores (a score file
 * or a TREC run, supplied when the policy is built). 'feature': a deterministic ranking by one
 * feature column of the data (1-based, e.g. a BM25 feature).
 */
export const policySchema = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({ kind: z.literal('production'), fraction: fraction(), ridge: ridge() }),
    z.strictObject({ kind: z.literal('random') }),
    z.strictObject({
      kind: z.literal('pl'),
      temperature: z.number({ error: 'must be a number' }).gt(0, { error: 'must be > 0' }).max(1e6, { error: 'must be ≤ 1e6' }).default(1),
      base: z.enum(['production', 'scores'], { error: "must be 'production' or 'scores'" }).default('production'),
      fraction: fraction(),
      ridge: ridge(),
    }),
    z.strictObject({ kind: z.literal('scores') }),
    z.strictObject({ kind: z.literal('feature'), feature: z.number({ error: 'must be a number' }).int({ error: 'must be an integer' }).min(1, { error: 'must be ≥ 1' }) }),
  ],
  { error: "kind must be one of 'production', 'random', 'pl', 'scores', 'feature'" },
);

export type PolicyConfig = z.infer<typeof policySchema>;
export type PolicyInput = z.input<typeof policySchema>;

export function parsePolicy(input: unknown): ParseResult<PolicyConfig> {
  const parsed = policySchema.safeParse(input);
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, error: formatIssues(parsed.error.issues, input, 'policy') };
}

/**
 * Builds the policy a config names. `scores` (one per dataset row) is needed by 'scores' and by
 * 'pl' with base 'scores'; the seed picks the production ranker's training queries.
 */
export function buildPolicy(ds: RankingDataset, config: PolicyConfig, k: number, seed: number, scores?: ArrayLike<number>): LoggingPolicy {
  const needScores = (what: string): ArrayLike<number> => {
    if (!scores) throw new Error(`${what} needs per-document scores (a score column or a TREC run)`);
    return scores;
  };
  switch (config.kind) {
    case 'production':
      return productionPolicy(ds, k, { fraction: config.fraction, ridge: config.ridge, seed });
    case 'random':
      return randomPolicy(k);
    case 'scores':
      return scoresPolicy(ds, needScores("the 'scores' policy"), k);
    case 'feature':
      return scoresPolicy(ds, featureScores(ds, config.feature), k, `feature ${config.feature}`);
    case 'pl': {
      const base = config.base === 'scores' ? needScores("the 'pl' policy over scores") : productionPolicy(ds, k, { fraction: config.fraction, ridge: config.ridge, seed }).scores;
      return plackettLucePolicy(ds, base, config.temperature, k, `plackett-luce(${config.base}, T=${config.temperature})`);
    }
  }
}
