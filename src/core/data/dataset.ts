/**
 * The columnar ranking dataset of DESIGN.md: one typed array per column, documents of a
 * query contiguous, queries delimited CSR-style by `qidOffsets`. No object per document,
 * so millions of documents fit in a tab.
 */
export interface RankingDataset {
  /** Length nQueries + 1; documents of query q are rows qidOffsets[q] .. qidOffsets[q+1]-1. */
  qidOffsets: Int32Array;
  /** Row-major nDocs × nFeatures. */
  features: Float32Array;
  /** Graded relevance per document. */
  labels: Int8Array;
  nFeatures: number;
  /** Query ids as they appear in the source (for runs and exports). */
  queryIds: string[];
  /** For synthetic data: the hidden relevance score (before noise), the known truth. */
  hiddenScores?: Float32Array;
  /**
   * Document id per row, when the source names documents (MQ2007/2008's `# docid = X`). Absent:
   * documents are named `<qid>:<position>` (see clicks/policies/run.ts `docName`). Click logs,
   * TREC runs and exports use these names, so they must survive every slice of the data.
   */
  docIds?: string[];
}

export function queryCount(ds: RankingDataset): number {
  return ds.qidOffsets.length - 1;
}

export function docCount(ds: RankingDataset): number {
  return ds.qidOffsets[ds.qidOffsets.length - 1];
}

export function maxListSize(ds: RankingDataset): number {
  let max = 0;
  for (let q = 0; q + 1 < ds.qidOffsets.length; q++) {
    max = Math.max(max, ds.qidOffsets[q + 1] - ds.qidOffsets[q]);
  }
  return max;
}

/** A new dataset holding the given queries (in the given order), copying their rows. */
export function selectQueries(ds: RankingDataset, queries: ArrayLike<number>): RankingDataset {
  const nF = ds.nFeatures;
  const offsets = new Int32Array(queries.length + 1);
  for (let i = 0; i < queries.length; i++) {
    const q = queries[i];
    offsets[i + 1] = offsets[i] + (ds.qidOffsets[q + 1] - ds.qidOffsets[q]);
  }
  const nDocs = offsets[queries.length];
  const features = new Float32Array(nDocs * nF);
  const labels = new Int8Array(nDocs);
  const hidden = ds.hiddenScores ? new Float32Array(nDocs) : undefined;
  const docIds = ds.docIds ? new Array<string>(nDocs) : undefined;
  const queryIds: string[] = [];
  for (let i = 0; i < queries.length; i++) {
    const q = queries[i];
    const from = ds.qidOffsets[q];
    const to = ds.qidOffsets[q + 1];
    features.set(ds.features.subarray(from * nF, to * nF), offsets[i] * nF);
    labels.set(ds.labels.subarray(from, to), offsets[i]);
    if (hidden && ds.hiddenScores) hidden.set(ds.hiddenScores.subarray(from, to), offsets[i]);
    if (docIds && ds.docIds) for (let r = from; r < to; r++) docIds[offsets[i] + r - from] = ds.docIds[r];
    queryIds.push(ds.queryIds[q]);
  }
  return { qidOffsets: offsets, features, labels, nFeatures: nF, queryIds, hiddenScores: hidden, docIds };
}

/** The same documents with `nFeatures` columns (extra ones 0): splits whose files used fewer features line up. */
export function widenDataset(ds: RankingDataset, nFeatures: number): RankingDataset {
  if (nFeatures === ds.nFeatures) return ds;
  if (nFeatures < ds.nFeatures) throw new Error(`cannot narrow ${ds.nFeatures} features to ${nFeatures}`);
  const n = ds.labels.length;
  const out = new Float32Array(n * nFeatures);
  for (let r = 0; r < n; r++) out.set(ds.features.subarray(r * ds.nFeatures, (r + 1) * ds.nFeatures), r * nFeatures);
  return { ...ds, features: out, nFeatures };
}
