import { createRng, shuffleInPlace } from '../experiment/rng';
import { queryCount, selectQueries, type RankingDataset } from './dataset';

export interface TrainTestSplit {
  train: RankingDataset;
  test: RankingDataset;
}

/**
 * Split by query, never by document: documents of one query share the query's context, so
 * splitting inside a query would leak it into the test set. Seeded; at least one query each side.
 */
export function splitByQuery(ds: RankingDataset, testFraction: number, seed: number): TrainTestSplit {
  const n = queryCount(ds);
  if (n < 2) throw new Error(`cannot split ${n} query into train and test: need at least 2 queries`);
  const order = Int32Array.from({ length: n }, (_, i) => i);
  shuffleInPlace(order, createRng(seed).fork('split'));
  const nTest = Math.min(n - 1, Math.max(1, Math.round(n * testFraction)));
  const test = order.slice(0, nTest).sort();
  const train = order.slice(nTest).sort();
  return { train: selectQueries(ds, train), test: selectQueries(ds, test) };
}
