import * as Comlink from 'comlink';
import type { HasherFactory } from '../core/data/hash';
import type { HashWorkerApi } from './hash-worker';

/**
 * Incremental hashers whose work runs on a worker of their own (hash-worker.ts), started on first
 * use; null where workers cannot be started (Node, the tests): the data service then hashes on
 * its own thread. Each chunk is copied (memcpy is far cheaper than SHA-256) and transferred.
 * Updates are not awaited: messages on one port arrive in order, and digest waits behind them.
 */
export function backgroundHasher(): HasherFactory | null {
  if (typeof Worker === 'undefined') return null;
  let remote: Comlink.Remote<HashWorkerApi> | null = null;
  return async () => {
    remote ??= Comlink.wrap<HashWorkerApi>(new Worker(new URL('./hash-worker.ts', import.meta.url), { type: 'module' }));
    const worker = remote;
    const id = await worker.open();
    let failed: unknown = null;
    return {
      update: (chunk) => {
        const copy = chunk.slice();
        worker.update(id, Comlink.transfer(copy, [copy.buffer])).catch((e: unknown) => (failed = e));
      },
      digest: async () => {
        const hex = await worker.digest(id);
        if (failed) throw failed;
        return hex;
      },
    };
  };
}
