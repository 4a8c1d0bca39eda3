import { createRng, type Rng } from '../experiment/rng';
import type { RankingDataset } from './dataset';

export interface SyntheticSpec {
  queries: number;
  /** The list size, or the largest one when docsPerQueryMin is set. */
  docsPerQuery: number;
  /** Smallest list size: sizes are then uniform in [docsPerQueryMin, docsPerQuery]. */
  docsPerQueryMin?: number;
  features: number;
  /** Shape of the hidden relevance function. */
  relevance: 'linear' | 'nonlinear';
  /** Gaussian noise added to the hidden score before grading, in units of its standard deviation. */
  noise: number;
  /** Fraction of documents per grade 0..ymax; grades are cut at quantiles of the noisy score. */
  labelDistribution: number[];
}

/** The hidden scoring function: known truth for teaching, never seen by the rankers. */
type HiddenFn = (x: Float32Array, offset: number) => number;

function makeHiddenFunction(spec: SyntheticSpec, rng: Rng): HiddenFn {
  const d = spec.features;
  if (spec.relevance === 'linear') {
    const w = Float32Array.from({ length: d }, () => rng.normal() / Math.sqrt(d));
    return (x, o) => {
      let s = 0;
      for (let j = 0; j < d; j++) s += w[j] * x[o + j];
      return s;
    };
  }
  // A small random tanh network plus one feature interaction: a linear ranker cannot fit it
  // exactly, so an MLP has something to win.
  const hidden = 8;
  const u = Float32Array.from({ length: hidden * d }, () => rng.normal() / Math.sqrt(d));
  const a = Float32Array.from({ length: hidden }, () => rng.normal());
  return (x, o) => {
    let s = 0;
    for (let h = 0; h < hidden; h++) {
      let z = 0;
      for (let j = 0; j < d; j++) z += u[h * d + j] * x[o + j];
      s += a[h] * Math.tanh(1.5 * z);
    }
    return s / Math.sqrt(hidden) + (d >= 2 ? 0.5 * x[o] * x[o + 1] : 0);
  };
}

function standardDeviation(values: Float32Array): number {
  let mean = 0;
  for (const v of values) mean += v;
  mean /= values.length || 1;
  let sq = 0;
  for (const v of values) sq += (v - mean) * (v - mean);
  return Math.sqrt(sq / (values.length || 1)) || 1;
}

/** Grade thresholds at the quantiles of `scores` given by the cumulative label distribution. */
function gradeByQuantiles(scores: Float32Array, distribution: number[]): Int8Array {
  const sorted = Float32Array.from(scores).sort();
  const total = distribution.reduce((s, p) => s + p, 0);
  const cuts: number[] = [];
  let cumulative = 0;
  let prefix = 0;
  for (let g = 0; g < distribution.length - 1; g++) {
    cumulative += distribution[g] / total;
    prefix += distribution[g];
    // No mass left for the grades above g (trailing zeros): an unreachable cut keeps them empty,
    // where sorted[n - 1] would still give the top document a grade of probability 0.
    if (prefix >= total) {
      cuts.push(Number.POSITIVE_INFINITY);
      continue;
    }
    const idx = Math.min(sorted.length - 1, Math.max(0, Math.floor(cumulative * sorted.length)));
    cuts.push(sorted[idx]);
  }
  const labels = new Int8Array(scores.length);
  for (let i = 0; i < scores.length; i++) {
    let g = 0;
    while (g < cuts.length && scores[i] >= cuts[g]) g++;
    labels[i] = g;
  }
  return labels;
}

/** CSR offsets for the list sizes: all docsPerQuery, or uniform in [docsPerQueryMin, docsPerQuery]. */
function listOffsets(spec: SyntheticSpec, rng: Rng): Int32Array {
  const offsets = new Int32Array(spec.queries + 1);
  const min = spec.docsPerQueryMin ?? spec.docsPerQuery;
  for (let q = 0; q < spec.queries; q++) {
    const size = min === spec.docsPerQuery ? min : min + rng.int(spec.docsPerQuery - min + 1);
    offsets[q + 1] = offsets[q] + size;
  }
  return offsets;
}

/**
 * A seeded synthetic query/document set: features ~ N(0, 1), a hidden relevance function,
 * Gaussian noise, and graded labels 0..ymax cut at quantiles. Same spec + seed = same data.
 */
export function generateSynthetic(spec: SyntheticSpec, seed: number): RankingDataset {
  const root = createRng(seed);
  const fnRng = root.fork('hidden-function');
  const featRng = root.fork('features');
  const noiseRng = root.fork('noise');
  const qidOffsets = listOffsets(spec, root.fork('list-sizes'));
  const nDocs = qidOffsets[spec.queries];
  const d = spec.features;

  const features = new Float32Array(nDocs * d);
  for (let i = 0; i < features.length; i++) features[i] = featRng.normal();

  const hiddenFn = makeHiddenFunction(spec, fnRng);
  const hiddenScores = new Float32Array(nDocs);
  for (let i = 0; i < nDocs; i++) hiddenScores[i] = hiddenFn(features, i * d);
  const sd = standardDeviation(hiddenScores);
  const noisy = new Float32Array(nDocs);
  for (let i = 0; i < nDocs; i++) noisy[i] = hiddenScores[i] + spec.noise * sd * noiseRng.normal();

  const labels = gradeByQuantiles(noisy, spec.labelDistribution);
  const queryIds = Array.from({ length: spec.queries }, (_, q) => `q${q + 1}`);
  return { qidOffsets, features, labels, nFeatures: d, queryIds, hiddenScores };
}
