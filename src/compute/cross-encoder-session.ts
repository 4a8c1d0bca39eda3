import type { PairBatch } from '../core/text/model/bert';
import type { BatchRunner, PendingBatch } from '../core/text/rerank/batching';
import type { OnnxSignature } from '../core/text/rerank/model-check';
import type { RerankBackend } from '../core/text/rerank/types';
import type { OrtModule } from './ort-runtime';

/**
 * One onnxruntime-web session as a batch runner.
 *
 * On WebGPU the weights are uploaded once, when the session is created, and stay on the GPU; the
 * logits are asked for as GPU buffers (preferredOutputLocation 'gpu-buffer'), so `run` returns
 * once the batch is queued, without a GPU→CPU read in between, and the next batch is submitted
 * behind it (pipeline depth 2) before the previous logits are read. The inputs (token ids) are
 * different for every batch and small (batch × length int64), so they go up from the CPU each
 * time; IO binding of preallocated GPU inputs would save only that copy, and graph capture needs
 * fixed shapes, which length-bucketed batches do not have. On wasm everything is CPU memory and a
 * batch is read as soon as it is run.
 */

export interface SessionRunner extends BatchRunner {
  readonly backend: RerankBackend;
  release(): Promise<void>;
}

const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Token ids as int64: non-negative and < 2³¹, so each is its low 32-bit word with a zero high word. */
function toInt64(values: Int32Array): BigInt64Array {
  const out = new BigInt64Array(values.length);
  if (littleEndian) {
    const words = new Int32Array(out.buffer);
    for (let i = 0; i < values.length; i++) words[2 * i] = values[i];
  } else for (let i = 0; i < values.length; i++) out[i] = BigInt(values[i]);
  return out;
}

/** IEEE half → float, for models exported with float16 logits (model_fp16.onnx). */
function halfToFloat(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * 2 ** -14 * (f / 1024);
  if (e === 31) return f ? NaN : s * Infinity;
  return s * 2 ** (e - 15) * (1 + f / 1024);
}

function toFloat32(data: unknown): Float32Array {
  if (data instanceof Float32Array) return data;
  if (data instanceof Uint16Array) return Float32Array.from(data, halfToFloat);
  if (ArrayBuffer.isView(data) && 'length' in data) return Float32Array.from(data as unknown as ArrayLike<number>);
  throw new Error('the model returned logits that are not numbers');
}

export async function createSessionRunner(ort: OrtModule, model: Uint8Array, backend: RerankBackend, sig: OnnxSignature): Promise<SessionRunner> {
  const onGpu = backend === 'webgpu';
  const session = await ort.InferenceSession.create(model, {
    executionProviders: [onGpu ? 'webgpu' : 'wasm'],
    graphOptimizationLevel: 'all',
    ...(onGpu ? { preferredOutputLocation: 'gpu-buffer' as const } : {}),
  });
  const tensorOf = (values: Int32Array, type: 'int64' | 'int32', b: PairBatch) =>
    type === 'int64' ? new ort.Tensor('int64', toInt64(values), [b.batch, b.seqLen]) : new ort.Tensor('int32', values, [b.batch, b.seqLen]);
  const source = { input_ids: 'inputIds', attention_mask: 'attentionMask', token_type_ids: 'tokenTypeIds' } as const;
  return {
    backend,
    label: onGpu ? 'WebGPU' : 'wasm',
    pipelineDepth: onGpu ? 2 : 1,
    async submit(b: PairBatch): Promise<PendingBatch> {
      const feeds: Record<string, InstanceType<OrtModule['Tensor']>> = {};
      for (const input of sig.inputs) feeds[input.name] = tensorOf(b[source[input.name]], input.type, b);
      const outputs = await session.run(feeds, [sig.output]);
      const logits = outputs[sig.output];
      return {
        read: async () => toFloat32(await logits.getData(true)),
        release: () => logits.dispose(),
      };
    },
    release: () => session.release(),
  };
}

/** Errors that a smaller batch can cure: the GPU (or the wasm heap) could not hold this one. */
export function isOutOfMemory(error: unknown): boolean {
  const text = error instanceof Error ? `${error.name} ${error.message}` : String(error);
  return /out of memory|\bOOM\b|failed to allocate|allocation failed|bad_alloc|maximum memory size exceeded|exceeds the max|maxBufferSize|maxStorageBufferBindingSize|GPUOutOfMemoryError|insufficient memory|not enough memory/i.test(text);
}
