import { detectFeatureFormat } from '../detect';
import { datasetName, type DatasetInfo, type FeatureSplits } from '../library';
import { DataError } from '../parse/errors';
import { readHead, type ByteSource } from '../parse/stream';
import { detectTextFormat, type TextFormat } from '../text/detect';
import { loadFeatureSet } from './feature-set';
import { loadTextSet, type TextSetParts } from './text-set';
import type { LoadSettings, ProgressFor } from './types';

export type { LoadSettings, ProgressFor } from './types';

/** The arrays behind a DatasetInfo: what is kept (IndexedDB) and trained on. */
export type DatasetPayload = { kind: 'features'; splits: FeatureSplits } | { kind: 'text'; parts: TextSetParts };

export interface LoadedDataset {
  info: Omit<DatasetInfo, 'id' | 'createdAt' | 'storage'>;
  payload: DatasetPayload;
}

type Classified = { source: ByteSource; kind: 'letor' | 'group' } | { source: ByteSource; kind: 'text'; format: TextFormat };

async function classify(source: ByteSource): Promise<Classified> {
  const head = await readHead(source);
  if (head.length === 0 && (source.size ?? 0) === 0) throw new DataError({ kind: 'format', file: source.name, reason: 'the file is empty' });
  const feature = detectFeatureFormat(source.name, head);
  if (feature.format) return { source, kind: feature.format };
  const text = detectTextFormat(source.name, head);
  if (text.format) return { source, kind: 'text', format: text.format };
  throw new DataError({
    kind: 'format',
    file: source.name,
    reason: `not a format RankPlay reads: ${text.reason}; nor LETOR/SVMlight ('label qid:Q idx:val ...': ${feature.reason})`,
  });
}

/**
 * Loads what a person dropped: LETOR splits (with group files) or the files of a text set,
 * detected by content. Every failure is a DataError naming the file (and line, when it has one).
 */
export async function loadDataset(sources: ByteSource[], settings: LoadSettings, progress: ProgressFor): Promise<LoadedDataset> {
  if (sources.length === 0) throw new DataError({ kind: 'format', file: '(no files)', reason: 'choose at least one file' });
  const classified: Classified[] = [];
  for (const s of sources) classified.push(await classify(s));
  const name = datasetName(sources.map((s) => s.name));
  const features = classified.filter((c) => c.kind === 'letor').map((c) => c.source);
  const groups = classified.filter((c) => c.kind === 'group').map((c) => c.source);
  const texts = classified.filter((c): c is Extract<Classified, { kind: 'text' }> => c.kind === 'text');
  if (features.length && texts.length) {
    throw new DataError({ kind: 'format', file: texts[0].source.name, reason: `load feature files (${features[0].name}) and text files separately` });
  }
  if (features.length || groups.length) {
    if (!features.length) throw new DataError({ kind: 'format', file: groups[0].name, reason: 'a group file needs its feature file (e.g. train.txt with train.query)' });
    const r = await loadFeatureSet(features, groups, settings, progress);
    return { info: { name, kind: 'features', files: r.files, splits: r.splitInfo, warnings: r.warnings }, payload: { kind: 'features', splits: r.splits } };
  }
  const r = await loadTextSet(texts.map((t) => ({ source: t.source, format: t.format })), settings, progress);
  return { info: { name, kind: 'text', files: r.files, splits: {}, text: r.info, warnings: r.warnings }, payload: { kind: 'text', parts: r.parts } };
}
