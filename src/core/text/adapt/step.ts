import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { clipByGlobalNorm } from '../../rank/optim';

/**
 * One optimiser step for adaptation. rank/optim.ts's clippedStep has no place for a gradient
 * transform (ALLoRA rescales gradients before clipping) and applies the update before the loss is
 * read; here the loss is read first, so a NaN or infinite loss stops training with the weights and
 * the optimiser state exactly as they were before the step.
 */
export async function guardedStep(
  optimizer: tf.Optimizer,
  lossFn: () => tf.Scalar,
  variables: tf.Variable[],
  clipNorm: number,
  transform: ((g: tf.NamedTensorMap) => tf.NamedTensorMap) | undefined,
  stepNumber: number,
): Promise<{ loss: number; gradNorm: number }> {
  const { value, grads } = tf.variableGrads(lossFn, variables);
  // A variable the loss did not reach this step (e.g. a rank DyLoRA did not sample) gets a zero
  // gradient: Adam keeps its state by position, so every step must pass every variable.
  for (const v of variables) if (!grads[v.name]) grads[v.name] = tf.zerosLike(v);
  const transformed = transform ? transform(grads) : grads;
  const clipped = clipByGlobalNorm(transformed, clipNorm);
  const made = transformed === grads ? [] : Object.values(transformed).filter((t) => !Object.values(grads).includes(t));
  tf.dispose([...Object.values(grads), ...made]);
  try {
    const [loss, gradNorm] = await Promise.all([value.data(), clipped.norm.data()]).then(([l, n]) => [l[0], n[0]]);
    if (!Number.isFinite(loss) || !Number.isFinite(gradNorm)) {
      throw new Error(`loss became NaN or infinite at step ${stepNumber}: lower the learning rate (or turn on gradient clipping)`);
    }
    // In `variables` order on every step: Adam's slots follow the list's positions.
    optimizer.applyGradients(variables.map((v) => ({ name: v.name, tensor: clipped.grads[v.name] })));
    return { loss, gradNorm };
  } finally {
    tf.dispose([value, clipped.norm, ...Object.values(clipped.grads)]);
  }
}
