import { openDB, type IDBPDatabase } from 'idb';
import type { AdaptCheckpoint } from '../core/text/adapt/types';
import type { AdaptSavedInfo } from './adapt-types';

/**
 * The adaptation run in progress, saved at each validation so that a reload can offer "Resume from
 * step N". Only the latest run is kept: a checkpoint holds the adapter, its optimiser state and the
 * best weights so far, and nobody resumes an older adaptation once a newer one has started.
 * Its own database, so its schema can change without touching the experiment checkpoints.
 */
const DB_NAME = 'rankplay-adapt';
const DB_VERSION = 1;
const STORE = 'runs';
const LATEST = 'latest';

export interface SavedAdaptRun extends AdaptSavedInfo {
  checkpoint: AdaptCheckpoint;
}

export interface AdaptRunStore {
  readonly where: 'indexeddb' | 'memory';
  get(): Promise<SavedAdaptRun | undefined>;
  put(run: SavedAdaptRun): Promise<void>;
  clear(): Promise<void>;
}

class IdbAdaptRunStore implements AdaptRunStore {
  readonly where = 'indexeddb';

  constructor(private readonly db: IDBPDatabase) {}

  async get(): Promise<SavedAdaptRun | undefined> {
    return (await this.db.get(STORE, LATEST)) as SavedAdaptRun | undefined;
  }

  async put(run: SavedAdaptRun): Promise<void> {
    await this.db.put(STORE, run, LATEST);
  }

  async clear(): Promise<void> {
    await this.db.delete(STORE, LATEST);
  }
}

/** Without IndexedDB (Node tests, some private windows) a run survives only as long as the worker. */
export class MemoryAdaptRunStore implements AdaptRunStore {
  readonly where = 'memory';
  private run: SavedAdaptRun | undefined;

  async get(): Promise<SavedAdaptRun | undefined> {
    return this.run;
  }

  async put(run: SavedAdaptRun): Promise<void> {
    this.run = run;
  }

  async clear(): Promise<void> {
    this.run = undefined;
  }
}

export async function openAdaptRunStore(): Promise<AdaptRunStore> {
  if (typeof indexedDB === 'undefined') return new MemoryAdaptRunStore();
  try {
    const db = await openDB(DB_NAME, DB_VERSION, {
      upgrade(database) {
        database.createObjectStore(STORE);
      },
    });
    return new IdbAdaptRunStore(db);
  } catch {
    return new MemoryAdaptRunStore();
  }
}
