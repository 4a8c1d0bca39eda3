import type { TextSetParts } from '../core/data/load/text-set';
import type { TrecJudgements } from '../core/metrics/trec';
import { Bm25Searcher, checkBm25Params } from '../core/text/bm25';
import { Bm25IndexBuilder, type Bm25Index } from '../core/text/bm25-index';
import { trecRunText, type Bm25Run } from '../core/text/bm25-run';
import type { CrossEncoderScorer, LoadCrossEncoderOptions, ModelSource } from '../core/text/rerank/types';
import { openCorpusKey, openDemoCorpus, openStoredCorpus, selectQueries, type Fetcher, type TextCorpus } from './text-corpus';
import { evaluateRun, judgementsFor, listRows, rerankedRun, rerankPairs, type RunEvaluation } from './text-eval';
import { modelBase, modelKey } from './text-model';
import { candidatesFromRun } from './text-run-candidates';
import type {
  TextBm25Outcome,
  TextBm25Request,
  TextCacheOutcome,
  TextExportOutcome,
  TextFailure,
  TextProgressEvent,
  TextQueryOutcome,
  TextRerankOutcome,
  TextRerankRequest,
  TextRunSummary,
} from './text-types';

/** The cross-encoder runtime's entry points (src/compute/cross-encoder.ts), loaded on first use. */
export interface CrossEncoderRuntime {
  loadCrossEncoder(source: ModelSource, opts: LoadCrossEncoderOptions): Promise<CrossEncoderScorer>;
  modelCacheSize(): Promise<number>;
  clearModelCache(): Promise<void>;
}

export interface TextServiceDeps {
  runtime: () => Promise<CrossEncoderRuntime>;
  /** A stored text set's parts (memory or IndexedDB); undefined when this browser lacks it. */
  storedParts: (id: string) => Promise<TextSetParts | undefined>;
  fetcher?: Fetcher;
}

type Emit = (event: TextProgressEvent) => void;

/** The BM25 run everything else (rerank, lists, export) refers to. */
interface Bm25State {
  corpus: TextCorpus;
  index: Bm25Index;
  split: string;
  /** Index into corpus.queries of each run query. */
  queryIdx: number[];
  judgements: TrecJudgements | null;
  run: Bm25Run;
  evaluation: RunEvaluation;
}

interface RerankState {
  run: Bm25Run;
  depth: number;
  evaluation: RunEvaluation;
}

/** Most queries per run and documents per query: keeps a run's lists a few MB at most. */
const MAX_K = 1000;
const MAX_DEPTH = 1000;
/** Rows per list sent for the side-by-side view. */
const LIST_ROWS = 50;
/** Progress at most this often: each event is a message to the UI thread. */
const PROGRESS_EVERY_MS = 50;

const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));
/** setTimeout, not a microtask: a Cancel message must get its turn between chunks of work. */
const yieldToMessages = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

function summary(evaluation: RunEvaluation, queries: number, ms: number): TextRunSummary {
  return { metrics: evaluation.metrics, metricsNote: evaluation.metricsNote, queries, ms, perQueryNdcg: evaluation.perQuery };
}

function slug(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40) || 'text';
}

/**
 * The text journey in the worker: open a collection (the demo corpus or a stored text set), BM25
 * over it with progress, rerank each query's top documents with a cross-encoder, and measure both
 * runs against the judgements. One step at a time; a new step cancels the one in flight.
 */
export class TextService {
  private corpus: TextCorpus | null = null;
  private index: { key: string; index: Bm25Index } | null = null;
  private bm25State: Bm25State | null = null;
  private rerankState: RerankState | null = null;
  private scorer: { key: string; scorer: CrossEncoderScorer } | null = null;
  private abort: AbortController | null = null;
  private readonly fetcher: Fetcher;

  constructor(
    private readonly emit: Emit,
    private readonly deps: TextServiceDeps,
  ) {
    this.fetcher = deps.fetcher ?? ((url, init) => fetch(url, init));
  }

  cancel(): void {
    this.abort?.abort();
  }

  private start(): { signal: AbortSignal; done: () => void; progress: (p: Omit<TextProgressEvent, 'type' | 'elapsedMs'>, force?: boolean) => void } {
    this.abort?.abort();
    const abort = new AbortController();
    this.abort = abort;
    const t0 = performance.now();
    let last = -Infinity;
    return {
      signal: abort.signal,
      done: () => {
        if (this.abort === abort) this.abort = null;
      },
      progress: (p, force = false) => {
        const now = performance.now();
        if (!force && now - last < PROGRESS_EVERY_MS) return;
        last = now;
        this.emit({ type: 'text-progress', ...p, elapsedMs: now - t0 });
      },
    };
  }

  private failure(e: unknown, signal: AbortSignal, what: string): TextFailure {
    if (signal.aborted) return { ok: false, cancelled: true, error: `${what} was cancelled` };
    return { ok: false, cancelled: false, error: errorText(e) };
  }

  private async openCorpus(req: TextBm25Request, signal: AbortSignal, progress: ReturnType<TextService['start']>['progress']): Promise<TextCorpus> {
    const key = openCorpusKey(req.corpus);
    if (this.corpus?.key === key) return this.corpus;
    let corpus: TextCorpus;
    if (req.corpus.kind === 'demo') {
      corpus = await openDemoCorpus(req.corpus.base, this.fetcher, signal, (file, i, n) => progress({ phase: 'fetch', label: `Fetching ${file}`, done: i, total: n }, true));
    } else {
      const { id, name } = req.corpus;
      const parts = await this.deps.storedParts(id);
      if (!parts) throw new Error(`the text set "${name}" is not in this browser (deleted, or stored as features): load its files in the data panel`);
      corpus = openStoredCorpus(id, name, parts);
    }
    this.corpus = corpus;
    return corpus;
  }

  private async buildIndex(corpus: TextCorpus, signal: AbortSignal, progress: ReturnType<TextService['start']>['progress']): Promise<{ index: Bm25Index; ms: number; reused: boolean }> {
    if (this.index?.key === corpus.key) return { index: this.index.index, ms: 0, reused: true };
    const t0 = performance.now();
    const { docs } = corpus;
    const builder = new Bm25IndexBuilder();
    const titled = typeof docs.title === 'function';
    let lastYield = performance.now();
    for (let i = 0; i < docs.size; i++) {
      const title = titled ? docs.title!(i) : '';
      builder.add(docs.id(i), title ? `${title} ${docs.text(i)}` : docs.text(i));
      if ((i & 255) === 255 && performance.now() - lastYield > 30) {
        progress({ phase: 'index', label: 'Indexing documents', done: i + 1, total: docs.size });
        await yieldToMessages();
        if (signal.aborted) throw new Error('cancelled');
        lastYield = performance.now();
      }
    }
    progress({ phase: 'index', label: 'Indexing documents', done: docs.size, total: docs.size }, true);
    const index = builder.finish();
    this.index = { key: corpus.key, index };
    return { index, ms: performance.now() - t0, reused: false };
  }

  /** Opens the collection (reusing it and its index when unchanged), retrieves the top k of each query of the split, measures the run. */
  async bm25(req: TextBm25Request): Promise<TextBm25Outcome> {
    const { signal, done, progress } = this.start();
    try {
      checkBm25Params({ k1: req.k1, b: req.b, docLengths: 'exact' });
      if (!Number.isInteger(req.k) || req.k < 1 || req.k > MAX_K) throw new Error(`documents per query must be a whole number from 1 to ${MAX_K}, got ${req.k}`);
      // A new first stage makes the old reranking meaningless.
      this.bm25State = null;
      this.rerankState = null;
      const corpus = await this.openCorpus(req, signal, progress);
      const selection = selectQueries(corpus, req.split);
      const built = await this.buildIndex(corpus, signal, progress);
      const t0 = performance.now();
      const n = selection.queryIdx.length;
      const fromRun = req.run ? await candidatesFromRun(req.run.blob, req.run.name, selection.queryIdx.map((qi) => corpus.queries.id(qi)), built.index.docIds, req.k) : null;
      const run: Bm25Run = fromRun ? fromRun.run : await this.retrieve(built.index, req, corpus, selection.queryIdx, signal, progress);
      const judgements = judgementsFor(selection.qrels);
      const evaluation = evaluateRun(run, built.index.docIds, judgements, fromRun ? 'run' : 'bm25');
      const searchMs = performance.now() - t0;
      this.bm25State = { corpus, index: built.index, split: req.split, queryIdx: selection.queryIdx, judgements, run, evaluation };
      const notes = [...corpus.warnings, ...selection.notes, ...(fromRun?.notes ?? [])];
      const emptyQueries = fromRun ? [] : run.emptyQueries;
      if (emptyQueries.length) notes.push(`${emptyQueries.length} quer${emptyQueries.length === 1 ? 'y has' : 'ies have'} no term in the collection and get no documents (first: '${emptyQueries[0]}')`);
      if (req.k < 100) notes.push(`R@100 is computed on the top ${req.k} retrieved`);
      return {
        ok: true,
        corpus: { name: corpus.name, documents: corpus.docs.size, split: req.split, splitLabel: selection.label },
        params: { k1: req.k1, b: req.b, k: req.k },
        firstStage: fromRun ? { kind: 'run', name: req.run!.name } : { kind: 'bm25' },
        index: { ms: built.ms, terms: built.index.terms.size, postings: built.index.docs.length, reused: built.reused },
        bm25: summary(evaluation, n, built.ms + searchMs),
        queries: selection.queryIdx.map((qi) => ({ id: corpus.queries.id(qi), text: corpus.queries.text(qi).slice(0, 160) })),
        notes,
      };
    } catch (e) {
      return this.failure(e, signal, req.run ? 'the run file' : 'BM25');
    } finally {
      done();
    }
  }

  /** BM25's top k for each selected query. */
  private async retrieve(
    index: Bm25Index,
    req: TextBm25Request,
    corpus: TextCorpus,
    queryIdx: readonly number[],
    signal: AbortSignal,
    progress: ReturnType<TextService['start']>['progress'],
  ): Promise<Bm25Run> {
    const searcher = new Bm25Searcher(index, { k1: req.k1, b: req.b });
    const n = queryIdx.length;
    const offsets = new Int32Array(n + 1);
    const hits: { docs: Int32Array; scores: Float32Array }[] = [];
    const emptyQueries: string[] = [];
    for (let q = 0; q < n; q++) {
      const qi = queryIdx[q];
      const parsed = searcher.parse(corpus.queries.text(qi));
      if (parsed.terms.length === 0) emptyQueries.push(corpus.queries.id(qi));
      const h = searcher.searchTerms(parsed.terms, req.k);
      hits.push(h);
      offsets[q + 1] = offsets[q] + h.docs.length;
      if ((q & 63) === 63) {
        progress({ phase: 'search', label: 'Retrieving', done: q + 1, total: n });
        await yieldToMessages();
        if (signal.aborted) throw new Error('cancelled');
      }
    }
    const docs = new Int32Array(offsets[n]);
    const scores = new Float32Array(offsets[n]);
    hits.forEach((h, q) => {
      docs.set(h.docs, offsets[q]);
      scores.set(h.scores, offsets[q]);
    });
    return { queryIds: queryIdx.map((qi) => corpus.queries.id(qi)), offsets, docs, scores, emptyQueries };
  }

  private async loadScorer(req: TextRerankRequest, signal: AbortSignal, progress: ReturnType<TextService['start']>['progress']): Promise<{ scorer: CrossEncoderScorer; ms: number }> {
    const source: ModelSource =
      req.model.kind === 'url' ? { kind: 'url', base: modelBase(req.model.base) } : { kind: 'files', files: new Map(req.model.files.map((f) => [f.path, f.blob])) };
    const key = `${modelKey(source)} ${req.backend}`;
    if (this.scorer?.key === key) return { scorer: this.scorer.scorer, ms: 0 };
    const old = this.scorer;
    this.scorer = null;
    if (old) await old.scorer.dispose().catch(() => {});
    const t0 = performance.now();
    const runtime = await this.deps.runtime();
    const where = source.kind === 'url' ? source.base : 'the picked files';
    let scorer: CrossEncoderScorer;
    try {
      scorer = await runtime.loadCrossEncoder(source, {
        backend: req.backend,
        signal,
        onProgress: (file, loaded, total) => progress({ phase: 'model', label: `Loading ${file}`, done: loaded, total }),
      });
    } catch (e) {
      if (signal.aborted) throw e;
      const reason = errorText(e);
      // The runtime often names the place itself ("looked in …"): say it once.
      throw new Error(reason.includes(where) ? `Could not load the cross-encoder: ${reason}` : `Could not load the cross-encoder from ${where}: ${reason}`);
    }
    this.scorer = { key, scorer };
    return { scorer, ms: performance.now() - t0 };
  }

  /** Rescores the top `depth` BM25 documents of every query with a cross-encoder and measures the new run. */
  async rerank(req: TextRerankRequest): Promise<TextRerankOutcome> {
    const { signal, done, progress } = this.start();
    try {
      const base = this.bm25State;
      if (!base) throw new Error('run BM25 first: the cross-encoder reranks its lists');
      if (!Number.isInteger(req.depth) || req.depth < 1 || req.depth > MAX_DEPTH) throw new Error(`rerank depth must be a whole number from 1 to ${MAX_DEPTH}, got ${req.depth}`);
      this.rerankState = null;
      const { scorer, ms: loadMs } = await this.loadScorer(req, signal, progress);
      const { corpus, run, queryIdx } = base;
      const pairs = rerankPairs(run, req.depth, (q) => corpus.queries.text(queryIdx[q]), corpus.docs);
      const notices: string[] = [];
      const t0 = performance.now();
      progress({ phase: 'rerank', label: 'Scoring query–passage pairs', done: 0, total: pairs.length }, true);
      const scores = pairs.length
        ? await scorer.score(pairs, {
            batchSize: req.batchSize,
            signal,
            onProgress: (d, total) => progress({ phase: 'rerank', label: 'Scoring query–passage pairs', done: d, total }, d === total),
            onNotice: (message) => notices.push(message),
          })
        : new Float32Array(0);
      if (signal.aborted) throw new Error('cancelled');
      const scoreMs = performance.now() - t0;
      if (scores.length !== pairs.length) throw new Error(`the cross-encoder returned ${scores.length} scores for ${pairs.length} pairs`);
      if (scores.some((s) => !Number.isFinite(s))) throw new Error('the cross-encoder returned scores that are not finite numbers (NaN or infinity): the model or its inputs are broken');
      const reranked = rerankedRun(run, req.depth, scores, base.index.docIds);
      const evaluation = evaluateRun(reranked, base.index.docIds, base.judgements, 'rerank');
      this.rerankState = { run: reranked, depth: req.depth, evaluation };
      return {
        ok: true,
        depth: req.depth,
        model: scorer.info,
        loadMs,
        pairs: pairs.length,
        pairsPerSecond: scoreMs > 0 ? (1000 * pairs.length) / scoreMs : 0,
        rerank: summary(evaluation, run.queryIds.length, loadMs + scoreMs),
        notices,
      };
    } catch (e) {
      return this.failure(e, signal, 'Reranking');
    } finally {
      done();
    }
  }

  /** Query `index` of the current run: its BM25 list and, once reranked, the reranked list, with grades and scores. */
  query(index: number): TextQueryOutcome {
    const base = this.bm25State;
    if (!base) return { ok: false, error: 'run BM25 first' };
    if (!Number.isInteger(index) || index < 0 || index >= base.run.queryIds.length) return { ok: false, error: `there is no query ${index} (the run has ${base.run.queryIds.length})` };
    const { corpus, run, judgements } = base;
    const id = run.queryIds[index];
    const grades = judgements?.get(id)?.grade;
    const bm25Rank = new Map<number, number>();
    for (let r = run.offsets[index]; r < run.offsets[index + 1]; r++) bm25Rank.set(run.docs[r], r - run.offsets[index] + 1);
    const rankOf = (d: number) => bm25Rank.get(d) ?? 0;
    const rr = this.rerankState;
    return {
      ok: true,
      view: {
        index,
        id,
        text: corpus.queries.text(base.queryIdx[index]),
        judged: Boolean(grades),
        bm25: { rows: listRows(run, index, LIST_ROWS, corpus.docs, grades, rankOf), ndcg10: base.evaluation.perQuery[index] },
        rerank: rr ? { rows: listRows(rr.run, index, LIST_ROWS, corpus.docs, grades, rankOf), ndcg10: rr.evaluation.perQuery[index], depth: rr.depth } : null,
      },
    };
  }

  /** The BM25 or the reranked run as TREC run text (`qid Q0 docno rank score tag`). */
  exportRun(which: 'bm25' | 'rerank'): TextExportOutcome {
    const base = this.bm25State;
    if (!base) return { ok: false, error: 'run BM25 first: there is no run to download' };
    const run = which === 'bm25' ? base.run : this.rerankState?.run;
    if (!run) return { ok: false, error: 'rerank first: there is no reranked run to download' };
    const tag = which === 'bm25' ? 'bm25' : `rerank-d${this.rerankState!.depth}`;
    return { ok: true, fileName: `${slug(base.corpus.name)}-${base.split}-${tag}.run`, text: trecRunText(run, base.index.docIds, tag), lines: run.docs.length };
  }

  async cacheSize(): Promise<TextCacheOutcome> {
    try {
      return { ok: true, bytes: await (await this.deps.runtime()).modelCacheSize() };
    } catch (e) {
      return { ok: false, error: `Could not read the model cache: ${errorText(e)}` };
    }
  }

  async clearCache(): Promise<TextCacheOutcome> {
    try {
      const runtime = await this.deps.runtime();
      await runtime.clearModelCache();
      return { ok: true, bytes: await runtime.modelCacheSize() };
    } catch (e) {
      return { ok: false, error: `Could not clear the model cache: ${errorText(e)}` };
    }
  }
}
