import { openAsBlob } from 'node:fs';
import path from 'node:path';
import { parseLetor } from '../core/data/letor';
import { blobSource, scanNewlines } from '../core/data/parse/stream';

export interface ParseBench {
  file: string;
  bytes: number;
  docs: number;
  features: number;
  scanMBps: number;
  parseMBps: number;
  /** parse MB/s ÷ scan MB/s, both streaming the same file from disk in this process. */
  ratio: number;
  /** Array-buffer memory held after the parse (with the result alive) ÷ the Float32 size of the features. */
  heldOverFloat32: number | null;
}

const gc = (globalThis as { gc?: () => void }).gc;

/** Parse throughput of a LETOR file against a raw newline scan of the same bytes, in one run. */
export async function benchParse(file: string): Promise<ParseBench> {
  // The same reading path as the parse (large Blob slices), so the ratio isolates the parsing work.
  const raw = await scanNewlines(blobSource(await openAsBlob(file), file));
  gc?.();
  const before = process.memoryUsage().arrayBuffers;
  const t0 = performance.now();
  const result = await parseLetor(blobSource(await openAsBlob(file), path.basename(file)));
  const ms = performance.now() - t0;
  // Array buffers are freed by a concurrent sweeper after the collection: give it a moment.
  for (let i = 0; i < 3; i++) {
    gc?.();
    await new Promise((r) => setTimeout(r, 50));
  }
  const held = process.memoryUsage().arrayBuffers - before;
  const floatBytes = result.dataset.labels.length * result.dataset.nFeatures * 4;
  const mb = raw.bytes / 1e6;
  return {
    file,
    bytes: raw.bytes,
    docs: result.dataset.labels.length,
    features: result.dataset.nFeatures,
    scanMBps: mb / (raw.ms / 1000),
    parseMBps: mb / (ms / 1000),
    ratio: raw.ms / ms,
    heldOverFloat32: gc ? held / floatBytes : null,
  };
}
