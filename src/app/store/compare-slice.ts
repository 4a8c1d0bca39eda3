import type { StateCreator } from 'zustand';
import type { CompareOutcome, CompareProgressEvent, WorkerEvent } from '../../worker/protocol';
import type { RankPlayState, WorkerLink } from './types';

/** A finished comparison: estimator → measure → mean ± 95% CI, and the seeds it ran. */
export type CompareResult = Extract<CompareOutcome, { ok: true }>;
export type CompareFailure = Extract<CompareOutcome, { ok: false }>;

/** Enough seeds for a CI that means something, few enough that one click does not run for an hour. */
export const MAX_COMPARE_SEEDS = 20;

export interface CompareSlice {
  /** How many seeds "Compare estimators" runs (config.seed, config.seed + 1, …). */
  compareSeedCount: number;
  compareRunning: boolean;
  compareProgress: CompareProgressEvent | null;
  /** The last finished comparison; cleared when a new one starts so its table never shows stale numbers. */
  compareResult: CompareResult | null;
  compareError: CompareFailure | null;
  setCompareSeedCount(n: number): void;
  /** Runs the comparison on the current config. */
  compareEstimators(): void;
  cancelCompare(): void;
  dismissCompareError(): void;
}

/** The seeds of a comparison: consecutive from the config's own, so a link reproduces the table. */
export function compareSeeds(baseSeed: number, count: number): number[] {
  const n = Math.max(1, Math.min(MAX_COMPARE_SEEDS, Math.floor(count)));
  // Wrap inside the config's seed range (0..2^32−1) rather than overflow it.
  return Array.from({ length: n }, (_, i) => (baseSeed + i) % 0x1_0000_0000);
}

type Setter = Parameters<StateCreator<RankPlayState>>[0];

/** Folds comparison progress into the state; false for events that are not about it. */
export function applyCompareEvent(set: Setter, get: () => RankPlayState, event: WorkerEvent): boolean {
  if (event.type !== 'compare-progress') return false;
  // Progress may trail the answer: a finished (or cancelled) comparison stays finished.
  if (get().compareRunning) set({ compareProgress: event });
  return true;
}

const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));

export function createCompareSlice(link: WorkerLink): StateCreator<RankPlayState, [], [], CompareSlice> {
  return (set, get) => ({
    compareSeedCount: 3,
    compareRunning: false,
    compareProgress: null,
    compareResult: null,
    compareError: null,
    setCompareSeedCount: (n) => set({ compareSeedCount: n }),
    compareEstimators: () => {
      const commands = link.commands;
      if (!commands) {
        set({ compareError: { ok: false, cancelled: false, error: 'The worker is still starting: try again in a moment.' } });
        return;
      }
      if (get().compareRunning) return;
      const { config, compareSeedCount } = get();
      set({ compareRunning: true, compareProgress: null, compareResult: null, compareError: null });
      commands
        .compareEstimators(config, { seeds: compareSeeds(config.seed, compareSeedCount) })
        .then((outcome) => {
          if (outcome.ok) set({ compareResult: outcome });
          else set({ compareError: outcome });
        })
        .catch((e: unknown) => set({ compareError: { ok: false, cancelled: false, error: `Could not compare estimators: ${errorText(e)}` } }))
        .finally(() => set({ compareRunning: false, compareProgress: null }));
    },
    cancelCompare: () => {
      if (get().compareRunning) void link.commands?.cancelCompare().catch(() => {});
    },
    dismissCompareError: () => set({ compareError: null }),
  });
}
