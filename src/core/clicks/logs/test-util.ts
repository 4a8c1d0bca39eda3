/**
 * Helpers shared by this folder's tests: push text into a parser in pieces, and show a ClickLog
 * as readable sessions. Not used by app code.
 */
import type { ChunkConsumer } from '../../data/parse/stream';
import type { ClickLog } from '../log';

export { expectDataError, onlyDataErrors, utf8 } from '../../data/text/test-util';

/** Pushes `input` cut at `cuts` (any positions; duplicates and disorder fine) and finishes. */
export function feed<T>(parser: ChunkConsumer & { finish(): T }, input: string | Uint8Array, cuts: number[] = []): T {
  const bytes = typeof input === 'string' ? new TextEncoder().encode(input) : input;
  const at = [...new Set(cuts.map((c) => Math.max(0, Math.min(bytes.length, c))))].sort((a, b) => a - b);
  let from = 0;
  for (const c of [...at, bytes.length]) {
    parser.push(bytes.subarray(from, c));
    from = c;
  }
  return parser.finish();
}

export interface SessionView {
  query: string;
  docs: string[];
  clicks: number[];
  dwell?: number[];
}

/** Each session as its query id, shown doc ids, clicks (and dwell), empty slots left out. */
export function sessionsOf(log: ClickLog): SessionView[] {
  const out: SessionView[] = [];
  for (let s = 0; s < log.query.length; s++) {
    const view: SessionView = { query: log.queryIds[log.query[s]], docs: [], clicks: [] };
    if (log.dwell) view.dwell = [];
    for (let r = 0; r < log.k; r++) {
      const d = log.shown[s * log.k + r];
      if (d < 0) break;
      view.docs.push(log.docIds ? log.docIds[d] : String(d));
      view.clicks.push(log.clicks[s * log.k + r]);
      if (view.dwell && log.dwell) view.dwell.push(log.dwell[s * log.k + r]);
    }
    out.push(view);
  }
  return out;
}

/** Plain arrays of a log's columns, for deep comparison. */
export function columnsOf(log: ClickLog): Record<string, unknown> {
  return {
    k: log.k,
    query: [...log.query],
    shown: [...log.shown],
    clicks: [...log.clicks],
    dwell: log.dwell ? [...log.dwell] : undefined,
    queryIds: log.queryIds,
    docIds: log.docIds,
  };
}
