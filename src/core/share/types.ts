import type { ExperimentConfig } from '../experiment/config';
import type { SharePanels } from './panels';

/**
 * What a share link carries (issue 9): the experiment config plus how to show it. Links are
 * versioned; older versions are migrated forward (link.ts), never refused for their age.
 *
 * Version history:
 *   1 — `#c=<base64url(deflate(JSON of ExperimentConfig))>` (the config alone, its own version 1).
 *   2 — `#l=<base64url(deflate(JSON of ShareLinkV2))>`: the config and the view below.
 *       Later, still version 2: the optional `panels` part (the click, "Rerank text" and "Adapt the
 *       reranker" panels' settings that differ from their defaults, ./panels.ts). Optional and
 *       additive: a link without it means what it always meant (every panel at its defaults), and an
 *       older RankPlay reading a link with it drops it with a note, using the rest.
 */
export const LINK_VERSION = 2;

/** Guided demos (src/core/share/demos.ts defines them). */
export const DEMO_IDS = ['position-bias', 'ips', 'dla', 'trust-bias', 'click-log', 'lora'] as const;
export type DemoId = (typeof DEMO_IDS)[number];

/** Which test metric the main chart shows. */
export const CHART_METRICS = ['ndcg@1', 'ndcg@3', 'ndcg@5', 'ndcg@10', 'err@10'] as const;
export type ChartMetric = (typeof CHART_METRICS)[number];

/**
 * Controls a link can hide (as the TensorFlow Playground's `_hide` keys): a teaching link shows
 * only what its lesson needs. Each key names one settings group or panel.
 */
export const HIDE_KEYS = ['data', 'rankers', 'clicks', 'schedule', 'backend', 'compare', 'click-panel', 'click-log-panel', 'text-panel', 'inspector'] as const;
export type HideKey = (typeof HIDE_KEYS)[number];

export interface ShareView {
  /** The main chart's metric (default nDCG@10). */
  metric?: ChartMetric;
  /** Hidden controls (default none). */
  hide?: HideKey[];
  /** A guided demo's explanation to show beside the experiment. */
  demo?: DemoId;
}

export interface ShareLinkV2 {
  v: 2;
  experiment: ExperimentConfig;
  view: ShareView;
  /** Panel settings that differ from the defaults (absent: all at their defaults). */
  panels?: SharePanels;
  /** Start training as soon as the page has loaded the data. */
  run?: boolean;
}

export type ShareLink = ShareLinkV2;
