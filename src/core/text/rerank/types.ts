/**
 * The contract between the cross-encoder runtime (src/compute/cross-encoder*.ts: onnxruntime-web
 * sessions, the only code that knows devices) and its users (the worker's text service, the CLI's
 * rerank command). Plain types only.
 */

/** Where a Hugging Face-layout model comes from: a URL base (…/resolve/main/) or files the user picked. */
export type ModelSource =
  | { kind: 'url'; base: string }
  /** Paths relative to the model folder (e.g. `config.json`, `onnx/model.onnx`) → contents. */
  | { kind: 'files'; files: Map<string, Blob> };

export type RerankBackend = 'webgpu' | 'wasm';

export interface LoadCrossEncoderOptions {
  /** 'auto': WebGPU when the browser has a hardware adapter, else wasm; a failed WebGPU start falls back to wasm. */
  backend: RerankBackend | 'auto';
  /** Which ONNX file: `onnx/model.onnx` by default, or a quantised variant such as `onnx/model_quantized.onnx`. */
  onnxFile?: string;
  /** Longest input in tokens (default: min(config.max_position_embeddings, 512)). */
  maxLength?: number;
  /** Bytes downloaded so far / total when known, per file. */
  onProgress?: (file: string, loaded: number, total: number | null) => void;
  signal?: AbortSignal;
}

export interface CrossEncoderInfo {
  /** Model name (config `_name_or_path`, the URL, or the folder name). */
  name: string;
  backend: RerankBackend;
  /** Why this backend (e.g. "WebGPU failed to start: …; using wasm"). */
  backendReason: string;
  maxLength: number;
  /** Parameters counted from the ONNX initialisers, when known. */
  parameters: number | null;
  onnxFile: string;
  bytes: number;
}

export interface QueryPassagePair {
  query: string;
  passage: string;
}

export interface ScoreOptions {
  /** Pairs per ONNX run (default 16); halved and retried on a GPU out-of-memory error, with a notice. */
  batchSize?: number;
  onProgress?: (done: number, total: number) => void;
  onNotice?: (message: string) => void;
  signal?: AbortSignal;
}

/**
 * A loaded cross-encoder. `score` returns the raw logit of each pair (never a softmax over one
 * logit, which is 1 for everything), in input order; pairs are batched by token length internally.
 */
export interface CrossEncoderScorer {
  readonly info: CrossEncoderInfo;
  score(pairs: readonly QueryPassagePair[], opts?: ScoreOptions): Promise<Float32Array>;
  dispose(): Promise<void>;
}
