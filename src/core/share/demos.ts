import { parseConfig, type ExperimentConfig } from '../experiment/config';
import { applyPreset } from '../experiment/presets';
import { trustBiasPreset } from '../clicks/models/trust-bias';
import type { EstimatorName } from '../rank/estimators/types';
import { DEMO_IDS, HIDE_KEYS, type ChartMetric, type DemoId, type HideKey, type ShareLinkV2 } from './types';

/**
 * Guided demos (issue 9): each is a share link (the experiment, what to show, whether to start)
 * plus a short lesson. A link carries only the demo's id; the text always comes from here, so a
 * link can never inject markup. Paragraphs mark TeX with `$…$` (inline) or `$$…$$` (display);
 * splitTex cuts them up.
 */

/** What a demo's panel offers beyond the explanation. */
export type DemoAction = 'fit-sample-log' | 'show-adapt';

export interface Demo {
  id: DemoId;
  title: string;
  /** One line for the menu. */
  blurb: string;
  /** 2–4 short paragraphs; `$…$` is inline TeX, `$$…$$` display TeX. */
  paragraphs: readonly string[];
  /** One sentence: the chart to look at and the ordering to expect. */
  watch: string;
  action?: DemoAction;
}

/** The shipped sample click log (a 2,000-session PBM η = 1 log, the e2e fixture). */
export const SAMPLE_CLICK_LOG_URL = 'demo/click-log/sample.tsv';
export const SAMPLE_CLICK_LOG_NAME = 'sample.tsv';

/** Controls hidden in every training demo: the lesson is the rankers, the clicks and the charts. */
const TRAINING_HIDE: HideKey[] = ['data', 'schedule', 'backend', 'compare', 'click-panel', 'click-log-panel', 'text-panel', 'inspector'];

/**
 * The teaching preset (ULTRA's setting: PBM η = 1 on a production ranker's top 10) on a synthetic
 * set large enough for clear gaps (estimators.test.ts measures them at 400 queries, 400 steps),
 * with only the rankers the lesson compares. Seed 2: on the cpu backend the gaps show from step
 * 60 on (test nDCG@10 at step 100: naive 0.707, IPS 0.763, DLA 0.770, oracle 0.855; trust bias:
 * naive 0.666, IPS 0.770).
 */
function teachingExperiment(estimators: readonly EstimatorName[], edit?: (c: ExperimentConfig) => void): ExperimentConfig {
  const base = parseConfig({ version: 1, seed: 2, data: { kind: 'synthetic', queries: 400, docsPerQuery: 20, features: 16 } });
  if (!base.ok) throw new Error(base.error);
  const c = applyPreset(base.config, 'teaching');
  c.rankers = c.rankers.filter((r) => estimators.includes(r.estimator));
  edit?.(c);
  const parsed = parseConfig(c);
  // The demos are constants checked by a unit test; failing here is a programming error.
  if (!parsed.ok) throw new Error(`demo config is not valid: ${parsed.error}`);
  return parsed.config;
}

/** The default experiment (labels only): the panels the non-training demos point at do not use it. */
function plainExperiment(): ExperimentConfig {
  const parsed = parseConfig({ version: 1 });
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.config;
}

function training(demo: DemoId, experiment: ExperimentConfig, metric: ChartMetric = 'ndcg@10'): ShareLinkV2 {
  return { v: 2, experiment, view: { metric, hide: [...TRAINING_HIDE], demo }, run: true };
}

function panelOnly(demo: DemoId, keep: HideKey): ShareLinkV2 {
  return { v: 2, experiment: plainExperiment(), view: { hide: HIDE_KEYS.filter((k) => k !== keep), demo } };
}

const LINKS: Record<DemoId, () => ShareLinkV2> = {
  'position-bias': () => training('position-bias', teachingExperiment(['naive', 'oracle'])),
  ips: () => training('ips', teachingExperiment(['naive', 'ips', 'oracle'])),
  dla: () => training('dla', teachingExperiment(['naive', 'dla', 'oracle'])),
  'trust-bias': () =>
    training(
      'trust-bias',
      teachingExperiment(['naive', 'ips', 'oracle'], (c) => {
        const m = c.clicks.model;
        m.trustBias = trustBiasPreset(m.epsMinus, m.epsPlus, m.topK);
      }),
    ),
  'click-log': () => panelOnly('click-log', 'click-log-panel'),
  lora: () => panelOnly('lora', 'text-panel'),
};

export const DEMOS: readonly Demo[] = [
  {
    id: 'position-bias',
    title: 'Position bias: why naive click training fails',
    blurb: 'Naive click training against the oracle on position-biased clicks.',
    paragraphs: [
      'Users mostly look at the top of a result list. The position-based model (PBM) says a document $d$ shown at rank $k$ is clicked when it is examined and found attractive: $$P(c = 1 \\mid d, k) = \\theta_k \\cdot \\gamma_d,$$ with examination $\\theta_k = (1/k)^{\\eta}$ and $\\eta = 1$ here.',
      'The clicks come from a production ranker’s top 10. A document it puts first is clicked far more often than an equally relevant one at rank 8, so a click means “relevant and ranked high”. The naive ranker treats every click as a relevance label, $\\mathcal{L} = \\sum_{d} c_d \\, \\ell(f(d))$, and learns to copy the production ranker’s preferences.',
      'The oracle trains on the true labels of whole lists: it is the ceiling that click training can hope to reach.',
    ],
    watch: 'On the test nDCG@10 chart, the oracle climbs above naive and stays there: oracle > naive.',
  },
  {
    id: 'ips',
    title: 'IPS fixes it (if you know the propensities)',
    blurb: 'Inverse propensity scoring with the true examination probabilities.',
    paragraphs: [
      'If we know how likely each rank is to be examined, we can undo the bias: inverse propensity scoring weights each click by $1/\\theta_k$, the inverse of its rank’s examination probability: $$\\mathcal{L}_{\\text{IPS}} = \\sum_{d} \\frac{c_d}{\\theta_{k(d)}} \\, \\ell(f(d)).$$',
      'In expectation the weighted clicks equal the attractiveness $\\gamma_d$: $\\mathbb{E}\\left[\\frac{c_d}{\\theta_k}\\right] = \\frac{\\theta_k \\gamma_d}{\\theta_k} = \\gamma_d$, whatever rank the document was shown at. A click at rank 8 now counts eight times a click at rank 1.',
      'Here IPS is given the true $\\theta_k = 1/k$ of the simulated user. The price of unbiasedness is variance: rare clicks far down get large weights.',
    ],
    watch: 'On the test nDCG@10 chart, IPS rises clearly above naive towards the oracle: oracle ≥ IPS > naive.',
  },
  {
    id: 'dla',
    title: 'DLA learns the propensities itself',
    blurb: 'The dual learning algorithm estimates θ_k while it learns to rank.',
    paragraphs: [
      'In practice nobody hands us $\\theta_k$. The dual learning algorithm (DLA, Ai et al. 2018) learns a ranker $f$ and a propensity model $g$ together: each is trained with inverse weights from the other: $$\\mathcal{L}_f = \\sum_d \\frac{c_d}{g(k_d)} \\ell(f(d)), \\qquad \\mathcal{L}_g = \\sum_d \\frac{c_d}{f(d)} \\ell(g(k_d)).$$',
      'The symmetry is the trick: a click needs both examination and relevance, so estimating one is the mirror of estimating the other. Only ratios are identified, so the chart shows $\\hat\\theta_k / \\hat\\theta_1$.',
      'As training goes on, DLA’s estimated curve should settle onto the true examination $1/k$.',
    ],
    watch: 'On the propensity chart, DLA’s estimated θ_k/θ_1 approaches the true curve; on nDCG@10, DLA > naive.',
  },
  {
    id: 'trust-bias',
    title: 'Trust bias and noisy clicks',
    blurb: 'Users trust the top results: clicks on irrelevant documents depend on rank too.',
    paragraphs: [
      'Real users do more than skip low ranks: they trust the ranker, so an irrelevant document at the top is clicked more readily. Trust bias (Agarwal et al. 2019) makes the click noise depend on rank: $$P(c = 1 \\mid d, k) = \\theta_k \\left( \\epsilon^{-}_k + (\\epsilon^{+}_k - \\epsilon^{-}_k)\\, \\gamma_d \\right).$$',
      'Here $\\epsilon^{-}_k = \\epsilon^{-} + 0.3\\,\\Delta / k$ (more noise clicks at the top) and $\\epsilon^{+}_k = \\epsilon^{+} - 0.1\\,\\Delta\\,(1 - 1/k)$, with $\\Delta = \\epsilon^{+} - \\epsilon^{-}$.',
      'IPS divides by $\\theta_k$ only, so it removes examination bias but not the rank-dependent noise; the affine correction of Vardasbi et al. (2020) undoes both: $$\\hat{r}_d = \\frac{c_d - \\theta_k \\epsilon^{-}_k}{\\theta_k (\\epsilon^{+}_k - \\epsilon^{-}_k)}.$$',
    ],
    watch: 'On the test nDCG@10 chart, IPS still beats naive, and both stay below the oracle: oracle > IPS > naive.',
  },
  {
    id: 'click-log',
    title: 'Fitting click models to a real log',
    blurb: 'Fit PBM, cascade, DCM, DBN and UBM to a log and compare them by perplexity.',
    paragraphs: [
      'A click model is a hypothesis about how people browse; a log of real sessions can test it. Each model is fitted by maximum likelihood (EM) on part of the sessions and scored on the held-out rest.',
      'The score is perplexity at each rank $k$ over the $N$ held-out sessions, $$p_k = 2^{-\\frac{1}{N} \\sum_{s=1}^{N} \\log_2 q_{s,k}},$$ where $q_{s,k}$ is the probability the model gave to what session $s$ did at rank $k$ (a click or a skip): 1 is a perfect prediction, 2 a coin flip.',
      'The sample log was simulated with PBM ($\\eta = 1$), so PBM should fit it best, and its fitted examination should come out near $1/k$. Drop your own log (Yandex, Baidu-ULTR or TSV) to compare the models on real clicks.',
    ],
    watch: 'In the fitted models’ table, PBM has the lowest held-out perplexity, and its examination curve falls like 1/k.',
    action: 'fit-sample-log',
  },
  {
    id: 'lora',
    title: 'Adapting a reranker with LoRA',
    blurb: 'Fine-tune a cross-encoder on new topics by training a small low-rank adapter.',
    paragraphs: [
      'A cross-encoder reranks BM25’s top results by reading query and passage together. To adapt it to new topics without retraining (or storing) all of its weights, LoRA freezes each weight matrix $W$ and learns a low-rank update: $$W\' = W + \\frac{\\alpha}{r} B A,$$ with $B \\in \\mathbb{R}^{d \\times r}$, $A \\in \\mathbb{R}^{r \\times k}$ and $r \\ll \\min(d, k)$.',
      'Only $r(d + k)$ numbers per matrix train; $B$ starts at zero, so training starts from exactly the base model.',
      'Under Rerank text, run BM25 and Rerank, then use Adapt the reranker: train from labels or from simulated, position-biased clicks (debiased with IPS), and compare validation nDCG@10 with the base model’s.',
    ],
    watch: 'In Adapt the reranker, the validation nDCG@10 chart should rise above the base model’s line as the adapter trains.',
    action: 'show-adapt',
  },
];

export function demoById(id: DemoId): Demo {
  const demo = DEMOS.find((d) => d.id === id);
  if (!demo) throw new Error(`no demo '${id}'`);
  return demo;
}

/** The link a demo opens (a fresh object each time: callers may edit it). */
export function demoLink(id: DemoId): ShareLinkV2 {
  return LINKS[id]();
}

/** True when every DemoId has a demo (checked by the unit test). */
export function allDemosDefined(): boolean {
  return DEMO_IDS.every((id) => DEMOS.some((d) => d.id === id));
}

export type TextPart = { kind: 'text'; text: string } | { kind: 'tex'; tex: string; display: boolean };

/** Cuts a paragraph at its `$…$` (inline) and `$$…$$` (display) marks; an unmatched `$` stays text. */
export function splitTex(paragraph: string): TextPart[] {
  const parts: TextPart[] = [];
  let rest = paragraph;
  while (rest.length > 0) {
    const open = rest.indexOf('$');
    const display = open >= 0 && rest.startsWith('$$', open);
    const mark = display ? '$$' : '$';
    const close = open < 0 ? -1 : rest.indexOf(mark, open + mark.length);
    if (open < 0 || close < 0) {
      parts.push({ kind: 'text', text: rest });
      break;
    }
    if (open > 0) parts.push({ kind: 'text', text: rest.slice(0, open) });
    parts.push({ kind: 'tex', tex: rest.slice(open + mark.length, close), display });
    rest = rest.slice(close + mark.length);
  }
  return parts;
}
