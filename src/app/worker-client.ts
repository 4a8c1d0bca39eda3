import * as Comlink from 'comlink';
import type { RankPlayWorkerApi } from '../worker/protocol';

export type WorkerApi = Comlink.Remote<RankPlayWorkerApi>;

export interface WorkerClient {
  api: WorkerApi;
  terminate(): void;
}

/**
 * Starts the training worker. `onCrash` hears about failures that never reach an RPC promise
 * (the worker script failing to load or throwing at top level), so they become notices
 * instead of a UI that silently waits forever.
 */
export function startWorker(onCrash: (message: string) => void): WorkerClient {
  const worker = new Worker(new URL('../worker/worker.ts', import.meta.url), { type: 'module' });
  worker.addEventListener('error', (event) => {
    event.preventDefault();
    onCrash(`The training worker failed: ${event.message || 'it could not be started (see the browser console)'}`);
  });
  worker.addEventListener('messageerror', () => {
    onCrash('The training worker sent a message that could not be read.');
  });
  const api = Comlink.wrap<RankPlayWorkerApi>(worker);
  return {
    api,
    terminate: () => {
      api[Comlink.releaseProxy]();
      worker.terminate();
    },
  };
}

/** Wraps the UI's event handler so the worker can call it back across the thread boundary. */
export function proxySink<T extends (...args: never[]) => void>(sink: T): T {
  return Comlink.proxy(sink);
}
