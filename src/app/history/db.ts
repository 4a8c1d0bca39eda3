import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import { sortRecords, type HistoryRecord } from './records';

/** Its own database: the data-set store and the model cache live elsewhere and are never touched here. */
export const HISTORY_DB = 'rankplay-history';
const STORE = 'runs';
const VERSION = 1;

interface HistorySchema extends DBSchema {
  runs: { key: string; value: HistoryRecord; indexes: { savedAt: number } };
}

let opening: Promise<IDBPDatabase<HistorySchema>> | null = null;

function db(): Promise<IDBPDatabase<HistorySchema>> {
  if (typeof indexedDB === 'undefined') return Promise.reject(new Error('IndexedDB is not available in this browser'));
  opening ??= openDB<HistorySchema>(HISTORY_DB, VERSION, {
    upgrade(database) {
      const store = database.createObjectStore(STORE, { keyPath: 'id' });
      store.createIndex('savedAt', 'savedAt');
    },
    blocking() {
      // Another tab wants a newer version: let it, and reopen next time.
      void opening?.then((d) => d.close());
      opening = null;
    },
  });
  // A failed open (private mode, quota) is not cached: the next call tries again.
  opening.catch(() => {
    opening = null;
  });
  return opening;
}

export async function listRuns(): Promise<HistoryRecord[]> {
  return sortRecords(await (await db()).getAll(STORE));
}

export async function putRun(record: HistoryRecord): Promise<void> {
  await (await db()).put(STORE, record);
}

/** Renames a saved run; returns the updated record, or null when it is gone. */
export async function renameRun(id: string, name: string): Promise<HistoryRecord | null> {
  const database = await db();
  const tx = database.transaction(STORE, 'readwrite');
  const record = await tx.store.get(id);
  if (!record) {
    await tx.done;
    return null;
  }
  const next = { ...record, name };
  await tx.store.put(next);
  await tx.done;
  return next;
}

export async function deleteRun(id: string): Promise<void> {
  await (await db()).delete(STORE, id);
}

/** Closes the connection (tests, between fresh fake databases). */
export async function closeHistoryDb(): Promise<void> {
  const pending = opening;
  opening = null;
  if (pending) (await pending.catch(() => null))?.close();
}
