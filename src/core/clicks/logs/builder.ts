import { float32Column, IdTable, int32Column, uint8Column, type NumberColumn } from '../../data/text/columns';
import type { ClickLog } from '../log';
import type { ClickLogStats } from './types';

/** Growable typed columns for the element types a log needs (data/text/columns' NumberColumn). */
export type Growable<A extends Int32Array | Uint8Array | Float32Array> = NumberColumn<A>;
export const int32s = int32Column;
export const uint8s = uint8Column;
export const float32s = float32Column;

/**
 * The slots of the session being read, held back until the session is complete: a bad line drops
 * the whole session, and only a complete session is committed to the log. Reused between sessions.
 */
export class SessionBuffer {
  n = 0;
  readonly docs: string[] = [];
  readonly clicks: number[] = [];
  readonly dwell: number[] = [];
  /** Line of each slot, for messages. */
  readonly lines: number[] = [];

  clear(): void {
    this.n = 0;
  }

  add(doc: string, click: number, dwell: number, line: number): number {
    const i = this.n++;
    this.docs[i] = doc;
    this.clicks[i] = click;
    this.dwell[i] = dwell;
    this.lines[i] = line;
    return i;
  }
}

/**
 * Collects complete sessions into the columns of a ClickLog. Impressions are stored flat while
 * reading (k is the longest session, known only at the end), then laid out sessions × k.
 */
export class ClickLogBuilder {
  readonly queries = new IdTable();
  readonly docs = new IdTable();
  private readonly sessionQuery = int32s();
  /** CSR: impressions of session s are starts[s] .. starts[s+1]-1 (the last entry added at build). */
  private readonly starts = int32s();
  private readonly doc = int32s();
  private readonly click = uint8s();
  private readonly dwell = float32s();
  private hasDwell = false;
  private longest = 0;
  private clickCount = 0;
  readonly stats: Omit<ClickLogStats, 'sessions' | 'impressions' | 'clicks'> = {
    emptySessions: 0,
    droppedSessions: 0,
    slotsBeyondK: 0,
    clicksBeyondK: 0,
  };

  /** `k`: the slots kept per session (the rest counted and dropped); undefined keeps all. */
  constructor(private readonly k: number | undefined) {}

  get sessions(): number {
    return this.sessionQuery.length;
  }

  /**
   * Commits a complete session; returns its index, or -1 if it was empty. Slots beyond k are
   * counted and dropped. `dwell` holds NaN where unknown.
   */
  addSession(query: string, buffer: SessionBuffer): number {
    if (buffer.n === 0) {
      this.stats.emptySessions++;
      return -1;
    }
    const keep = this.kept(buffer.n);
    for (let i = keep; i < buffer.n; i++) {
      this.stats.slotsBeyondK++;
      this.stats.clicksBeyondK += buffer.clicks[i];
    }
    this.sessionQuery.push(this.queries.intern(query));
    this.starts.push(this.doc.length);
    for (let i = 0; i < keep; i++) {
      this.doc.push(this.docs.intern(buffer.docs[i]));
      this.click.push(buffer.clicks[i]);
      this.clickCount += buffer.clicks[i];
      const d = buffer.dwell[i];
      if (!Number.isNaN(d)) this.hasDwell = true;
      this.dwell.push(d);
    }
    if (keep > this.longest) this.longest = keep;
    return this.sessionQuery.length - 1;
  }

  /** Query index of committed session s. */
  queryOf(s: number): number {
    return this.sessionQuery.get(s);
  }

  /** Document index of slot i of committed session s. */
  docOf(s: number, i: number): number {
    return this.doc.get(this.starts.get(s) + i);
  }

  /** Slots per session of the built log: the `k` option, else the longest session. */
  get width(): number {
    return Math.max(1, this.k ?? this.longest);
  }

  /** Slots kept of a session of n results. */
  kept(n: number): number {
    return this.k === undefined ? n : Math.min(this.k, n);
  }

  /**
   * Lays out a per-impression column kept alongside the log's (one value per kept slot, in
   * commit order) as sessions × k, `empty` in empty slots.
   */
  layout<A extends Int32Array | Uint8Array | Float32Array>(flat: Growable<A>, make: (n: number) => A, empty: number): A {
    const n = this.sessionQuery.length;
    const k = this.width;
    const out = make(n * k);
    if (empty !== 0) out.fill(empty);
    const total = this.doc.length;
    for (let s = 0; s < n; s++) {
      const from = this.starts.get(s);
      const to = s + 1 < n ? this.starts.get(s + 1) : total;
      for (let i = from; i < to; i++) out[s * k + (i - from)] = flat.get(i);
    }
    return out;
  }

  /** The log, sessions × k with -1 / 0 / NaN in empty slots; dwell only when some was known. */
  build(): { log: ClickLog; stats: ClickLogStats } {
    const n = this.sessionQuery.length;
    const k = this.width;
    const shown = new Int32Array(n * k).fill(-1);
    const clicks = new Uint8Array(n * k);
    const dwell = this.hasDwell ? new Float32Array(n * k).fill(NaN) : undefined;
    const total = this.doc.length;
    for (let s = 0; s < n; s++) {
      const from = this.starts.get(s);
      const to = s + 1 < n ? this.starts.get(s + 1) : total;
      for (let i = from; i < to; i++) {
        const slot = s * k + (i - from);
        shown[slot] = this.doc.get(i);
        clicks[slot] = this.click.get(i);
        if (dwell) dwell[slot] = this.dwell.get(i);
      }
    }
    const log: ClickLog = {
      k,
      query: this.sessionQuery.toArray(),
      shown,
      clicks,
      queryIds: this.queries.ids,
      docIds: this.docs.ids,
    };
    if (dwell) log.dwell = dwell;
    return { log, stats: { sessions: n, impressions: total, clicks: this.clickCount, ...this.stats } };
  }
}
