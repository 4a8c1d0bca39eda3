import { LOSS_NAMES } from '../../rank/losses/types';
import { checkAdaptationConfig } from '../lora/adaptations';
import { checkQueries, hasRelevant } from './data';
import { TEXT_ESTIMATORS, type AdaptData, type AdaptTrainConfig } from './types';

/** Readable checks of a training config and its data, before anything is built; each message names the field. */

const whole = (v: number, min: number) => Number.isInteger(v) && v >= min;

export function checkAdaptTrainConfig(cfg: AdaptTrainConfig): void {
  const need = (ok: boolean, message: string) => {
    if (!ok) throw new Error(message);
  };
  need(Number.isInteger(cfg.seed), `the seed must be a whole number, got ${cfg.seed}`);
  checkAdaptationConfig(cfg.adaptation);
  need((LOSS_NAMES as readonly string[]).includes(cfg.loss), `unknown loss '${cfg.loss}' (one of ${LOSS_NAMES.join(', ')})`);
  need(whole(cfg.steps, 0), `steps must be a whole number ≥ 0, got ${cfg.steps}`);
  need(whole(cfg.listsPerStep, 1), `listsPerStep must be at least 1, got ${cfg.listsPerStep}`);
  need(whole(cfg.listSize, 2), `listSize must be at least 2, got ${cfg.listSize}`);
  need(Number.isFinite(cfg.learningRate) && cfg.learningRate > 0, `the learning rate must be positive, got ${cfg.learningRate}`);
  need(whole(cfg.warmupSteps, 0), `warmupSteps must be a whole number ≥ 0, got ${cfg.warmupSteps}`);
  need(cfg.clipNorm >= 0, `clipNorm must be ≥ 0 (0 = off), got ${cfg.clipNorm}`);
  need(whole(cfg.maxLength, 3), `maxLength must be at least 3 tokens ([CLS] and two [SEP]), got ${cfg.maxLength}`);
  need(whole(cfg.evalEvery, 1), `evalEvery must be at least 1, got ${cfg.evalEvery}`);
  need(whole(cfg.patience, 0), `patience must be a whole number ≥ 0 (0 = never stop early), got ${cfg.patience}`);
  need(whole(cfg.rerankDepth, 1), `rerankDepth must be at least 1, got ${cfg.rerankDepth}`);
  need(cfg.rankMePairs === 0 || whole(cfg.rankMePairs, 2), `rankMePairs must be 0 (off) or at least 2, got ${cfg.rankMePairs}`);
  const d = cfg.modelDropout ?? 0;
  need(d >= 0 && d < 1, `modelDropout must be in [0, 1), got ${d}`);
  need(cfg.negatives.kind === 'random' || cfg.negatives.kind === 'hard', `negatives must be 'random' or 'hard', got '${String(cfg.negatives.kind)}'`);
  need(whole(cfg.negatives.skipTopUnlabelled, 0), `skipTopUnlabelled must be a whole number ≥ 0, got ${cfg.negatives.skipTopUnlabelled}`);
  const s = cfg.signal;
  if (s.kind === 'clicks') {
    need((TEXT_ESTIMATORS as readonly string[]).includes(s.estimator), `estimator '${s.estimator}' cannot train the text model (one of ${TEXT_ESTIMATORS.join(', ')})`);
    need(whole(s.sessionsPerQuery, 1), `sessionsPerQuery must be at least 1, got ${s.sessionsPerQuery}`);
    need(whole(s.topK, 2), `topK (ranks shown per session) must be at least 2, got ${s.topK}`);
    need(Number.isFinite(s.eta) && s.eta >= 0, `η must be ≥ 0, got ${s.eta}`);
    need(s.epsilonMinus >= 0 && s.epsilonPlus <= 1 && s.epsilonMinus <= s.epsilonPlus, `click probabilities need 0 ≤ ε− ≤ ε+ ≤ 1, got ε− = ${s.epsilonMinus}, ε+ = ${s.epsilonPlus}`);
    need(s.epsilonPlus > 0, 'ε+ must be positive, or no session has a click');
    need(s.clip >= 0 && s.clip <= 1, `the propensity clip must be in [0, 1], got ${s.clip}`);
  } else {
    need(s.kind === 'labels', `unknown training signal '${String((s as { kind: unknown }).kind)}' (labels or clicks)`);
  }
}

export function checkAdaptData(data: AdaptData, cfg: AdaptTrainConfig): void {
  const n = data.corpus.length;
  if (n === 0) throw new Error('the corpus is empty');
  checkQueries(data.train, n, 'training');
  checkQueries(data.validation, n, 'validation');
  if (data.train.length === 0) throw new Error('there are no training queries');
  if (!data.train.some(hasRelevant)) throw new Error('no training query has a relevant passage');
  if (data.validation.length === 0) throw new Error('there are no validation queries');
  if (!data.validation.some((q) => q.candidates.length > 0)) throw new Error('no validation query has first-stage candidates to rerank');
  if (cfg.signal.kind === 'clicks' && !data.train.some((q) => q.candidates.length > 0)) throw new Error('no training query has first-stage candidates to show in click sessions');
  if (cfg.signal.kind === 'labels' && n < 2) throw new Error('the corpus needs at least 2 passages for a list');
}
