import type { ClickLog } from '../log';

/** What `rankplay simulate` prints about a log; the JSON keys are a documented interface. */
export interface LogSummary {
  sessions: number;
  /** Filled slots (results shown). */
  impressions: number;
  clicks: number;
  /** CTR per rank, rank r at index r − 1: clicks ÷ impressions at that rank (0 where none). */
  ctrByRank: number[];
  /** Sessions with no click at all. */
  sessionsWithoutClick: number;
  clicksPerSession: number;
}

export function summarizeLog(log: ClickLog): LogSummary {
  const k = log.k;
  const S = log.query.length;
  const impressions = new Float64Array(k);
  const clicksAt = new Float64Array(k);
  let without = 0;
  for (let s = 0; s < S; s++) {
    const sb = s * k;
    let any = 0;
    for (let r = 0; r < k; r++) {
      if (log.shown[sb + r] < 0) break;
      impressions[r]++;
      const c = log.clicks[sb + r];
      clicksAt[r] += c;
      any |= c;
    }
    if (!any) without++;
  }
  let shown = 0;
  let clicks = 0;
  for (let r = 0; r < k; r++) {
    shown += impressions[r];
    clicks += clicksAt[r];
  }
  return {
    sessions: S,
    impressions: shown,
    clicks,
    ctrByRank: Array.from(clicksAt, (c, r) => (impressions[r] ? c / impressions[r] : 0)),
    sessionsWithoutClick: without,
    clicksPerSession: S ? clicks / S : 0,
  };
}
