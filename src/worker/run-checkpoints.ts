import type { BackendName } from '../compute/types';
import { configFingerprint } from '../core/experiment/checkpoint';
import type { ExperimentConfig } from '../core/experiment/config';
import { MemoryCheckpointStore, openCheckpointStore, type CheckpointStore, type SavedRun } from './checkpoint-store';

/**
 * A run resumes only on the backend it was saved on: backends round differently, and "same config +
 * same backend = same numbers" must hold for a resumed run too.
 */
export function checkpointKey(config: ExperimentConfig, backend: BackendName): string {
  return `${configFingerprint(config)}@${backend}`;
}

/** "just now", "12 s ago", "5 min ago", "3 h ago", or the date: for the resume notice. */
export function savedAgo(savedAt: number, now = Date.now()): string {
  const s = Math.max(0, Math.round((now - savedAt) / 1000));
  if (s < 5) return 'just now';
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86_400) return `${Math.round(s / 3600)} h ago`;
  return `on ${new Date(savedAt).toLocaleString()}`;
}

/**
 * The session's saved runs: one queue for every store operation, so a lookup sees the saves made
 * before it, and tickets, so a save whose snapshot is older than what is already written (or older
 * than a reset of that run) is dropped rather than written over newer state.
 */
export class RunCheckpoints {
  private readonly store: Promise<CheckpointStore>;
  private queue: Promise<unknown> = Promise.resolve();
  private lastTicket = 0;
  private lastSavedAt = 0;
  /** Per key, the newest ticket written or discarded: older saves of that run are stale. */
  private readonly floors = new Map<string, number>();

  constructor(store?: Promise<CheckpointStore>) {
    this.store = store ?? openCheckpointStore().catch(() => new MemoryCheckpointStore());
  }

  private enqueue<T>(job: (store: CheckpointStore) => Promise<T>): Promise<T> {
    const result = this.queue.then(() => this.store).then(job);
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** Taken when a snapshot is taken: orders saves by the state they hold, not by when they finish. */
  ticket(): number {
    return ++this.lastTicket;
  }

  find(key: string): Promise<SavedRun | undefined> {
    return this.enqueue((store) => store.get(key));
  }

  /** Writes unless a newer snapshot of the run was written, or the run was discarded, since `ticket`. */
  save(run: Omit<SavedRun, 'savedAt'>, ticket: number): Promise<void> {
    return this.enqueue(async (store) => {
      if (ticket <= (this.floors.get(run.key) ?? 0)) return;
      this.floors.set(run.key, ticket);
      // Strictly increasing, so the store's oldest-first eviction never ties with the newest run.
      this.lastSavedAt = Math.max(Date.now(), this.lastSavedAt + 1);
      await store.put({ ...run, savedAt: this.lastSavedAt });
    });
  }

  /** Forgets the run now: saves of it already under way are dropped too. */
  discard(key: string): Promise<void> {
    this.floors.set(key, this.ticket());
    return this.enqueue((store) => store.delete(key));
  }
}
