import * as tf from '@tensorflow/tfjs-core';
import { checkBatchWidth, checkOptions, clickTargets, maskedSigmoidCrossEntropy, uniqueVariableName } from './common';
import type { ClickBatch, Estimator, EstimatorOptions } from './types';

/**
 * Two-tower model with an additive position-bias tower (PAL: Guo et al. RecSys 2019, "PAL: a
 * Position-bias Aware Learning Framework for CTR Prediction"; the additive-logit form as in Zhuang et
 * al. WWW 2021, "Cross-Positional Attention for Debiasing Clicks"). During training the click logit is
 * the ranker's score plus a learned bias for the rank, b_r, and the model is fitted to clicks with
 * sigmoid cross-entropy; the bias tower soaks up what position explains, so the ranker's score is left
 * with relevance. At inference the tower is dropped: the trainer scores documents with the ranker
 * alone, so nothing here is needed for that.
 *
 * ULTRA (TF) has no PAL; the loss follows its sigmoid_loss_on_list convention (summed over shown slots,
 * averaged over sessions). Difference from PAL proper: PAL multiplies probabilities,
 * P(click) = σ(b_r)·σ(s), while the additive tower adds logits, σ(s + b_r); the two agree when clicks
 * are rare and the additive form keeps gradients alive when either factor saturates. The tower is one
 * logit per rank initialised to 0. propensities() reports σ(b_r)/σ(b_1) as an indication only: in the
 * additive model a rank's effect on the click probability depends on the score.
 * The configured LossFn is not used: the click model is pointwise by construction.
 */
export function createPal(options: EstimatorOptions): Estimator {
  checkOptions('pal', options);
  const { k } = options;
  const bias = tf.tidy(() => tf.variable(tf.zeros([k]) as tf.Tensor1D, true, uniqueVariableName('pal_position_bias')));

  return {
    name: 'pal',
    variables: [bias],
    loss(batch: ClickBatch): tf.Scalar {
      checkBatchWidth('pal', batch, k);
      return tf.tidy(() => {
        const logits = tf.add(batch.scores, tf.reshape(bias, [1, k])) as tf.Tensor2D;
        return maskedSigmoidCrossEntropy(logits, clickTargets(batch), batch.mask);
      });
    },
    async propensities(): Promise<number[]> {
      const values = Array.from(await bias.data());
      const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
      return values.map((b) => sigmoid(b) / sigmoid(values[0]));
    },
    dispose: () => bias.dispose(),
  };
}
