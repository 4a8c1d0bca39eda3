import type { AdaptEvalReport, AdaptStepReport, AdaptSummary, AdaptTrainConfig } from '../core/text/adapt/types';
import type { AdaptationKind, TrainableCount } from '../core/text/lora/adaptation';
import type { TextListRow } from './text-types';

/**
 * The "Adapt the reranker (LoRA)" section's messages between the UI and the worker's AdaptService.
 * Plain data only: every value here crosses the worker boundary (and the saved run goes to IndexedDB).
 */

/** The fine-tuning methods this build offers, and the layers they can target (for the settings form). */
export interface AdaptMethods {
  methods: { kind: AdaptationKind; label: string; summary: string }[];
  targets: string[];
}

/** Where the demo data and the model to adapt are served (absolute URL bases, ending in '/'). */
export interface AdaptSource {
  corpusBase: string;
  modelBase: string;
}

export interface AdaptStartRequest extends AdaptSource {
  cfg: AdaptTrainConfig;
  /** The run's name in the charts' legends ("LoRA r=8 · clicks IPS"). */
  label: string;
  /** Names the run in its progress events (the page makes it, so it can file events before the answer). */
  runId?: string;
}

/** What a run trains on: the demo's test-split topics (new to the demo model), split into adapt-train and validation. */
export interface AdaptDataInfo {
  trainQueries: number;
  validationQueries: number;
  /** First-stage (BM25) candidates per query. */
  candidates: number;
  /** Validation queries in order (the before/after list picker). */
  validation: { id: string; text: string }[];
}

export interface AdaptRunInfo {
  runId: string;
  label: string;
  kind: AdaptationKind;
  count: TrainableCount;
  data: AdaptDataInfo;
  /** The step it starts from (0, or the resumed checkpoint's step). */
  fromStep: number;
}

/** nDCG@10 of a DyLoRA adapter truncated to each rank at inference. */
export interface RankSweepPoint {
  rank: number;
  ndcg10: number;
}

export interface AdaptRunResult {
  ok: true;
  info: AdaptRunInfo;
  summary: AdaptSummary;
  /** 'done': all steps ran; 'early-stopping': patience ran out; 'cancelled': the person stopped it (best weights kept). */
  ended: 'done' | 'early-stopping' | 'cancelled';
  /** DyLoRA only: nDCG@10 at each inference rank, after training. */
  rankSweep: RankSweepPoint[] | null;
}

export type AdaptFailure = { ok: false; cancelled: boolean; error: string };
export type AdaptRunOutcome = AdaptRunResult | AdaptFailure;

export type AdaptCountOutcome = { ok: true; count: TrainableCount } | { ok: false; error: string };

/** A run saved at its last validation, offered as "Resume from step N" after a reload. */
export interface AdaptSavedInfo {
  runId: string;
  label: string;
  step: number;
  steps: number;
  savedAt: number;
  cfg: AdaptTrainConfig;
  source: AdaptSource;
  /** The series the charts had, so a resumed run's charts start where they were. */
  stepReports: AdaptStepReport[];
  evalReports: AdaptEvalReport[];
}

export interface AdaptQueryView {
  index: number;
  id: string;
  text: string;
  base: { rows: TextListRow[]; ndcg10: number };
  adapted: { rows: TextListRow[]; ndcg10: number };
}

export type AdaptQueryOutcome = { ok: true; view: AdaptQueryView } | { ok: false; error: string };

export type AdaptPeftOutcome =
  | {
      ok: true;
      /** adapter_config.json's text. */
      configJson: string;
      /** adapter_model.safetensors. */
      safetensors: Uint8Array;
      /** Both files zipped (stored, not deflated: the weights hardly compress). */
      zip: Uint8Array;
      fileName: string;
    }
  | { ok: false; error: string };

export type AdaptMergedOutcome = { ok: true; onnx: Uint8Array; safetensors: Uint8Array; zip: Uint8Array; fileName: string } | { ok: false; error: string };

/** Files the person picked to load an adapter: the zip, or adapter_config.json with adapter_model.safetensors. */
export interface AdaptLoadRequest extends AdaptSource {
  files: { name: string; blob: Blob }[];
  /** Used for the data split and evaluation when no run of this session exists. */
  cfg: AdaptTrainConfig;
}

export type AdaptLoadOutcome =
  | {
      ok: true;
      /** Validation nDCG@10 with the loaded adapter. */
      ndcg10: number;
      /** The base model's on the same queries. */
      baseNdcg10: number;
      /** The latest trained run's nDCG@10 (its best weights), for the round-trip check; null without one. */
      trainedNdcg10: number | null;
      r: number;
      alpha: number;
      targetModules: string[];
      count: TrainableCount;
    }
  | { ok: false; error: string };

/** Progress of the adaptation in flight. */
export type AdaptProgressEvent =
  | { type: 'adapt-phase'; runId: string; label: string }
  | { type: 'adapt-step'; runId: string; report: AdaptStepReport }
  | { type: 'adapt-eval'; runId: string; report: AdaptEvalReport };
