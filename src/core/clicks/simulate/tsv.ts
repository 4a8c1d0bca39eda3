import type { RankingDataset } from '../../data/dataset';
import type { ClickLog } from '../log';
import { docName } from '../policies/run';

/**
 * RankPlay's plain TSV click log (shared/formats.md): one line per shown result,
 * `session \t query \t rank \t doc \t click`, no header. session = the 0-based session index of the
 * log, query = the query's id, rank 1-based, doc = the document's id if the data has ids
 * (`ds.docIds`, or `opts.docIds` when given), else
 * `<qid>:<position>` (0-based position in the query's list as loaded), click 0/1; a dwell column
 * follows when the log has dwell times. Written in chunks through `write` so a log of tens of
 * millions of impressions never becomes one string.
 */
export function writeClickLogTsv(log: ClickLog, ds: RankingDataset, write: (chunk: string) => void, opts: { docIds?: readonly string[]; chunkLines?: number } = {}): number {
  const k = log.k;
  const chunkLines = opts.chunkLines ?? 65_536;
  let lines = 0;
  let buf: string[] = [];
  for (let s = 0; s < log.query.length; s++) {
    const q = log.query[s];
    const qid = log.queryIds[q];
    for (let r = 0; r < k; r++) {
      const i = s * k + r;
      const row = log.shown[i];
      if (row < 0) break;
      const dwell = log.dwell ? `\t${Number.isNaN(log.dwell[i]) ? '' : log.dwell[i]}` : '';
      buf.push(`${s}\t${qid}\t${r + 1}\t${docName(ds, row, q, opts.docIds ?? ds.docIds)}\t${log.clicks[i]}${dwell}\n`);
      lines++;
      if (buf.length === chunkLines) {
        write(buf.join(''));
        buf = [];
      }
    }
  }
  if (buf.length) write(buf.join(''));
  return lines;
}
