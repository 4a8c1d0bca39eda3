import * as tf from '@tensorflow/tfjs-core';
import type { Tokenizer } from '@huggingface/tokenizers';
import { AdaptRun } from '../core/text/adapt/run';
import { trecNdcg } from '../core/text/adapt/score';
import type { AdaptCheckpoint, AdaptData, AdaptSummary, AdaptTrainConfig } from '../core/text/adapt/types';
import type { AdaptationConfig } from '../core/text/lora/adaptation';
import { adaptationCount, adaptationFactory, availableAdaptations } from '../core/text/lora/adaptations';
import { LORA_TARGETS, loraVariables } from '../core/text/lora/lora';
import { importPeftAdapter } from '../core/text/lora/peft';
import { bertConfigFromJson, type BertConfig } from '../core/text/model/config';
import { exportBertOnnx } from '../core/text/model/onnx-export';
import { weightsToParams, type BertParams } from '../core/text/model/params';
import { writeSafetensors } from '../core/text/model/safetensors';
import { parseAdapterConfig, pickAdapterFiles, PEFT_CONFIG, PEFT_WEIGHTS, renameInMessage, zipFiles } from './adapt-files';
import { loadBaseModel, openAdaptCollection, splitCollection, type AdaptCollection, type AdaptSplit, type BaseModel } from './adapt-data';
import { openAdaptRunStore, type AdaptRunStore } from './adapt-store';
import type {
  AdaptCountOutcome,
  AdaptLoadOutcome,
  AdaptLoadRequest,
  AdaptMethods,
  AdaptMergedOutcome,
  AdaptPeftOutcome,
  AdaptProgressEvent,
  AdaptQueryOutcome,
  AdaptRunInfo,
  AdaptRunOutcome,
  AdaptSavedInfo,
  AdaptSource,
  AdaptStartRequest,
  RankSweepPoint,
} from './adapt-types';
import type { Fetcher } from './text-corpus';
import type { TextListRow } from './text-types';

/** What the service uses of a training run (AdaptRun); tests can pass a stand-in. */
export type AdaptTrainer = Pick<AdaptRun, 'adaptation' | 'count' | 'stopped' | 'done' | 'evaluationDue' | 'step' | 'evaluate' | 'restoreBest' | 'rerank' | 'snapshot' | 'history' | 'summary' | 'dispose'>;

export interface AdaptTrainerFactory {
  create(c: BertConfig, base: BertParams, tokenizer: Tokenizer, data: AdaptData, cfg: AdaptTrainConfig): Promise<AdaptTrainer>;
  resume(c: BertConfig, base: BertParams, tokenizer: Tokenizer, data: AdaptData, cfg: AdaptTrainConfig, checkpoint: AdaptCheckpoint): Promise<AdaptTrainer>;
}

export const adaptRunFactory: AdaptTrainerFactory = {
  create: (c, base, tokenizer, data, cfg) => AdaptRun.create(c, base, tokenizer, data, cfg),
  resume: (c, base, tokenizer, data, cfg, checkpoint) => AdaptRun.resume(c, base, tokenizer, data, cfg, checkpoint),
};

export interface AdaptServiceDeps {
  fetcher?: Fetcher;
  trainer?: AdaptTrainerFactory;
  store?: () => Promise<AdaptRunStore>;
}

/** The run whose adapter the lists, downloads and round trip refer to. */
interface CurrentRun {
  info: AdaptRunInfo;
  cfg: AdaptTrainConfig;
  source: AdaptSource;
  run: AdaptTrainer;
  split: AdaptSplit;
  collection: AdaptCollection;
  model: BaseModel;
  summary: AdaptSummary | null;
}

/** Rows per list in the before/after view. */
const LIST_ROWS = 10;
const SNIPPET_WORDS = 18;

const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));
/** setTimeout, not a microtask: a Cancel message must get its turn between training steps. */
const yieldToMessages = () => new Promise<void>((resolve) => setTimeout(resolve, 0));
const snippet = (text: string) => {
  const words = text.split(/\s+/).filter(Boolean);
  return words.length > SNIPPET_WORDS ? `${words.slice(0, SNIPPET_WORDS).join(' ')} …` : words.join(' ');
};

/**
 * "Adapt the reranker": fine-tunes the demo cross-encoder on the user's queries (labels or simulated
 * clicks), validating as it goes, saving a checkpoint at each validation, and hands out the adapter
 * (PEFT) or the merged model. One run at a time; the latest run stays loaded for its lists and files.
 */
export class AdaptService {
  private collection: AdaptCollection | null = null;
  private model: BaseModel | null = null;
  private params: { key: string; params: Map<string, tf.Tensor> } | null = null;
  private configs = new Map<string, BertConfig>();
  private current: CurrentRun | null = null;
  private running: AbortController | null = null;
  private storePromise: Promise<AdaptRunStore> | null = null;
  private readonly fetcher: Fetcher;
  private readonly trainer: AdaptTrainerFactory;
  private runNo = 0;

  constructor(
    private readonly emit: (event: AdaptProgressEvent) => void,
    private readonly deps: AdaptServiceDeps = {},
  ) {
    this.fetcher = deps.fetcher ?? ((url, init) => fetch(url, init));
    this.trainer = deps.trainer ?? adaptRunFactory;
  }

  private store(): Promise<AdaptRunStore> {
    this.storePromise ??= (this.deps.store ?? openAdaptRunStore)();
    return this.storePromise;
  }

  methods(): AdaptMethods {
    return {
      methods: availableAdaptations().map((kind) => {
        const f = adaptationFactory(kind);
        return { kind, label: f.label, summary: f.summary };
      }),
      targets: [...LORA_TARGETS],
    };
  }

  /** Trainable parameters of a method on the model, before anything is built (needs only config.json). */
  async count(ac: AdaptationConfig, modelBase: string): Promise<AdaptCountOutcome> {
    try {
      let c = this.configs.get(modelBase);
      if (!c) {
        const response = await this.fetcher(new URL('config.json', modelBase).href);
        if (!response.ok) throw new Error(`could not fetch ${modelBase}config.json: HTTP ${response.status}`);
        c = bertConfigFromJson(await response.json());
        this.configs.set(modelBase, c);
      }
      return { ok: true, count: adaptationCount(ac, c) };
    } catch (e) {
      return { ok: false, error: errorText(e) };
    }
  }

  cancel(): void {
    this.running?.abort();
  }

  private async prepare(source: AdaptSource, seed: number, signal: AbortSignal, runId: string) {
    const phase = (label: string) => this.emit({ type: 'adapt-phase', runId, label });
    if (this.collection?.key !== `demo:${source.corpusBase}`) {
      phase('Opening the demo corpus and retrieving BM25 candidates');
      this.collection = await openAdaptCollection(source.corpusBase, this.fetcher, signal);
    }
    if (this.model?.base !== source.modelBase) {
      phase('Loading the cross-encoder (safetensors, tokenizer)');
      this.model = await loadBaseModel(source.modelBase, this.fetcher, signal);
    }
    // Tensors belong to a backend: after a backend switch the base goes up again.
    const key = `${source.modelBase} ${tf.getBackend()}`;
    if (this.params?.key !== key) {
      if (this.params) tf.dispose([...this.params.params.values()]);
      this.params = { key, params: weightsToParams(this.model.config, this.model.weights) };
    }
    return { collection: this.collection, model: this.model, params: this.params.params, split: splitCollection(this.collection, seed) };
  }

  private replaceCurrent(next: CurrentRun | null): void {
    if (this.current && this.current.run !== next?.run) this.current.run.dispose();
    this.current = next;
  }

  /** Trains a new run from the base model. */
  start(req: AdaptStartRequest): Promise<AdaptRunOutcome> {
    return this.train(req.cfg, { corpusBase: req.corpusBase, modelBase: req.modelBase }, req.label, null, req.runId);
  }

  /** Continues the run saved in this browser from its last validation. */
  async resume(): Promise<AdaptRunOutcome> {
    const saved = await (await this.store()).get().catch(() => undefined);
    if (!saved) return { ok: false, cancelled: false, error: 'there is no saved adaptation run in this browser to resume' };
    return this.train(saved.cfg, saved.source, saved.label, saved.checkpoint, saved.runId);
  }

  /** The saved run, for the "Resume from step N" offer (null when none, or it had finished). */
  async saved(): Promise<AdaptSavedInfo | null> {
    try {
      const s = await (await this.store()).get();
      if (!s) return null;
      const { checkpoint: _checkpoint, ...info } = s;
      return info;
    } catch {
      return null;
    }
  }

  async discardSaved(): Promise<void> {
    await (await this.store()).clear().catch(() => {});
  }

  private async train(cfg: AdaptTrainConfig, source: AdaptSource, label: string, checkpoint: AdaptCheckpoint | null, resumeId?: string): Promise<AdaptRunOutcome> {
    if (this.running) return { ok: false, cancelled: false, error: 'an adaptation is already running: cancel it first' };
    const abort = new AbortController();
    this.running = abort;
    const runId = resumeId ?? `adapt-${Date.now().toString(36)}-${++this.runNo}`;
    let cur: CurrentRun | null = null;
    try {
      const { collection, model, params, split } = await this.prepare(source, cfg.seed, abort.signal, runId);
      this.emit({ type: 'adapt-phase', runId, label: checkpoint ? `Resuming from step ${checkpoint.step}` : 'Building the adapter' });
      // The previous run's adapter goes only once the new one can be built: a bad config keeps it.
      const run = checkpoint
        ? await this.trainer.resume(model.config, params, model.tokenizer, split.data, cfg, checkpoint)
        : await this.trainer.create(model.config, params, model.tokenizer, split.data, cfg);
      const info: AdaptRunInfo = { runId, label, kind: cfg.adaptation.kind, count: run.count, data: split.info, fromStep: checkpoint?.step ?? 0 };
      cur = { info, cfg, source, run, split, collection, model, summary: null };
      this.replaceCurrent(cur);
      await this.loop(cur, abort.signal);
      await run.restoreBest();
      const summary = await run.summary();
      cur.summary = summary;
      const rankSweep = abort.signal.aborted ? null : await this.rankSweep(run);
      const ended = abort.signal.aborted ? 'cancelled' : run.stopped ? 'early-stopping' : 'done';
      // A finished run needs no resuming; a cancelled one can be continued after a reload.
      if (ended !== 'cancelled') await this.discardSaved();
      return { ok: true, info, summary, ended, rankSweep };
    } catch (e) {
      if (cur) await cur.run.restoreBest().catch(() => {});
      if (abort.signal.aborted && !cur) return { ok: false, cancelled: true, error: 'the adaptation was cancelled' };
      return { ok: false, cancelled: false, error: errorText(e) };
    } finally {
      this.running = null;
    }
  }

  private async loop(cur: CurrentRun, signal: AbortSignal): Promise<void> {
    const { run, info } = cur;
    let profiled = false;
    const validate = async () => {
      // One tf.profile of a training step is enough for the peak-memory figure; it costs a step's time.
      const profile = !profiled && run.history.steps.length > 0;
      const report = await run.evaluate({ profile });
      profiled ||= profile;
      this.emit({ type: 'adapt-eval', runId: info.runId, report });
      await this.save(cur).catch(() => {});
    };
    if (run.evaluationDue) await validate();
    while (!run.done && !signal.aborted) {
      const report = await run.step();
      this.emit({ type: 'adapt-step', runId: info.runId, report });
      if (run.evaluationDue) await validate();
      await yieldToMessages();
    }
  }

  private async save(cur: CurrentRun): Promise<void> {
    const checkpoint = await cur.run.snapshot();
    const { steps, evals } = cur.run.history;
    await (await this.store()).put({
      runId: cur.info.runId,
      label: cur.info.label,
      step: checkpoint.step,
      steps: cur.cfg.steps,
      savedAt: Date.now(),
      cfg: cur.cfg,
      source: cur.source,
      stepReports: [...steps],
      evalReports: [...evals],
      checkpoint,
    });
  }

  /** DyLoRA: nDCG@10 with the adapter cut to each rank it can run at. */
  private async rankSweep(run: AdaptTrainer): Promise<RankSweepPoint[] | null> {
    const report = await run.adaptation.report();
    const set = run.adaptation.setInferenceRank?.bind(run.adaptation);
    if (!report.inferenceRanks?.length || !set) return null;
    const points: RankSweepPoint[] = [];
    try {
      for (const rank of report.inferenceRanks) {
        set(rank);
        points.push({ rank, ndcg10: (await run.evaluate({ track: false })).ndcg10 });
      }
    } finally {
      set(null);
    }
    return points;
  }

  /** Validation query `index` ranked by the base model and by the adapted one, with grades. */
  async query(index: number): Promise<AdaptQueryOutcome> {
    const cur = this.current;
    if (!cur) return { ok: false, error: 'train an adapter first' };
    const q = cur.split.data.validation[index];
    if (!q) return { ok: false, error: `there is no validation query ${index} (there are ${cur.split.data.validation.length})` };
    try {
      const depth = cur.cfg.rerankDepth;
      const docs = cur.collection.docs;
      const grades = new Map(q.judged.map((j) => [j.passage, j.label]));
      const bm25Rank = new Map(q.candidates.map((p, i) => [p, i + 1]));
      const rows = (ranked: { passage: number; score: number }[]): TextListRow[] =>
        ranked.slice(0, LIST_ROWS).map((r, i) => ({
          rank: i + 1,
          docId: docs.id(r.passage),
          title: docs.title ? docs.title(r.passage) : '',
          snippet: snippet(docs.text(r.passage)),
          label: grades.get(r.passage) ?? null,
          score: r.score,
          bm25Rank: bm25Rank.get(r.passage) ?? 0,
        }));
      const base = await cur.run.rerank(q, depth, { base: true });
      const adapted = await cur.run.rerank(q, depth);
      const ndcg = (ranked: { passage: number }[]) => trecNdcg(ranked.map((r) => r.passage), q.judged, 10);
      return {
        ok: true,
        view: { index, id: q.id, text: q.query, base: { rows: rows(base), ndcg10: ndcg(base) }, adapted: { rows: rows(adapted), ndcg10: ndcg(adapted) } },
      };
    } catch (e) {
      return { ok: false, error: errorText(e) };
    }
  }

  /** adapter_config.json + adapter_model.safetensors of the latest run (its best weights). */
  async exportPeft(): Promise<AdaptPeftOutcome> {
    const cur = this.current;
    if (!cur) return { ok: false, error: 'train an adapter first: there is nothing to download' };
    const a = cur.run.adaptation;
    if (!a.exportPeft) {
      const label = adaptationFactory(cur.cfg.adaptation.kind).label;
      return { ok: false, error: `${label} cannot be saved as a PEFT LoRA adapter (PEFT has no layout for it): download the merged model instead` };
    }
    try {
      const files = await a.exportPeft({ baseModelNameOrPath: 'rankplay-demo-cross-encoder' });
      const configJson = `${JSON.stringify(files.config, null, 2)}\n`;
      const zip = zipFiles({ [PEFT_CONFIG]: new TextEncoder().encode(configJson), [PEFT_WEIGHTS]: files.safetensors });
      return { ok: true, configJson, safetensors: files.safetensors, zip, fileName: 'rankplay-lora-adapter.zip' };
    } catch (e) {
      return { ok: false, error: errorText(e) };
    }
  }

  /** The base with the adapter folded in (merge_and_unload), as a model folder: ONNX, safetensors, config, tokenizer. */
  async exportMerged(): Promise<AdaptMergedOutcome> {
    const cur = this.current;
    if (!cur) return { ok: false, error: 'train an adapter first: there is nothing to download' };
    try {
      const merged = await cur.run.adaptation.merge(cur.model.weights);
      const safetensors = writeSafetensors(merged);
      const onnx = exportBertOnnx(cur.model.config, merged);
      const zip = zipFiles({ ...cur.model.files, 'model.safetensors': safetensors, 'onnx/model.onnx': onnx });
      return { ok: true, onnx, safetensors, zip, fileName: 'rankplay-merged-cross-encoder.zip' };
    } catch (e) {
      return { ok: false, error: errorText(e) };
    }
  }

  /**
   * Loads a PEFT LoRA adapter and measures validation nDCG@10 with it. The adapter's values go into
   * a fresh run's LoRA variables, so it is scored by the very code that validated the trained run:
   * the same adapter gives the same number, bit for bit.
   */
  async loadPeft(req: AdaptLoadRequest): Promise<AdaptLoadOutcome> {
    if (this.running) return { ok: false, error: 'an adaptation is running: wait for it or cancel it first' };
    const abort = new AbortController();
    this.running = abort;
    let picked: Awaited<ReturnType<typeof pickAdapterFiles>> | null = null;
    let probe: AdaptTrainer | null = null;
    try {
      picked = await pickAdapterFiles(req.files);
      const json = parseAdapterConfig(picked);
      const cur = this.current;
      const source = cur?.source ?? req;
      const cfg = cur?.cfg ?? req.cfg;
      const { model, params, split } = await this.prepare(source, cfg.seed, abort.signal, 'load');
      const adapters = importPeftAdapter(json, picked.weights, model.config);
      try {
        const lc = adapters.config;
        const ac: AdaptationConfig = { ...cfg.adaptation, kind: 'lora', r: lc.r, alpha: lc.alpha, dropout: lc.dropout, targetModules: [...lc.targetModules] };
        probe = await this.trainer.create(model.config, params, model.tokenizer, split.data, { ...cfg, adaptation: ac, steps: 0 });
        const baseNdcg10 = (await probe.evaluate()).ndcg10;
        const from = loraVariables(adapters);
        const to = probe.adaptation.variables;
        if (from.length !== to.length) throw new Error(`the adapter has ${from.length / 2} LoRA modules, the model expects ${to.length / 2}`);
        to.forEach((v, i) => v.assign(from[i]));
        const ndcg10 = (await probe.evaluate()).ndcg10;
        return {
          ok: true,
          ndcg10,
          baseNdcg10,
          trainedNdcg10: cur?.summary?.best.ndcg10 ?? null,
          r: lc.r,
          alpha: lc.alpha,
          targetModules: [...lc.targetModules],
          count: probe.count,
        };
      } finally {
        tf.dispose(loraVariables(adapters));
      }
    } catch (e) {
      const message = errorText(e);
      return { ok: false, error: picked ? renameInMessage(message, picked) : message };
    } finally {
      probe?.dispose();
      this.running = null;
    }
  }
}
