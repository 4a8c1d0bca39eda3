import type { RankingDataset } from '../core/data/dataset';
import { queryCount } from '../core/data/dataset';
import { parseClickModel, type ClickModelName } from '../core/clicks/models/config';
import { clickProbabilities, compileClickModel } from '../core/clicks/models/semantics';
import { buildPolicy } from '../core/clicks/policies/config';
import { simulateClicks, summarizeLog } from '../core/clicks/simulate';
import { clickModelParams, evaluateClickModel, fitClickModel, splitSessions } from '../core/clicks/fit';

/**
 * The click panel's worker side: simulate a click log on the current experiment's training data,
 * summarise it per rank (CTR, the model's true examination, what CTR would be without position
 * bias), and optionally fit PBM on 75% of the sessions and evaluate it on the rest. Everything
 * returned is small and plain (arrays of numbers), so it crosses the worker boundary cheaply.
 */

export type ClickPolicyName = 'production' | 'random';

export interface ClickSimRequest {
  /** A click-model config (core/clicks/models schema); validated here. ymax defaults to the data's top grade. */
  model: Record<string, unknown>;
  policy: ClickPolicyName;
  sessions: number;
  seed: number;
  /** Fit PBM on 75% of the sessions, evaluate on the other 25%. */
  fit: boolean;
}

export interface ClickSessionView {
  query: string;
  docs: { label: number; clicked: boolean }[];
}

export interface ClickSimResult {
  model: ClickModelName;
  policy: ClickPolicyName;
  /** Slots per session. */
  k: number;
  ymax: number;
  sessions: number;
  clicks: number;
  sessionsWithoutClick: number;
  /** CTR per rank (index r − 1). */
  ctrByRank: number[];
  /**
   * The true probability of examining rank r, averaged over the simulated sessions: θ_r = (1/r)^η
   * (or table^η) for PBM; for the cascade family and UBM, P(C_r) ÷ a(r, y_r) from the exact click
   * probabilities of each shown list (it depends on the documents above).
   */
  trueExamination: number[];
  /** Mean attractiveness a(r, y) of the documents shown at each rank: CTR without position bias. */
  relevanceCtr: number[];
  fitted?: { examination: number[]; perplexity: number; trainSessions: number; testSessions: number };
  sampleSessions: ClickSessionView[];
  /** Where the data came from, for the summary line. */
  dataName: string;
  ms: number;
}

export type ClickSimOutcome = { ok: true; result: ClickSimResult } | { ok: false; error: string };

const SAMPLE_SESSIONS = 5;
const MAX_SESSIONS = 1_000_000;

function maxLabel(ds: RankingDataset): number {
  let m = 0;
  for (let i = 0; i < ds.labels.length; i++) if (ds.labels[i] > m) m = ds.labels[i];
  return m;
}

export function simulateClickPanel(ds: RankingDataset, dataName: string, req: ClickSimRequest): ClickSimOutcome {
  const t0 = performance.now();
  if (!Number.isInteger(req.sessions) || req.sessions < 1 || req.sessions > MAX_SESSIONS) {
    return { ok: false, error: `sessions must be a whole number from 1 to ${MAX_SESSIONS.toLocaleString('en')}, got ${req.sessions}` };
  }
  if (req.policy !== 'production' && req.policy !== 'random') return { ok: false, error: `policy must be 'production' or 'random', got '${String(req.policy)}'` };
  if (queryCount(ds) === 0) return { ok: false, error: 'the data set has no queries' };
  const input = { ...req.model };
  if (input.ymax === undefined) input.ymax = Math.min(16, Math.max(1, maxLabel(ds)));
  const parsed = parseClickModel(input);
  if (!parsed.ok) return { ok: false, error: `click model: ${parsed.error}` };
  const config = parsed.value;
  if (req.fit && req.sessions < 8) return { ok: false, error: 'fitting PBM needs at least 8 sessions (75% to fit, 25% to evaluate)' };

  try {
    const k = config.topK;
    const policy = buildPolicy(ds, req.policy === 'production' ? { kind: 'production', fraction: 0.01, ridge: 0.1 } : { kind: 'random' }, k, req.seed);
    const sim = simulateClicks(ds, policy, config, { sessions: req.sessions, seed: req.seed });
    const { log, model: m } = sim;
    const summary = summarizeLog(log);

    // Per-rank means over impressions: attractiveness (relevance alone) and examination.
    const impressions = new Float64Array(k);
    const attrSum = new Float64Array(k);
    const examSum = new Float64Array(k);
    const examCount = new Float64Array(k);
    const grades = new Int32Array(k);
    const S = log.query.length;
    for (let s = 0; s < S; s++) {
      const base = s * k;
      let n = 0;
      while (n < k && log.shown[base + n] >= 0) {
        grades[n] = ds.labels[log.shown[base + n]];
        n++;
      }
      const probs = m.model === 'pbm' ? null : clickProbabilities(m, grades.subarray(0, n));
      for (let r = 0; r < n; r++) {
        const a = m.attractiveness[r * m.grades + grades[r]];
        impressions[r]++;
        attrSum[r] += a;
        if (probs) {
          if (a > 0) {
            examSum[r] += probs[r] / a;
            examCount[r]++;
          }
        }
      }
    }
    const relevanceCtr = Array.from(attrSum, (v, r) => (impressions[r] ? v / impressions[r] : 0));
    const trueExamination =
      m.model === 'pbm' ? Array.from(m.examination) : Array.from(examSum, (v, r) => (examCount[r] ? v / examCount[r] : 0));

    let fitted: ClickSimResult['fitted'];
    if (req.fit) {
      const { train, test } = splitSessions(log, 0.25, req.seed);
      const fit = fitClickModel(train, 'pbm');
      const params = clickModelParams(fit) as { examinationRelative: number[] };
      const evaluation = evaluateClickModel(fit, test);
      fitted = { examination: params.examinationRelative, perplexity: evaluation.perplexity, trainSessions: train.query.length, testSessions: test.query.length };
    }

    const sampleSessions: ClickSessionView[] = [];
    for (let s = 0; s < Math.min(SAMPLE_SESSIONS, S); s++) {
      const docs: ClickSessionView['docs'] = [];
      for (let r = 0; r < k; r++) {
        const row = log.shown[s * k + r];
        if (row < 0) break;
        docs.push({ label: ds.labels[row], clicked: log.clicks[s * k + r] === 1 });
      }
      sampleSessions.push({ query: log.queryIds[log.query[s]], docs });
    }

    return {
      ok: true,
      result: {
        model: config.model,
        policy: req.policy,
        k,
        ymax: config.ymax,
        sessions: summary.sessions,
        clicks: summary.clicks,
        sessionsWithoutClick: summary.sessionsWithoutClick,
        ctrByRank: summary.ctrByRank,
        trueExamination,
        relevanceCtr,
        fitted,
        sampleSessions,
        dataName,
        ms: performance.now() - t0,
      },
    };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
}
