import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import type { RankingDataset } from '../data/dataset';
import type { ExperimentConfig, RankerSpec } from '../experiment/config';
import type { Rng } from '../experiment/rng';
import { disposeBatch, QueryBatcher } from './batches';
import { softmaxCrossEntropy } from './losses';
import { createModel, type ScoringModel } from './models';

type TrainOptions = ExperimentConfig['train'];

function createOptimizer(opts: TrainOptions): tf.Optimizer {
  if (opts.optimizer === 'adam') return tf.train.adam(opts.learningRate);
  if (opts.optimizer === 'adagrad') return tf.train.adagrad(opts.learningRate);
  return tf.train.sgd(opts.learningRate);
}

/**
 * Trains one ranker on labelled lists. The training features stay on the device; each step
 * gathers its batch there, so only indices and labels cross from JavaScript.
 */
export class RankerTrainer {
  readonly id: string;
  readonly model: ScoringModel;
  private readonly optimizer: tf.Optimizer;
  private readonly batcher: QueryBatcher;
  /** Loss of the latest step, still on the device: read only when reported, to avoid a sync per step. */
  private lastLoss: tf.Scalar | null = null;

  constructor(
    spec: RankerSpec,
    train: RankingDataset,
    private readonly trainFeatures: tf.Tensor2D,
    opts: TrainOptions,
    rng: Rng,
  ) {
    this.id = spec.id;
    this.model = createModel(spec.model, train.nFeatures, rng.fork('init'));
    this.optimizer = createOptimizer(opts);
    this.batcher = new QueryBatcher(train, opts.batchQueries, rng.fork('batches'));
  }

  step(): void {
    const batch = this.batcher.next();
    const loss = this.optimizer.minimize(
      () => {
        const x = tf.gather(this.trainFeatures, batch.rows) as tf.Tensor2D;
        const scores = tf.reshape(this.model.score(x), [batch.nLists, batch.listSize]) as tf.Tensor2D;
        return softmaxCrossEntropy(scores, batch.labels, batch.mask);
      },
      true,
      this.model.variables,
    );
    disposeBatch(batch);
    this.lastLoss?.dispose();
    this.lastLoss = loss;
  }

  async readLoss(): Promise<number | null> {
    if (!this.lastLoss) return null;
    return (await this.lastLoss.data())[0];
  }

  async scoreAll(features: tf.Tensor2D): Promise<Float32Array> {
    const scores = this.model.score(features);
    const values = (await scores.data()) as Float32Array;
    scores.dispose();
    return values;
  }

  dispose(): void {
    this.lastLoss?.dispose();
    this.model.dispose();
    this.optimizer.dispose();
  }
}
