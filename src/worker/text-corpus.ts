import type { TextSetParts } from '../core/data/load/text-set';
import { bytesSource } from '../core/data/parse/stream';
import { parseBeirCorpus, parseBeirQrels, parseBeirQueries, type Qrels } from '../core/data/text';
import { ColumnTextTable, TitledColumnTable, type StringColumn, type TextTable } from '../core/data/text/text-table';
import type { Bm25Documents } from '../core/text/bm25-index';
import type { TextCorpusRef, TextSplit } from './text-types';
import { fetchBytes, type Fetcher } from './fetch-bytes';

/** A collection opened for ranking: documents, queries and whatever judgements it has. */
export interface TextCorpus {
  /** Same key, same collection: its BM25 index can be reused. */
  key: string;
  name: string;
  docs: Bm25Documents;
  queries: TextTable;
  /** The demo's judgements per split; a stored set's one qrels file under 'judged'. */
  qrels: Partial<Record<'train' | 'test' | 'judged', Qrels>>;
  warnings: string[];
}

/** The queries a run covers, by index into `corpus.queries`, and the judgements to score them with. */
export interface QuerySelection {
  label: string;
  queryIdx: number[];
  qrels: Qrels | null;
  notes: string[];
}

export type { Fetcher };

/** The demo corpus's files (BEIR layout), relative to its base. */
export const DEMO_FILES = { corpus: 'corpus.jsonl', queries: 'queries.jsonl', train: 'qrels/train.tsv', test: 'qrels/test.tsv' } as const;


/** Fetches and parses the bundled demo corpus (served as static files beside the app). */
export async function openDemoCorpus(base: string, fetcher: Fetcher, signal: AbortSignal, onFile: (file: string, index: number, count: number) => void): Promise<TextCorpus> {
  const names = Object.values(DEMO_FILES);
  const bytes: Uint8Array[] = [];
  for (let i = 0; i < names.length; i++) {
    onFile(names[i], i, names.length);
    bytes.push(await fetchBytes(fetcher, base, names[i], signal, ": is the app's server reachable?"));
  }
  const [corpus, queries, train, test] = bytes;
  const docs = await parseBeirCorpus(bytesSource(corpus, DEMO_FILES.corpus), { signal });
  const qs = await parseBeirQueries(bytesSource(queries, DEMO_FILES.queries), { signal });
  const trainQrels = await parseBeirQrels(bytesSource(train, DEMO_FILES.train), { signal });
  const testQrels = await parseBeirQrels(bytesSource(test, DEMO_FILES.test), { signal });
  const warnings = [docs, qs, trainQrels, testQrels].flatMap((p, i) => p.warnings.map((w) => `${names[i]}: ${w}`));
  return { key: `demo:${base}`, name: 'RankPlay demo passages', docs: docs.table, queries: qs.table, qrels: { train: trainQrels, test: testQrels }, warnings };
}

/** A string column as IndexedDB gives it back: the fields of the data layer's segmented column, without its methods. */
interface PlainColumn {
  segments: string[];
  starts: number[];
  offsets: Float64Array;
}

function isPlainColumn(c: unknown): c is PlainColumn {
  const p = c as PlainColumn;
  return Boolean(p) && Array.isArray(p.segments) && Array.isArray(p.starts) && p.offsets instanceof Float64Array;
}

/** Reads a plain segmented column exactly as the data layer's own column does. */
function columnReader(c: PlainColumn): StringColumn {
  const size = c.offsets.length - 1;
  return {
    size,
    get(i: number): string {
      if (!(i >= 0 && i < size)) throw new RangeError(`index ${i} is outside 0..${size - 1}`);
      const from = c.offsets[i];
      const to = c.offsets[i + 1];
      if (from === to) return '';
      let s = c.segments.length - 1;
      while (c.starts[s] > from) s--;
      return c.segments[s].slice(from - c.starts[s], to - c.starts[s]);
    },
  };
}

/**
 * A text table as a payload holds it. Loaded in this session it is the live table; read back from
 * IndexedDB (structured clone keeps fields, drops prototypes) it is its fields only, and gets its
 * accessors back here. Documents with a second column (BEIR) get their titles.
 */
export function liveTable(table: unknown, role: 'documents' | 'queries', setName: string): TextTable & Partial<Pick<TitledColumnTable, 'title'>> {
  const t = table as { text?: unknown; ids?: unknown; index?: unknown; columns?: unknown };
  if (t && typeof t.text === 'function') return table as TextTable;
  if (t && Array.isArray(t.ids) && t.index instanceof Map && Array.isArray(t.columns) && t.columns.length > 0 && t.columns.every(isPlainColumn)) {
    const columns = (t.columns as PlainColumn[]).map(columnReader);
    const Table = role === 'documents' && columns.length >= 2 ? TitledColumnTable : ColumnTextTable;
    return new Table(t.ids as string[], t.index as Map<string, number>, columns);
  }
  throw new Error(`the ${role} of "${setName}" could not be read back from this browser's storage: delete the set and load its files again`);
}

/** Opens a stored text set: it needs documents and queries; judgements are optional. */
export function openStoredCorpus(id: string, name: string, parts: TextSetParts): TextCorpus {
  if (!parts.documents) throw new Error(`"${name}" has no documents (a corpus file such as corpus.jsonl, collection.tsv or TREC <DOC>s): load them with its queries`);
  if (!parts.queries) throw new Error(`"${name}" has no queries file (queries.jsonl, queries.tsv or TREC topics): load it with the documents`);
  const docs = liveTable(parts.documents.table, 'documents', name);
  const queries = liveTable(parts.queries.table, 'queries', name);
  return { key: `stored:${id}`, name, docs, queries, qrels: parts.qrels ? { judged: parts.qrels } : {}, warnings: [] };
}

export function openCorpusKey(ref: TextCorpusRef): string {
  return ref.kind === 'demo' ? `demo:${ref.base}` : `stored:${ref.id}`;
}

const SPLIT_LABELS: Record<TextSplit, string> = {
  test: 'test queries (held-out topics)',
  train: 'training queries',
  judged: 'judged queries',
  all: 'all queries',
};

/** Queries of `qrels` in the queries file's order; judged queries the file lacks are noted. */
function judgedQueries(corpus: TextCorpus, qrels: Qrels): { queryIdx: number[]; notes: string[] } {
  const idx: number[] = [];
  let missing = 0;
  for (const qid of qrels.queryIds) {
    const i = corpus.queries.indexOf(qid);
    if (i >= 0) idx.push(i);
    else missing++;
  }
  idx.sort((a, b) => a - b);
  const notes = missing ? [`${missing} judged quer${missing === 1 ? 'y is' : 'ies are'} not in the queries file and cannot be ranked`] : [];
  return { queryIdx: idx, notes };
}

/** The queries of a split and their judgements, or an error a person can act on. */
export function selectQueries(corpus: TextCorpus, split: TextSplit): QuerySelection {
  const label = SPLIT_LABELS[split];
  if (split === 'all') {
    const qrels = corpus.qrels.judged ?? null;
    return { label, queryIdx: Array.from({ length: corpus.queries.size }, (_, i) => i), qrels, notes: [] };
  }
  const qrels = corpus.qrels[split];
  if (!qrels) {
    const has = Object.keys(corpus.qrels);
    const choose = has.length ? `choose ${has.map((s) => `'${s}'`).join(' or ')}` : "choose 'all queries' (lists without nDCG), or load a qrels file with the set";
    throw new Error(`"${corpus.name}" has no ${split === 'judged' ? 'judgements (qrels)' : `${split} judgements`}: ${choose}`);
  }
  const { queryIdx, notes } = judgedQueries(corpus, qrels);
  if (!queryIdx.length) throw new Error(`no query of the ${split} judgements is in the queries file of "${corpus.name}": do the query ids match?`);
  return { label, queryIdx, qrels, notes };
}
