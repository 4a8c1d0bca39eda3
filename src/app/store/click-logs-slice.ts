import type { StateCreator } from 'zustand';
import type { ClickFitModelName, ClickFitProgressEvent, ClickLogFitOutcome, ClickLogFitResult, LoadProgressEvent, WorkerEvent } from '../../worker/protocol';
import type { RankPlayState, WorkerLink } from './types';

/** The click-log panel's settings (checked by the worker, which says what is wrong). */
export interface ClickLogForm {
  models: ClickFitModelName[];
  /** Share of the sessions held out for evaluation. */
  testFraction: number;
  seed: number;
  /** What test (query, doc) pairs never seen in training get: the prior mean or the fitted mean. */
  unseen: 'prior' | 'mean';
  skipBadLines: boolean;
}

/** Where the fit in flight is: reading a file (bytes) or fitting a model (EM iterations). */
export type ClickLogProgress = { phase: 'read'; event: LoadProgressEvent } | { phase: 'fit'; event: ClickFitProgressEvent };

export type ClickLogFailure = Extract<ClickLogFitOutcome, { ok: false }>;

export interface ClickLogsSlice {
  clickLogForm: ClickLogForm;
  /** A fit is in flight. */
  clickLogRunning: boolean;
  clickLogProgress: ClickLogProgress | null;
  /** The last successful fit; cleared when a new one starts, so a table never shows another file's numbers. */
  clickLogResult: ClickLogFitResult | null;
  clickLogError: ClickLogFailure | null;
  setClickLogForm(change: Partial<ClickLogForm>): void;
  /** One click log (held-out sessions split from it), or a training log then a test log. */
  fitClickLog(files: File[]): void;
  cancelClickLogFit(): void;
  dismissClickLogError(): void;
}

export const defaultClickLogForm: ClickLogForm = {
  models: ['pbm', 'cascade', 'dcm', 'dbn', 'ubm'],
  testFraction: 0.25,
  seed: 42,
  unseen: 'prior',
  skipBadLines: false,
};

type Setter = Parameters<StateCreator<RankPlayState>>[0];

/** Folds the worker's click-log progress into the state; false for events that are not about it. */
export function applyClickLogEvent(set: Setter, get: () => RankPlayState, event: WorkerEvent): boolean {
  if (event.type === 'load-progress' && event.task === 'click-log') {
    // Events may trail the fit's answer: a finished fit stays finished.
    if (get().clickLogRunning) set({ clickLogProgress: { phase: 'read', event } });
    return true;
  }
  if (event.type === 'click-fit-progress') {
    if (get().clickLogRunning) set({ clickLogProgress: { phase: 'fit', event } });
    return true;
  }
  return false;
}

export function createClickLogsSlice(link: WorkerLink): StateCreator<RankPlayState, [], [], ClickLogsSlice> {
  return (set, get) => ({
    clickLogForm: defaultClickLogForm,
    clickLogRunning: false,
    clickLogProgress: null,
    clickLogResult: null,
    clickLogError: null,
    setClickLogForm: (change) => set((s) => ({ clickLogForm: { ...s.clickLogForm, ...change } })),
    fitClickLog: (files) => {
      const commands = link.commands;
      if (!commands) {
        set({ clickLogError: { ok: false, cancelled: false, error: 'The worker is still starting: choose the file again in a moment.' } });
        return;
      }
      if (get().clickLogRunning) return;
      const { models, testFraction, seed, unseen, skipBadLines } = get().clickLogForm;
      set({ clickLogRunning: true, clickLogProgress: null, clickLogError: null, clickLogResult: null });
      commands
        .fitClickLog(files, { models, testFraction, seed, unseen, skipBadLines })
        .then((outcome) => {
          if (outcome.ok) set({ clickLogResult: outcome.result });
          else set({ clickLogError: outcome });
        })
        .catch((error: unknown) => set({ clickLogError: { ok: false, cancelled: false, error: `Could not fit the click log: ${error instanceof Error ? error.message : String(error)}` } }))
        .finally(() => set({ clickLogRunning: false, clickLogProgress: null }));
    },
    cancelClickLogFit: () => {
      if (get().clickLogRunning) void link.commands?.cancelClickLogFit().catch(() => {});
    },
    dismissClickLogError: () => set({ clickLogError: null }),
  });
}
