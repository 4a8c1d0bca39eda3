import { blobSource } from '../core/data/parse/stream';
import { parseTrecRun, trecEvalOrder } from '../core/data/text/run';
import type { Bm25Run } from '../core/text/bm25-run';

/**
 * First-stage candidates from a TREC run the user supplies (e.g. from their own retriever),
 * instead of BM25: each selected query's documents in trec_eval's order (score descending, ties by
 * docno descending), the top k of those the collection has, with the run's scores. Documents the
 * collection lacks are skipped and queries the run does not list get no candidates; both are
 * counted in the notes. A malformed run fails with the parser's file/line message.
 */
export async function candidatesFromRun(
  file: Blob,
  fileName: string,
  queryIds: readonly string[],
  collectionDocIds: readonly string[],
  k: number,
): Promise<{ run: Bm25Run; notes: string[] }> {
  const parsed = await parseTrecRun(blobSource(file, fileName));
  const order = trecEvalOrder(parsed);
  const runQuery = new Map(parsed.queryIds.map((id, q) => [id, q]));
  const docIndex = new Map(collectionDocIds.map((id, i) => [id, i]));
  const offsets = new Int32Array(queryIds.length + 1);
  const docs: number[] = [];
  const scores: number[] = [];
  const missingQueries: string[] = [];
  let unknownDocs = 0;
  queryIds.forEach((id, q) => {
    const rq = runQuery.get(id);
    if (rq === undefined) missingQueries.push(id);
    else {
      let taken = 0;
      for (let i = order.offsets[rq]; i < order.offsets[rq + 1] && taken < k; i++) {
        const row = order.rows[i];
        const d = docIndex.get(parsed.docIds[parsed.doc[row]]);
        if (d === undefined) {
          unknownDocs++;
          continue;
        }
        docs.push(d);
        scores.push(parsed.score[row]);
        taken++;
      }
    }
    offsets[q + 1] = docs.length;
  });
  const notes: string[] = [];
  if (docs.length === 0) throw new Error(`${fileName}: none of its documents is in this collection for the chosen queries (is it a run over another collection, or another split?)`);
  if (missingQueries.length) notes.push(`${fileName} has no documents for ${missingQueries.length} of the ${queryIds.length} queries (first: '${missingQueries[0]}'); they get no candidates`);
  if (unknownDocs) notes.push(`${fileName}: ${unknownDocs.toLocaleString('en')} listed documents are not in the collection and were skipped`);
  if (order.duplicates.length) notes.push(`${fileName} lists ${order.duplicates.length} document(s) twice for a query (first: '${order.duplicates[0].doc}' for '${order.duplicates[0].query}'); trec_eval would refuse it`);
  return { run: { queryIds: [...queryIds], offsets, docs: Int32Array.from(docs), scores: Float32Array.from(scores), emptyQueries: missingQueries }, notes };
}
