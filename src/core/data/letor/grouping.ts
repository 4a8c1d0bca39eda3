/** Query ids in first-seen order, with where each was first seen (for warnings). */
export interface QueryTable {
  ids: string[];
  index: Map<string, number>;
  firstLine: number[];
}

/**
 * CSR offsets for rows labelled with their query (queries numbered in first-seen order). When
 * `regroup` is set (a query reappeared later in the file), also the stable destination of each
 * row so that every query's documents end up contiguous, in file order within the query.
 */
export function groupRows(rowQuery: Int32Array, nQueries: number, regroup: boolean): { qidOffsets: Int32Array; destination: Int32Array | null } {
  const counts = new Int32Array(nQueries);
  for (let r = 0; r < rowQuery.length; r++) counts[rowQuery[r]]++;
  if (counts.includes(0)) throw new Error('groupRows: a query without documents; drop it with dropEmptyQueries first');
  const qidOffsets = new Int32Array(nQueries + 1);
  for (let q = 0; q < nQueries; q++) qidOffsets[q + 1] = qidOffsets[q] + counts[q];
  if (!regroup) return { qidOffsets, destination: null };
  const next = qidOffsets.slice(0, nQueries);
  const destination = new Int32Array(rowQuery.length);
  for (let r = 0; r < rowQuery.length; r++) destination[r] = next[rowQuery[r]]++;
  return { qidOffsets, destination };
}

/**
 * Removes queries that ended up with no documents (their only lines were skipped as bad),
 * renumbering the rows' query indices in place.
 */
export function dropEmptyQueries(rowQuery: Int32Array, table: QueryTable): void {
  const counts = new Int32Array(table.ids.length);
  for (let r = 0; r < rowQuery.length; r++) counts[rowQuery[r]]++;
  if (!counts.includes(0)) return;
  const renumber = new Int32Array(table.ids.length);
  const ids: string[] = [];
  const firstLine: number[] = [];
  table.index.clear();
  for (let q = 0; q < counts.length; q++) {
    renumber[q] = ids.length;
    if (counts[q] === 0) continue;
    table.index.set(table.ids[q], ids.length);
    ids.push(table.ids[q]);
    firstLine.push(table.firstLine[q]);
  }
  for (let r = 0; r < rowQuery.length; r++) rowQuery[r] = renumber[rowQuery[r]];
  table.ids = ids;
  table.firstLine = firstLine;
}
