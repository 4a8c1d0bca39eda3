import type { RankingDataset } from '../core/data/dataset';
import { queryCount } from '../core/data/dataset';
import { EYE_TRACKING_TABLE, type ClickModelName } from '../core/clicks/models/config';
import { buildPolicy } from '../core/clicks/policies/config';
import { docName } from '../core/clicks/policies/run';
import { estimatePropensities, fitEta } from '../core/clicks/interventions/estimate';
import { drain, driveAsync, isCancelledError, simulationSteps, summarizeLog, type DriveOptions, type SimPhase, type Simulation } from '../core/clicks/simulate';
import { parseClickSimRequest, type ClickSimRequest } from '../core/clicks/simulate/request';
import { truthByRank } from '../core/clicks/simulate/truth';
import { fitSimulatedLogSteps, type ClickFitView } from './clicks-fit';

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

/** How a run ended; `cancelled` when cancelClicks stopped it (the error then says 'Cancelled'). */
export type ClickSimOutcome = { ok: true; result: ClickSimResult } | { ok: false; cancelled?: boolean; error: string };

/** The panel's steps: the simulation's passes, then summarising the log, then fitting `model` (EM iterations). */
export type ClickPanelPhase = SimPhase | 'summary' | 'fit';

/** Progress of a click-panel run, at most every ~50 ms: `done` of `total` (sessions, or EM iterations at most; 0 = unknown). */
export interface ClickProgressEvent {
  type: 'click-progress';
  phase: ClickPanelPhase;
  done: number;
  total: number;
  /** The model being fitted (phase 'fit'). */
  model?: ClickModelName;
}

export type ClickPanelProgress = Omit<ClickProgressEvent, 'type'>;

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

/** Runs the whole panel request synchronously (tests, the CLI): same result as the worker's async run. */
export function simulateClickPanel(ds: RankingDataset, dataName: string, req: ClickSimRequest): ClickSimOutcome {
  const t0 = performance.now();
  const prepared = prepare(ds, req);
  if (!prepared.ok) return prepared;
  try {
    return { ok: true, result: drain(panelSteps(ds, dataName, prepared.value, t0)) };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
}

/** The same run, yielding to the worker's message queue every ~50 ms (progress, cancel; core/clicks/simulate/drive.ts). */
export async function simulateClickPanelAsync(ds: RankingDataset, dataName: string, req: ClickSimRequest, drive: DriveOptions<ClickPanelProgress>): Promise<ClickSimOutcome> {
  const t0 = performance.now();
  const prepared = prepare(ds, req);
  if (!prepared.ok) return prepared;
  try {
    return { ok: true, result: await driveAsync(panelSteps(ds, dataName, prepared.value, t0), drive) };
  } catch (e) {
    if (isCancelledError(e)) return { ok: false, cancelled: true, error: 'Cancelled' };
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
}

type Parsed = ReturnType<typeof parseClickSimRequest> & { ok: true };
type Prepared = { ok: true; value: Parsed['value'] & { dataTopGrade: number } } | { ok: false; error: string };

function prepare(ds: RankingDataset, req: ClickSimRequest): Prepared {
  if (queryCount(ds) === 0) return { ok: false, error: 'the data set has no queries' };
  const dataTopGrade = topGrade(ds);
  const parsed = parseClickSimRequest(req, dataTopGrade);
  if (!parsed.ok) return parsed;
  return { ok: true, value: { ...parsed.value, dataTopGrade } };
}

function* panelSteps(ds: RankingDataset, dataName: string, req: Extract<Prepared, { ok: true }>['value'], t0: number): Generator<ClickPanelProgress, ClickSimResult, void> {
  const { model: config, policy: policyConfig, intervention, sessions, seed, fit, dataTopGrade } = req;
  const policy = buildPolicy(ds, policyConfig, config.topK, seed);
  const sim = yield* simulationSteps(ds, policy, config, { sessions, seed, intervention: intervention ?? undefined });
  yield { phase: 'summary', done: 0, total: 0 };
  const summary = summarizeLog(sim.log);
  const truth = truthByRank(ds.labels, sim.log, sim.model);
  const table = config.table === 'eye-tracking' ? EYE_TRACKING_TABLE : config.table;
  const interventionSummary = interventionView(sim, table);
  const fitted = fit ? yield* fitSimulatedLogSteps(sim.log, sim.model, ds.labels, fit, seed, config.trustBias !== undefined) : undefined;
  return {
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
    intervention: interventionSummary,
    fitted,
    sampleSessions: sampleSessions(ds, sim),
    hasDocIds: ds.docIds !== undefined,
    dataName,
    ms: performance.now() - t0,
  };
}

/**
 * One click-panel run at a time in the worker: a new run cancels the one in flight, and
 * cancel() stops it at its next slice (its outcome then says cancelled). Progress goes out as
 * 'click-progress' events.
 */
export class ClickPanelService {
  private abort: AbortController | null = null;

  constructor(private readonly emit: (e: ClickProgressEvent) => void) {}

  cancel(): void {
    this.abort?.abort();
  }

  async run(ds: RankingDataset, dataName: string, req: ClickSimRequest): Promise<ClickSimOutcome> {
    this.abort?.abort();
    const abort = new AbortController();
    this.abort = abort;
    try {
      return await simulateClickPanelAsync(ds, dataName, req, { signal: abort.signal, onProgress: (p) => this.emit({ type: 'click-progress', ...p }) });
    } finally {
      if (this.abort === abort) this.abort = null;
    }
  }
}
