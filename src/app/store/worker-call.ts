import type { RankPlayState } from './types';

/** Runs a worker RPC; a rejection becomes an error notice rather than an unhandled rejection. */
export function callWorker(get: () => RankPlayState, what: string, call: () => Promise<unknown>, onSettled?: () => void): void {
  call()
    .catch((error: unknown) => {
      const reason = error instanceof Error ? error.message : String(error);
      get().pushNotice('error', `Could not ${what}: ${reason}`);
    })
    .finally(() => onSettled?.());
}
