import { folderPaths, formatBytes, modelBaseUrl } from '../core/text/rerank/model-folder';
import type { ModelSource } from '../core/text/rerank/types';

/**
 * Reading a model folder's files: from picked files, or downloaded from a URL base with streamed
 * progress and kept in Cache Storage, so a model downloads once per browser (and works offline
 * afterwards). Node has no Cache Storage: there every URL load downloads.
 */

export const MODEL_CACHE_NAME = 'rankplay-models-v1';

export interface ReadOptions {
  onProgress?: (file: string, loaded: number, total: number | null) => void;
  signal?: AbortSignal;
}

export interface ModelFiles {
  /** Where the files come from, for messages ("https://…/resolve/main/", "the picked folder"). */
  readonly where: string;
  /** The file's bytes, or null when the folder has no such file. Network errors throw with a readable message. */
  read(file: string, opts?: ReadOptions): Promise<Uint8Array | null>;
  /** Every file's path, when the folder can be listed (picked files). */
  list(): string[] | null;
}

const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));
const isAbort = (e: unknown, signal?: AbortSignal) => Boolean(signal?.aborted) || (e instanceof Error && e.name === 'AbortError');

/** Cache Storage, where this context has it (secure browser contexts; not Node). */
function cacheStorage(): CacheStorage | null {
  const c = (globalThis as { caches?: CacheStorage }).caches;
  return c ?? null;
}

async function openCache(): Promise<Cache | null> {
  try {
    return (await cacheStorage()?.open(MODEL_CACHE_NAME)) ?? null;
  } catch {
    // Opaque origins and some private modes refuse Cache Storage: download without keeping.
    return null;
  }
}

/** Bytes held in the model cache (what the UI shows beside its clear button). */
export async function modelCacheSize(): Promise<number> {
  const storage = cacheStorage();
  if (!storage || !(await storage.has(MODEL_CACHE_NAME))) return 0;
  const cache = await storage.open(MODEL_CACHE_NAME);
  let total = 0;
  for (const request of await cache.keys()) {
    const response = await cache.match(request);
    if (!response) continue;
    const length = Number(response.headers.get('content-length'));
    total += Number.isFinite(length) && length > 0 ? length : (await response.blob()).size;
  }
  return total;
}

/** Drops every cached model file; the next load downloads again. */
export async function clearModelCache(): Promise<void> {
  await cacheStorage()?.delete(MODEL_CACHE_NAME);
}

/** A streamed download, reporting progress; the message names the file, the place and how far it got. */
async function download(url: string, file: string, where: string, fetchImpl: typeof fetch, opts: ReadOptions): Promise<Uint8Array | null> {
  const failed = (loaded: number | null, why: string) =>
    new Error(`downloading ${file} from ${where} failed${loaded === null ? '' : ` after ${formatBytes(loaded)}`}: ${why}`);
  let response: Response;
  try {
    response = await fetchImpl(url, { signal: opts.signal });
  } catch (e) {
    if (isAbort(e, opts.signal)) throw e;
    // Browsers hide why a fetch failed; Node's undici names it in `cause` (ECONNREFUSED, ENOTFOUND…).
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    const why = cause ? ` (${cause.code ?? cause.message})` : typeof document !== 'undefined' || 'WorkerGlobalScope' in globalThis ? ' (offline, or the server does not let this page read it: CORS)' : '';
    throw failed(null, `${errorText(e)}${why}`);
  }
  if (response.status === 404) return null;
  if (response.status === 401 || response.status === 403) throw failed(null, `HTTP ${response.status}: the model is private or gated, and RankPlay does not sign in to it`);
  if (!response.ok) throw failed(null, `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`);
  // A compressed response's content-length counts compressed bytes: no total then.
  const declared = Number(response.headers.get('content-length'));
  const total = declared > 0 && !response.headers.get('content-encoding') ? declared : null;
  opts.onProgress?.(file, 0, total);
  if (!response.body) {
    const bytes = new Uint8Array(await response.arrayBuffer());
    opts.onProgress?.(file, bytes.length, total ?? bytes.length);
    return bytes;
  }
  const chunks: Uint8Array[] = [];
  let loaded = 0;
  const reader = response.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      loaded += value.length;
      opts.onProgress?.(file, loaded, total);
    }
  } catch (e) {
    if (isAbort(e, opts.signal)) throw e;
    throw failed(loaded, errorText(e));
  }
  if (total !== null && loaded < total) throw failed(loaded, `the connection closed early (${formatBytes(loaded)} of ${formatBytes(total)})`);
  const bytes = new Uint8Array(loaded);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.length;
  }
  return bytes;
}

/** An absolute URL; a relative one ("/models/x/") is taken relative to the page or worker. */
function absoluteUrl(url: string): string {
  const here = (globalThis as { location?: { href: string } }).location?.href;
  try {
    return new URL(url, here).href;
  } catch {
    throw new Error(`'${url}' is not a URL a model can be downloaded from (give an http(s) address)`);
  }
}

function urlFiles(base: string, fetchImpl: typeof fetch): ModelFiles {
  const where = absoluteUrl(modelBaseUrl(base));
  return {
    where,
    list: () => null,
    async read(file, opts = {}) {
      const url = new URL(file, where).href;
      const cache = await openCache();
      const hit = await cache?.match(url).catch(() => undefined);
      if (hit) {
        const bytes = new Uint8Array(await hit.arrayBuffer());
        opts.onProgress?.(file, bytes.length, bytes.length);
        return bytes;
      }
      const bytes = await download(url, file, where, fetchImpl, opts);
      if (bytes && cache) {
        // Only whole files are kept. A full quota only costs the next visit a download.
        const headers = { 'content-type': 'application/octet-stream', 'content-length': String(bytes.length) };
        await cache.put(url, new Response(bytes as Uint8Array<ArrayBuffer>, { headers })).catch(() => undefined);
      }
      return bytes;
    },
  };
}

function pickedFiles(files: Map<string, Blob>): ModelFiles {
  const paths = folderPaths(files.keys());
  return {
    where: 'the picked folder',
    list: () => [...paths.keys()],
    async read(file, opts = {}) {
      const key = paths.get(file);
      const blob = key === undefined ? undefined : files.get(key);
      if (!blob) return null;
      if (opts.signal?.aborted) throw opts.signal.reason;
      const bytes = new Uint8Array(await blob.arrayBuffer());
      opts.onProgress?.(file, bytes.length, bytes.length);
      return bytes;
    },
  };
}

export function modelFiles(source: ModelSource, fetchImpl: typeof fetch = (input, init) => fetch(input, init)): ModelFiles {
  return source.kind === 'url' ? urlFiles(source.base, fetchImpl) : pickedFiles(source.files);
}
