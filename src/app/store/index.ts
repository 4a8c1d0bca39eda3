import { useStore } from 'zustand';
import { createStore, type StoreApi } from 'zustand/vanilla';
import { createBackendSlice } from './backend-slice';
import { createClickLogsSlice } from './click-logs-slice';
import { createClicksSlice } from './clicks-slice';
import { createCompareSlice } from './compare-slice';
import { createConfigSlice } from './config-slice';
import { createDatasetsSlice } from './datasets-slice';
import { createInspectSlice } from './inspect-slice';
import { createLifecycleSlice } from './lifecycle-slice';
import { createNoticesSlice } from './notices-slice';
import { createRunSlice } from './run-slice';
import { createTextSlice } from './text-slice';
import { createAdaptSlice } from './adapt-slice';
import { createShareSlice } from './share-slice';
import { createHistorySlice, saveRunsWhenDone } from './history-slice';
import type { RankPlayState, WorkerLink } from './types';
import { resolveLinkedData } from './linked-data';
import type { QueryPassagePair } from '../../core/text/rerank/types';
import type { RerankBenchOptions, RerankBenchResult, RerankParityOptions, RerankParityResult } from '../../worker/rerank-hooks';
import type { AdaptBenchOptions, AdaptBenchResult } from '../../worker/adapt-hooks';

export type { RankPlayState } from './types';

/** A fresh store; the app uses the single instance below, tests may build their own. */
export function createRankPlayStore(): StoreApi<RankPlayState> {
  const link: WorkerLink = { commands: null };
  const store = createStore<RankPlayState>()((...a) => ({
    ...createNoticesSlice(...a),
    ...createConfigSlice(link)(...a),
    ...createRunSlice(link)(...a),
    ...createBackendSlice(link)(...a),
    ...createLifecycleSlice(link)(...a),
    ...createDatasetsSlice(link)(...a),
    ...createClicksSlice(link)(...a),
    ...createClickLogsSlice(link)(...a),
    ...createCompareSlice(link)(...a),
    ...createInspectSlice(link)(...a),
    ...createTextSlice(link)(...a),
    ...createAdaptSlice(link)(...a),
    ...createShareSlice()(...a),
    ...createHistorySlice()(...a),
  }));
  resolveLinkedData(store);
  return store;
}

export const rankPlayStore = createRankPlayStore();
// Finished runs go to the run history (IndexedDB); test stores built above save nothing by themselves.
if (typeof window !== 'undefined') saveRunsWhenDone(rankPlayStore);

export function useRankPlay<T>(selector: (state: RankPlayState) => T): T {
  return useStore(rankPlayStore, selector);
}

declare global {
  interface Window {
    /** Read-only view for end-to-end tests. */
    __RANKPLAY__?: {
      getState: () => RankPlayState;
      /** Destroys the worker's WebGPU device, to exercise the device-lost fallback; false if not on WebGPU. */
      loseGpuDevice?: () => Promise<boolean>;
      /** Benchmark hook: a raw newline scan of a file in the worker (the baseline parse speed is divided by). */
      scanFile?: (file: Blob) => Promise<{ bytes: number; ms: number; lines: number }>;
      /** Test hook: the same pairs scored on WebGPU and on wasm in the worker (e2e/cross-encoder.spec.ts). */
      rerankParity?: (modelUrl: string, pairs: QueryPassagePair[], opts: RerankParityOptions) => Promise<RerankParityResult>;
      /** Benchmark hook (bench/rerank.mjs): pairs/s of a model on one backend in the worker. */
      rerankBench?: (modelUrl: string, opts: RerankBenchOptions) => Promise<RerankBenchResult>;
      /** Benchmark hook (bench/lora.mjs): LoRA vs full fine-tuning steps on wasm and WebGPU in the worker. */
      adaptBench?: (opts: AdaptBenchOptions) => Promise<AdaptBenchResult>;
    };
  }
}

if (typeof window !== 'undefined') {
  window.__RANKPLAY__ = { getState: rankPlayStore.getState };
}
