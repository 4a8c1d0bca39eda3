import type { CrossEncoderInfo, RerankBackend } from '../core/text/rerank/types';

/**
 * The text journey's messages (BM25 → cross-encoder rerank → nDCG, per-query lists): what the UI
 * sends the worker's TextService and what comes back. Plain data: it crosses the worker boundary.
 */

/** Which collection to rank: the bundled demo corpus (BEIR layout under a URL base) or a stored text set. */
export type TextCorpusRef = { kind: 'demo'; base: string } | { kind: 'stored'; id: string; name: string };

/**
 * Which queries: the demo's judged splits ('test': held-out topics the demo model never saw; 'train'),
 * a stored set's judged queries ('judged') or every query of its queries file ('all').
 */
export type TextSplit = 'test' | 'train' | 'judged' | 'all';

export interface TextBm25Request {
  corpus: TextCorpusRef;
  split: TextSplit;
  k1: number;
  b: number;
  /** Documents retrieved per query. */
  k: number;
  /** First-stage candidates from a TREC run file instead of BM25 (the collection's doc ids). */
  run?: { name: string; blob: Blob };
}

/**
 * Where the cross-encoder comes from: a Hugging Face-layout URL base (or a hub id), or picked
 * files with their paths inside the model folder (`config.json`, `onnx/model.onnx`): a File's
 * folder path does not survive the trip to the worker, so the page sends it along.
 */
export type TextModelRef = { kind: 'url'; base: string } | { kind: 'files'; files: { path: string; blob: Blob }[] };

export interface TextRerankRequest {
  model: TextModelRef;
  /** How many of each query's BM25 documents the cross-encoder rescores. */
  depth: number;
  backend: RerankBackend | 'auto';
  batchSize?: number;
}

/** The averaged measures of a run over the judged queries (trec_eval's rules: gain = grade). */
export interface TextMetrics {
  ndcg10: number;
  mrr10: number;
  recall100: number;
  /** Queries both in the run and in the judgements: what the means are over. */
  judgedQueries: number;
}

export interface TextRunSummary {
  /** Null when no query of the run has judgements; `metricsNote` says why. */
  metrics: TextMetrics | null;
  metricsNote: string | null;
  queries: number;
  ms: number;
  /** nDCG@10 of each query (in the order of `TextBm25Result.queries`), null where unjudged. */
  perQueryNdcg: (number | null)[];
}

export interface TextQueryEntry {
  id: string;
  /** The query text, cut to a line. */
  text: string;
}

export interface TextBm25Result {
  ok: true;
  corpus: { name: string; documents: number; split: TextSplit; splitLabel: string };
  params: { k1: number; b: number; k: number };
  /** Where the candidates came from: BM25, or a TREC run file the user supplied (named). */
  firstStage: { kind: 'bm25' } | { kind: 'run'; name: string };
  /** Index build time (0 when the index was reused) and index size. */
  index: { ms: number; terms: number; postings: number; reused: boolean };
  bm25: TextRunSummary;
  queries: TextQueryEntry[];
  notes: string[];
}

export type TextFailure = { ok: false; cancelled: boolean; error: string };

export type TextBm25Outcome = TextBm25Result | TextFailure;

export interface TextRerankResult {
  ok: true;
  depth: number;
  model: CrossEncoderInfo;
  /** Model load time (0 when the loaded model was reused). */
  loadMs: number;
  pairs: number;
  pairsPerSecond: number;
  rerank: TextRunSummary;
  /** What the runtime said while scoring (a smaller batch after a GPU out-of-memory, a fallback to wasm). */
  notices: string[];
}

export type TextRerankOutcome = TextRerankResult | TextFailure;

/** One row of a ranked list as shown side by side. */
export interface TextListRow {
  rank: number;
  docId: string;
  title: string;
  /** The first words of the passage. */
  snippet: string;
  /** Judged grade, or null when unjudged. */
  label: number | null;
  score: number;
  /** Its rank in the BM25 list (equal to `rank` in the BM25 list itself). */
  bm25Rank: number;
}

export interface TextQueryView {
  index: number;
  id: string;
  text: string;
  judged: boolean;
  bm25: { rows: TextListRow[]; ndcg10: number | null };
  rerank: { rows: TextListRow[]; ndcg10: number | null; depth: number } | null;
}

export type TextQueryOutcome = { ok: true; view: TextQueryView } | { ok: false; error: string };

export type TextExportOutcome = { ok: true; fileName: string; text: string; lines: number } | { ok: false; error: string };

export type TextCacheOutcome = { ok: true; bytes: number } | { ok: false; error: string };

/** Progress of the text journey's step in flight. */
export interface TextProgressEvent {
  type: 'text-progress';
  phase: 'fetch' | 'index' | 'search' | 'model' | 'rerank';
  /** What is being done, for the bar's label (a file name, "Indexing passages", …). */
  label: string;
  done: number;
  /** Null when the size is unknown (a download without a length). */
  total: number | null;
  elapsedMs: number;
}
