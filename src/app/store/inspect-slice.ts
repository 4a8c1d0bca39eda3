import type { StateCreator } from 'zustand';
import type { QueryInspection } from '../../worker/protocol';
import type { RankPlayState, WorkerLink } from './types';

export type InspectSplit = 'train' | 'test';

export interface InspectSlice {
  inspectSplit: InspectSplit;
  /** 0-based query index within the split. */
  inspectQueryIndex: number;
  inspection: QueryInspection | null;
  inspectError: string | null;
  inspecting: boolean;
  /** Picks a query (the inspector then asks for it). */
  pickInspectQuery(split: InspectSplit, query: number): void;
  /** Asks the worker for every ranker's ranking of one query. */
  inspectQuery(split: InspectSplit, query: number): void;
}

const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * The ranked-list inspector: one query of the current run as every ranker orders it. The worker
 * scores it on demand (rankings change as training goes on, so nothing is cached here).
 */
export function createInspectSlice(link: WorkerLink): StateCreator<RankPlayState, [], [], InspectSlice> {
  return (set) => {
    // Answers may come back out of order when the user flips quickly: only the latest request counts.
    let latest = 0;
    return {
      inspectSplit: 'test',
      inspectQueryIndex: 0,
      inspection: null,
      inspectError: null,
      inspecting: false,
      pickInspectQuery: (split, query) => set({ inspectSplit: split, inspectQueryIndex: query }),
      inspectQuery: (split, query) => {
        const commands = link.commands;
        if (!commands) return;
        const request = ++latest;
        set({ inspecting: true });
        commands
          .inspectQuery(split, query)
          .then((answer) => {
            if (request !== latest) return;
            if (answer.ok) set({ inspection: answer.inspection, inspectError: null });
            else set({ inspection: null, inspectError: answer.error });
          })
          .catch((e: unknown) => {
            if (request === latest) set({ inspection: null, inspectError: `Could not inspect the query: ${errorText(e)}` });
          })
          .finally(() => {
            if (request === latest) set({ inspecting: false });
          });
      },
    };
  };
}
