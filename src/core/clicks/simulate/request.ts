import { CLICK_MODELS, parseClickModel, type ClickModelConfig, type ClickModelName, type ParseResult } from '../models/config';
import { interventionDepth, parseIntervention, type InterventionConfig } from '../interventions/config';
import { parsePolicy, type PolicyConfig } from '../policies/config';

/**
 * One click-simulation experiment as plain JSON (what the app's click panel sends to the worker):
 * the click model, the logging policy, an optional intervention, how many sessions, the seed, and
 * which click model to fit on the log. Untrusted until `parseClickSimRequest` has checked it; the
 * app runs the same check as the user types, so a bad value is named before anything runs.
 */
export interface ClickSimRequest {
  /** A click-model config (models/config.ts). ymax, when absent, is the data's top grade. */
  model: Record<string, unknown>;
  /** A logging-policy config (policies/config.ts), or just its kind ('production', 'random'). */
  policy: string | Record<string, unknown>;
  /** Randomisation for propensity estimates (interventions/config.ts); absent or null: none. */
  intervention?: Record<string, unknown> | null;
  sessions: number;
  seed: number;
  /** The click model to fit on 75% of the sessions and evaluate on the rest; true = PBM; false = no fit. */
  fit: boolean | string;
}

export interface ParsedClickSimRequest {
  model: ClickModelConfig;
  policy: PolicyConfig;
  intervention: (InterventionConfig & { n: number }) | null;
  sessions: number;
  seed: number;
  fit: ClickModelName | null;
}

/** Sessions one panel simulation may ask for: enough for tight intervals, small enough for a tab. */
export const MAX_PANEL_SESSIONS = 1_000_000;
/** A fit needs sessions on both sides of its 75/25 split. */
export const MIN_FIT_SESSIONS = 8;

const fail = (error: string): { ok: false; error: string } => ({ ok: false, error });

function describe(v: unknown): string {
  return typeof v === 'number' ? String(v) : JSON.stringify(v) ?? String(v);
}

/**
 * Checks a request and fills in its defaults. `dataTopGrade`, when known, is ymax's default (the
 * data's top grade, at least 1 and at most 16); without it the schema's default (4) stands in.
 * Messages name the field as the user knows it ("click model: eta must be ≥ 0, got -1").
 */
export function parseClickSimRequest(req: ClickSimRequest, dataTopGrade?: number): ParseResult<ParsedClickSimRequest> {
  if (!Number.isInteger(req.sessions) || req.sessions < 1 || req.sessions > MAX_PANEL_SESSIONS) {
    return fail(`sessions must be a whole number from 1 to ${MAX_PANEL_SESSIONS.toLocaleString('en')}, got ${describe(req.sessions)}`);
  }
  if (!Number.isInteger(req.seed) || req.seed < 0 || req.seed > 0xffffffff) {
    return fail(`seed must be a whole number from 0 to ${0xffffffff} (2^32 − 1), got ${describe(req.seed)}`);
  }

  const modelInput = { ...req.model };
  if (modelInput.ymax === undefined && dataTopGrade !== undefined) modelInput.ymax = Math.min(16, Math.max(1, dataTopGrade));
  const model = parseClickModel(modelInput);
  if (!model.ok) return fail(`click model: ${model.error}`);
  const k = model.value.topK;

  const policyInput = typeof req.policy === 'string' ? { kind: req.policy } : req.policy;
  const policy = parsePolicy(policyInput);
  if (!policy.ok) return fail(policy.error);
  // The panel has no score file or run to rank by: say so rather than fail later in buildPolicy.
  if (policy.value.kind === 'scores' || (policy.value.kind === 'pl' && policy.value.base === 'scores')) {
    return fail('policy: ranking by given scores needs a score file or a TREC run, which the click panel does not take; use production, random or Plackett–Luce over the production ranker');
  }

  let intervention: ParsedClickSimRequest['intervention'] = null;
  if (req.intervention) {
    const parsed = parseIntervention(req.intervention);
    if (!parsed.ok) return fail(parsed.error);
    const c = parsed.value;
    let n: number;
    try {
      n = interventionDepth(c, k);
    } catch (e) {
      return fail(e instanceof Error ? e.message : String(e));
    }
    // Estimates need intervened sessions, and swap compares them with untouched ones.
    if (c.fraction === 0) return fail(`intervention.fraction is 0: no session would be randomised, so there is nothing to estimate from`);
    if (c.kind === 'swap' && c.fraction >= 1) return fail('intervention.fraction must be below 1 for swap: its estimates compare swapped sessions with untouched ones');
    intervention = { ...c, n };
  }

  let fit: ClickModelName | null = null;
  if (req.fit === true) fit = 'pbm';
  else if (typeof req.fit === 'string') {
    if (!(CLICK_MODELS as readonly string[]).includes(req.fit)) return fail(`fit: the model must be one of ${CLICK_MODELS.join(', ')}, got '${req.fit}'`);
    fit = req.fit as ClickModelName;
  } else if (req.fit !== false) return fail(`fit must be a click model name or false, got ${describe(req.fit)}`);
  if (fit && req.sessions < MIN_FIT_SESSIONS) {
    return fail(`fitting ${fit.toUpperCase()} needs at least ${MIN_FIT_SESSIONS} sessions (75% to fit, 25% to evaluate), got ${req.sessions}`);
  }

  return { ok: true, value: { model: model.value, policy: policy.value, intervention, sessions: req.sessions, seed: req.seed, fit } };
}
