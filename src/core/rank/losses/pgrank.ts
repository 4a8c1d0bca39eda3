import * as tf from '@tensorflow/tfjs-core';
import { dcgAt, exp2Gains, idealDcg } from './ndcg';
import { plackettLuceLogLikelihood, precedence, ranksOf } from './ordering';
import { checkUniforms, constant, gumbel, hasPositive, maskedScores, meanOverLists, relevance, TINY } from './shared';
import type { LossInput } from './types';

/*
 * PG-Rank (Singh & Joachims, NeurIPS 2019, "Policy Learning for Fairness in Ranking"), without the
 * fairness term: the scores define a Plackett–Luce policy π over rankings, and the loss is minimised
 * along the REINFORCE gradient of the expected nDCG,
 *   ∇ −E_π[nDCG] ≈ −(1/S) Σ_s (nDCG(σ_s) − b) ∇ log π(σ_s),
 * over S rankings σ_s sampled per list, with the baseline b the mean reward of the list's samples
 * (their variance-reduction baseline; it includes the sample itself, which scales the expected
 * gradient by (S − 1)/S, a constant factor, not a change of direction). Sampling a PL ranking is sorting s + Gumbel noise (Gumbel-max,
 * repeated: Yellott 1977), with g = −log(−log u) from the caller's `uniforms` [S, nLists, listSize],
 * so runs stay seeded. Pads come last in every sample and take no probability. Rewards use exp2 gains
 * over the whole list. Lists without a positive label are left out (every ranking scores 0 there).
 */

interface PgRankTerms {
  /** [S·nLists]: log π of each sampled ranking (differentiable in the scores). */
  logProbs: tf.Tensor1D;
  /** [S, nLists]: nDCG of each sample, a constant. */
  rewards: tf.Tensor2D;
  valid: tf.Tensor1D;
  nSamples: number;
  nLists: number;
}

function sampleTerms({ scores, labels, mask, uniforms }: LossInput): PgRankTerms {
  if (!uniforms) {
    throw new Error('pgrank: needs uniforms [nSamples, nLists, listSize] to sample rankings; draw LOSS_SAMPLES.pgrank samples per list from the seeded RNG');
  }
  checkUniforms('pgrank', uniforms, scores);
  const [nSamples, nLists, listSize] = uniforms.shape;
  const y = relevance(labels, mask);
  const s = maskedScores(scores, mask);
  const tile = (x: tf.Tensor2D) => tf.reshape(tf.tile(tf.expandDims(x, 0), [nSamples, 1, 1]), [nSamples * nLists, listSize]) as tf.Tensor2D;
  const sAll = tile(s);
  const maskAll = tile(mask);
  const before = precedence(constant([sAll, uniforms], () => tf.add(sAll, tf.reshape(gumbel(uniforms), [nSamples * nLists, listSize])) as tf.Tensor2D), null, maskAll);
  const rewards = constant([before, y, mask], () => {
    const dcg = dcgAt(exp2Gains(tile(y)), ranksOf(before), maskAll);
    return tf.div(tf.reshape(dcg, [nSamples, nLists]), tf.maximum(idealDcg(y, mask), TINY)) as tf.Tensor2D;
  });
  return { logProbs: plackettLuceLogLikelihood(sAll, before, maskAll), rewards, valid: hasPositive(y), nSamples, nLists };
}

/** −mean over samples of (reward − baseline) · log π: the surrogate whose gradient is PG-Rank's. */
function surrogatePerList(t: PgRankTerms): tf.Tensor1D {
  const advantages = constant([t.rewards], () => tf.sub(t.rewards, tf.mean(t.rewards, 0, true)));
  return tf.neg(tf.mean(tf.mul(advantages, tf.reshape(t.logProbs, [t.nSamples, t.nLists])), 0)) as tf.Tensor1D;
}

/**
 * The policy-gradient surrogate itself, −mean((r − b) · log π). Its value hovers around 0 whatever the
 * policy's quality; exported so tests can check its gradient against finite differences.
 */
export function pgRankSurrogate(input: LossInput): tf.Scalar {
  return tf.tidy(() => {
    const t = sampleTerms(input);
    return meanOverLists(surrogatePerList(t), t.valid);
  });
}

/**
 * PG-Rank's loss for training: the value is −(mean sampled nDCG), so the training-loss chart shows the
 * policy's quality (like ApproxNDCG's −nDCG), and the gradient is exactly the surrogate's:
 * value = −mean(r) + surrogate − stopGradient(surrogate).
 */
export function pgRankLoss(input: LossInput): tf.Scalar {
  return tf.tidy(() => {
    const t = sampleTerms(input);
    const surrogate = surrogatePerList(t);
    const frozen = constant([surrogate], () => tf.clone(surrogate));
    const meanReward = tf.mean(t.rewards, 0) as tf.Tensor1D;
    return meanOverLists(tf.add(tf.neg(meanReward), tf.sub(surrogate, frozen)) as tf.Tensor1D, t.valid);
  });
}
