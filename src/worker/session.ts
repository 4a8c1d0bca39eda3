import { destroyWebGpuDevice, startBackend, watchDeviceLoss, type WasmLocator } from '../compute/backends';
import type { BackendName, BackendStatus } from '../compute/types';
import type { ExperimentConfig } from '../core/experiment/config';
import { ExperimentRun } from '../core/experiment/runner';
import { checkpointKey, RunCheckpoints, savedAgo } from './run-checkpoints';
import type { SavedRun } from './checkpoint-store';
import { RunHistory } from './run-history';
import { exportRunFiles } from './run-files';
import { DatasetService } from './datasets';
import { backgroundHasher } from './file-hasher';
import { CompareService, type CompareOutcome, type CompareRequest } from './compare';
import type { QueryInspection } from '../core/experiment/run-inspect';
import { ClickLogService, type ClickLogFitOptions, type ClickLogFitOutcome } from './click-logs';
import { blobSource, scanNewlines } from '../core/data/parse/stream';
import type { EventSink, LoadOptions, LoadOutcome, RankPlayWorkerApi, RunState, WorkerEvent } from './protocol';
import type { DatasetInfo } from '../core/data/library';
import type { RankingDataset } from '../core/data/dataset';
import { generateSynthetic } from '../core/data/synthetic';
import { splitByQuery } from '../core/data/split';
import { ClickPanelService, type ClickSimOutcome, type ClickSimRequest } from './clicks';
import { TextService } from './text';
import { AdaptService } from './adapt';
import type { AdaptLoadRequest, AdaptStartRequest } from './adapt-types';
import type { AdaptationConfig } from '../core/text/lora/adaptation';
import type { TextBm25Request, TextRerankRequest } from './text-types';

/** Lets queued messages (pause, cancel) in between training steps, without setTimeout's 4 ms clamp. */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

/** Pause and step answer within this long while playing; yielding after every step costs speed. */
const YIELD_EVERY_MS = 8;

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * The experiment session inside the worker: one backend, one run, a play loop. Every public
 * method is safe to call in any state; a reload or backend switch bumps `generation`, which
 * stops a loop that belongs to an older run.
 */
export class Session implements RankPlayWorkerApi {
  private sink: EventSink = () => {};
  private status: BackendStatus | null = null;
  private config: ExperimentConfig | null = null;
  private run: ExperimentRun | null = null;
  private state: RunState = 'idle';
  private readonly checkpoints = new RunCheckpoints();
  private readonly history = new RunHistory(this.checkpoints, (e) => this.emit(e));
  private generation = 0;
  private lostBackends: BackendName[] = [];
  private readonly datasets = new DatasetService((e) => this.emit(e), backgroundHasher());
  private readonly clickLogs = new ClickLogService((e) => this.emit(e));
  private readonly clickPanel = new ClickPanelService((e) => this.emit(e));
  private readonly comparisons = new CompareService(
    (e) => this.emit(e),
    (config) => (config.data.kind === 'stored' ? this.storedSplits(config.data.id, config.data.name) : Promise.resolve(undefined)),
  );

  // The cross-encoder runtime (onnxruntime-web) loads only when a text step first needs it.
  private readonly text = new TextService((e) => this.emit(e), { runtime: () => import('../compute/cross-encoder'), storedParts: (id) => this.datasets.textParts(id) });

  // Adapting the reranker trains with tfjs on this session's backend.
  private readonly adapt = new AdaptService((e) => this.emit(e));

  constructor(private readonly locateWasm?: WasmLocator) {}

  private emit(event: WorkerEvent): void {
    this.sink(event);
  }

  private setState(state: RunState): void {
    this.state = state;
    this.emit({ type: 'state', state, step: this.run?.step ?? 0 });
  }

  async init(requested: BackendName | null, sink: EventSink): Promise<BackendStatus> {
    this.sink = sink;
    return this.setBackend(requested);
  }

  async setBackend(requested: BackendName | null): Promise<BackendStatus> {
    return this.switchBackend(requested, true);
  }

  /** `saveOutgoing` is false when the device is gone: its values can no longer be read. */
  private async switchBackend(requested: BackendName | null, saveOutgoing: boolean): Promise<BackendStatus> {
    this.generation++;
    // Read back before the backend changes under the outgoing run's tensors.
    await this.disposeRun(saveOutgoing);
    const status = await startBackend({
      requested,
      locateWasm: this.locateWasm,
      exclude: this.lostBackends,
      capabilities: this.status?.capabilities,
    });
    this.status = status;
    this.emit({ type: 'backend', status });
    if (status.failures.length) {
      this.emit({ type: 'notice', level: 'warning', message: `Backend fallback: ${status.failures.join('; ')}. Running on ${status.active}.` });
    }
    watchDeviceLoss((reason) => void this.onDeviceLost(reason));
    if (this.config) await this.load(this.config);
    return status;
  }

  private async onDeviceLost(reason: string): Promise<void> {
    this.lostBackends.push('webgpu');
    this.emit({
      type: 'notice',
      level: 'warning',
      message: `The GPU device was lost (${reason}). Switching to the next backend; the run restarts from step 0 with the same seed.`,
    });
    try {
      await this.switchBackend(null, false);
    } catch (e) {
      this.emit({ type: 'notice', level: 'error', message: `Could not recover from the lost GPU device: ${message(e)}` });
    }
  }

  /**
   * Drops the current run, first checkpointing progress not saved yet (a config or backend change
   * keeps the run to come back to). The snapshot is taken at once; the promise settles once it has
   * been read back.
   */
  private disposeRun(save: boolean): Promise<void> {
    const run = this.run;
    this.run = null;
    if (!run) return Promise.resolve();
    const saved = save && this.state !== 'error' ? this.history.save(run, this.checkpointKey()) : Promise.resolve();
    // The snapshot holds its own references to the values, so the run can go now.
    run.dispose();
    return saved;
  }

  /** Where the current config's run is saved on the current backend. */
  private checkpointKey(): string | null {
    return this.config && this.status ? checkpointKey(this.config, this.status.active) : null;
  }

  async load(config: ExperimentConfig): Promise<void> {
    return this.open(config, true);
  }

  private async open(config: ExperimentConfig, resume: boolean): Promise<void> {
    const generation = ++this.generation;
    // Its save is queued before the lookup below, which then sees it (the same config loaded again).
    const outgoing = this.disposeRun(resume);
    this.config = config;
    this.history.start();
    try {
      await outgoing;
      const stored = config.data.kind === 'stored' ? await this.storedSplits(config.data.id, config.data.name) : undefined;
      if (generation !== this.generation) return;
      const key = this.checkpointKey();
      let saved = resume && key ? await this.checkpoints.find(key).catch(() => undefined) : undefined;
      if (generation !== this.generation) return;
      let run = ExperimentRun.create(config, stored);
      if (saved) {
        // Not this.run until restored: no step or play may touch a half-restored run.
        try {
          await run.restore(saved.checkpoint);
        } catch (e) {
          // A failed restore may have changed part of the run: start from a new one.
          run.dispose();
          if (generation !== this.generation) return;
          this.emit({ type: 'notice', level: 'warning', message: `The saved run could not be resumed (${message(e)}); starting again from step 0.` });
          if (key) void this.checkpoints.discard(key);
          run = ExperimentRun.create(config, stored);
          saved = undefined;
        }
        if (generation !== this.generation) return run.dispose();
      }
      this.run = run;
      if (saved) return this.resumed(run, saved);
      this.emitLoaded(run);
      this.history.record(await run.evaluate());
      this.setState('idle');
    } catch (e) {
      if (generation === this.generation) this.fail(e);
    }
  }

  /** Shows a restored run as it was saved: its history for the charts, paused where it stopped. */
  private resumed(run: ExperimentRun, saved: SavedRun): void {
    this.emitLoaded(run);
    this.history.resume(run, saved);
    this.emit({ type: 'notice', level: 'info', message: `Resumed from step ${run.step} (saved ${savedAgo(saved.savedAt)}). Reset starts again from step 0.` });
    this.setState(run.done ? 'done' : 'paused');
  }

  private emitLoaded(run: ExperimentRun): void {
    this.emit({ type: 'loaded', run: { rankerIds: run.rankerIds, maxSteps: run.config.train.maxSteps, summary: run.summary, reference: run.reference } });
  }

  private fail(e: unknown): void {
    this.emit({ type: 'notice', level: 'error', message: `The run stopped: ${message(e)}` });
    this.setState('error');
  }

  async play(): Promise<void> {
    if (!this.run || this.state === 'playing' || this.state === 'done' || this.state === 'error') return;
    this.setState('playing');
    void this.loop(this.generation, this.run);
  }

  async pause(): Promise<void> {
    if (this.state === 'playing') this.setState('paused');
  }

  async step(): Promise<void> {
    const run = this.run;
    if (!run || run.done || this.state === 'error') return;
    if (this.state === 'playing') this.setState('paused');
    const generation = this.generation;
    try {
      const t0 = performance.now();
      run.trainStep();
      const point = await run.evaluate();
      if (generation !== this.generation) return;
      this.history.elapsedMs += performance.now() - t0;
      this.history.record(point);
      this.setState(run.done ? 'done' : 'paused');
      // Steps by hand are few and deliberate: keep each one.
      void this.history.save(run, this.checkpointKey());
    } catch (e) {
      if (generation === this.generation) this.fail(e);
    }
  }

  /** Back to step 0: the run's checkpoint is discarded, so a reload starts from 0 too. */
  async reset(): Promise<void> {
    const config = this.config;
    const key = this.checkpointKey();
    if (!config) return;
    if (key) void this.checkpoints.discard(key);
    await this.open(config, false);
  }

  async compareEstimators(config: ExperimentConfig, req: CompareRequest): Promise<CompareOutcome> {
    // The comparison trains on the same device as the live run: pause that one first.
    if (this.state === 'playing') this.setState('paused');
    return this.comparisons.compare(config, req);
  }

  async cancelCompare(): Promise<void> {
    this.comparisons.cancel();
  }

  async inspectQuery(split: 'train' | 'test', query: number): Promise<{ ok: true; inspection: QueryInspection } | { ok: false; error: string }> {
    if (!this.run) return { ok: false, error: 'no experiment is loaded yet' };
    try {
      return { ok: true, inspection: await this.run.inspect(split, query) };
    } catch (e) {
      return { ok: false, error: message(e) };
    }
  }

  exportRunFiles = () => exportRunFiles(this.run, (id, name) => this.storedSplits(id, name));

  private async storedSplits(id: string, name: string) {
    const splits = await this.datasets.featureSplits(id);
    if (!splits) {
      throw new Error(`the data set "${name}" is not in this browser (deleted, or the link comes from another browser): load its files, then choose Use`);
    }
    return splits;
  }

  loadFiles = (files: File[], options: LoadOptions): Promise<LoadOutcome> => this.datasets.loadFiles(files, options);
  loadUrl = (url: string, options: LoadOptions): Promise<LoadOutcome> => this.datasets.loadUrl(url, options);
  loadBundled = (name: string, base: string, options: LoadOptions) => this.datasets.loadBundled(name, base, options);
  cancelLoad = async (): Promise<void> => this.datasets.cancel();
  listDatasets = (): Promise<DatasetInfo[]> => this.datasets.list();
  deleteDataset = (id: string): Promise<void> => this.datasets.delete(id);

  async simulateClicks(req: ClickSimRequest): Promise<ClickSimOutcome> {
    const config = this.config;
    if (!config) return { ok: false, error: 'no experiment is loaded yet' };
    let ds: RankingDataset;
    let name: string;
    try {
      const data = config.data;
      if (data.kind === 'synthetic') {
        ds = splitByQuery(generateSynthetic(data, config.seed), data.testFraction, config.seed).train;
        name = 'synthetic data (training split)';
      } else {
        const stored = await this.storedSplits(data.id, data.name);
        if (!stored.train) throw new Error(`the data set "${data.name}" has no training split in this browser`);
        ds = stored.train;
        name = `${data.name} (training split)`;
      }
    } catch (e) {
      return { ok: false, error: message(e) };
    }
    return this.clickPanel.run(ds, name, req);
  }
  cancelClicks = async () => this.clickPanel.cancel();

  fitClickLog(files: File[], options: ClickLogFitOptions): Promise<ClickLogFitOutcome> {
    return this.clickLogs.fit(files, options);
  }

  async cancelClickLogFit(): Promise<void> {
    this.clickLogs.cancel();
  }

  textBm25 = (req: TextBm25Request) => this.text.bm25(req);
  textRerank = (req: TextRerankRequest) => this.text.rerank(req);
  textQuery = async (index: number) => this.text.query(index);
  textExportRun = async (which: 'bm25' | 'rerank') => this.text.exportRun(which);
  textCancel = async () => this.text.cancel();
  textModelCacheSize = () => this.text.cacheSize();
  textClearModelCache = () => this.text.clearCache();

  adaptMethods = async () => this.adapt.methods();
  adaptCount = (ac: AdaptationConfig, modelBase: string) => this.adapt.count(ac, modelBase);
  adaptStart = (req: AdaptStartRequest) => this.adapt.start(req);
  adaptResume = () => this.adapt.resume();
  adaptSaved = () => this.adapt.saved();
  adaptDiscardSaved = () => this.adapt.discardSaved();
  adaptCancel = async () => this.adapt.cancel();
  adaptQuery = (index: number) => this.adapt.query(index);
  adaptExportPeft = () => this.adapt.exportPeft();
  adaptExportMerged = () => this.adapt.exportMerged();
  adaptLoadPeft = (req: AdaptLoadRequest) => this.adapt.loadPeft(req);

  scanFile(file: Blob): Promise<{ bytes: number; ms: number; lines: number }> {
    return scanNewlines(blobSource(file, 'scan'));
  }

  /** Loaded on demand: onnxruntime stays out of the worker's first chunk. */
  rerankParityForTesting: RankPlayWorkerApi['rerankParityForTesting'] = async (...a) => (await import('./rerank-hooks')).rerankParity(...a);
  rerankBenchForTesting: RankPlayWorkerApi['rerankBenchForTesting'] = async (...a) => (await import('./rerank-hooks')).rerankBench(...a);

  adaptBenchForTesting: RankPlayWorkerApi['adaptBenchForTesting'] = async (opts) => {
    await this.pause(); // the live run would otherwise train on the bench's backends
    return (await import('./adapt-hooks')).adaptBench(opts, this.locateWasm, this.status?.capabilities);
  };

  async loseDeviceForTesting(): Promise<boolean> {
    return destroyWebGpuDevice();
  }

  private async loop(generation: number, run: ExperimentRun): Promise<void> {
    const live = () => generation === this.generation && this.state === 'playing';
    let lastYield = performance.now();
    try {
      while (live() && !run.done) {
        const t0 = performance.now();
        run.trainStep();
        if (run.isEvaluationStep()) {
          const point = await run.evaluate();
          if (generation !== this.generation) return;
          this.history.elapsedMs += performance.now() - t0;
          this.history.record(point);
          this.emit({ type: 'state', state: this.state, step: run.step });
          this.history.saveIfDue(run, this.checkpointKey());
        } else {
          this.history.elapsedMs += performance.now() - t0;
        }
        // Reading results back can resolve as a microtask (cpu, wasm), which lets no message in:
        // yield on the clock, whichever kind of step this was.
        if (performance.now() - lastYield >= YIELD_EVERY_MS) {
          await yieldToEventLoop();
          lastYield = performance.now();
        }
      }
      if (generation !== this.generation) return;
      if (run.done) this.setState('done');
      // Finished or paused: either way the place to come back to.
      if (run.done || this.state === 'paused') void this.history.save(run, this.checkpointKey());
    } catch (e) {
      if (generation === this.generation) this.fail(e);
    }
  }
}
