import { ctrByRank, type ClickLog } from '../core/clicks/log';
import {
  CLICK_MODEL_NAMES,
  clickModelKeyParams,
  fitClickModelSteps,
  isClickModelName,
  scoreHeldOut,
  splitSessions,
  type ClickModelKeyParams,
  type ClickModelName,
  type UnseenPolicy,
} from '../core/clicks/fit';
import { CLICK_LOG_LABELS, parseClickSessions, type ClickLogFormat } from '../core/clicks/logs';
import { DataError, describeSkips, isDataError } from '../core/data/parse/errors';
import { blobSource } from '../core/data/parse/stream';
import { driveAsync, isCancelledError } from '../core/clicks/simulate/drive';
import type { LoadProgressEvent } from './protocol';

/**
 * The click-log panel's worker side: read a real click log (RankPlay TSV, Yandex, Baidu-ULTR
 * sessions) with progress, hold out sessions (or take a second file as the test log), fit the
 * chosen click models and evaluate them on the held-out part. Only small plain results come back:
 * the log itself stays in the worker and is dropped after the fit.
 */

export type { ClickModelName as ClickFitModelName, UnseenPolicy } from '../core/clicks/fit';

export interface ClickLogFitOptions {
  /** Fraction of the sessions held out for evaluation (ignored when a second file is the test log). */
  testFraction: number;
  /** Seed of the held-out split. */
  seed: number;
  models: ClickModelName[];
  /** What (query, doc) pairs unseen in training get: the prior mean (0.5, default) or the fitted mean. */
  unseen?: UnseenPolicy;
  /** Drop sessions with a malformed line (reported) instead of stopping at the first. */
  skipBadLines?: boolean;
}

/** Parameters, metrics and fit time of one model on the held-out sessions. */
export interface ClickLogModelResult {
  model: ClickModelName;
  logLikelihood: number;
  perplexity: number;
  /** Index r − 1; null where no test session showed rank r. */
  perplexityAtRank: (number | null)[];
  conditionalPerplexity: number;
  params: ClickModelKeyParams;
  method: 'mle' | 'em';
  iterations: number;
  converged: boolean;
  /** Fit and evaluation, wall time. */
  ms: number;
  notes: string[];
}

export interface ClickLogFileSummary {
  name: string;
  format: ClickLogFormat;
  formatLabel: string;
  sessions: number;
  impressions: number;
  clicks: number;
  queries: number;
  docs: number;
  /** Slots per session (the longest session, as the parser read it). */
  k: number;
  ctrByRank: number[];
  warnings: string[];
}

export interface ClickLogSummary {
  files: ClickLogFileSummary[];
  split: { testFraction: number; seed: number } | { testFile: string };
  trainSessions: number;
  testSessions: number;
  testImpressions: number;
  /** How the test sessions' unseen queries and (query, doc) pairs were handled. */
  unseen: { pairs: number; impressions: number; queries: number; policy: UnseenPolicy; attractiveness: number; description: string };
  parseMs: number;
}

export interface ClickLogFitResult {
  summary: ClickLogSummary;
  models: ClickLogModelResult[];
  /** The model with the lowest held-out perplexity. */
  best: ClickModelName;
  ms: number;
}

/** How a fit ended: results, or a message that names file, line and reason. */
export type ClickLogFitOutcome = { ok: true; result: ClickLogFitResult } | { ok: false; cancelled: boolean; error: string; file?: string; line?: number };

/** Fitting progress, model by model (reading progress comes as 'load-progress' with task 'click-log'). */
export interface ClickFitProgressEvent {
  type: 'click-fit-progress';
  model: ClickModelName;
  /** 0-based index of the model being fitted, and how many there are. */
  modelIndex: number;
  modelCount: number;
  /** EM iterations done so far (0 for the closed forms and at the start). */
  iteration: number;
  elapsedMs: number;
}

export type ClickLogEvent = LoadProgressEvent | ClickFitProgressEvent;

const PROGRESS_EVERY_MS = 100;

function checkOptions(files: readonly File[], o: ClickLogFitOptions): string | null {
  if (files.length < 1 || files.length > 2) return `choose one click log (held-out sessions are split from it) or two (training log, then test log); got ${files.length} files`;
  if (!(o.testFraction > 0 && o.testFraction < 1)) return `the test fraction must be between 0 and 1 (exclusive), got ${o.testFraction}`;
  if (!Number.isInteger(o.seed) || o.seed < 0 || o.seed >= 2 ** 32) return `the seed must be a whole number from 0 to 2^32 − 1, got ${o.seed}`;
  if (o.models.length === 0) return `choose at least one click model (${CLICK_MODEL_NAMES.join(', ')})`;
  const bad = o.models.find((m) => !isClickModelName(m));
  if (bad !== undefined) return `unknown click model '${String(bad)}' (known: ${CLICK_MODEL_NAMES.join(', ')})`;
  if (o.unseen !== undefined && o.unseen !== 'prior' && o.unseen !== 'mean') return `unseen must be 'prior' or 'mean', got '${String(o.unseen)}'`;
  return null;
}

/** Lets queued messages (a cancel) in between models; within a model, driveAsync does. */
const breathe = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

function fileSummary(name: string, format: ClickLogFormat, log: ClickLog, stats: { sessions: number; impressions: number; clicks: number }, warnings: string[]): ClickLogFileSummary {
  return {
    name,
    format,
    formatLabel: CLICK_LOG_LABELS[format],
    sessions: stats.sessions,
    impressions: stats.impressions,
    clicks: stats.clicks,
    queries: log.queryIds.length,
    docs: log.docIds?.length ?? 0,
    k: log.k,
    ctrByRank: Array.from(ctrByRank(log)),
    warnings,
  };
}

function describeUnseen(u: { pairs: number; impressions: number; queries: number }, testImpressions: number, policy: UnseenPolicy, attractiveness: number): string {
  if (u.impressions === 0) return 'Every (query, document) pair of the test sessions was seen in training.';
  const share = ((100 * u.impressions) / Math.max(1, testImpressions)).toFixed(1);
  const value = policy === 'prior' ? `the prior mean ${attractiveness.toFixed(2)}` : 'the mean fitted value of each model';
  return (
    `${u.impressions.toLocaleString('en')} of ${testImpressions.toLocaleString('en')} test impressions (${share}%) show one of ${u.pairs.toLocaleString('en')} ` +
    `(query, document) pairs training never saw, ${u.queries.toLocaleString('en')} test quer${u.queries === 1 ? 'y is' : 'ies are'} new; ` +
    `they are kept and their attractiveness (and DBN satisfaction) is ${value}. Position parameters apply as fitted.`
  );
}

/**
 * One click-log fit at a time: a new one cancels the one in flight. Reading stops at the next
 * chunk; a fit stops between EM iterations.
 */
export class ClickLogService {
  private abort: AbortController | null = null;

  constructor(private readonly emit: (e: ClickLogEvent) => void) {}

  cancel(): void {
    this.abort?.abort();
  }

  async fit(files: File[], options: ClickLogFitOptions): Promise<ClickLogFitOutcome> {
    const invalid = checkOptions(files, options);
    if (invalid) return { ok: false, cancelled: false, error: invalid };
    this.abort?.abort();
    const abort = new AbortController();
    this.abort = abort;
    const t0 = performance.now();
    try {
      const logs = [];
      for (let i = 0; i < files.length; i++) {
        const name = files[i].webkitRelativePath || files[i].name;
        const parsed = await parseClickSessions(blobSource(files[i], name), {
          signal: abort.signal,
          skipBadLines: options.skipBadLines,
          onProgress: (p) => this.emit({ type: 'load-progress', task: 'click-log', file: name, fileIndex: i, fileCount: files.length, ...p }),
        });
        const skips = describeSkips(name, parsed.skipped);
        logs.push({ name, parsed, summary: fileSummary(name, parsed.format, parsed.log, parsed.stats, skips ? [...parsed.warnings, skips] : parsed.warnings) });
      }
      const parseMs = performance.now() - t0;
      const [main, testFile] = logs;
      const { train, test } = testFile ? { train: main.parsed.log, test: testFile.parsed.log } : splitSessions(main.parsed.log, options.testFraction, options.seed, main.name);
      const testName = testFile ? testFile.name : `${main.name} (held-out sessions)`;
      const { results, unseen, testImpressions } = await this.fitModels(train, test, [...new Set(options.models)], options.unseen, main.name, testName, abort.signal, t0);
      const best = results.reduce((a, b) => (b.perplexity < a.perplexity ? b : a)).model;
      return {
        ok: true,
        result: {
          summary: {
            files: logs.map((l) => l.summary),
            split: testFile ? { testFile: testFile.name } : { testFraction: options.testFraction, seed: options.seed },
            trainSessions: train.query.length,
            testSessions: test.query.length,
            testImpressions,
            unseen: { ...unseen, description: describeUnseen(unseen, testImpressions, unseen.policy, unseen.attractiveness) },
            parseMs,
          },
          models: results,
          best,
          ms: performance.now() - t0,
        },
      };
    } catch (e) {
      if (isDataError(e)) return { ok: false, cancelled: e.kind === 'cancelled', error: e.message, file: e.file, line: e.line };
      return { ok: false, cancelled: false, error: e instanceof Error ? e.message : String(e) };
    } finally {
      if (this.abort === abort) this.abort = null;
    }
  }

  /** Fits and scores each model in turn, letting a cancel in between them. */
  private async fitModels(train: ClickLog, test: ClickLog, models: ClickModelName[], unseenPolicy: UnseenPolicy | undefined, name: string, testName: string, signal: AbortSignal, t0: number) {
    const results: ClickLogModelResult[] = [];
    let unseen: Omit<ClickLogSummary['unseen'], 'description'> | null = null;
    let testImpressions = 0;
    for (let i = 0; i < models.length; i++) {
      await breathe();
      if (signal.aborted) throw new DataError({ kind: 'cancelled', file: name, reason: 'fitting was cancelled' });
      const model = models[i];
      const start = performance.now();
      let last = -Infinity;
      const progress = (iteration: number) => {
        const now = performance.now();
        if (now - last < PROGRESS_EVERY_MS) return;
        last = now;
        this.emit({ type: 'click-fit-progress', model, modelIndex: i, modelCount: models.length, iteration, elapsedMs: now - t0 });
      };
      progress(0);
      // Stepped, so a cancel stops it between EM iterations rather than after the whole model.
      const fitted = await driveAsync(fitClickModelSteps(train, model, { unseen: unseenPolicy, name, onIteration: progress }), { signal }).catch((e: unknown) => {
        throw isCancelledError(e) ? new DataError({ kind: 'cancelled', file: name, reason: 'fitting was cancelled' }) : e;
      });
      const fit = scoreHeldOut(fitted, test, { testName });
      const e = fit.evaluation;
      results.push({
        model,
        logLikelihood: e.logLikelihood,
        perplexity: e.perplexity,
        perplexityAtRank: e.perplexityAtRank,
        conditionalPerplexity: e.conditionalPerplexity,
        params: clickModelKeyParams(fit.fitted),
        method: fit.fitted.fit.method,
        iterations: fit.fitted.fit.iterations,
        converged: fit.fitted.fit.converged,
        ms: performance.now() - start,
        notes: fit.notes,
      });
      // Which pairs are unseen depends on the split only, not on the model.
      unseen ??= { pairs: e.unseenPairs, impressions: e.unseenImpressions, queries: e.unseenQueries, policy: fit.fitted.defaults.policy, attractiveness: fit.fitted.defaults.attractiveness };
      testImpressions = e.impressions;
    }
    // checkOptions guarantees at least one model, so `unseen` is set.
    return { results, unseen: unseen!, testImpressions };
  }
}
