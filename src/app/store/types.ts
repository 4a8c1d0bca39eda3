import type { BackendName, BackendStatus } from '../../compute/types';
import type { ConfigResult, ExperimentConfig } from '../../core/experiment/config';
import type { DatasetSummary, MetricPoint, ReferenceLines } from '../../core/experiment/runner';
import type { DatasetInfo } from '../../core/data/library';
import type { BundledSetName } from '../../core/data/bundled';
import type { ClickPolicyName, ClickProgressEvent, ClickSimResult, LoadOutcome, LoadProgressEvent, RankPlayWorkerApi, RunFilesOutcome, RunState, WorkerEvent } from '../../worker/protocol';
import type { ClickModelName } from '../../core/clicks/models/config';
import type { ClickForm, TextForm } from '../../core/share/panel-forms';
import type { TextSplit } from '../../worker/text-types';
import type { ClickLogsSlice } from './click-logs-slice';
import type { CompareSlice } from './compare-slice';
import type { InspectSlice } from './inspect-slice';
import type { TextSlice } from './text-slice';
import type { AdaptSlice } from './adapt-slice';
import type { ShareSlice } from './share-slice';
import type { HistorySlice } from './history-slice';

/** The worker calls the store makes; the boot code supplies them once the worker is up. */
export type WorkerCommands = Pick<
  RankPlayWorkerApi,
  'load' | 'play' | 'pause' | 'step' | 'reset' | 'setBackend' | 'loadFiles' | 'loadUrl' | 'loadBundled' | 'cancelLoad' | 'listDatasets' | 'deleteDataset' | 'simulateClicks' | 'cancelClicks' | 'fitClickLog' | 'cancelClickLogFit'
  | 'compareEstimators' | 'cancelCompare' | 'inspectQuery' | 'exportRunFiles'
  | 'textBm25' | 'textRerank' | 'textQuery' | 'textExportRun' | 'textCancel' | 'textModelCacheSize' | 'textClearModelCache'
  | 'adaptMethods' | 'adaptCount' | 'adaptStart' | 'adaptResume' | 'adaptSaved' | 'adaptDiscardSaved' | 'adaptCancel' | 'adaptQuery' | 'adaptExportPeft' | 'adaptExportMerged' | 'adaptLoadPeft'
>;

/**
 * Kept outside the state on purpose: a comlink proxy in state would leak into
 * `window.__RANKPLAY__.getState()` and answer every property access (even `then`) with a new proxy.
 */
export interface WorkerLink {
  commands: WorkerCommands | null;
}

export type NoticeLevel = 'info' | 'warning' | 'error';

export interface Notice {
  id: number;
  level: NoticeLevel;
  message: string;
}

export interface NoticesSlice {
  notices: Notice[];
  pushNotice(level: NoticeLevel, message: string): void;
  dismissNotice(id: number): void;
}

export type ConfigMutator = (draft: ExperimentConfig) => ExperimentConfig | void;

export interface ConfigSlice {
  config: ExperimentConfig;
  /** Applies a change to a copy of the config; valid → URL + worker reload, invalid → notice, old config kept. */
  updateConfig(mutator: ConfigMutator): ConfigResult;
  /** Adopts an already validated config (boot, a pasted link) and reloads the run. */
  replaceConfig(config: ExperimentConfig): void;
}

export interface RunSlice {
  runState: RunState;
  step: number;
  maxSteps: number;
  rankerIds: string[];
  points: MetricPoint[];
  reference: ReferenceLines | null;
  summary: DatasetSummary | null;
  /** Worker-measured cumulative training + evaluation time at each point, parallel to `points`. */
  pointElapsedMs: number[];
  /** A load was sent and its 'loaded' event has not arrived yet. */
  loading: boolean;
  play(): void;
  pause(): void;
  stepOnce(): void;
  reset(): void;
  /** The current run's test-split TREC runs, qrels and ranker weights, for the Export menu. */
  exportRunFiles(): Promise<RunFilesOutcome>;
}

export interface BackendSlice {
  backend: BackendStatus | null;
  requestedBackend: BackendName | null;
  /** A switch was asked for and the worker has not answered yet. */
  switchingBackend: boolean;
  chooseBackend(requested: BackendName | null): void;
}

export interface LifecycleSlice {
  /** Boot calls this once the worker is initialised; commands sent before are not possible. */
  attachWorker(commands: WorkerCommands): void;
  /** Folds one worker event into the state. */
  applyWorkerEvent(event: WorkerEvent): void;
}

/** How the last data load failed (or was cancelled); cleared when the next one starts. */
export type LoadFailure = Extract<LoadOutcome, { ok: false }>;

export interface DatasetsSlice {
  /** The data sets this browser holds, newest first as the worker lists them. */
  datasets: DatasetInfo[];
  /** The worker has said what it holds at least once (until then, "not in this browser" is unknown). */
  datasetsKnown: boolean;
  /** The latest progress of the load in flight; null when none is. */
  loadProgress: LoadProgressEvent | null;
  loadError: LoadFailure | null;
  /** A loadFiles / loadUrl call is in flight. */
  dataLoading: boolean;
  /** The data set whose summary is shown (null: the one in use, else the newest). */
  shownDatasetId: string | null;
  /** Skip malformed lines (and report them) instead of stopping at the first. */
  skipBadLines: boolean;
  setSkipBadLines(skip: boolean): void;
  loadFiles(files: File[]): void;
  loadUrl(url: string): void;
  /**
   * The config trains on a link's stored set that this browser does not hold yet (it has a
   * source: bundled, URL, or files by SHA-256); the run is loaded once the data is here.
   */
  dataWaiting: boolean;
  /** Loads a bundled set (unless already here) and trains on it. */
  useBundled(name: BundledSetName): void;
  /** Fetches a waiting link's data from its bundled name or URL. */
  fetchLinkedData(): void;
  /** The visitor's files for a waiting link: loaded only if their SHA-256 match the link's. */
  supplyLinkedFiles(files: File[]): void;
  /** The same two for a link's text corpus (`linkedCorpus`, share-slice.ts). */
  supplyLinkedCorpusFiles(files: File[]): void;
  fetchLinkedCorpus(): void;
  cancelLoad(): void;
  /** Asks the worker what it holds (once at boot; later changes arrive as 'datasets' events). */
  refreshDatasets(): void;
  deleteDataset(id: string): void;
  showDataset(id: string): void;
  /** Trains on a stored feature set: config.data becomes {kind: 'stored', …}. */
  useDataset(id: string): void;
  /** Back to generated data, with the synthetic settings used last in this tab. */
  useSynthetic(): void;
  dismissLoadError(): void;
}

/** The click panel's settings: the schema, type and defaults live in core (links carry them). */
export type { ClickForm } from '../../core/share/panel-forms';

/** `true` only when A and B are the same type (the core forms' enums must match the worker's). */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export const FORM_TYPES_AGREE: Same<ClickForm['policy'], ClickPolicyName> & Same<ClickForm['model'], ClickModelName> & Same<TextForm['split'], TextSplit> = true;

export interface ClicksSlice {
  clickForm: ClickForm;
  /** The last successful simulation (kept when a later one fails). */
  clickResult: ClickSimResult | null;
  /** The worker's message for the last failed simulation. */
  clickError: string | null;
  clickRunning: boolean;
  /** The running simulation's latest progress (null when none runs, or before its first report). */
  clickProgress: ClickProgressEvent | null;
  /** The last run was cancelled (the result before it stays). */
  clickCancelled: boolean;
  setClickForm(change: Partial<ClickForm>): void;
  simulateClicks(): void;
  /** Asks the worker to stop the simulation in flight; its outcome then says cancelled. */
  cancelClicks(): void;
}

export type RankPlayState = NoticesSlice & ConfigSlice & RunSlice & BackendSlice & LifecycleSlice & DatasetsSlice & ClicksSlice & ClickLogsSlice & CompareSlice & InspectSlice & TextSlice & AdaptSlice & ShareSlice & HistorySlice;
