import * as tf from '@tensorflow/tfjs-core';
import type { ModelSpec } from '../experiment/config';
import type { Rng } from '../experiment/rng';
import { attentionParameterCount, createAttentionScorer } from './attention';
import {
  activate,
  createLayerNorm,
  dense,
  dropout,
  layerNorm,
  VariableFactory,
  type LayerNormParams,
  type ScoreOptions,
} from './models-layers';

export type { ScoreOptions } from './models-layers';

/** A scoring function f(x) → score; its variables are what training updates. */
export interface ScoringModel {
  readonly variables: tf.Variable[];
  /**
   * True when a document's score depends on the other documents in its list (the attention
   * scorer). Such a model must be fed whole lists through scoreLists; its `score` treats the
   * given rows as one list, which is right for one query and wrong for a whole data set.
   */
  readonly listwise: boolean;
  /** x: [nDocs, nFeatures] → [nDocs]. */
  score(x: tf.Tensor2D, opts?: ScoreOptions): tf.Tensor1D;
  /**
   * x: [nLists, listSize, nFeatures], mask: [nLists, listSize] (1 real, 0 pad) → [nLists, listSize].
   * Real documents' scores never depend on pads; pads' own scores are meaningless and must be
   * masked by the loss or the caller.
   */
  scoreLists(x: tf.Tensor3D, mask: tf.Tensor2D, opts?: ScoreOptions): tf.Tensor2D;
  dispose(): void;
}

type PerDocumentSpec = Extract<ModelSpec, { kind: 'linear' | 'mlp' }>;

/** The MLP's options with the schema's defaults applied (old configs carry neither field). */
function mlpOptions(spec: PerDocumentSpec) {
  if (spec.kind === 'linear') return { hidden: [] as number[], activation: 'elu' as const, layerNorm: false, dropout: 0 };
  return { hidden: spec.hidden, activation: spec.activation, layerNorm: spec.layerNorm ?? false, dropout: spec.dropout ?? 0 };
}

interface HiddenLayer {
  w: tf.Variable;
  /** Absent under layer norm, whose bias takes its place (a bias before the mean subtraction cancels exactly). */
  b: tf.Variable | null;
  norm: LayerNormParams | null;
}

/**
 * Linear (no hidden layers) or MLP. A hidden layer is
 *   dropout(act(LN(x·W)))  with layer norm,  dropout(act(x·W + b))  without.
 * Layer norm sits after the linear map and before the activation, as in Ba et al. (it normalises
 * the summed inputs): ELU and tanh then always see inputs of unit scale, away from saturation,
 * whatever the feature scales. Dropout follows the activation and never touches the input
 * features or the output score.
 */
function createPerDocumentModel(spec: PerDocumentSpec, nFeatures: number, rng: Rng): ScoringModel {
  const opts = mlpOptions(spec);
  const vars = new VariableFactory(rng);
  const hidden: HiddenLayer[] = [];
  let inDim = nFeatures;
  opts.hidden.forEach((size, l) => {
    const w = vars.glorotNormal(inDim, size, `w${l}`);
    hidden.push(
      opts.layerNorm
        ? { w, b: null, norm: createLayerNorm(vars, size, `ln${l}`) }
        : { w, b: vars.filled(size, 0, `b${l}`), norm: null },
    );
    inDim = size;
  });
  const outW = vars.glorotNormal(inDim, 1, `w${opts.hidden.length}`);
  const outB = vars.filled(1, 0, `b${opts.hidden.length}`);

  const forward = (x: tf.Tensor2D, scoreOpts: ScoreOptions | undefined): tf.Tensor1D => {
    let h = x;
    hidden.forEach((layer, l) => {
      const z = dense(h, layer.w, layer.b);
      h = dropout(activate(layer.norm ? layerNorm(z, layer.norm) : z, opts.activation), opts.dropout, scoreOpts, `h${l}`);
    });
    return tf.reshape(dense(h, outW, outB), [-1]) as tf.Tensor1D;
  };

  return {
    variables: vars.variables,
    listwise: false,
    score: (x, scoreOpts) => tf.tidy(() => forward(x, scoreOpts)),
    scoreLists: (x, _mask, scoreOpts) =>
      tf.tidy(() => {
        const [nLists, listSize, nFeat] = x.shape;
        return tf.reshape(forward(tf.reshape(x, [nLists * listSize, nFeat]), scoreOpts), [nLists, listSize]);
      }),
    dispose() {
      for (const v of vars.variables) v.dispose();
    },
  };
}

export function createModel(spec: ModelSpec, nFeatures: number, rng: Rng): ScoringModel {
  if (spec.kind === 'attention') return createAttentionScorer(spec, nFeatures, rng);
  return createPerDocumentModel(spec, nFeatures, rng);
}

/** How many numbers training updates, for the UI; equals the total size of createModel's variables. */
export function modelParameterCount(spec: ModelSpec, nFeatures: number): number {
  if (spec.kind === 'attention') return attentionParameterCount(spec, nFeatures);
  const opts = mlpOptions(spec);
  let count = 0;
  let inDim = nFeatures;
  for (const size of opts.hidden) {
    // Weights, then either a bias or a layer norm's gain and bias.
    count += inDim * size + (opts.layerNorm ? 2 * size : size);
    inDim = size;
  }
  return count + inDim + 1;
}
