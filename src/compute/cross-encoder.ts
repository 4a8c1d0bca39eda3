import type { Tokenizer } from '@huggingface/tokenizers';
import { encodePair, loadTokenizer } from '../core/text/model/encode';
import { scoreEncodedPairs, type BatchRunner } from '../core/text/rerank/batching';
import {
  checkOnnxSignature,
  checkTokenizerFiles,
  checkTokenizerFitsModel,
  readCrossEncoderConfig,
  resolveMaxLength,
  type OnnxSignature,
  type TokenizerSpec,
} from '../core/text/rerank/model-check';
import { checkOnnxFileName, CONFIG_FILE, DEFAULT_ONNX_FILE, missingFileMessage, nameFromUrl, TOKENIZER_CONFIG_FILE, TOKENIZER_FILE } from '../core/text/rerank/model-folder';
import { readOnnxInfo } from '../core/text/rerank/onnx-info';
import type { CrossEncoderInfo, CrossEncoderScorer, LoadCrossEncoderOptions, ModelSource, QueryPassagePair, RerankBackend, ScoreOptions } from '../core/text/rerank/types';
import { modelFiles, type ModelFiles } from './cross-encoder-files';
import { createSessionRunner, isOutOfMemory, type SessionRunner } from './cross-encoder-session';
import { probeWebGpu } from './probe';
import { defaultOrtRuntime, type OrtRuntime } from './ort-runtime';

export { clearModelCache, modelCacheSize, MODEL_CACHE_NAME } from './cross-encoder-files';

/**
 * Loads a Hugging Face-layout cross-encoder and scores query–passage pairs with onnxruntime-web:
 * the WebGPU EP where asked for (or, with 'auto', where the browser has a hardware adapter),
 * falling back to wasm with the reason; wasm in Node. The small files are read and checked first,
 * so a wrong folder fails before the big download.
 */
export function loadCrossEncoder(source: ModelSource, opts: LoadCrossEncoderOptions): Promise<CrossEncoderScorer> {
  return defaultOrtRuntime().then((runtime) => loadCrossEncoderWith(runtime, source, opts));
}

export const DEFAULT_BATCH_SIZE = 16;

const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e)).split('\n')[0];
const parseJson = (bytes: Uint8Array, file: string): unknown => {
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch (e) {
    throw new Error(`${file} is not valid JSON (${errorText(e)})`);
  }
};

async function required(files: ModelFiles, file: string, onnxFile: string, opts: LoadCrossEncoderOptions): Promise<Uint8Array> {
  const bytes = await files.read(file, opts);
  if (!bytes) throw new Error(`${missingFileMessage(file, onnxFile, files.list() ?? undefined)} (looked in ${files.where})`);
  return bytes;
}

/** Which backend to start with, and why. */
async function planBackend(runtime: OrtRuntime, wanted: LoadCrossEncoderOptions['backend']): Promise<{ backend: RerankBackend; reason: string }> {
  if (wanted === 'wasm') return { backend: 'wasm', reason: 'wasm was asked for' };
  if (runtime.webgpuUnavailable) return { backend: 'wasm', reason: `${runtime.webgpuUnavailable}; using wasm` };
  const gpu = await probeWebGpu();
  if (!gpu.available) return { backend: 'wasm', reason: `WebGPU is not available (${gpu.unavailableReason}); using wasm` };
  if (wanted === 'auto' && gpu.isFallback) return { backend: 'wasm', reason: `WebGPU is software-only here (${gpu.architecture || 'fallback adapter'}), slower than wasm; using wasm` };
  const what = gpu.isFallback ? `software WebGPU (${gpu.architecture || 'fallback adapter'})` : `WebGPU (${[gpu.vendor, gpu.architecture].filter(Boolean).join(' ') || 'GPU'})`;
  return { backend: 'webgpu', reason: wanted === 'webgpu' ? `${what}, as asked` : `${what} found` };
}

/** A session on `backend`, proven to compute on one tiny batch (a GPU session can start yet fail at run). */
async function startRunner(runtime: OrtRuntime, model: Uint8Array, backend: RerankBackend, sig: OnnxSignature, padId: number): Promise<SessionRunner> {
  const ort = await runtime.load(backend);
  const runner = await createSessionRunner(ort, model, backend, sig);
  try {
    const one = Int32Array.of(padId, padId, padId);
    const pending = await runner.submit({ batch: 1, seqLen: 3, inputIds: one, attentionMask: Int32Array.of(1, 1, 1), tokenTypeIds: new Int32Array(3) });
    const logits = await pending.read();
    if (!logits.every(Number.isFinite)) throw new Error('a test batch gave non-finite logits');
  } catch (e) {
    await runner.release().catch(() => undefined);
    throw e;
  }
  return runner;
}

/** Like loadCrossEncoder, with the onnxruntime build given (tests, benchmarks). */
export async function loadCrossEncoderWith(runtime: OrtRuntime, source: ModelSource, opts: LoadCrossEncoderOptions): Promise<CrossEncoderScorer> {
  const onnxFile = checkOnnxFileName(opts.onnxFile ?? DEFAULT_ONNX_FILE);
  const files = modelFiles(source);
  let bytes = 0;
  const read = async (file: string) => {
    const b = await required(files, file, onnxFile, opts);
    bytes += b.length;
    return b;
  };
  const config = readCrossEncoderConfig(parseJson(await read(CONFIG_FILE), CONFIG_FILE));
  const tokenizerJson = parseJson(await read(TOKENIZER_FILE), TOKENIZER_FILE);
  const tokConfigBytes = await files.read(TOKENIZER_CONFIG_FILE, opts);
  if (tokConfigBytes) bytes += tokConfigBytes.length;
  const tokenizerConfig = tokConfigBytes ? parseJson(tokConfigBytes, TOKENIZER_CONFIG_FILE) : {};
  const tokSpec = checkTokenizerFiles(tokenizerJson, tokenizerConfig);
  checkTokenizerFitsModel(tokSpec, config);
  const maxLength = resolveMaxLength(opts.maxLength, config, tokSpec);
  let tokenizer: Tokenizer;
  try {
    tokenizer = loadTokenizer(tokenizerJson as object, tokenizerConfig as object);
  } catch (e) {
    throw new Error(`tokenizer.json could not be loaded: ${errorText(e)}`);
  }

  const model = await read(onnxFile);
  const onnx = readOnnxInfo(model);
  const sig = checkOnnxSignature(onnx, onnxFile, config);

  opts.signal?.throwIfAborted();
  const plan = await planBackend(runtime, opts.backend);
  let runner: SessionRunner;
  let reason = plan.reason;
  const startWasm = async () => {
    try {
      return await startRunner(runtime, model, 'wasm', sig, tokSpec.padId);
    } catch (e) {
      throw new Error(`onnxruntime could not run ${onnxFile} on wasm: ${errorText(e)}`);
    }
  };
  if (plan.backend === 'webgpu') {
    try {
      runner = await startRunner(runtime, model, 'webgpu', sig, tokSpec.padId);
    } catch (e) {
      reason = `WebGPU failed to start: ${errorText(e)}; using wasm`;
      runner = await startWasm();
    }
  } else runner = await startWasm();

  const name = config.name ?? (source.kind === 'url' ? nameFromUrl(files.where) : 'picked model');
  const info: CrossEncoderInfo = { name, backend: runner.backend, backendReason: reason, maxLength, parameters: onnx.parameters || null, onnxFile, bytes };
  return new OnnxCrossEncoder(info, tokenizer, tokSpec, sig, runner, runner.backend === 'webgpu' ? () => startWasm() : null);
}

/** The scorer: one session at a time, runs serialised (an onnxruntime session runs one batch at a time). */
class OnnxCrossEncoder implements CrossEncoderScorer {
  private queue: Promise<unknown> = Promise.resolve();
  private disposed = false;
  /** Lowered after a GPU out-of-memory error, for every later call too. */
  private batchCap = Infinity;

  constructor(
    readonly info: CrossEncoderInfo,
    private readonly tokenizer: Tokenizer,
    private readonly tok: TokenizerSpec,
    private readonly sig: OnnxSignature,
    private runner: SessionRunner,
    private fallback: (() => Promise<SessionRunner>) | null,
  ) {}

  score(pairs: readonly QueryPassagePair[], opts: ScoreOptions = {}): Promise<Float32Array> {
    const run = this.queue.then(() => this.scoreNow(pairs, opts));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async scoreNow(pairs: readonly QueryPassagePair[], opts: ScoreOptions): Promise<Float32Array> {
    if (this.disposed) throw new Error('this cross-encoder was disposed');
    if (pairs.length === 0) return new Float32Array(0);
    const encoded = pairs.map((p) => encodePair(this.tokenizer, p.query, p.passage, this.info.maxLength));
    const asked = opts.batchSize ?? DEFAULT_BATCH_SIZE;
    const result = await scoreEncodedPairs(encoded, this.runner, {
      batchSize: Number.isInteger(asked) && asked >= 1 ? Math.min(asked, this.batchCap) : asked,
      padId: this.tok.padId,
      numLabels: this.sig.numLabels,
      isOutOfMemory,
      fallback: () => this.switchToWasm(),
      onProgress: opts.onProgress,
      onNotice: opts.onNotice,
      signal: opts.signal,
    });
    if (result.runner === this.runner && result.batchSize < asked) this.batchCap = result.batchSize;
    return result.scores;
  }

  /** After a GPU out-of-memory error at one pair: the rest (and every later call) runs on wasm. */
  private async switchToWasm(): Promise<BatchRunner | null> {
    const start = this.fallback;
    if (!start) return null;
    this.fallback = null;
    const wasm = await start();
    const gpu = this.runner;
    this.runner = wasm;
    this.batchCap = Infinity;
    this.info.backend = 'wasm';
    this.info.backendReason = 'WebGPU ran out of memory even on one pair; using wasm';
    await gpu.release().catch(() => undefined);
    return wasm;
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await this.queue;
    await this.runner.release();
  }
}
