import { docName } from '../clicks/policies/run';
import type { RankingDataset } from '../data/dataset';

/**
 * A TREC run of one split as a ranker scored it: `qid Q0 docno rank score runid`, each query's
 * documents by score descending, ties in data order (the order our own metrics use). Documents are
 * named by their ids when the data has them, else `<qid>:<position>` (see docName). Scores are
 * printed with up to 9 significant digits: float32 values round-trip, so re-evaluating the file
 * ranks exactly as the app did unless two scores differ only beyond float32 precision.
 */
export function trecRunText(ds: RankingDataset, scores: ArrayLike<number>, runId: string): string {
  if (!/^\S+$/.test(runId)) throw new Error(`run id must be one word without spaces, got '${runId}'`);
  const lines: string[] = [];
  const nQ = ds.qidOffsets.length - 1;
  for (let q = 0; q < nQ; q++) {
    const from = ds.qidOffsets[q];
    const to = ds.qidOffsets[q + 1];
    const rows = Array.from({ length: to - from }, (_, i) => from + i);
    rows.sort((a, b) => scores[b] - scores[a] || a - b);
    rows.forEach((row, i) => lines.push(`${ds.queryIds[q]} Q0 ${docName(ds, row, q)} ${i + 1} ${Number(scores[row].toPrecision(9))} ${runId}`));
  }
  return lines.length ? lines.join('\n') + '\n' : '';
}

/** The split's labels as TREC qrels (`qid 0 docno grade`), named like trecRunText names them. */
export function trecQrelsText(ds: RankingDataset): string {
  const lines: string[] = [];
  const nQ = ds.qidOffsets.length - 1;
  for (let q = 0; q < nQ; q++) {
    for (let row = ds.qidOffsets[q]; row < ds.qidOffsets[q + 1]; row++) lines.push(`${ds.queryIds[q]} 0 ${docName(ds, row, q)} ${ds.labels[row]}`);
  }
  return lines.length ? lines.join('\n') + '\n' : '';
}
