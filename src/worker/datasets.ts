import { loadDataset, type DatasetPayload } from '../core/data/load';
import type { TextSetParts } from '../core/data/load/text-set';
import type { DatasetInfo, FeatureSplits } from '../core/data/library';
import { isDataError } from '../core/data/parse/errors';
import { blobSource, type ByteSource } from '../core/data/parse/stream';
import { bundledSet } from '../core/data/bundled';
import { hashWhileReading, localHasher, sha256Of, type HasherFactory } from '../core/data/hash';
import { checkFiles, type DataSource, type FileRef } from '../core/data/source';
import { DatasetStore, payloadBytes } from './dataset-store';
import type { LoadOptions, LoadOutcome, WorkerEvent } from './protocol';

type LoadFailure = Extract<LoadOutcome, { ok: false }>;

/** How much the features of one file may take at their peak: half the device's memory, at most 4 GB. */
function memoryBudgetBytes(): number {
  const gb = (globalThis.navigator as { deviceMemory?: number } | undefined)?.deviceMemory;
  return Math.min(4, typeof gb === 'number' && gb > 0 ? gb / 2 : 2) * 1024 ** 3;
}

function urlSource(url: string, signal: AbortSignal): ByteSource {
  const name = decodeURIComponent(new URL(url).pathname.split('/').filter(Boolean).pop() ?? 'download');
  let size: number | null = null;
  return {
    name,
    get size() {
      return size;
    },
    stream() {
      // A pull-based stream: the fetch starts when the parser first reads, so detection can stop
      // after the first chunk without downloading the file.
      let reader: ReadableStreamDefaultReader<Uint8Array> | null = null;
      return new ReadableStream<Uint8Array>({
        async pull(controller) {
          if (!reader) {
            const response = await fetch(url, { signal });
            if (!response.ok || !response.body) throw new Error(`HTTP ${response.status} ${response.statusText} for ${url}`);
            const length = Number(response.headers.get('content-length'));
            if (length > 0 && !response.headers.get('content-encoding')) size = length;
            reader = response.body.getReader();
          }
          const { done, value } = await reader.read();
          if (done) controller.close();
          else controller.enqueue(value);
        },
        cancel() {
          void reader?.cancel();
        },
      });
    },
  };
}

/**
 * The worker's data sets: loading with progress and cancel, keeping them (IndexedDB, or memory
 * when storage refuses), listing and deleting. Payloads loaded in this session stay in memory so
 * a run starts without reading them back.
 */
export class DatasetService {
  private readonly memory = new Map<string, { info: DatasetInfo; payload: DatasetPayload }>();
  private readonly store = DatasetStore.open();
  private abort: AbortController | null = null;

  /** `makeHasher`: hashers whose work runs on another thread (file-hasher.ts); default: this one. */
  constructor(
    private readonly emit: (e: WorkerEvent) => void,
    private readonly makeHasher: HasherFactory | null = null,
  ) {}

  /**
   * Picked or dropped files. With `options.expect` (a link's local files), they are hashed first
   * and refused, before any parsing, unless their contents are the ones the link names.
   */
  async loadFiles(files: File[], options: LoadOptions): Promise<LoadOutcome> {
    const sources = () => files.map((f) => blobSource(f, f.webkitRelativePath || f.name));
    const expect = options.expect;
    if (expect) {
      const checked = await this.hashAndCheck(sources(), expect);
      if (!checked.ok) return checked;
      return this.load(sources, options, () => ({ from: 'files', files: checked.refs }));
    }
    const hashing = sources().map((source) => hashWhileReading(source, this.makeHasher ?? localHasher));
    const refs = async (signal: AbortSignal): Promise<DataSource> => ({
      from: 'files',
      // A file the parser did not read to its end (none today) is hashed on its own.
      files: await Promise.all(hashing.map((h) => h.ref() ?? sha256Of(h.source, { signal }))),
    });
    return this.load(() => hashing.map((h) => h.source), options, refs);
  }

  async loadUrl(url: string, options: LoadOptions): Promise<LoadOutcome> {
    return this.loadUrls([url], options, { from: 'url', url });
  }

  /** A set the app ships, fetched from the page's own origin (`base`: the site's base URL). */
  async loadBundled(name: string, base: string, options: LoadOptions): Promise<LoadOutcome> {
    const set = bundledSet(name);
    if (!set) return { ok: false, cancelled: false, error: `there is no bundled data set called '${name.slice(0, 80)}'` };
    return this.loadUrls(set.files.map((f) => new URL(f, base).href), options, { from: 'bundled', name: set.name });
  }

  private async loadUrls(urls: string[], options: LoadOptions, source: DataSource): Promise<LoadOutcome> {
    for (const url of urls) {
      try {
        new URL(url);
      } catch {
        return { ok: false, cancelled: false, error: `'${url.slice(0, 80)}' is not a URL (it should start with https://)` };
      }
    }
    return this.load((signal) => urls.map((url) => urlSource(url, signal)), options, () => source);
  }

  /** Hashes the chosen files (progress shown as a 'hash' phase) and checks them against a link's. */
  private async hashAndCheck(sources: ByteSource[], expect: FileRef[]): Promise<LoadFailure | { ok: true; refs: FileRef[] }> {
    this.abort?.abort();
    const abort = new AbortController();
    this.abort = abort;
    try {
      const refs: FileRef[] = [];
      for (const [fileIndex, source] of sources.entries()) {
        const started = Date.now();
        refs.push(
          await sha256Of(source, {
            signal: abort.signal,
            onProgress: (p) => this.emit({ type: 'load-progress', phase: 'hash', file: source.name, fileIndex, fileCount: sources.length, rows: 0, elapsedMs: Date.now() - started, ...p }),
          }),
        );
      }
      const verdict = checkFiles(expect, refs);
      return verdict.ok ? { ok: true, refs } : { ok: false, cancelled: false, error: verdict.error };
    } catch (e) {
      return { ok: false, cancelled: abort.signal.aborted, error: e instanceof Error ? e.message : String(e) };
    } finally {
      if (this.abort === abort) this.abort = null;
    }
  }

  cancel(): void {
    this.abort?.abort();
  }

  private async load(
    sources: (signal: AbortSignal) => ByteSource[],
    options: LoadOptions,
    sourceOf: (signal: AbortSignal) => DataSource | Promise<DataSource>,
  ): Promise<LoadOutcome> {
    this.abort?.abort();
    const abort = new AbortController();
    this.abort = abort;
    try {
      const loaded = await loadDataset(sources(abort.signal), { skipBadLines: options.skipBadLines, memoryBudgetBytes: memoryBudgetBytes() }, (file, fileIndex, fileCount) => ({
        signal: abort.signal,
        onProgress: (p) => this.emit({ type: 'load-progress', file, fileIndex, fileCount, ...p }),
      }));
      const source = await sourceOf(abort.signal);
      const info: DatasetInfo = { ...loaded.info, id: crypto.randomUUID(), createdAt: Date.now(), storage: { where: 'memory' }, source };
      const store = await this.store;
      const bytes = payloadBytes(loaded.payload, info.files.reduce((s, f) => s + f.bytes, 0));
      const saved = store ? await store.save({ ...info, storage: { where: 'indexeddb' } }, loaded.payload, bytes) : { ok: false as const, reason: 'this browser offers no IndexedDB here' };
      info.storage = saved.ok ? { where: 'indexeddb' } : { where: 'memory', note: `kept for this tab only: ${saved.reason}` };
      this.memory.set(info.id, { info, payload: loaded.payload });
      this.evictStored(info.id);
      await this.announce();
      return { ok: true, info };
    } catch (e) {
      if (isDataError(e)) return { ok: false, cancelled: e.kind === 'cancelled', error: e.message, file: e.file, line: e.line };
      return { ok: false, cancelled: abort.signal.aborted, error: e instanceof Error ? e.message : String(e) };
    } finally {
      if (this.abort === abort) this.abort = null;
    }
  }

  /** Sets safely in IndexedDB need not also sit in memory: keep only the newest, the likeliest to be used. */
  private evictStored(keep: string): void {
    for (const [id, entry] of this.memory) {
      if (id !== keep && entry.info.storage.where === 'indexeddb') this.memory.delete(id);
    }
  }

  async list(): Promise<DatasetInfo[]> {
    const store = await this.store;
    const stored = store ? await store.list().catch(() => []) : [];
    const ids = new Set(stored.map((d) => d.id));
    const memoryOnly = [...this.memory.values()].map((m) => m.info).filter((i) => !ids.has(i.id));
    return [...memoryOnly, ...stored].sort((a, b) => b.createdAt - a.createdAt);
  }

  async delete(id: string): Promise<void> {
    this.memory.delete(id);
    const store = await this.store;
    await store?.delete(id);
    await this.announce();
  }

  /** The splits of a feature set, from memory or IndexedDB; undefined if this browser does not have it. */
  async featureSplits(id: string): Promise<FeatureSplits | undefined> {
    let payload = this.memory.get(id)?.payload;
    if (!payload) {
      const store = await this.store;
      payload = await store?.payload(id);
    }
    return payload?.kind === 'features' ? payload.splits : undefined;
  }

  /** The parts of a text set, from memory or IndexedDB (whose tables come back without methods: see text-corpus.ts). */
  async textParts(id: string): Promise<TextSetParts | undefined> {
    let payload = this.memory.get(id)?.payload;
    if (!payload) payload = await (await this.store)?.payload(id);
    return payload?.kind === 'text' ? payload.parts : undefined;
  }

  private async announce(): Promise<void> {
    this.emit({ type: 'datasets', list: await this.list() });
  }
}
