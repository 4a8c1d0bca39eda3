import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';
import { discount, gain } from '../../metrics/gain';
import type { LossFn, LossInput } from './types';

/**
 * Shared by the loss tests (not a test file itself): evaluating a loss on plain arrays, gradient
 * checks against central finite differences, leak checks, padding, and float64 references of the
 * ranking pieces (sorting, DCG) that the per-loss references build on.
 */

export type Matrix = number[][];

/** A batch on plain arrays; mask defaults to all ones, uniforms are [nSamples][nLists][listSize]. */
export interface Case {
  scores: Matrix;
  labels: Matrix;
  mask?: Matrix;
  uniforms?: number[][][];
}

function toInput(c: Case, scores: tf.Tensor2D): LossInput {
  const mask = c.mask ?? c.scores.map((row) => row.map(() => 1));
  return {
    scores,
    labels: tf.tensor2d(c.labels),
    mask: tf.tensor2d(mask),
    uniforms: c.uniforms ? tf.tensor3d(c.uniforms) : undefined,
  };
}

export function lossOf(fn: LossFn, c: Case): number {
  return tf.tidy(() => fn(toInput(c, tf.tensor2d(c.scores))).dataSync()[0]);
}

export function gradOf(fn: LossFn, c: Case): Matrix {
  return tf.tidy(() => {
    const rest = toInput(c, tf.tensor2d(c.scores));
    return tf.grad((s: tf.Tensor) => fn({ ...rest, scores: s as tf.Tensor2D }))(tf.tensor2d(c.scores)).arraySync() as Matrix;
  });
}

/** Central finite differences through the same tf function (float32, so eps is not tiny). */
export function finiteDifferences(fn: LossFn, c: Case, eps = 1e-2): Matrix {
  return c.scores.map((row, r) =>
    row.map((_, i) => {
      const shifted = (delta: number) => ({ ...c, scores: c.scores.map((x, rr) => x.map((v, ii) => (rr === r && ii === i ? v + delta : v))) });
      return (lossOf(fn, shifted(eps)) - lossOf(fn, shifted(-eps))) / (2 * eps);
    }),
  );
}

/**
 * tf.grad against central differences, to 1e-3 (float32 with eps 1e-2) relative to the gradient's
 * scale; returns the tf gradient for further checks.
 */
export function expectGradientMatchesFiniteDifferences(fn: LossFn, c: Case, tolerance = 1e-3): Matrix {
  const grad = gradOf(fn, c);
  const fd = finiteDifferences(fn, c);
  const scale = Math.max(1, ...fd.flat().map(Math.abs));
  grad.forEach((row, r) =>
    row.forEach((g, i) => {
      expect(Math.abs(g - fd[r][i]), `d/ds[${r}][${i}]: tf.grad ${g} vs finite difference ${fd[r][i]}`).toBeLessThan(tolerance * scale);
    }),
  );
  return grad;
}

/** Evaluating the loss and its gradient leaves no tensor behind. */
export function expectNoLeak(fn: LossFn, c: Case): void {
  const input = toInput(c, tf.tensor2d(c.scores));
  const owned = [input.scores, input.labels, input.mask, ...(input.uniforms ? [input.uniforms] : [])];
  const before = tf.memory().numTensors;
  const value = fn(input);
  const grad = tf.grad((s: tf.Tensor) => fn({ ...input, scores: s as tf.Tensor2D }))(input.scores);
  tf.dispose([value, grad]);
  expect(tf.memory().numTensors).toBe(before);
  tf.dispose(owned);
}

/**
 * The case with a padded slot inserted before index `at` of every list (and sample), holding junk
 * that must not matter: a large score and a large label.
 */
export function withPadAt(c: Case, at: number, junkScore = 40, junkLabel = 4): Case {
  const insert = (row: number[], v: number) => [...row.slice(0, at), v, ...row.slice(at)];
  const mask = c.mask ?? c.scores.map((row) => row.map(() => 1));
  return {
    scores: c.scores.map((row) => insert(row, junkScore)),
    labels: c.labels.map((row) => insert(row, junkLabel)),
    mask: mask.map((row) => insert(row, 0)),
    uniforms: c.uniforms?.map((sample) => sample.map((row) => insert(row, 0.5))),
  };
}

/** Indices of `keys` sorted descending, ties by index (the rule the losses use). */
export function orderDescending(keys: number[]): number[] {
  return keys.map((_, i) => i).sort((a, b) => keys[b] - keys[a] || a - b);
}

/** 0-based rank of each document when sorted by `keys` descending, ties by index. */
export function ranksDescending(keys: number[]): number[] {
  const ranks = new Array<number>(keys.length);
  orderDescending(keys).forEach((doc, rank) => {
    ranks[doc] = rank;
  });
  return ranks;
}

/** DCG (exp2 gain, whole list) of the documents at the given 0-based ranks. */
export function dcg64(labels: number[], ranks: number[]): number {
  return labels.reduce((sum, y, i) => sum + gain(y, 'exp2') * discount(ranks[i] + 1), 0);
}

export function idealDcg64(labels: number[]): number {
  return dcg64(labels, ranksDescending(labels));
}

/** log Σ exp, stably. */
export function logSumExp64(xs: number[]): number {
  const max = Math.max(...xs);
  return max + Math.log(xs.reduce((s, x) => s + Math.exp(x - max), 0));
}

export const softplus64 = (x: number): number => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
