import type { StateCreator, StoreApi } from 'zustand';
import * as historyDb from '../history/db';
import { buildRecord, sortRecords, type HistoryRecord } from '../history/records';
import type { RankPlayState } from './types';

/** Saved runs (issue 9): kept in IndexedDB `rankplay-history`, listed, renamed, deleted, compared. */
export interface HistorySlice {
  historyRuns: HistoryRecord[];
  /** 'unknown' until the first read; 'unavailable' when IndexedDB failed (the panel says so). */
  historyStatus: 'unknown' | 'ready' | 'unavailable';
  /** The last storage failure, shown in the History panel (never a blank page). */
  historyError: string | null;
  /** Ids ticked for comparison, in the order they were ticked. */
  historyCompare: string[];
  /** The last deleted run, while its undo is offered. */
  historyUndo: HistoryRecord | null;
  loadHistory(): Promise<void>;
  /** Saves the run as it stands (done, or paused with "Save run now"); resolves to the record, or null on failure. */
  saveCurrentRun(name?: string): Promise<HistoryRecord | null>;
  renameHistoryRun(id: string, name: string): Promise<void>;
  deleteHistoryRun(id: string): Promise<void>;
  undoHistoryDelete(): Promise<void>;
  dismissHistoryUndo(): void;
  toggleHistoryCompare(id: string): void;
  /** Adopts a saved run's config: the app reloads that experiment. */
  openHistoryRun(id: string): void;
}

export type HistoryStorage = Pick<typeof historyDb, 'listRuns' | 'putRun' | 'renameRun' | 'deleteRun'>;

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

export function createHistorySlice(storage: HistoryStorage = historyDb): StateCreator<RankPlayState, [], [], HistorySlice> {
  return (set, get) => {
    function fail(what: string, error: unknown): void {
      set({ historyStatus: get().historyStatus === 'ready' ? 'ready' : 'unavailable', historyError: `Could not ${what}: ${message(error)}` });
    }
    return {
      historyRuns: [],
      historyStatus: 'unknown',
      historyError: null,
      historyCompare: [],
      historyUndo: null,
      loadHistory: async () => {
        try {
          const runs = await storage.listRuns();
          set((s) => ({ historyRuns: runs, historyStatus: 'ready', historyError: null, historyCompare: s.historyCompare.filter((id) => runs.some((r) => r.id === id)) }));
        } catch (error) {
          set({ historyStatus: 'unavailable', historyError: `Run history is unavailable (IndexedDB: ${message(error)}). Runs will not be saved in this browser.` });
        }
      },
      saveCurrentRun: async (name) => {
        const s = get();
        if (s.points.length === 0) return null;
        const record = buildRecord({ config: s.config, points: s.points, backend: s.backend?.active ?? null, at: Date.now(), name });
        try {
          await storage.putRun(record);
          set((st) => ({ historyRuns: sortRecords([record, ...st.historyRuns.filter((r) => r.id !== record.id)]), historyStatus: 'ready', historyError: null }));
          return record;
        } catch (error) {
          fail('save the run to the history', error);
          return null;
        }
      },
      renameHistoryRun: async (id, name) => {
        const trimmed = name.trim();
        if (!trimmed) return;
        try {
          const updated = await storage.renameRun(id, trimmed.slice(0, 200));
          if (updated) set((s) => ({ historyRuns: s.historyRuns.map((r) => (r.id === id ? updated : r)) }));
        } catch (error) {
          fail('rename the run', error);
        }
      },
      deleteHistoryRun: async (id) => {
        const record = get().historyRuns.find((r) => r.id === id) ?? null;
        try {
          await storage.deleteRun(id);
          set((s) => ({
            historyRuns: s.historyRuns.filter((r) => r.id !== id),
            historyCompare: s.historyCompare.filter((c) => c !== id),
            historyUndo: record,
          }));
        } catch (error) {
          fail('delete the run', error);
        }
      },
      undoHistoryDelete: async () => {
        const record = get().historyUndo;
        if (!record) return;
        try {
          await storage.putRun(record);
          set((s) => ({ historyRuns: sortRecords([record, ...s.historyRuns.filter((r) => r.id !== record.id)]), historyUndo: null }));
        } catch (error) {
          fail('restore the run', error);
        }
      },
      dismissHistoryUndo: () => set({ historyUndo: null }),
      toggleHistoryCompare: (id) =>
        set((s) => ({ historyCompare: s.historyCompare.includes(id) ? s.historyCompare.filter((c) => c !== id) : [...s.historyCompare, id] })),
      openHistoryRun: (id) => {
        const record = get().historyRuns.find((r) => r.id === id);
        if (record) get().replaceConfig(structuredClone(record.config));
      },
    };
  };
}

/**
 * Saves every run that trains to 'done' (the app's store only: unit-test stores have no IndexedDB).
 * Only a transition from playing or paused counts: a finished run restored from its checkpoint on
 * reload arrives as idle → done and was saved when it finished (or deleted on purpose since).
 * Returns the unsubscribe function.
 */
export function saveRunsWhenDone(store: StoreApi<RankPlayState>): () => void {
  return store.subscribe((state, previous) => {
    if (state.runState === 'done' && (previous.runState === 'playing' || previous.runState === 'paused')) void state.saveCurrentRun();
  });
}
