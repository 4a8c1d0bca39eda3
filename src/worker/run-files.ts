import type { FeatureSplits } from '../core/data/library';
import type { FeatureTransform } from '../core/data/normalize';
import type { ModelSpec, RankerSpec } from '../core/experiment/config';
import { createRng } from '../core/experiment/rng';
import { trecQrelsText, trecRunText } from '../core/experiment/run-export';
import { resolveRunSplits } from '../core/experiment/run-splits';
import type { ExperimentRun } from '../core/experiment/runner';
import { createModel } from '../core/rank/models';

/** One tensor of a trained ranker: row-major values of the given shape. */
export interface RankerWeight {
  shape: number[];
  values: number[];
}

/**
 * A trained ranker as a JSON document (Export → Trained rankers). Scoring a document:
 *   x = features, normalised as `normalization` says: (f(x) − shift) / scale per feature, where f is
 *       the identity, or sign(x)·log1p(|x|) for 'log1p-z' (null: the features are used as they are);
 *   linear: score = x · w0 + b0; mlp: h = act(x · wL + bL) (or act(layerNorm(x · wL)) with gain and
 *       bias lnL/gain, lnL/bias when model.layerNorm) for each hidden layer L, then h · wN + bN;
 *   attention: the encoder of src/core/rank/attention.ts over the query's list.
 * Dense weights are [in, out]; `weights` keeps the order the model creates (and applies) them.
 */
export interface RankerJson {
  format: 'rankplay-ranker';
  version: 1;
  id: string;
  /** The step of the run these weights are from. */
  step: number;
  model: ModelSpec;
  estimator: RankerSpec['estimator'];
  nFeatures: number;
  normalization: { kind: FeatureTransform['kind']; shift: number[]; scale: number[] } | null;
  weights: Record<string, RankerWeight>;
}

export interface RunFile {
  rankerId: string;
  fileName: string;
  text: string;
}

export type RunFilesOutcome =
  | {
      ok: true;
      step: number;
      /** Per ranker, its TREC run of the test split (`qid Q0 docno rank score <ranker id>`), as `rankplay train --run-out` writes it. */
      runs: RunFile[];
      /** The test split's labels as TREC qrels, as `rankplay train --qrels-out` writes them. */
      qrels: string;
      /** Per ranker, a RankerJson document. */
      models: RunFile[];
    }
  | { ok: false; error: string };

const float = (v: number): number => Number(v.toPrecision(9));

/** The model's variable names (without tfjs's unique prefix) and shapes, in creation order. */
function variableLayout(spec: ModelSpec, nFeatures: number): { name: string; shape: number[] }[] {
  const model = createModel(spec, nFeatures, createRng(0));
  try {
    return model.variables.map((v) => ({ name: v.name.replace(/^[^/]*\//, ''), shape: v.shape.slice() }));
  } finally {
    model.dispose();
  }
}

/**
 * The current run's files for download: test-split runs and qrels (exactly the CLI's text for the
 * same config and backend) and each ranker's weights, read from a checkpoint snapshot. `stored`
 * gives a stored data set's splits, to report the normalisation the run applied to its features.
 */
export async function exportRunFiles(run: ExperimentRun | null, stored: (id: string, name: string) => Promise<FeatureSplits>): Promise<RunFilesOutcome> {
  if (!run) return { ok: false, error: 'no experiment is loaded yet: load or start a run first' };
  try {
    const config = run.config;
    // Both start now; a run that keeps playing may take steps while later rankers are scored.
    const [{ test, scores }, snapshot] = await Promise.all([run.testScores(), run.snapshot()]);
    const transform = config.data.kind === 'stored' ? resolveRunSplits(config, await stored(config.data.id, config.data.name)).normalization : undefined;
    const normalization = transform ? { kind: transform.kind, shift: Array.from(transform.shift), scale: Array.from(transform.scale) } : null;
    const nFeatures = run.summary.features;
    const runs = run.rankerIds.map((id) => ({ rankerId: id, fileName: `${id}.run`, text: trecRunText(test, scores[id], id) }));
    const models = config.rankers.map((spec, i): RunFile => {
      const layout = variableLayout(spec.model, nFeatures);
      const state = snapshot.rankers[i];
      const weights: Record<string, RankerWeight> = {};
      layout.forEach(({ name, shape }, k) => {
        const saved = state.variables[k];
        if (saved.shape.join() !== shape.join()) throw new Error(`ranker "${spec.id}": weight ${name} has shape [${saved.shape}], expected [${shape}]`);
        weights[name] = { shape, values: Array.from(saved.values, float) };
      });
      const doc: RankerJson = { format: 'rankplay-ranker', version: 1, id: spec.id, step: snapshot.step, model: spec.model, estimator: spec.estimator, nFeatures, normalization, weights };
      return { rankerId: spec.id, fileName: `${spec.id}.json`, text: `${JSON.stringify(doc)}\n` };
    });
    return { ok: true, step: snapshot.step, runs, qrels: trecQrelsText(test), models };
  } catch (e) {
    return { ok: false, error: `Could not export the run: ${e instanceof Error ? e.message : String(e)}` };
  }
}
