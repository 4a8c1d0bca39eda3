import { createSHA256 } from 'hash-wasm';
import { DataError } from './parse/errors';
import type { ByteSource } from './parse/stream';
import type { FileRef } from './source';

export interface HashProgress {
  bytesRead: number;
  totalBytes: number | null;
}

/**
 * SHA-256 of a source's raw bytes (a .gz file is hashed as stored, not inflated), streamed:
 * WebCrypto's digest wants the whole file in memory, which MSLR-sized files should not need.
 * hash-wasm runs at about the speed of reading the file.
 */
export async function sha256Of(source: ByteSource, options: { signal?: AbortSignal; onProgress?: (p: HashProgress) => void } = {}): Promise<FileRef> {
  const hasher = await createSHA256();
  hasher.init();
  const reader = source.stream().getReader();
  let bytes = 0;
  try {
    for (;;) {
      if (options.signal?.aborted) throw new DataError({ kind: 'cancelled', file: source.name, reason: 'hashing was cancelled' });
      const { done, value } = await reader.read();
      if (done) break;
      hasher.update(value);
      bytes += value.length;
      options.onProgress?.({ bytesRead: bytes, totalBytes: source.size });
    }
  } finally {
    reader.releaseLock();
  }
  return { name: source.name.slice(-200), bytes, sha256: hasher.digest('hex') };
}

/** An incremental SHA-256: here (hash-wasm) or on another thread (src/worker/file-hasher.ts). */
export interface StreamHasher {
  update(chunk: Uint8Array): void;
  /** Lowercase hex. */
  digest(): Promise<string>;
}
export type HasherFactory = () => Promise<StreamHasher>;

export const localHasher: HasherFactory = async () => {
  const hasher = await createSHA256();
  hasher.init();
  return { update: (chunk) => void hasher.update(chunk), digest: async () => hasher.digest('hex') };
};

/**
 * A source that hashes what the parser reads, so a normal load reads the file once. Each
 * stream() gets its own hasher (format detection reads a head, then the parse reads it all); a
 * stream read to its end leaves the file's reference. `ref()` is null when no stream was read to
 * the end, or the hasher failed: hash the file separately then.
 */
export function hashWhileReading(source: ByteSource, makeHasher: HasherFactory = localHasher): { source: ByteSource; ref: () => FileRef | null } {
  let ref: FileRef | null = null;
  const wrapped: ByteSource = {
    name: source.name,
    get size() {
      return source.size;
    },
    stream() {
      let hasher: StreamHasher | null = null;
      let bytes = 0;
      return source.stream().pipeThrough(
        new TransformStream<Uint8Array, Uint8Array>({
          async start() {
            hasher = await makeHasher().catch(() => null);
          },
          transform(chunk, controller) {
            hasher?.update(chunk);
            bytes += chunk.length;
            controller.enqueue(chunk);
          },
          async flush() {
            const sha256 = await hasher?.digest().catch(() => null);
            if (sha256) ref = { name: source.name.slice(-200), bytes, sha256 };
          },
        }),
      );
    },
  };
  return { source: wrapped, ref: () => ref };
}
