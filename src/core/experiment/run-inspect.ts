import type { ClickLog } from '../clicks/log';
import type { RankingDataset } from '../data/dataset';

/** One query as each ranker orders it: what the ranked-list inspector shows. */
export interface QueryInspection {
  split: 'train' | 'test';
  query: number;
  queryId: string;
  /** The query's documents in data order: label, and (training queries) clicks and impressions in the log. */
  docs: { label: number; clicks: number; impressions: number }[];
  /** Per ranker: document indices (into `docs`) best first, and each document's score. */
  rankings: Record<string, { order: number[]; scores: number[] }>;
}

/** Clicks and impressions per row of `ds`, counted over a log simulated on it. */
export function clickCountsByRow(log: ClickLog, nRows: number): { clicks: Uint32Array; impressions: Uint32Array } {
  const clicks = new Uint32Array(nRows);
  const impressions = new Uint32Array(nRows);
  for (let i = 0; i < log.shown.length; i++) {
    const row = log.shown[i];
    if (row < 0) continue;
    impressions[row]++;
    clicks[row] += log.clicks[i];
  }
  return { clicks, impressions };
}

/** Builds the inspection of query q from per-ranker scores of every row of `ds`. Ties keep data order. */
export function inspectQuery(
  ds: RankingDataset,
  split: 'train' | 'test',
  q: number,
  scoresByRanker: Record<string, ArrayLike<number>>,
  counts: { clicks: Uint32Array; impressions: Uint32Array } | null,
): QueryInspection {
  const nQ = ds.qidOffsets.length - 1;
  if (!Number.isInteger(q) || q < 0 || q >= nQ) throw new Error(`query index ${q} is out of range: the ${split} split has ${nQ} queries (0..${nQ - 1})`);
  const from = ds.qidOffsets[q];
  const to = ds.qidOffsets[q + 1];
  const docs = [];
  for (let row = from; row < to; row++) {
    docs.push({ label: ds.labels[row], clicks: counts?.clicks[row] ?? 0, impressions: counts?.impressions[row] ?? 0 });
  }
  const rankings: QueryInspection['rankings'] = {};
  for (const [id, all] of Object.entries(scoresByRanker)) {
    const scores = Array.from({ length: to - from }, (_, i) => all[from + i]);
    const order = scores.map((_, i) => i).sort((a, b) => scores[b] - scores[a] || a - b);
    rankings[id] = { order, scores };
  }
  return { split, query: q, queryId: ds.queryIds[q] ?? String(q), docs, rankings };
}
