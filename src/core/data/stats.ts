import type { RankingDataset } from './dataset';

export interface CountSummary {
  min: number;
  mean: number;
  max: number;
}

export interface HistogramBin {
  /** Inclusive lower and upper bound of the bin (whole numbers). */
  from: number;
  to: number;
  count: number;
}

export interface FeatureStats {
  min: Float64Array;
  max: Float64Array;
  mean: Float64Array;
  /** Documents where the feature was absent from the file (0 when the source has no notion of absence). */
  missing: Float64Array;
}

export interface DatasetStats {
  queries: number;
  docs: number;
  features: number;
  /** label → number of documents, for every label present, ascending. */
  labels: Record<string, number>;
  docsPerQuery: CountSummary;
  docsPerQueryHistogram: HistogramBin[];
  /** Queries where no document has a label ≥ 1: they carry no ranking signal. */
  noRelevantQueries: number;
  featureStats: FeatureStats;
}

const HISTOGRAM_BINS = 20;

/** Whole-number bins covering [min, max], at most HISTOGRAM_BINS of them. */
export function integerHistogram(values: ArrayLike<number>, bins = HISTOGRAM_BINS): HistogramBin[] {
  if (values.length === 0) return [];
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    if (values[i] < min) min = values[i];
    if (values[i] > max) max = values[i];
  }
  const width = Math.max(1, Math.ceil((max - min + 1) / bins));
  const n = Math.floor((max - min) / width) + 1;
  const out = Array.from({ length: n }, (_, b) => ({ from: min + b * width, to: Math.min(max, min + (b + 1) * width - 1), count: 0 }));
  for (let i = 0; i < values.length; i++) out[Math.floor((values[i] - min) / width)].count++;
  return out;
}

/**
 * One pass over the columnar data: per-query list sizes and relevance, the label histogram,
 * and per-feature min / max / mean (and how often each was missing, when the parser knew).
 */
export function computeStats(ds: RankingDataset, featurePresence?: Float64Array): DatasetStats {
  const nQ = ds.qidOffsets.length - 1;
  const nDocs = ds.labels.length;
  const d = ds.nFeatures;
  const sizes = new Int32Array(nQ);
  let noRelevant = 0;
  for (let q = 0; q < nQ; q++) {
    const from = ds.qidOffsets[q];
    const to = ds.qidOffsets[q + 1];
    sizes[q] = to - from;
    let relevant = false;
    for (let i = from; i < to && !relevant; i++) relevant = ds.labels[i] >= 1;
    if (!relevant) noRelevant++;
  }
  const labelCounts = new Map<number, number>();
  for (let i = 0; i < nDocs; i++) labelCounts.set(ds.labels[i], (labelCounts.get(ds.labels[i]) ?? 0) + 1);
  const labels: Record<string, number> = {};
  for (const key of [...labelCounts.keys()].sort((a, b) => a - b)) labels[String(key)] = labelCounts.get(key)!;

  const min = new Float64Array(d).fill(Infinity);
  const max = new Float64Array(d).fill(-Infinity);
  const sum = new Float64Array(d);
  const x = ds.features;
  for (let r = 0; r < nDocs; r++) {
    const o = r * d;
    for (let j = 0; j < d; j++) {
      const v = x[o + j];
      if (v < min[j]) min[j] = v;
      if (v > max[j]) max[j] = v;
      sum[j] += v;
    }
  }
  const mean = sum.map((s) => (nDocs ? s / nDocs : 0));
  if (nDocs === 0) {
    min.fill(0);
    max.fill(0);
  }
  const missing = new Float64Array(d);
  if (featurePresence) for (let j = 0; j < d; j++) missing[j] = nDocs - (featurePresence[j] ?? 0);

  let sizeMin = Infinity;
  let sizeMax = 0;
  for (const s of sizes) {
    sizeMin = Math.min(sizeMin, s);
    sizeMax = Math.max(sizeMax, s);
  }
  return {
    queries: nQ,
    docs: nDocs,
    features: d,
    labels,
    docsPerQuery: { min: nQ ? sizeMin : 0, mean: nQ ? nDocs / nQ : 0, max: sizeMax },
    docsPerQueryHistogram: integerHistogram(sizes),
    noRelevantQueries: noRelevant,
    featureStats: { min, max, mean, missing },
  };
}
