import { DataError } from './errors';

/**
 * Byte sources and the streaming driver shared by every parser. Sources are Web Streams, which
 * exist in browsers, workers and Node 20 alike, so the same code reads a dropped File, a fetch
 * body or a file on disk.
 */
export interface ByteSource {
  /** File name as the user knows it; used in every error message. */
  name: string;
  /** Size in bytes of what will be read (compressed size for .gz), when known. */
  size: number | null;
  stream(): ReadableStream<Uint8Array>;
}

/** Slices this large keep per-chunk overhead (promises, carried partial lines) negligible. */
const BLOB_SLICE_BYTES = 4 << 20;

/**
 * A File or Blob read in large slices. Blob.stream() hands out 64 KB chunks, and at hundreds of
 * MB/s the per-chunk cost of the stream machinery starts to show.
 */
export function blobSource(blob: Blob, name: string): ByteSource {
  return {
    name,
    size: blob.size,
    stream: () => {
      let offset = 0;
      return new ReadableStream<Uint8Array>({
        async pull(controller) {
          if (offset >= blob.size) {
            controller.close();
            return;
          }
          const end = Math.min(blob.size, offset + BLOB_SLICE_BYTES);
          const bytes = new Uint8Array(await blob.slice(offset, end).arrayBuffer());
          offset = end;
          controller.enqueue(bytes);
        },
      });
    },
  };
}

export function bytesSource(bytes: Uint8Array, name: string): ByteSource {
  return {
    name,
    size: bytes.length,
    stream: () =>
      new ReadableStream<Uint8Array>({
        start(controller) {
          // Hand out slices, as a file read would, so chunk-boundary code paths get exercised.
          const CHUNK = 1 << 20;
          for (let i = 0; i < bytes.length; i += CHUNK) controller.enqueue(bytes.subarray(i, Math.min(bytes.length, i + CHUNK)));
          controller.close();
        },
      }),
  };
}

const GZIP_MAGIC_0 = 0x1f;
const GZIP_MAGIC_1 = 0x8b;

export function isGzipName(name: string): boolean {
  return /\.gz$/i.test(name);
}

/** The name with a trailing .gz removed: format detection looks at what is inside. */
export function innerName(name: string): string {
  return name.replace(/\.gz$/i, '');
}

export interface ParseProgress {
  /** Bytes consumed from the source (compressed bytes for .gz). */
  bytesRead: number;
  /** Total bytes of the source, when known. */
  totalBytes: number | null;
  /** Rows (lines, documents, records) parsed so far. */
  rows: number;
  elapsedMs: number;
}

/** What the driver needs from a parser: bytes in, a row count for progress. */
export interface ChunkConsumer {
  push(chunk: Uint8Array): void;
  readonly rows: number;
}

export interface DriveOptions {
  signal?: AbortSignal;
  onProgress?: (p: ParseProgress) => void;
  /** Minimum time between progress reports. */
  progressEveryMs?: number;
}

function cancelled(name: string): DataError {
  return new DataError({ kind: 'cancelled', file: name, reason: 'loading was cancelled' });
}

/**
 * Streams a source through a parser, decompressing gzip when the name or magic bytes say so,
 * reporting progress and honouring cancellation. I/O and decompression failures become
 * DataErrors (a truncated .gz says so); parser DataErrors pass through unchanged.
 */
export async function drive(source: ByteSource, consumer: ChunkConsumer, opts: DriveOptions = {}): Promise<void> {
  const start = performance.now();
  const every = opts.progressEveryMs ?? 100;
  let lastReport = -Infinity;
  let bytesRead = 0;
  const report = (force: boolean) => {
    const now = performance.now();
    if (!opts.onProgress || (!force && now - lastReport < every)) return;
    lastReport = now;
    opts.onProgress({ bytesRead, totalBytes: source.size, rows: consumer.rows, elapsedMs: now - start });
  };

  const ioError = (e: unknown, gzip: boolean) =>
    e instanceof DataError
      ? e
      : new DataError({
          kind: 'io',
          file: source.name,
          reason: gzip
            ? `the gzip data is truncated or corrupt after ${bytesRead.toLocaleString('en')} compressed bytes (${e instanceof Error ? e.message : String(e)})`
            : `reading failed after ${bytesRead.toLocaleString('en')} bytes (${e instanceof Error ? e.message : String(e)})`,
        });
  const checkCancel = () => {
    if (opts.signal?.aborted) throw cancelled(source.name);
  };

  // Read the raw bytes directly (no tee, no transform: each stage costs per chunk); the first
  // chunk's magic bytes say whether to route them through a gzip decompressor.
  const raw = source.stream().getReader();
  let first: ReadableStreamReadResult<Uint8Array>;
  try {
    first = await raw.read();
  } catch (e) {
    throw ioError(e, isGzipName(source.name));
  }
  const head = first.value ?? new Uint8Array(0);
  const gzip = isGzipName(source.name) || (head.length >= 2 && head[0] === GZIP_MAGIC_0 && head[1] === GZIP_MAGIC_1);
  try {
    if (!gzip) {
      for (let chunk = first; !chunk.done; ) {
        checkCancel();
        bytesRead += chunk.value.length;
        consumer.push(chunk.value);
        report(false);
        checkCancel();
        try {
          chunk = await raw.read();
        } catch (e) {
          throw ioError(e, false);
        }
      }
    } else {
      await inflateInto(first, raw, consumer, {
        counted: (n) => (bytesRead += n),
        afterChunk: () => {
          checkCancel();
          report(false);
        },
        ioError: (e) => ioError(e, true),
      });
    }
  } catch (e) {
    await raw.cancel().catch(() => {});
    throw e;
  }
  checkCancel();
  report(true);
}

/**
 * Pumps compressed chunks into a DecompressionStream while handing the decompressed ones to the
 * consumer, both at once (awaiting one before the other would deadlock on backpressure).
 */
async function inflateInto(
  first: ReadableStreamReadResult<Uint8Array>,
  raw: ReadableStreamDefaultReader<Uint8Array>,
  consumer: ChunkConsumer,
  hooks: { counted: (n: number) => void; afterChunk: () => void; ioError: (e: unknown) => DataError },
): Promise<void> {
  const inflater = new DecompressionStream('gzip') as unknown as TransformStream<Uint8Array, Uint8Array>;
  const writer = inflater.writable.getWriter();
  const output = inflater.readable.getReader();
  let pumpError: unknown = null;
  const pump = (async () => {
    try {
      for (let chunk = first; !chunk.done; chunk = await raw.read()) {
        hooks.counted(chunk.value.length);
        await writer.write(chunk.value);
      }
      await writer.close();
    } catch (e) {
      pumpError = e;
      await writer.abort(e).catch(() => {});
    }
  })();
  try {
    for (;;) {
      let result: ReadableStreamReadResult<Uint8Array>;
      try {
        result = await output.read();
      } catch (e) {
        throw hooks.ioError(pumpError ?? e);
      }
      if (result.done) break;
      consumer.push(result.value);
      hooks.afterChunk();
    }
  } catch (e) {
    await output.cancel().catch(() => {});
    throw e;
  } finally {
    await pump;
  }
  if (pumpError) throw hooks.ioError(pumpError);
}

/** The first decompressed bytes of a source (up to maxBytes), for format detection; empty if unreadable. */
export async function readHead(source: ByteSource, maxBytes = 65536): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let total = 0;
  const stop = new AbortController();
  const consumer: ChunkConsumer = {
    rows: 0,
    push(chunk) {
      if (total >= maxBytes) return;
      parts.push(chunk.slice(0, maxBytes - total));
      total += Math.min(chunk.length, maxBytes - total);
      if (total >= maxBytes) stop.abort();
    },
  };
  try {
    await drive(source, consumer, { signal: stop.signal });
  } catch (e) {
    // Stopping early is how this ends; a corrupt .gz still yields what came before the damage,
    // and the full parse reports the damage itself. A source that gave nothing at all (a failed
    // download, an unreadable file) is reported now, in its own words, not as "empty".
    if (!(e instanceof DataError) || (e.kind === 'io' && total === 0)) throw e;
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/**
 * Streams a source counting newlines, on the same reading path as the parsers: the raw-scan
 * baseline that parse throughput is divided by in the benchmarks.
 */
export async function scanNewlines(source: ByteSource): Promise<{ bytes: number; ms: number; lines: number }> {
  const t0 = performance.now();
  const reader = source.stream().getReader();
  let lines = 0;
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.length;
    for (let i = 0; i < value.length; i++) if (value[i] === 10) lines++;
  }
  return { bytes, ms: performance.now() - t0, lines };
}
