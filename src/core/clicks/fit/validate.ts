import { DataError } from '../../data/parse/errors';
import type { ClickLog } from '../log';

/**
 * Checks a click log's shape before fitting or evaluating: a model fitted to a malformed log
 * would print numbers that look fine and mean nothing. `name` is the file (or "simulated log")
 * the messages name; sessions and ranks in messages are 1-based, as a person counts them.
 */
export function validateClickLog(log: ClickLog, name = 'click log'): void {
  const fail = (reason: string, kind: 'format' | 'value' = 'value'): never => {
    throw new DataError({ kind, file: name, reason });
  };
  const k = log.k;
  if (!Number.isInteger(k) || k < 1) fail(`k (results per session) must be a positive integer, got ${String(k)}`, 'format');
  const sessions = log.query.length;
  if (sessions === 0) fail('the log has no sessions', 'format');
  if (log.shown.length !== sessions * k) fail(`shown has ${log.shown.length} slots, expected sessions × k = ${sessions} × ${k}`, 'format');
  if (log.clicks.length !== sessions * k) fail(`clicks has ${log.clicks.length} slots, expected sessions × k = ${sessions} × ${k}`, 'format');
  const nQueries = log.queryIds.length;
  const nDocs = log.docIds ? log.docIds.length : Infinity;
  const { query, shown, clicks } = log;
  for (let s = 0; s < sessions; s++) {
    const q = query[s];
    if (q < 0 || q >= nQueries) fail(`session ${s + 1}: query index ${q} is out of range (the log has ${nQueries} queries)`);
    const base = s * k;
    let ended = false;
    for (let r = 0; r < k; r++) {
      const d = shown[base + r];
      const c = clicks[base + r];
      if (c > 1) fail(`session ${s + 1}, rank ${r + 1}: click must be 0 or 1, got ${c}`);
      if (d === -1) {
        ended = true;
        if (c) fail(`session ${s + 1}, rank ${r + 1}: a click on an empty slot`);
      } else if (d < -1 || d >= nDocs) {
        fail(`session ${s + 1}, rank ${r + 1}: document index ${d} is out of range (${log.docIds ? `the log has ${nDocs} documents` : 'must be ≥ 0'})`);
      } else if (ended) {
        fail(`session ${s + 1}, rank ${r + 1}: a document after an empty slot (empty slots must be a suffix)`);
      }
    }
  }
}
