import { createRng } from '../../experiment/rng';
import { DataError } from '../../data/parse/errors';
import { selectSessions, type ClickLog } from '../log';

export const DEFAULT_SPLIT_SEED = 42;

/**
 * Splits a log's sessions into train and test by a seeded shuffle: round(fraction × sessions)
 * sessions (at least one, leaving at least one) go to test, each part keeps the log's order.
 * Sessions, not queries, are split, as in the click-model literature's experiments: a query held
 * out whole would leave every test pair unseen, and per-pair models could not be compared on it.
 */
export function splitSessions(log: ClickLog, testFraction: number, seed = DEFAULT_SPLIT_SEED, name = 'click log'): { train: ClickLog; test: ClickLog } {
  if (!(testFraction > 0 && testFraction < 1)) throw new RangeError(`the test fraction must be between 0 and 1 (exclusive), got ${testFraction}`);
  const sessions = log.query.length;
  if (sessions < 2) throw new DataError({ kind: 'value', file: name, reason: `${sessions} session(s): a train/test split needs at least 2` });
  const nTest = Math.min(sessions - 1, Math.max(1, Math.round(testFraction * sessions)));
  const perm = new Int32Array(sessions);
  for (let i = 0; i < sessions; i++) perm[i] = i;
  const rng = createRng(seed).fork('click-log-split');
  // Partial Fisher–Yates: only the first nTest positions need drawing.
  for (let i = 0; i < nTest; i++) {
    const j = i + rng.int(sessions - i);
    const t = perm[i];
    perm[i] = perm[j];
    perm[j] = t;
  }
  const inTest = new Uint8Array(sessions);
  for (let i = 0; i < nTest; i++) inTest[perm[i]] = 1;
  const test = new Int32Array(nTest);
  const train = new Int32Array(sessions - nTest);
  for (let s = 0, a = 0, b = 0; s < sessions; s++) {
    if (inTest[s]) test[a++] = s;
    else train[b++] = s;
  }
  return { train: selectSessions(log, train), test: selectSessions(log, test) };
}
