/**
 * A click log, columnar as DESIGN.md asks: per session its query and the k slots it showed, with
 * a click bit (and optionally dwell time) per slot. No object per session or impression, so tens
 * of millions of impressions fit in a tab. Simulated and real logs share this shape, so the
 * click-model fitting and the estimators never care where a log came from.
 */
export interface ClickLog {
  /** Slots per session (the top-k shown). */
  k: number;
  /** Query of each session: an index into `queryIds`. Length = sessions. */
  query: Int32Array;
  /**
   * Documents shown, sessions × k, row-major; slot r (0-based) of session s is at s·k + r.
   * -1 marks an empty slot (a session that showed fewer than k results): always at the end.
   * For a log simulated on a RankingDataset these are the dataset's row indices; for a real
   * log, indices into `docIds`.
   */
  shown: Int32Array;
  /** 1 = clicked, sessions × k, same layout as `shown`. */
  clicks: Uint8Array;
  /** Optional dwell time (seconds) per slot, same layout; NaN where unknown. */
  dwell?: Float32Array;
  queryIds: string[];
  /** Document ids of a real log; absent for simulated logs (rows of the dataset instead). */
  docIds?: string[];
}

export function sessionCount(log: ClickLog): number {
  return log.query.length;
}

/** Number of filled slots of session s (empty slots are a -1 suffix). */
export function shownCount(log: ClickLog, s: number): number {
  const base = s * log.k;
  let n = 0;
  while (n < log.k && log.shown[base + n] >= 0) n++;
  return n;
}

/** Click-through rate per rank (1-based rank r at index r−1): clicks ÷ impressions at that rank. */
export function ctrByRank(log: ClickLog): Float64Array {
  const impressions = new Float64Array(log.k);
  const clicks = new Float64Array(log.k);
  const n = log.query.length;
  for (let s = 0; s < n; s++) {
    const base = s * log.k;
    for (let r = 0; r < log.k; r++) {
      if (log.shown[base + r] < 0) break;
      impressions[r]++;
      clicks[r] += log.clicks[base + r];
    }
  }
  return clicks.map((c, r) => (impressions[r] ? c / impressions[r] : 0));
}

/** A log holding only the given sessions (for train/test splits of a log). */
export function selectSessions(log: ClickLog, sessions: ArrayLike<number>): ClickLog {
  const k = log.k;
  const out: ClickLog = {
    k,
    query: new Int32Array(sessions.length),
    shown: new Int32Array(sessions.length * k),
    clicks: new Uint8Array(sessions.length * k),
    dwell: log.dwell ? new Float32Array(sessions.length * k) : undefined,
    queryIds: log.queryIds,
    docIds: log.docIds,
  };
  for (let i = 0; i < sessions.length; i++) {
    const s = sessions[i];
    out.query[i] = log.query[s];
    out.shown.set(log.shown.subarray(s * k, (s + 1) * k), i * k);
    out.clicks.set(log.clicks.subarray(s * k, (s + 1) * k), i * k);
    if (out.dwell && log.dwell) out.dwell.set(log.dwell.subarray(s * k, (s + 1) * k), i * k);
  }
  return out;
}
