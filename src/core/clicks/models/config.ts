import { z } from '../../zod';

// zod's English messages are a module side effect that bundlers may drop (see experiment/config.ts).
z.config(z.locales.en());

/**
 * The click-model config: which simulated user clicks, with which parameters. Plain JSON, one
 * schema, defaults for everything, so `{}` is PBM η=1 with ULTRA's relevance→click mapping
 * (ε− = 0.1, ε+ = 1, ymax = 4) on the top 10. The semantics of each field are in ./semantics.ts.
 */

/** Joachims et al. (2005) eye-tracking fixation rates, ranks 1..10 (the ULTRA / DESIGN.md preset). */
export const EYE_TRACKING_TABLE: readonly number[] = [0.68, 0.61, 0.48, 0.34, 0.28, 0.2, 0.11, 0.1, 0.08, 0.06];

export const CLICK_MODELS = ['pbm', 'cascade', 'dcm', 'dbn', 'ubm'] as const;
export type ClickModelName = (typeof CLICK_MODELS)[number];

const PROBABILITY = 'must be a probability in [0, 1]';
const probability = () => z.number({ error: 'must be a number' }).min(0, { error: PROBABILITY }).max(1, { error: PROBABILITY });
const probabilities = () => z.array(probability(), { error: 'must be an array of probabilities' });

export const clickModelSchema = z
  .strictObject({
    model: z.enum(CLICK_MODELS, { error: `must be one of ${CLICK_MODELS.join(', ')}` }).default('pbm'),
    /** Severity of position bias: examination (1/k)^η, or table[k]^η. 0 = no position bias. */
    eta: z.number({ error: 'must be a number' }).min(0, { error: 'must be ≥ 0' }).max(100, { error: 'must be ≤ 100' }).default(1),
    /** Examination per rank θ_k (raised to η); absent = 1/k. 'eye-tracking' is EYE_TRACKING_TABLE. */
    table: z.union([z.literal('eye-tracking'), probabilities().min(1, { error: 'needs at least one rank' })], { error: "must be 'eye-tracking' or an array of probabilities" }).optional(),
    /** Click probability of an examined document of grade 0 (noise click). */
    epsMinus: probability().default(0.1),
    /** Click probability of an examined document of grade ymax. */
    epsPlus: probability().default(1),
    /** Top grade of the relevance scale; labels above it are refused. */
    ymax: z.number({ error: 'must be a number' }).int({ error: 'must be an integer' }).min(1, { error: 'must be ≥ 1' }).max(16, { error: 'must be ≤ 16' }).default(4),
    /** Trust bias (Agarwal et al. 2019): ε+ and ε− per rank, replacing the global ones. */
    trustBias: z.strictObject({ epsPlus: probabilities(), epsMinus: probabilities() }).optional(),
    dbn: z
      .strictObject({
        /** Continuation: P(examine r+1 | examined r, not satisfied). */
        gamma: probability().default(0.9),
        /** Satisfaction per grade 0..ymax, or 'err': (2^y − 1)/2^ymax, ERR's stopping probability. */
        satisfaction: z.union([z.literal('err'), probabilities()], { error: "must be 'err' or an array of probabilities per grade" }).default('err'),
      })
      .prefault({}),
    dcm: z
      .strictObject({
        /** P(continue after a click at rank r): one value for all ranks, or one per rank. */
        lambda: z.union([probability(), probabilities()], { error: 'must be a probability or an array of probabilities per rank' }).default(0.5),
      })
      .prefault({}),
    ubm: z
      .strictObject({
        /**
         * γ[r−1][d−1] = P(examine rank r | last click at rank r − d), d = r when there was no click.
         * 'distance': γ_{r,d} = θ_d, the PBM examination of rank d (a user restarts at each click).
         */
        gamma: z.union([z.literal('distance'), z.array(probabilities())], { error: "must be 'distance' or a matrix (array of arrays) of probabilities" }).default('distance'),
      })
      .prefault({}),
    /** Results shown per session. */
    topK: z.number({ error: 'must be a number' }).int({ error: 'must be an integer' }).min(1, { error: 'must be ≥ 1' }).max(1000, { error: 'must be ≤ 1000' }).default(10),
  })
  .superRefine((c, ctx) => {
    if (c.epsMinus > c.epsPlus) ctx.addIssue({ code: 'custom', path: ['epsMinus'], message: `must not exceed epsPlus (${c.epsPlus})` });
    const k = c.topK;
    if (Array.isArray(c.table) && c.table.length < k) {
      ctx.addIssue({ code: 'custom', path: ['table'], message: `has ${c.table.length} ranks but topK is ${k} (give one value per rank shown)` });
    }
    if (c.table === 'eye-tracking' && k > EYE_TRACKING_TABLE.length) {
      ctx.addIssue({ code: 'custom', path: ['table'], message: `'eye-tracking' covers ranks 1..${EYE_TRACKING_TABLE.length} but topK is ${k}` });
    }
    if (c.trustBias) {
      for (const side of ['epsPlus', 'epsMinus'] as const) {
        const v = c.trustBias[side];
        if (v.length < k) ctx.addIssue({ code: 'custom', path: ['trustBias', side], message: `has ${v.length} ranks but topK is ${k} (give one value per rank shown)` });
      }
      for (let r = 0; r < Math.min(k, c.trustBias.epsPlus.length, c.trustBias.epsMinus.length); r++) {
        if (c.trustBias.epsMinus[r] > c.trustBias.epsPlus[r]) {
          ctx.addIssue({ code: 'custom', path: ['trustBias', 'epsMinus', r], message: `must not exceed trustBias.epsPlus[${r}] (${c.trustBias.epsPlus[r]})` });
        }
      }
    }
    if (Array.isArray(c.dbn.satisfaction) && c.dbn.satisfaction.length !== c.ymax + 1) {
      ctx.addIssue({ code: 'custom', path: ['dbn', 'satisfaction'], message: `needs one value per grade 0..${c.ymax} (${c.ymax + 1}), has ${c.dbn.satisfaction.length}` });
    }
    if (Array.isArray(c.dcm.lambda) && c.dcm.lambda.length < k) {
      ctx.addIssue({ code: 'custom', path: ['dcm', 'lambda'], message: `has ${c.dcm.lambda.length} ranks but topK is ${k}` });
    }
    if (Array.isArray(c.ubm.gamma)) {
      const g = c.ubm.gamma;
      if (g.length < k) ctx.addIssue({ code: 'custom', path: ['ubm', 'gamma'], message: `has ${g.length} rows but topK is ${k} (row r gives ranks r's γ for distances 1..r)` });
      for (let r = 0; r < Math.min(k, g.length); r++) {
        if (g[r].length < r + 1) ctx.addIssue({ code: 'custom', path: ['ubm', 'gamma', r], message: `needs ${r + 1} values (distances 1..${r + 1} for rank ${r + 1}), has ${g[r].length}` });
      }
    }
  });

export type ClickModelConfig = z.infer<typeof clickModelSchema>;
export type ClickModelInput = z.input<typeof clickModelSchema>;

/** Reads the value at an issue's path, to quote it back in the message. */
export function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = input;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

/** `trustBias.epsPlus[3]` from ['trustBias', 'epsPlus', 3]. */
export function formatPath(path: readonly PropertyKey[], prefix = ''): string {
  let out = prefix;
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : out ? `.${String(key)}` : String(key);
  return out || 'config';
}

function quote(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (typeof v === 'string') return `'${v}'`;
  const s = JSON.stringify(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

/**
 * Readable zod issues: "eta must be ≥ 0, got -1"; "trustBias.epsPlus[3] must be a probability in [0, 1],
 * got 1.5". `name` may rename a path (the CLI says --eps-plus where the user typed that flag).
 */
export function formatIssues(issues: readonly z.core.$ZodIssue[], input: unknown, prefix = '', name?: (path: readonly PropertyKey[]) => string | undefined): string {
  return issues
    .slice(0, 4)
    .map((issue) => {
      const where = name?.(issue.path) ?? formatPath(issue.path, prefix);
      if (issue.code === 'unrecognized_keys') return `${where}: unknown field(s) ${issue.keys.map((k) => `'${k}'`).join(', ')}`;
      const value = valueAt(input, issue.path);
      // Cross-field checks already name what they compare; quoting a whole object would be noise.
      const got = issue.code === 'custom' || (value !== null && typeof value === 'object') ? '' : `, got ${quote(value)}`;
      return `${where} ${issue.message}${got}`;
    })
    .join('; ');
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: string };

/** Validates an untrusted click-model config (JSON, CLI flags) into a full one, or a readable error. */
export function parseClickModel(input: unknown): ParseResult<ClickModelConfig> {
  const parsed = clickModelSchema.safeParse(input ?? {});
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, error: formatIssues(parsed.error.issues, input ?? {}) };
}

/** Like parseClickModel, but throws an Error with the readable message. */
export function clickModel(input: ClickModelInput = {}): ClickModelConfig {
  const r = parseClickModel(input);
  if (!r.ok) throw new Error(`click model: ${r.error}`);
  return r.value;
}
