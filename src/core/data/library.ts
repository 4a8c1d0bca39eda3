import type { RankingDataset } from './dataset';
import type { DatasetStats } from './stats';
import type { DataSource } from './source';

/**
 * What a loaded data set is, independent of where it is kept: feature-based splits (LETOR) or a
 * text set (collection, queries, judgements). Pure data: it crosses the worker boundary and is
 * written to IndexedDB as is (typed arrays clone without copying into objects).
 */
export type SplitName = 'train' | 'vali' | 'test';
export const SPLIT_NAMES: readonly SplitName[] = ['train', 'vali', 'test'];

export interface LoadedFile {
  name: string;
  bytes: number;
  format: string;
  /** What the file is for: a split, a group file, or a text-set part (corpus, queries, qrels, run). */
  role: string;
  seconds: number;
  rows: number;
}

export interface SplitInfo {
  stats: Omit<DatasetStats, 'featureStats'> & {
    featureStats: { min: number[]; max: number[]; mean: number[]; missing: number[] };
  };
}

export interface TextSetInfo {
  documents: number;
  queries: number;
  judgements: number;
  /** Judged relevance grade → count. */
  labels: Record<string, number>;
  runEntries: number;
}

export interface DatasetInfo {
  id: string;
  name: string;
  kind: 'features' | 'text';
  createdAt: number;
  files: LoadedFile[];
  /** Feature sets: per split, its statistics. */
  splits: Partial<Record<SplitName, SplitInfo>>;
  text?: TextSetInfo;
  warnings: string[];
  /** Where it lives: 'indexeddb' (survives a reload) or 'memory' (this tab only, with why). */
  storage: { where: 'indexeddb' | 'memory'; note?: string };
  /** Where it was loaded from (absent for sets stored before sources were recorded). */
  source?: DataSource;
}

/** The arrays of a feature set, per split. */
export type FeatureSplits = Partial<Record<SplitName, RankingDataset>>;

/** Split role from a file name: MSLR/LETOR folds are train.txt / vali.txt / test.txt. */
export function splitFromName(name: string): SplitName | null {
  const base = name.toLowerCase().replace(/\.gz$/, '');
  if (/(^|[^a-z])(vali|valid|validation|dev)([^a-z]|$)/.test(base)) return 'vali';
  if (/(^|[^a-z])test([^a-z]|$)/.test(base)) return 'test';
  if (/(^|[^a-z])train([^a-z]|$)/.test(base)) return 'train';
  return null;
}

/**
 * Assigns splits to feature files: by name where names say it; otherwise the first unnamed file
 * is train, the next test, the next vali. Two files claiming one split is an error a person can fix.
 */
export function assignSplits(names: string[]): { roles: SplitName[] } | { error: string } {
  const roles: (SplitName | null)[] = names.map(splitFromName);
  const taken = new Map<SplitName, string>();
  for (let i = 0; i < names.length; i++) {
    const r = roles[i];
    if (!r) continue;
    if (taken.has(r)) return { error: `both ${taken.get(r)} and ${names[i]} look like the ${r} split: load one ${r} file at a time` };
    taken.set(r, names[i]);
  }
  const free = (['train', 'test', 'vali'] as SplitName[]).filter((s) => !taken.has(s));
  for (let i = 0; i < names.length; i++) {
    if (roles[i]) continue;
    const next = free.shift();
    if (!next) return { error: `too many feature files: ${names.join(', ')} (at most one each for train, vali, test)` };
    roles[i] = next;
  }
  return { roles: roles as SplitName[] };
}

/** A readable name for a set of files: MSLR folds share a folder name the browser does not give us. */
export function datasetName(names: string[]): string {
  if (names.length === 1) return names[0];
  const stems = names.map((n) => n.replace(/\.gz$/i, '').replace(/\.[^.]*$/, ''));
  return stems.join(' + ');
}
