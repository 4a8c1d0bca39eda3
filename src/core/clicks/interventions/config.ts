import { z } from '../../zod';
import { formatIssues, type ParseResult } from '../models/config';

z.config(z.locales.en());

const fraction = (dflt: number) =>
  z.number({ error: 'must be a number' }).min(0, { error: 'must be a probability in [0, 1]' }).max(1, { error: 'must be a probability in [0, 1]' }).default(dflt);
const depth = () => z.number({ error: 'must be a number' }).int({ error: 'must be an integer' }).min(2, { error: 'must be ≥ 2' }).max(1000, { error: 'must be ≤ 1000' }).optional();

/**
 * Randomisation for propensity estimation, applied to a `fraction` of the sessions after the
 * policy ranked them (each session decides with its own draw from the intervention stream):
 * - randtop (RandTop-n; Joachims et al. 2017, Wang et al. 2018): the top n shown results are
 *   shuffled uniformly. Under PBM every rank then shows the same mix of documents, so CTR@k ÷ CTR@1
 *   on these sessions estimates θ_k/θ_1.
 * - swap (swap intervention, Joachims et al. 2017; RandPair with pivot rank 1, Wang et al. 2018):
 *   the result at rank 1 is swapped with the one at rank k, k uniform in 2..n. The policy's top
 *   document then shows at rank k; CTR@k on those sessions ÷ CTR@1 on the untouched sessions
 *   estimates θ_k/θ_1 (so fraction must leave untouched sessions).
 * n defaults to the click model's topK and may not exceed it.
 */
export const interventionSchema = z.discriminatedUnion(
  'kind',
  [z.strictObject({ kind: z.literal('randtop'), n: depth(), fraction: fraction(1) }), z.strictObject({ kind: z.literal('swap'), n: depth(), fraction: fraction(0.5) })],
  { error: "kind must be 'randtop' or 'swap'" },
);

export type InterventionConfig = z.infer<typeof interventionSchema>;
export type InterventionInput = z.input<typeof interventionSchema>;

export function parseIntervention(input: unknown): ParseResult<InterventionConfig> {
  const parsed = interventionSchema.safeParse(input);
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, error: formatIssues(parsed.error.issues, input, 'intervention') };
}

/** The intervention depth for a click model showing k results (n, defaulting to k), checked. */
export function interventionDepth(c: InterventionConfig, k: number): number {
  const n = c.n ?? k;
  if (n > k) throw new Error(`intervention.n (${n}) must not exceed the click model's topK (${k})`);
  if (n < 2) throw new Error(`intervention needs at least 2 ranks shown (topK is ${k})`);
  return n;
}
