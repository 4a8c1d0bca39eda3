import type { RankingDataset } from '../core/data/dataset';
import { queryCount } from '../core/data/dataset';
import { EYE_TRACKING_TABLE, type ClickModelName } from '../core/clicks/models/config';
import { buildPolicy } from '../core/clicks/policies/config';
import { docName } from '../core/clicks/policies/run';
import { estimatePropensities, fitEta } from '../core/clicks/interventions/estimate';
import { simulateClicks, summarizeLog, type Simulation } from '../core/clicks/simulate';
import { parseClickSimRequest, type ClickSimRequest } from '../core/clicks/simulate/request';
import { truthByRank } from '../core/clicks/simulate/truth';
import { fitSimulatedLog, type ClickFitView } from './clicks-fit';

export type { ClickSimRequest } from '../core/clicks/simulate/request';
export type { ClickFitView, ClickParamView, ClickRankParamView } from './clicks-fit';

/**
 * The click panel's worker side: simulate a click log on the current experiment's training data
 * (click model, logging policy, optional intervention), summarise it per rank (CTR, the model's
 * true examination, CTR from relevance alone), estimate propensities from the intervention, and
 * optionally fit a click model on 75% of the sessions and evaluate it on the rest. Everything
 * returned is small and plain (arrays of numbers), so it crosses the worker boundary cheaply.
 */

/** The policies the panel offers by name (a request may also pass a full policy config). */
export type ClickPolicyName = 'production' | 'random' | 'pl';

export interface ClickDocView {
  label: number;
  clicked: boolean;
  /** The document's id, or `<qid>:<position>` when the data has none (as in the TSV export). */
  doc: string;
}

export interface ClickSessionView {
  query: string;
  docs: ClickDocView[];
  /** What the intervention did to this session ('' when it was shown as the policy ranked it). */
  intervention: string;
}

/** One rank's propensity estimate θ_k/θ_1 with its confidence interval (interventions/estimate.ts). */
export interface ClickPropensityView {
  rank: number;
  propensity: number;
  low: number;
  high: number;
  sessions: number;
}

export interface ClickInterventionView {
  kind: 'randtop' | 'swap';
  n: number;
  fraction: number;
  /** Sessions the intervention changed. */
  intervened: number;
  confidence: number;
  estimates: ClickPropensityView[];
  /** η fitted to the estimates (examination θ_k^η), with its standard error. */
  eta: { eta: number; se: number };
}

export interface ClickSimResult {
  model: ClickModelName;
  /** The logging policy's name as it ranked (e.g. 'plackett-luce(production, T=1)'). */
  policy: string;
  /** Slots per session. */
  k: number;
  ymax: number;
  /** The data's top grade: ymax's default. */
  dataTopGrade: number;
  /** PBM/UBM examination shape: (1/r)^η, or a table^η. */
  examinationShape: 'power' | 'eye-tracking' | 'table';
  eta: number;
  trustBias: boolean;
  seed: number;
  sessions: number;
  clicks: number;
  sessionsWithoutClick: number;
  /** CTR per rank (index r − 1). */
  ctrByRank: number[];
  /** The true probability of examining rank r, averaged over the sessions (core/clicks/simulate/truth.ts). */
  trueExamination: number[];
  /** Mean attractiveness a(r, y) of the documents shown at each rank: CTR without position bias. */
  relevanceCtr: number[];
  intervention?: ClickInterventionView;
  fitted?: ClickFitView;
  sampleSessions: ClickSessionView[];
  /** Whether the data names its documents (else sessions show `<qid>:<position>`). */
  hasDocIds: boolean;
  /** Where the data came from, for the summary line. */
  dataName: string;
  ms: number;
}

export type ClickSimOutcome = { ok: true; result: ClickSimResult } | { ok: false; error: string };

const SAMPLE_SESSIONS = 5;

function topGrade(ds: RankingDataset): number {
  let m = 0;
  for (let i = 0; i < ds.labels.length; i++) if (ds.labels[i] > m) m = ds.labels[i];
  return m;
}

function interventionView(sim: Simulation, table: readonly number[] | undefined): ClickInterventionView | undefined {
  if (!sim.intervention) return undefined;
  const { config, n, applied } = sim.intervention;
  const estimates = estimatePropensities(sim, 0.95);
  let intervened = 0;
  for (const a of applied) if (a) intervened++;
  return {
    kind: config.kind,
    n,
    fraction: config.fraction,
    intervened,
    confidence: estimates.confidence,
    estimates: estimates.ranks.map(({ rank, propensity, low, high, sessions }) => ({ rank, propensity, low, high, sessions })),
    eta: fitEta(estimates, table),
  };
}

function sampleSessions(ds: RankingDataset, sim: Simulation): ClickSessionView[] {
  const { log } = sim;
  const k = log.k;
  const out: ClickSessionView[] = [];
  for (let s = 0; s < Math.min(SAMPLE_SESSIONS, log.query.length); s++) {
    const q = log.query[s];
    const docs: ClickSessionView['docs'] = [];
    for (let r = 0; r < k; r++) {
      const row = log.shown[s * k + r];
      if (row < 0) break;
      docs.push({ label: ds.labels[row], clicked: log.clicks[s * k + r] === 1, doc: docName(ds, row, q) });
    }
    const applied = sim.intervention?.applied[s] ?? 0;
    const kind = sim.intervention?.config.kind;
    const intervention = !applied ? '' : kind === 'randtop' ? `top ${applied} shuffled` : applied <= docs.length ? `ranks 1 and ${applied} swapped` : '';
    out.push({ query: log.queryIds[q], docs, intervention });
  }
  return out;
}

export function simulateClickPanel(ds: RankingDataset, dataName: string, req: ClickSimRequest): ClickSimOutcome {
  const t0 = performance.now();
  if (queryCount(ds) === 0) return { ok: false, error: 'the data set has no queries' };
  const dataTopGrade = topGrade(ds);
  const parsed = parseClickSimRequest(req, dataTopGrade);
  if (!parsed.ok) return parsed;
  const { model: config, policy: policyConfig, intervention, sessions, seed, fit } = parsed.value;

  try {
    const policy = buildPolicy(ds, policyConfig, config.topK, seed);
    const sim = simulateClicks(ds, policy, config, { sessions, seed, intervention: intervention ?? undefined });
    const summary = summarizeLog(sim.log);
    const truth = truthByRank(ds.labels, sim.log, sim.model);
    const table = config.table === 'eye-tracking' ? EYE_TRACKING_TABLE : config.table;
    return {
      ok: true,
      result: {
        model: config.model,
        policy: policy.name,
        k: config.topK,
        ymax: config.ymax,
        dataTopGrade,
        examinationShape: config.table === undefined ? 'power' : config.table === 'eye-tracking' ? 'eye-tracking' : 'table',
        eta: config.eta,
        trustBias: config.trustBias !== undefined,
        seed,
        sessions: summary.sessions,
        clicks: summary.clicks,
        sessionsWithoutClick: summary.sessionsWithoutClick,
        ctrByRank: summary.ctrByRank,
        trueExamination: truth.examination,
        relevanceCtr: truth.relevanceCtr,
        intervention: interventionView(sim, table),
        fitted: fit ? fitSimulatedLog(sim.log, sim.model, ds.labels, fit, seed, config.trustBias !== undefined) : undefined,
        sampleSessions: sampleSessions(ds, sim),
        hasDocIds: ds.docIds !== undefined,
        dataName,
        ms: performance.now() - t0,
      },
    };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
}
