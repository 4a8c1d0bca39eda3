import { openDB, type IDBPDatabase } from 'idb';
import type { DatasetPayload } from '../core/data/load';
import { SPLIT_NAMES, type DatasetInfo, type FeatureSplits } from '../core/data/library';

/**
 * Loaded data sets in IndexedDB: the summary (small, listed on every start) apart from the
 * arrays (large, read only when a run uses the set). Typed arrays are stored as they are, by
 * structured clone, with no per-document objects.
 */
const DB_NAME = 'rankplay';
const DB_VERSION = 1;
const INFO = 'datasets';
const PAYLOAD = 'payloads';

export type SaveResult = { ok: true } | { ok: false; reason: string };

function megabytes(bytes: number): string {
  return `${(bytes / 1024 ** 2).toFixed(0)} MB`;
}

/** Rough size of what a payload will take on disk: its typed arrays (text: its files' size). */
export function payloadBytes(payload: DatasetPayload, fileBytes: number): number {
  if (payload.kind === 'text') return fileBytes;
  let total = 0;
  for (const ds of Object.values(payload.splits)) {
    if (!ds) continue;
    total += ds.features.byteLength + ds.labels.byteLength + ds.qidOffsets.byteLength;
    // Strings are stored as UTF-16 by most engines; a rough count is enough for the quota check.
    if (ds.docIds) for (const id of ds.docIds) total += 2 * id.length;
  }
  return total;
}

/**
 * A stored payload as the current code expects it. Sets saved before doc ids were kept have none
 * (documents then get `<qid>:<position>` names); ids that do not line up with the rows (a damaged
 * or foreign record) are dropped rather than misnaming documents.
 */
export function upgradePayload(payload: DatasetPayload): DatasetPayload {
  if (payload.kind !== 'features') return payload;
  const splits: FeatureSplits = {};
  for (const name of SPLIT_NAMES) {
    const ds = payload.splits[name];
    if (!ds) continue;
    const ids: unknown = ds.docIds;
    const ok = ids === undefined || (Array.isArray(ids) && ids.length === ds.labels.length && ids.every((id) => typeof id === 'string'));
    splits[name] = ok ? ds : { ...ds, docIds: undefined };
  }
  return { ...payload, splits };
}

function isQuotaError(e: unknown): boolean {
  return e instanceof DOMException && (e.name === 'QuotaExceededError' || /quota/i.test(e.message));
}

export class DatasetStore {
  private constructor(private readonly db: IDBPDatabase) {}

  /** Null where IndexedDB is unavailable (private windows in some browsers): data then lives in memory only. */
  static async open(): Promise<DatasetStore | null> {
    if (typeof indexedDB === 'undefined') return null;
    try {
      const db = await openDB(DB_NAME, DB_VERSION, {
        upgrade(database) {
          database.createObjectStore(INFO, { keyPath: 'id' });
          database.createObjectStore(PAYLOAD);
        },
      });
      return new DatasetStore(db);
    } catch {
      return null;
    }
  }

  async list(): Promise<DatasetInfo[]> {
    const all = (await this.db.getAll(INFO)) as DatasetInfo[];
    return all.sort((a, b) => b.createdAt - a.createdAt);
  }

  async payload(id: string): Promise<DatasetPayload | undefined> {
    const payload = (await this.db.get(PAYLOAD, id)) as DatasetPayload | undefined;
    return payload && upgradePayload(payload);
  }

  /** Keeps a data set; says why not (quota) rather than failing the load. */
  async save(info: DatasetInfo, payload: DatasetPayload, bytes: number): Promise<SaveResult> {
    const estimate = await navigator.storage?.estimate?.().catch(() => undefined);
    if (estimate?.quota !== undefined && estimate.usage !== undefined) {
      const free = estimate.quota - estimate.usage;
      if (bytes * 1.1 > free) {
        return { ok: false, reason: `browser storage is full: this set needs about ${megabytes(bytes)}, ${megabytes(Math.max(0, free))} is free` };
      }
    }
    try {
      const tx = this.db.transaction([INFO, PAYLOAD], 'readwrite');
      await Promise.all([tx.objectStore(PAYLOAD).put(payload, info.id), tx.objectStore(INFO).put(info), tx.done]);
      return { ok: true };
    } catch (e) {
      if (isQuotaError(e)) return { ok: false, reason: `browser storage quota exceeded while saving ${megabytes(bytes)}` };
      return { ok: false, reason: `saving failed (${e instanceof Error ? e.message : String(e)})` };
    }
  }

  async delete(id: string): Promise<void> {
    const tx = this.db.transaction([INFO, PAYLOAD], 'readwrite');
    await Promise.all([tx.objectStore(PAYLOAD).delete(id), tx.objectStore(INFO).delete(id), tx.done]);
  }
}
