import { checkRngState, type RngState } from '../experiment/rng';
import type { BatcherState } from './batches';
import type { OptimizerState, TensorValues } from './optim-state';

/**
 * One ranker's training state as plain data (structured-clone friendly): with the run's config,
 * everything the next steps depend on. What the config rebuilds (data, clicks, the batchers' item
 * lists) is not in it.
 */
export interface TrainerState {
  id: string;
  /** Optimisation steps this ranker has taken (it stops counting once early stopping stops it). */
  steps: number;
  /** The ranker's variables, then the estimator's trainable ones: the order training passes them in. */
  variables: TensorValues[];
  /** The estimator's own non-trainable state (REM's θ, PairD's t⁺ and t⁻). */
  estimatorState: TensorValues[];
  optimizer: OptimizerState;
  batches: BatcherState;
  /** The per-step stream (stochastic losses' uniforms, dropout seeds). */
  stepRng: RngState;
  /** The latest step's loss and gradient norm (null before the first step / with clipping off), as float32. */
  lastLoss: number | null;
  lastNorm: number | null;
  /** The 1-based step whose loss first was not finite, or null. */
  firstBadStep: number | null;
}

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;
const isNumberOrNull = (v: unknown): boolean => v === null || typeof v === 'number';

/** The checks on a TrainerState that need no tensors (shapes are checked by the trainer). */
export function checkTrainerStateFields(state: TrainerState, id: string): void {
  const what = `ranker "${id}"`;
  if (state?.id !== id) throw new Error(`${what}: the checkpoint holds ranker "${state?.id}" in its place`);
  if (!isCount(state.steps)) throw new Error(`${what}: the saved step count is not a count`);
  if (!isNumberOrNull(state.lastLoss) || !isNumberOrNull(state.lastNorm)) throw new Error(`${what}: the saved loss is not a number`);
  if (state.firstBadStep !== null && !isCount(state.firstBadStep)) throw new Error(`${what}: the saved divergence step is not a step`);
  checkRngState(state.stepRng, `${what} (step stream)`);
}
