import type { RankingDataset } from './dataset';

/**
 * Feature normalisation, fitted on the training split only and applied to every split, so that
 * no statistic of the validation or test data leaks into training.
 * - zscore: (x − mean) / sd
 * - minmax: (x − min) / (max − min)
 * - log1p-z: z-score of sign(x)·log(1 + |x|), for heavy-tailed counts (MSLR's BM25, PageRank...)
 * Constant features get scale 1 (they become 0 or stay constant), never a division by zero.
 */
export const NORMALIZATION_KINDS = ['none', 'zscore', 'minmax', 'log1p-z'] as const;

export type NormalizationKind = (typeof NORMALIZATION_KINDS)[number];

export interface FeatureTransform {
  kind: NormalizationKind;
  /** y = (f(x) − shift) / scale, f = identity or signed log1p. */
  shift: Float64Array;
  scale: Float64Array;
}

function signedLog1p(v: number): number {
  return v < 0 ? -Math.log1p(-v) : Math.log1p(v);
}

export function fitNormalization(train: RankingDataset, kind: NormalizationKind): FeatureTransform {
  const d = train.nFeatures;
  const shift = new Float64Array(d);
  const scale = new Float64Array(d).fill(1);
  if (kind === 'none') return { kind, shift, scale };
  const n = train.labels.length;
  const x = train.features;
  const f = kind === 'log1p-z' ? signedLog1p : (v: number) => v;
  if (kind === 'minmax') {
    const min = new Float64Array(d).fill(Infinity);
    const max = new Float64Array(d).fill(-Infinity);
    for (let r = 0; r < n; r++) {
      for (let j = 0; j < d; j++) {
        const v = x[r * d + j];
        if (v < min[j]) min[j] = v;
        if (v > max[j]) max[j] = v;
      }
    }
    for (let j = 0; j < d; j++) {
      shift[j] = n ? min[j] : 0;
      scale[j] = n && max[j] > min[j] ? max[j] - min[j] : 1;
    }
    return { kind, shift, scale };
  }
  // Welford's update: stable for large counts and large offsets.
  const mean = new Float64Array(d);
  const m2 = new Float64Array(d);
  for (let r = 0; r < n; r++) {
    for (let j = 0; j < d; j++) {
      const v = f(x[r * d + j]);
      const delta = v - mean[j];
      mean[j] += delta / (r + 1);
      m2[j] += delta * (v - mean[j]);
    }
  }
  for (let j = 0; j < d; j++) {
    shift[j] = mean[j];
    const sd = n ? Math.sqrt(m2[j] / n) : 0;
    scale[j] = sd > 1e-12 ? sd : 1;
  }
  return { kind, shift, scale };
}

/** A copy of `ds` with transformed features (labels and offsets shared: they do not change). */
export function applyNormalization(ds: RankingDataset, t: FeatureTransform): RankingDataset {
  if (t.kind === 'none') return ds;
  const d = ds.nFeatures;
  if (t.shift.length !== d) throw new Error(`normalisation fitted on ${t.shift.length} features, applied to ${d}`);
  const x = ds.features;
  const out = new Float32Array(x.length);
  const log = t.kind === 'log1p-z';
  for (let i = 0; i < x.length; i++) {
    const j = i % d;
    const v = log ? signedLog1p(x[i]) : x[i];
    out[i] = (v - t.shift[j]) / t.scale[j];
  }
  return { ...ds, features: out };
}
