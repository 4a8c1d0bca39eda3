import * as tf from '@tensorflow/tfjs-core';

/** A float32 tensor's values as plain data (row-major), for checkpoints. */
export interface TensorValues {
  shape: number[];
  values: Float32Array;
}

/**
 * Clones the tensors now and reads them later. A clone shares its data until the original is
 * reassigned (tfjs variables get new data on every update), so the values are the ones of this
 * instant even when a training step runs while they are read back from the device.
 */
export function holdValues(tensors: readonly tf.Tensor[]): () => Promise<TensorValues[]> {
  const clones = tensors.map((t) => tf.clone(t));
  return async () => {
    try {
      return await Promise.all(
        clones.map(async (c) => {
          if (c.dtype !== 'float32') throw new Error(`cannot checkpoint a ${c.dtype} tensor`);
          // A copy: some backends hand out their own buffer.
          return { shape: c.shape.slice(), values: new Float32Array(await c.data()) };
        }),
      );
    } finally {
      tf.dispose(clones);
    }
  };
}

const sameShape = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((d, i) => d === b[i]);

/** Throws, naming the first mismatch, unless the saved values fit the expected shapes one to one. */
export function checkValues(saved: readonly TensorValues[], shapes: readonly (readonly number[])[], what: string): void {
  if (!Array.isArray(saved) || saved.length !== shapes.length) {
    throw new Error(`${what}: the checkpoint has ${Array.isArray(saved) ? saved.length : 'no'} tensors, this run has ${shapes.length}`);
  }
  saved.forEach((t, i) => {
    const size = shapes[i].reduce((p, d) => p * d, 1);
    if (!(t?.values instanceof Float32Array) || !Array.isArray(t.shape) || !sameShape(t.shape, shapes[i]) || t.values.length !== size) {
      throw new Error(`${what}: tensor ${i + 1} is saved as [${t?.shape?.join(', ')}], this run needs [${shapes[i].join(', ')}]`);
    }
  });
}

/** Far above the sizes under which GPU backends compute on the CPU (WebGPU 1000, WebGL 128 elements). */
const DEVICE_SIZE = 1 << 16;

/**
 * Makes tensors from saved values that live where computed values live. WebGPU and WebGL run a small
 * op on the CPU when every input is still in JavaScript memory ("CPU forwarding"), and there exp and
 * log round differently than on the GPU. A tensor made from saved values is such an input, while the
 * same value in the run that was saved was an op's result on the device: without this, the first
 * steps after a resume would differ in the last bits. Multiplying by a 1 that is itself a device
 * result puts each value there, exactly (x·1 = x), on every backend.
 */
export class DevicePlacer {
  private readonly one: tf.Scalar;

  constructor() {
    this.one = tf.tidy(() => tf.add(tf.sum(tf.zeros([DEVICE_SIZE])), 1) as tf.Scalar);
  }

  tensor(values: Float32Array | number[], shape: readonly number[]): tf.Tensor {
    return tf.tidy(() => tf.mul(tf.tensor(values, shape.slice(), 'float32'), this.one));
  }

  dispose(): void {
    this.one.dispose();
  }
}

/** Writes saved values into variables (shapes checked by checkValues first). */
export function assignValues(variables: readonly tf.Variable[], saved: readonly TensorValues[], place: DevicePlacer): void {
  variables.forEach((v, i) => {
    const t = place.tensor(saved[i].values, saved[i].shape);
    v.assign(t);
    t.dispose();
  });
}

/**
 * An optimizer's state as plain data. Restored into an optimizer of the same kind, the next update
 * is bit-identical to the one the saved optimizer would have made.
 */
export interface OptimizerState {
  /** tfjs's class name: 'Adam', 'Adagrad' or 'SGD'. */
  kind: string;
  iterations: number;
  /** Per-variable state in tfjs's order: Adam's first moments then second moments, Adagrad's accumulators, none for SGD. */
  slots: TensorValues[];
  /** Adam's running products β1^(t+1) and β2^(t+1), exactly as they are on the device; empty otherwise. */
  betaPowers: number[];
}

interface OptimizerVariable {
  originalName: string;
  variable: tf.Variable;
}

/*
 * tfjs-core 4.22 keeps optimizer state in fields its typings mark private, and its public
 * getWeights() is async (a step could slip in before the slots are cloned) while setWeights()
 * recomputes Adam's β^t products with pow(), which is not bit-identical to the product of t
 * float32 multiplications the running optimizer made. So state is read from these fields
 * directly; restoring uses setWeights() and then writes the products back exactly. The
 * checkpoint tests pin this down, and a missing field fails loudly below.
 */
interface AdamInternals {
  accumulatedFirstMoment: OptimizerVariable[];
  accumulatedSecondMoment: OptimizerVariable[];
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
}

interface AdagradInternals {
  accumulatedGrads: OptimizerVariable[];
}

function internals<T>(optimizer: tf.Optimizer, fields: (keyof T)[]): T {
  const view = optimizer as unknown as T;
  for (const f of fields) {
    if ((view as Record<keyof T, unknown>)[f] === undefined) {
      throw new Error(`this tfjs version keeps ${optimizer.getClassName()} state elsewhere (no ${String(f)}): checkpoints need updating`);
    }
  }
  return view;
}

interface OptimizerParts {
  slots: tf.Variable[];
  betaPowers: tf.Variable[];
}

function parts(optimizer: tf.Optimizer): OptimizerParts {
  const kind = optimizer.getClassName();
  if (kind === 'Adam') {
    const adam = internals<AdamInternals>(optimizer, ['accumulatedFirstMoment', 'accumulatedSecondMoment', 'accBeta1', 'accBeta2']);
    return {
      slots: [...adam.accumulatedFirstMoment, ...adam.accumulatedSecondMoment].map((s) => s.variable),
      betaPowers: [adam.accBeta1, adam.accBeta2],
    };
  }
  if (kind === 'Adagrad') {
    return { slots: internals<AdagradInternals>(optimizer, ['accumulatedGrads']).accumulatedGrads.map((s) => s.variable), betaPowers: [] };
  }
  if (kind === 'SGD') return { slots: [], betaPowers: [] };
  throw new Error(`cannot checkpoint a ${kind} optimizer`);
}

/** Captures the state now (see holdValues); the returned function reads it back. */
export function holdOptimizerState(optimizer: tf.Optimizer): () => Promise<OptimizerState> {
  const kind = optimizer.getClassName();
  const iterations = optimizer.iterations;
  const { slots, betaPowers } = parts(optimizer);
  const readSlots = holdValues(slots);
  const readPowers = holdValues(betaPowers);
  return async () => ({
    kind,
    iterations,
    slots: await readSlots(),
    betaPowers: (await readPowers()).map((p) => p.values[0]),
  });
}

/** How many slots an optimizer of `kind` keeps for these variables once it has updated them. */
function slotShapes(kind: string, variableShapes: readonly (readonly number[])[]): (readonly number[])[] {
  if (kind === 'Adam') return [...variableShapes, ...variableShapes];
  if (kind === 'Adagrad') return [...variableShapes];
  return [];
}

/**
 * Throws a readable error unless `state` came from an optimizer of the same kind training
 * variables of these shapes (or from one that has not updated yet).
 */
export function checkOptimizerState(optimizer: tf.Optimizer, state: OptimizerState, variableShapes: readonly (readonly number[])[], what: string): void {
  const kind = optimizer.getClassName();
  if (state?.kind !== kind) throw new Error(`${what}: the checkpoint's optimizer is ${state?.kind}, this run uses ${kind}`);
  if (!Number.isInteger(state.iterations) || state.iterations < 0) throw new Error(`${what}: the optimizer's step count is not a count`);
  const untouched = state.slots.length === 0 && state.iterations === 0;
  if (!untouched) checkValues(state.slots, slotShapes(kind, variableShapes), `${what} (optimizer state)`);
  const powers = kind === 'Adam' ? 2 : 0;
  if (state.betaPowers.length !== powers || !state.betaPowers.every((p) => Number.isFinite(p))) {
    throw new Error(`${what}: the optimizer's running products are missing or not numbers`);
  }
}

/** Loads state checked by checkOptimizerState into an optimizer of the same kind. */
export async function restoreOptimizerState(optimizer: tf.Optimizer, state: OptimizerState, place: DevicePlacer): Promise<void> {
  const previous = parts(optimizer);
  const weights: { name: string; tensor: tf.Tensor }[] = [
    { name: 'iter', tensor: tf.scalar(state.iterations, 'int32') },
    ...state.slots.map((s, i) => ({ name: `slot${i}`, tensor: place.tensor(s.values, s.shape) })),
  ];
  try {
    // setWeights makes new variables of these tensors (sharing their data) and drops the old ones.
    await optimizer.setWeights(weights);
  } finally {
    tf.dispose(weights.map((w) => w.tensor));
  }
  tf.dispose(previous.slots);
  assignValues(
    parts(optimizer).betaPowers,
    state.betaPowers.map((p) => ({ shape: [], values: Float32Array.of(p) })),
    place,
  );
}
