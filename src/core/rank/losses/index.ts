import { approxNdcgLoss } from './approx-ndcg';
import { lambdaLoss, lambdaRankLoss } from './lambda';
import { listMleLoss } from './listmle';
import { neuralSortLoss } from './neuralsort';
import { pgRankLoss } from './pgrank';
import { pointwiseLoss } from './pointwise';
import { rankNetLoss } from './ranknet';
import { softmaxLoss } from './softmax';
import type { LossFn, LossName } from './types';

export { approxNdcgLoss, createApproxNdcgLoss, type ApproxNdcgOptions } from './approx-ndcg';
export { createLambdaLoss, lambdaLoss, lambdaRankLoss, type LambdaLossOptions } from './lambda';
export { listMleLoss } from './listmle';
export { createNeuralSortLoss, neuralSortLoss, type NeuralSortOptions } from './neuralsort';
export { pgRankLoss, pgRankSurrogate } from './pgrank';
export { pointwiseLoss } from './pointwise';
export { rankNetLoss } from './ranknet';
export { softmaxLoss } from './softmax';
export { LOSS_NAMES, LOSS_SAMPLES, type LossFn, type LossInput, type LossName } from './types';

/** Each loss with its default settings (those of the reference each module cites). */
const LOSSES: Record<LossName, LossFn> = {
  pointwise: pointwiseLoss,
  ranknet: rankNetLoss,
  softmax: softmaxLoss,
  listmle: listMleLoss,
  lambdarank: lambdaRankLoss,
  lambdaloss: lambdaLoss,
  approxndcg: approxNdcgLoss,
  neuralsort: neuralSortLoss,
  pgrank: pgRankLoss,
};

export function lossByName(name: LossName): LossFn {
  const loss = LOSSES[name];
  if (!loss) throw new Error(`unknown loss "${name}"; choose one of ${Object.keys(LOSSES).join(', ')}`);
  return loss;
}
