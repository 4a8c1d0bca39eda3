import { widenDataset, type RankingDataset } from '../dataset';
import { parseGroupFile, parseLetor } from '../letor';
import type { FeatureSplits, LoadedFile, SplitInfo, SplitName } from '../library';
import { assignSplits } from '../library';
import { DataError } from '../parse/errors';
import { innerName, type ByteSource, type DriveOptions } from '../parse/stream';
import { computeStats } from '../stats';
import type { LoadSettings, ProgressFor } from './types';

export interface FeatureSetResult {
  splits: FeatureSplits;
  splitInfo: Partial<Record<SplitName, SplitInfo>>;
  files: LoadedFile[];
  warnings: string[];
}

function stem(name: string): string {
  return innerName(name).replace(/\.(query|group)$/i, '').replace(/\.[^.]*$/, '');
}

function toInfo(stats: ReturnType<typeof computeStats>): SplitInfo {
  const f = stats.featureStats;
  return { stats: { ...stats, featureStats: { min: Array.from(f.min), max: Array.from(f.max), mean: Array.from(f.mean), missing: Array.from(f.missing) } } };
}

/**
 * The dataset with the parser's `# docid = X` ids attached. Ids on only some lines are dropped
 * with a warning: a mix of real ids and `<qid>:<position>` names could collide, and a click log or
 * run naming documents half one way would join to the data by accident.
 */
export function withDocIds(ds: RankingDataset, docIds: string[] | null, file: string, warnings: string[]): RankingDataset {
  if (!docIds) return ds;
  let missing = 0;
  for (const id of docIds) if (id === '') missing++;
  if (missing === 0 && docIds.length === ds.labels.length) return { ...ds, docIds };
  warnings.push(
    `${file}: ${(docIds.length - missing).toLocaleString('en')} of ${ds.labels.length.toLocaleString('en')} lines carry a '# docid = ...' comment; ` +
      `the ids are ignored and documents are named <qid>:<position>.`,
  );
  return ds;
}

/**
 * Loads LETOR split files (with their group files, paired by name: train.txt + train.query) into
 * columnar splits. Splits that used fewer feature columns are widened to the widest, so a model
 * trained on one scores the others.
 */
export async function loadFeatureSet(
  featureFiles: ByteSource[],
  groupFiles: ByteSource[],
  settings: LoadSettings,
  progress: ProgressFor,
): Promise<FeatureSetResult> {
  const assigned = assignSplits(featureFiles.map((f) => f.name));
  if ('error' in assigned) throw new DataError({ kind: 'format', file: featureFiles.map((f) => f.name).join(', '), reason: assigned.error });
  const splits: FeatureSplits = {};
  const presence: Partial<Record<SplitName, Float64Array>> = {};
  const files: LoadedFile[] = [];
  const warnings: string[] = [];
  const fileCount = featureFiles.length + groupFiles.length;
  let index = 0;
  for (let i = 0; i < featureFiles.length; i++) {
    const source = featureFiles[i];
    const role = assigned.roles[i];
    const groupSource = groupFiles.find((g) => stem(g.name) === stem(source.name));
    let groups: Int32Array | undefined;
    if (groupSource) {
      const t0 = performance.now();
      groups = await parseGroupFile(groupSource, progress(groupSource.name, index++, fileCount));
      files.push({ name: groupSource.name, bytes: groupSource.size ?? 0, format: 'group', role: `${role} groups`, seconds: (performance.now() - t0) / 1000, rows: groups.length });
    }
    const t0 = performance.now();
    const drive: DriveOptions = progress(source.name, index++, fileCount);
    const result = await parseLetor(source, { groups, skipBadLines: settings.skipBadLines, memoryBudgetBytes: settings.memoryBudgetBytes }, drive);
    files.push({ name: source.name, bytes: source.size ?? 0, format: groups ? 'letor+group' : 'letor', role, seconds: (performance.now() - t0) / 1000, rows: result.dataset.labels.length });
    splits[role] = withDocIds(result.dataset, result.docIds, source.name, warnings);
    presence[role] = result.featurePresence;
    warnings.push(...result.warnings);
  }
  const unpaired = groupFiles.filter((g) => !featureFiles.some((f) => stem(f.name) === stem(g.name)));
  if (unpaired.length) {
    throw new DataError({ kind: 'format', file: unpaired[0].name, reason: `no feature file named like this group file (expected e.g. ${stem(unpaired[0].name)}.txt)` });
  }
  const width = Math.max(...Object.values(splits).map((s) => s!.nFeatures));
  const splitInfo: Partial<Record<SplitName, SplitInfo>> = {};
  for (const name of Object.keys(splits) as SplitName[]) {
    const ds = splits[name]!;
    if (ds.nFeatures < width) warnings.push(`${name}: its file uses features up to ${ds.nFeatures}, the others up to ${width}; the missing ones are 0.`);
    splits[name] = widenDataset(ds, width);
    const p = new Float64Array(width);
    p.set(presence[name]!);
    splitInfo[name] = toInfo(computeStats(splits[name]!, p));
  }
  return { splits, splitInfo, files, warnings };
}
