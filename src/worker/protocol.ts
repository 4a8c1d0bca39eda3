import type { BackendName, BackendStatus } from '../compute/types';
import type { ExperimentConfig } from '../core/experiment/config';
import type { DatasetInfo } from '../core/data/library';
import type { FileRef } from '../core/data/source';
import type { DatasetSummary, MetricPoint, ReferenceLines } from '../core/experiment/runner';
import type { ClickProgressEvent, ClickSimOutcome, ClickSimRequest } from './clicks';
import type { CompareOutcome, CompareProgressEvent, CompareRequest } from './compare';
import type { QueryInspection } from '../core/experiment/run-inspect';
import type { ClickFitProgressEvent, ClickLogFitOptions, ClickLogFitOutcome } from './click-logs';
import type { QueryPassagePair } from '../core/text/rerank/types';
import type { RerankBenchOptions, RerankBenchResult, RerankParityOptions, RerankParityResult } from './rerank-hooks';
import type { AdaptBenchOptions, AdaptBenchResult } from './adapt-hooks';
import type { AdaptationConfig } from '../core/text/lora/adaptation';
import type { AdaptMethods, AdaptCountOutcome, AdaptLoadOutcome, AdaptLoadRequest, AdaptMergedOutcome, AdaptPeftOutcome, AdaptProgressEvent, AdaptQueryOutcome, AdaptRunOutcome, AdaptSavedInfo, AdaptStartRequest } from './adapt-types';
import type { RunFilesOutcome } from './run-files';
import type { TextBm25Outcome, TextBm25Request, TextCacheOutcome, TextExportOutcome, TextProgressEvent, TextQueryOutcome, TextRerankOutcome, TextRerankRequest } from './text-types';

export type {
  ClickSimOutcome,
  ClickSimRequest,
  ClickSimResult,
  ClickSessionView,
  ClickPolicyName,
  ClickFitView,
  ClickInterventionView,
  ClickPropensityView,
  ClickParamView,
  ClickRankParamView,
  ClickPanelPhase,
  ClickProgressEvent,
} from './clicks';
export type { CompareOutcome, CompareProgressEvent, CompareRequest } from './compare';
export type { QueryInspection } from '../core/experiment/run-inspect';
export type { RankerJson, RankerWeight, RunFile, RunFilesOutcome } from './run-files';
export type * from './text-types';
export type * from './adapt-types';
export type { ClickFitModelName, ClickFitProgressEvent, ClickLogFileSummary, ClickLogFitOptions, ClickLogFitOutcome, ClickLogFitResult, ClickLogModelResult, ClickLogSummary } from './click-logs';

export type RunState = 'idle' | 'playing' | 'paused' | 'done' | 'error';

export interface LoadedRun {
  rankerIds: string[];
  maxSteps: number;
  summary: DatasetSummary;
  reference: ReferenceLines;
}

export interface MetricsEvent {
  type: 'metrics';
  point: MetricPoint;
  /** Wall time spent training and evaluating since the run was loaded, in ms (only while playing or stepping). */
  elapsedMs: number;
}

/** Progress of a dataset load (or of reading a click log to fit, task 'click-log'), file by file. */
export interface LoadProgressEvent {
  type: 'load-progress';
  /** Absent for data-set loads, which the data panel shows; the click-log panel shows its own. */
  task?: 'click-log';
  /** 'hash': checking the files' SHA-256 against a link's before reading them (rows stay 0). */
  phase?: 'hash';
  file: string;
  /** 0-based index of the file being read, and how many there are. */
  fileIndex: number;
  fileCount: number;
  /** Bytes of this file read so far (compressed bytes for .gz) and its size, when known. */
  bytesRead: number;
  totalBytes: number | null;
  /** Rows (documents, lines) parsed so far in this file. */
  rows: number;
  elapsedMs: number;
}

export interface LoadOptions {
  /** Drop malformed lines (reported) instead of stopping at the first. */
  skipBadLines: boolean;
  /** A link's local files: the chosen files must have these contents (SHA-256), or nothing is loaded. */
  expect?: FileRef[];
}

/** How a load ended: the stored data set, or a message that names file, line and reason. */
export type LoadOutcome =
  | { ok: true; info: DatasetInfo }
  | { ok: false; cancelled: boolean; error: string; file?: string; line?: number };

/** Everything the worker tells the UI; streamed through one callback. */
export type WorkerEvent =
  | { type: 'backend'; status: BackendStatus }
  | { type: 'loaded'; run: LoadedRun }
  | MetricsEvent
  /** A resumed run's metric points so far, at once (instead of one 'metrics' event each), with the elapsed time at each. */
  | { type: 'history'; points: MetricPoint[]; elapsedMs: number[] }
  | { type: 'state'; state: RunState; step: number }
  | { type: 'notice'; level: 'info' | 'warning' | 'error'; message: string }
  | LoadProgressEvent
  | ClickFitProgressEvent
  /** The click panel's run: which pass, how far (see cancelClicks). */
  | ClickProgressEvent
  | CompareProgressEvent
  | TextProgressEvent
  | AdaptProgressEvent
  /** The data sets this browser holds, after any change. */
  | { type: 'datasets'; list: DatasetInfo[] };

export type EventSink = (event: WorkerEvent) => void;

/** The worker's RPC surface (exposed with comlink). All training happens behind it. */
export interface RankPlayWorkerApi {
  /** Probes the device, starts the best (or requested) backend, reports it as a 'backend' event too. */
  init(requested: BackendName | null, sink: EventSink): Promise<BackendStatus>;
  /** Switches backend; the current run is rebuilt from its config on the new one. */
  setBackend(requested: BackendName | null): Promise<BackendStatus>;
  /**
   * Builds a run from a config (data, split, rankers) and evaluates step 0; or, when this browser
   * saved a checkpoint of the same config on the same backend, resumes it paused where it was.
   */
  load(config: ExperimentConfig): Promise<void>;
  play(): Promise<void>;
  pause(): Promise<void>;
  /** One training step (and an evaluation), when paused or idle. */
  step(): Promise<void>;
  /** Back to step 0 with the same config, discarding the run's checkpoint. */
  reset(): Promise<void>;
  /**
   * "Compare estimators": runs the current config once per seed with Naive, IPS, DLA, REM, PairD
   * and the oracle as rankers (the config's first ranker's model and loss), each to its end, and
   * returns mean ± 95% CI of the final test measures. Progress comes as 'compare-progress' events.
   */
  compareEstimators(config: ExperimentConfig, req: CompareRequest): Promise<CompareOutcome>;
  cancelCompare(): Promise<void>;
  /** Every ranker's ranking of one query of the current run, with labels and click counts. */
  inspectQuery(split: 'train' | 'test', query: number): Promise<{ ok: true; inspection: QueryInspection } | { ok: false; error: string }>;
  /** The current run's TREC runs of the test split, its qrels and each ranker's weights as JSON (Export menu). */
  exportRunFiles(): Promise<RunFilesOutcome>;
  /** Parses dropped or picked files (LETOR splits + group files, or a text set) in the worker and keeps the result. */
  loadFiles(files: File[], options: LoadOptions): Promise<LoadOutcome>;
  /** Streams a file from a URL (CORS permitting) and loads it like a picked file. */
  loadUrl(url: string, options: LoadOptions): Promise<LoadOutcome>;
  /** Loads a data set the app ships (src/core/data/bundled.ts) from `base`, the site's base URL. */
  loadBundled(name: string, base: string, options: LoadOptions): Promise<LoadOutcome>;
  /** Stops the load in progress; its outcome says cancelled. */
  cancelLoad(): Promise<void>;
  listDatasets(): Promise<DatasetInfo[]>;
  deleteDataset(id: string): Promise<void>;
  /**
   * Simulates clicks on the current experiment's training data (synthetic from the config, or the
   * stored set in use), summarises them per rank, estimates propensities from an intervention and
   * optionally fits a click model; bad parameters come back as { ok: false, error } with a
   * readable message.
   */
  simulateClicks(req: ClickSimRequest): Promise<ClickSimOutcome>;
  /** Stops the click simulation in flight within ~50 ms; its outcome says cancelled. Progress comes as 'click-progress' events. */
  cancelClicks(): Promise<void>;
  /**
   * Reads a real click log (one file, or a training log then a test log), fits the chosen click
   * models and compares them on held-out sessions by log-likelihood and perplexity. Reading
   * progress comes as 'load-progress' events with task 'click-log', fitting as 'click-fit-progress'.
   */
  fitClickLog(files: File[], options: ClickLogFitOptions): Promise<ClickLogFitOutcome>;
  /** Stops the click-log fit in flight (reading at once, fitting between models); its outcome says cancelled. */
  cancelClickLogFit(): Promise<void>;
  /**
   * The text journey: BM25 over the demo corpus or a stored text set (opened and indexed once, then
   * reused), top k for each query of the split, nDCG@10 / MRR@10 / R@100 against its judgements.
   * Progress comes as 'text-progress' events; a new text step cancels the one in flight.
   */
  textBm25(req: TextBm25Request): Promise<TextBm25Outcome>;
  /** Reranks the top `depth` of each BM25 list with a cross-encoder (URL base or picked files) and measures again. */
  textRerank(req: TextRerankRequest): Promise<TextRerankOutcome>;
  /** One query of the current run: the BM25 and reranked lists side by side, with grades and scores. */
  textQuery(index: number): Promise<TextQueryOutcome>;
  /** The BM25 or reranked run as TREC run text. */
  textExportRun(which: 'bm25' | 'rerank'): Promise<TextExportOutcome>;
  /** Stops the text step in flight; its outcome says cancelled. */
  textCancel(): Promise<void>;
  /** Bytes of downloaded models in Cache Storage; clearing answers with what is left. */
  textModelCacheSize(): Promise<TextCacheOutcome>;
  textClearModelCache(): Promise<TextCacheOutcome>;
  /** The fine-tuning methods and target layers the settings offer. */
  adaptMethods(): Promise<AdaptMethods>;
  /** Adapting the reranker (LoRA and variants): trainable parameters of a method on the model at `modelBase`, before training. */
  adaptCount(ac: AdaptationConfig, modelBase: string): Promise<AdaptCountOutcome>;
  /**
   * Fine-tunes the demo cross-encoder on the demo's test-split queries (70/30 adapt-train /
   * validation); 'adapt-step' and 'adapt-eval' events stream while it trains, a checkpoint is saved
   * at each validation. Ends on the last step, early stopping, adaptCancel (best weights kept) or an error.
   */
  adaptStart(req: AdaptStartRequest): Promise<AdaptRunOutcome>;
  /** Continues the run saved in this browser from its last validation. */
  adaptResume(): Promise<AdaptRunOutcome>;
  /** The saved run (offered as "Resume from step N" after a reload), or null. */
  adaptSaved(): Promise<AdaptSavedInfo | null>;
  adaptDiscardSaved(): Promise<void>;
  adaptCancel(): Promise<void>;
  /** A validation query ranked by the base model and by the adapted one. */
  adaptQuery(index: number): Promise<AdaptQueryOutcome>;
  /** The latest run's adapter in PEFT's layout (adapter_config.json + adapter_model.safetensors, and both zipped). */
  adaptExportPeft(): Promise<AdaptPeftOutcome>;
  /** The latest run's adapter merged into the model: ONNX + safetensors (and a zipped model folder). */
  adaptExportMerged(): Promise<AdaptMergedOutcome>;
  /** Loads a PEFT LoRA adapter (the zip or its two files) and measures validation nDCG@10 with it. */
  adaptLoadPeft(req: AdaptLoadRequest): Promise<AdaptLoadOutcome>;
  /** Benchmark hook: reads a file counting newlines (the raw-scan baseline for parse speed). */
  scanFile(file: Blob): Promise<{ bytes: number; ms: number; lines: number }>;
  /** Test hook: destroys the WebGPU device to exercise the device-lost fallback. Returns false if not on WebGPU. */
  loseDeviceForTesting(): Promise<boolean>;
  /** Test hook: scores the pairs with the model at `modelUrl` on WebGPU and on wasm, for the parity test. */
  rerankParityForTesting(modelUrl: string, pairs: QueryPassagePair[], opts: RerankParityOptions): Promise<RerankParityResult>;
  /** Benchmark hook: pairs/s of the model at `modelUrl` on one backend at several batch sizes. */
  rerankBenchForTesting(modelUrl: string, opts: RerankBenchOptions): Promise<RerankBenchResult>;
  /** Benchmark hook: LoRA vs full fine-tuning step time and memory on wasm and WebGPU in the worker (switches back afterwards). */
  adaptBenchForTesting(opts: AdaptBenchOptions): Promise<AdaptBenchResult>;
}
