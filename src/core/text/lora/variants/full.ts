import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../../../experiment/rng';
import type { BertConfig } from '../../model/config';
import { bertParamSpecs, countParams, sizeOf, type BertParams, type BertWeights } from '../../model/params';
import type { Adaptation, AdaptationConfig, AdaptationFactory, StepContext, TrainableCount } from '../adaptation';

/**
 * The two references every adapter is measured against: fine-tuning the head only and fine-tuning
 * every parameter. Neither changes a Linear through `linearDelta`; each replaces the trained base
 * tensors by trainable copies in the params bertLogits runs on, so the training loop is the same
 * one LoRA uses. ac.r, ac.alpha and ac.dropout mean nothing here: the model's own dropout (which the
 * trainer passes to bertLogits) is the only regularisation, as in ordinary fine-tuning.
 */

/** The head: BertPooler's dense layer and the classifier (what a "linear probe + pooler" trains). */
export const isHeadParam = (name: string): boolean => name.startsWith('bert.pooler.dense.') || name.startsWith('classifier.');

type FullKind = 'head' | 'full';

const TRAINED: Record<FullKind, (name: string) => boolean> = {
  head: isHeadParam,
  full: () => true,
};

/** Trained parameter names in state-dict order (the order of `variables`, which Adam keys by position). */
function trainedNames(kind: FullKind, c: BertConfig): string[] {
  return bertParamSpecs(c)
    .filter((s) => TRAINED[kind](s.name))
    .map((s) => s.name);
}

function trainableCount(kind: FullKind, c: BertConfig): TrainableCount {
  const trainable = bertParamSpecs(c)
    .filter((s) => TRAINED[kind](s.name))
    .reduce((n, s) => n + sizeOf(s.shape), 0);
  const base = countParams(c);
  return { trainable, base, percentOfModel: (100 * trainable) / base };
}

function createFull(kind: FullKind, ac: AdaptationConfig, c: BertConfig, base: BertParams): Adaptation {
  const names = trainedNames(kind, c);
  // Checked before any variable exists, so a refused base leaves nothing to dispose.
  const missing = names.find((n) => !base.has(n));
  if (missing !== undefined) throw new Error(`${kind} fine-tuning: the model has no '${missing}'`);
  const byName = new Map<string, tf.Variable>();
  for (const name of names) {
    // tf.variable shares the base tensor's buffer until the optimiser's first assign gives the
    // variable a new one, so the copy costs no memory before training and the base is never written.
    byName.set(name, tf.variable(base.get(name) as tf.Tensor, true));
  }
  const variables = names.map((n) => byName.get(n) as tf.Variable);
  return {
    config: ac,
    variables,
    count: trainableCount(kind, c),
    forward(frozen: BertParams, _ctx: StepContext) {
      const params = new Map(frozen);
      for (const [name, v] of byName) params.set(name, v);
      return { params };
    },
    async merge(weights: BertWeights): Promise<BertWeights> {
      // Untrained entries are shared with `weights`, as mergeLoraWeights does: the result is a new record, the input is not modified.
      const merged: BertWeights = new Map(weights);
      for (const [name, v] of byName) {
        const w = weights.get(name);
        if (!w) throw new Error(`${kind} fine-tuning merge: the model has no '${name}'`);
        if (w.shape.length !== v.shape.length || w.shape.some((d, i) => d !== v.shape[i])) {
          throw new Error(`${kind} fine-tuning merge: '${name}' is [${w.shape.join(', ')}], the trained tensor is [${v.shape.join(', ')}]`);
        }
        merged.set(name, { shape: [...w.shape], data: new Float32Array(await v.data()) });
      }
      return merged;
    },
    report: async () => ({}),
    dispose: () => tf.dispose(variables),
  };
}

function factory(kind: FullKind, label: string, summary: string): AdaptationFactory {
  return {
    kind,
    label,
    summary,
    count: (_ac: AdaptationConfig, c: BertConfig) => trainableCount(kind, c),
    create: async (ac: AdaptationConfig, c: BertConfig, base: BertParams, _rng: Rng) => createFull(kind, ac, c, base),
  };
}

export const headFactory = factory(
  'head',
  'Head only',
  'Trains the head only: the pooler (bert.pooler.dense, counted as part of the head) and the classifier; the encoder stays frozen.',
);

export const fullFactory = factory('full', 'Full fine-tuning', 'Trains every parameter of the model (embeddings, all encoder layers, pooler and classifier).');
