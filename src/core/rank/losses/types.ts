import type * as tf from '@tensorflow/tfjs-core';

/**
 * The ranking losses of the training issue share one signature, so estimators and the trainer can
 * use any of them. Every tensor is [nLists, listSize], padded: mask 1 marks a real document, 0 a pad.
 * `labels` are relevance targets: graded labels (oracle), clicks (naive), or clicks ÷ propensity
 * (IPS); they may be any non-negative reals. Lists with no positive label carry no signal and are
 * left out of the mean (0, not NaN, when no list has any). Pads take no probability mass and form no pair.
 */
export interface LossInput {
  scores: tf.Tensor2D;
  labels: tf.Tensor2D;
  mask: tf.Tensor2D;
  /**
   * Random numbers for stochastic losses (PG-Rank's sampled rankings, NeuralSort's Gumbel noise):
   * uniform in (0, 1), shape [nSamples, nLists, listSize]. Drawn by the caller from the seeded RNG so
   * runs stay deterministic per backend. Deterministic losses ignore it.
   */
  uniforms?: tf.Tensor3D;
}

export type LossFn = (input: LossInput) => tf.Scalar;

export const LOSS_NAMES = [
  'pointwise', // sigmoid cross-entropy on labels clipped to [0, 1]
  'ranknet', // pairwise logistic
  'softmax', // softmax cross-entropy / ListNet top-one
  'listmle',
  'lambdarank', // NDCG-weighted RankNet (LambdaRank / LiPO-λ weighting)
  'lambdaloss', // LambdaLoss NDCG-Loss2++
  'approxndcg',
  'neuralsort',
  'pgrank', // Plackett–Luce policy gradient with nDCG reward and a baseline
] as const;
export type LossName = (typeof LOSS_NAMES)[number];

/** How many uniform samples a loss wants per list (0 = deterministic). */
export const LOSS_SAMPLES: Record<LossName, number> = {
  pointwise: 0,
  ranknet: 0,
  softmax: 0,
  listmle: 0,
  lambdarank: 0,
  lambdaloss: 0,
  approxndcg: 0,
  neuralsort: 0,
  pgrank: 8,
};
