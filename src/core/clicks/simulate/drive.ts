/**
 * Running long computations written as generators: each `yield` is a point between chunks of work
 * where the caller may report progress, let other tasks in, or stop. `drain` runs one to the end
 * synchronously (the CLI, tests); `driveAsync` gives the event loop a macrotask at most every
 * `sliceMs` of work (so a worker can receive a cancel message), reports progress at the same pace,
 * and throws `CancelledError` once the signal is aborted. Both run the same code in the same order,
 * so their results are identical.
 */

/** Thrown by `driveAsync` when its signal is aborted: the computation stopped part-way. */
export class CancelledError extends Error {
  constructor(message = 'Cancelled') {
    super(message);
    this.name = 'CancelledError';
  }
}

export function isCancelledError(e: unknown): e is CancelledError {
  return e instanceof CancelledError;
}

/** Runs a stepped computation to its end, ignoring its progress. */
export function drain<R>(steps: Generator<unknown, R, void>): R {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

export interface DriveOptions<P> {
  signal?: AbortSignal;
  /** Called at most every `sliceMs` with the latest progress, and once more with the last one. */
  onProgress?: (progress: P) => void;
  /** Work between yields to the event loop, in ms (default 50). */
  sliceMs?: number;
}

export const DEFAULT_SLICE_MS = 50;

/** A macrotask turn: a MessageChannel round trip where there is one (no 4 ms timer clamping), else setTimeout 0. */
function macrotasks(): { next(): Promise<void>; close(): void } {
  if (typeof MessageChannel === 'undefined') return { next: () => new Promise<void>((resolve) => setTimeout(resolve, 0)), close: () => {} };
  const channel = new MessageChannel();
  let pending: (() => void) | null = null;
  channel.port1.onmessage = () => {
    const resolve = pending;
    pending = null;
    resolve?.();
  };
  return {
    next: () =>
      new Promise<void>((resolve) => {
        pending = resolve;
        channel.port2.postMessage(null);
      }),
    close: () => {
      channel.port1.close();
      channel.port2.close();
    },
  };
}

function checkSignal(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new CancelledError();
}

/** Runs a stepped computation, yielding to the event loop between slices of work (see the file comment). */
export async function driveAsync<P, R>(steps: Generator<P, R, void>, opts: DriveOptions<P> = {}): Promise<R> {
  const sliceMs = opts.sliceMs ?? DEFAULT_SLICE_MS;
  let ticks: ReturnType<typeof macrotasks> | null = null;
  let unreported: { value: P } | null = null;
  try {
    checkSignal(opts.signal);
    let sliceStart = performance.now();
    for (;;) {
      const r = steps.next();
      if (r.done) {
        if (unreported) opts.onProgress?.(unreported.value);
        return r.value;
      }
      unreported = { value: r.value };
      if (performance.now() - sliceStart < sliceMs) continue;
      opts.onProgress?.(r.value);
      unreported = null;
      ticks ??= macrotasks();
      await ticks.next();
      checkSignal(opts.signal);
      sliceStart = performance.now();
    }
  } finally {
    ticks?.close();
    // Lets the generator's finally blocks run when it stopped early (a cancel or an error).
    steps.return(undefined as R);
  }
}
