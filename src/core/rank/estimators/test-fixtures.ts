import * as tf from '@tensorflow/tfjs-core';
import { createRng } from '../../experiment/rng';
import { softmaxLoss } from '../losses';
import type { ClickBatch, Estimator } from './types';

/** Shared by the estimator tests: hand batches, a PBM click simulation, and a loss to plug in. */

/** The listwise softmax loss: ULTRA's default ranker loss for IPS and DLA. */
export { softmaxLoss };

export interface PlainBatch {
  scores: number[][];
  clicks: number[][];
  labels?: number[][];
  mask?: number[][];
}

/** Builds a ClickBatch from arrays; labels default to 0 and mask to all shown. */
export function makeBatch(plain: PlainBatch): ClickBatch {
  const zeros = plain.scores.map((row) => row.map(() => 0));
  const ones = plain.scores.map((row) => row.map(() => 1));
  return {
    scores: tf.tensor2d(plain.scores),
    clicks: tf.tensor2d(plain.clicks),
    labels: tf.tensor2d(plain.labels ?? zeros),
    mask: tf.tensor2d(plain.mask ?? ones),
  };
}

export function disposeClickBatch(batch: ClickBatch): void {
  batch.scores.dispose();
  batch.clicks.dispose();
  batch.labels.dispose();
  batch.mask.dispose();
  batch.uniforms?.dispose();
}

/** The loss as a number, with every intermediate tensor released. */
export function lossValue(estimator: Estimator, batch: ClickBatch): number {
  return tf.tidy(() => estimator.loss(batch).dataSync()[0]);
}

export interface PbmSessions {
  /** True relevance probability of each shown document, [nSessions][k]. */
  gamma: number[][];
  clicks: number[][];
}

/**
 * Position-based clicks: C = E·R with P(E) = theta[rank] and P(R) = gamma. Each session's gamma is
 * drawn uniformly in [gammaLow, gammaHigh] per document and sorted in decreasing order, as a logging
 * ranker that is better than random would show them: the click-through rate then falls with rank
 * faster than θ, so counting clicks per rank does not recover θ and an estimator has to separate
 * relevance from examination. Seeded, so each test sees the same sessions.
 */
export function simulatePbm(
  nSessions: number,
  theta: number[],
  seed: number,
  gammaLow = 0.2,
  gammaHigh = 0.9,
): PbmSessions {
  const rng = createRng(seed);
  const gamma: number[][] = [];
  const clicks: number[][] = [];
  for (let s = 0; s < nSessions; s++) {
    const g = theta.map(() => gammaLow + (gammaHigh - gammaLow) * rng.next()).sort((a, b) => b - a);
    gamma.push(g);
    clicks.push(theta.map((t, r) => (rng.next() < t && rng.next() < g[r] ? 1 : 0)));
  }
  return { gamma, clicks };
}

/** Click-through rate per rank relative to rank 1: the naive propensity estimate. */
export function naiveRatios(clicks: number[][]): number[] {
  const perRank = clicks[0].map((_, r) => clicks.reduce((sum, row) => sum + row[r], 0));
  return perRank.map((c) => c / perRank[0]);
}

/** PBM examination θ_r = (1/r)^η with η = 1. */
export function inverseRank(k: number): number[] {
  return Array.from({ length: k }, (_, r) => 1 / (r + 1));
}

/**
 * Trains only the estimator's own variables on a batch whose scores are constants (a frozen ranker),
 * running afterStep after each step as the trainer does.
 */
export function trainEstimatorOnly(estimator: Estimator, batch: ClickBatch, steps: number, learningRate: number): void {
  const optimizer = tf.train.adam(learningRate);
  for (let i = 0; i < steps; i++) {
    if (estimator.variables.length > 0) {
      optimizer.minimize(() => estimator.loss(batch), false, estimator.variables);
    }
    estimator.afterStep?.(batch);
  }
  optimizer.dispose();
}
