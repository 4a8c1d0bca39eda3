import { openDB, type IDBPDatabase } from 'idb';
import type { RunCheckpoint } from '../core/experiment/checkpoint';
import type { MetricPoint } from '../core/experiment/runner';

/**
 * Saved runs, so a run survives a reload: the training state and the history the charts show.
 * Kept apart from the data sets' database so each can change its schema without the other.
 */
const DB_NAME = 'rankplay-checkpoints';
const DB_VERSION = 1;
const RUNS = 'runs';
const BY_TIME = 'savedAt';

/** Checkpoints of the latest runs only: each can hold a model's weights and optimizer state. */
export const MAX_SAVED_RUNS = 5;

export interface SavedRun {
  /** Which run this is: the config's fingerprint and the backend (see checkpointKey). */
  key: string;
  /** Date.now() of the save. */
  savedAt: number;
  done: boolean;
  checkpoint: RunCheckpoint;
  /** Every metric point emitted so far, and the elapsed time at each, as the charts had them. */
  points: MetricPoint[];
  pointElapsedMs: number[];
  elapsedMs: number;
}

export interface CheckpointStore {
  readonly where: 'indexeddb' | 'memory';
  get(key: string): Promise<SavedRun | undefined>;
  /** Saves (replacing the run's older checkpoint) and forgets all but the MAX_SAVED_RUNS newest runs. */
  put(run: SavedRun): Promise<void>;
  delete(key: string): Promise<void>;
}

class IdbCheckpointStore implements CheckpointStore {
  readonly where = 'indexeddb';

  constructor(private readonly db: IDBPDatabase) {}

  async get(key: string): Promise<SavedRun | undefined> {
    return (await this.db.get(RUNS, key)) as SavedRun | undefined;
  }

  async put(run: SavedRun): Promise<void> {
    const tx = this.db.transaction(RUNS, 'readwrite');
    const runs = tx.objectStore(RUNS);
    await runs.put(run);
    // Oldest first; the one just saved is the newest, so it is never the one dropped.
    const keys = await runs.index(BY_TIME).getAllKeys();
    await Promise.all(keys.slice(0, Math.max(0, keys.length - MAX_SAVED_RUNS)).map((k) => runs.delete(k)));
    await tx.done;
  }

  async delete(key: string): Promise<void> {
    await this.db.delete(RUNS, key);
  }
}

/** Where IndexedDB is missing or refuses (some private windows): runs then survive a config switch, not a reload. */
export class MemoryCheckpointStore implements CheckpointStore {
  readonly where = 'memory';
  private readonly runs = new Map<string, SavedRun>();

  async get(key: string): Promise<SavedRun | undefined> {
    return this.runs.get(key);
  }

  async put(run: SavedRun): Promise<void> {
    // Map order is insertion order: re-inserting makes this run the newest.
    this.runs.delete(run.key);
    this.runs.set(run.key, run);
    for (const key of this.runs.keys()) {
      if (this.runs.size <= MAX_SAVED_RUNS) break;
      this.runs.delete(key);
    }
  }

  async delete(key: string): Promise<void> {
    this.runs.delete(key);
  }
}

export async function openCheckpointStore(): Promise<CheckpointStore> {
  if (typeof indexedDB === 'undefined') return new MemoryCheckpointStore();
  try {
    const db = await openDB(DB_NAME, DB_VERSION, {
      upgrade(database) {
        database.createObjectStore(RUNS, { keyPath: 'key' }).createIndex(BY_TIME, 'savedAt');
      },
    });
    return new IdbCheckpointStore(db);
  } catch {
    return new MemoryCheckpointStore();
  }
}
