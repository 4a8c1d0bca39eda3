import * as tf from '@tensorflow/tfjs-core';

/**
 * Replacements for four tfjs-backend-wasm 4.22 kernels that dominate a training step on
 * MSLR-shaped batches, installed once when the wasm backend starts (worker and Node alike; see
 * backends.ts). About 10× on MSLR-shaped batches for both the linear model and the MLP
 * 512-256-128 (`rankplay bench --train-mslr --stock-wasm` measures tfjs's own kernels beside these).
 * They use BackendWasm's public methods in 4.22 (pinned exactly in package.json); recheck on any
 * tfjs upgrade — wasm-kernels.test.ts compares each one with the stock kernel on the same inputs.
 *
 * What the stock kernels do (profiled with `--profile`, MLP 512-256-128, 7,680 documents a step):
 * - BatchMatMul with transposeA or transposeB leaves XNNPACK for a naive loop: the backward
 *   matmuls (xᵀ·dy for weight gradients, dy·Wᵀ for input gradients) ran 12–28× slower than the
 *   forward ones and took ~90 % of a 3.2 s step. Materialising the transpose and calling the
 *   XNNPACK path costs a copy and runs at forward speed.
 * - GatherV2 computes every element's source through index arithmetic (30 ms for 7,680 rows ×
 *   136 features, 80 % of a linear model's step); a row gather is a memcpy per row.
 * - Identity copies its input. The gradient tape clones each saved input through Identity, so
 *   every step copied all saved activations and, through the gather, the whole training feature
 *   matrix (73k × 136 here; 723k × 136 = 393 MB on MSLR-WEB10K Fold1). The cpu, webgl and webgpu
 *   backends share the buffer with a reference count instead, as wasm's own Reshape does; tfjs
 *   tensors are immutable, so sharing is safe.
 * - Sum over the outer axis of a matrix (every bias gradient) transposes before reducing.
 */

interface WasmTensorInfo {
  dataId: object;
  shape: number[];
  dtype: string;
}

/** The parts of tfjs-backend-wasm's BackendWasm these kernels use (public methods in 4.22). */
interface WasmBackend {
  incRef(dataId: object): void;
  disposeData(dataId: object): boolean;
  makeOutput(shape: number[], dtype: string): WasmTensorInfo;
  typedArrayFromHeap(t: WasmTensorInfo): Float32Array | Int32Array;
}

type Args<I, A> = { inputs: I; backend: WasmBackend; attrs: A };

function replaceKernel<I, A>(name: string, make: (stock: tf.KernelFunc) => (args: Args<I, A>) => WasmTensorInfo): void {
  const stock = tf.getKernel(name, 'wasm');
  if (!stock) throw new Error(`the wasm backend has no ${name} kernel to replace`);
  tf.unregisterKernel(name, 'wasm');
  // The stock setupFunc already ran when the backend started; the stock kernelFunc stays usable.
  tf.registerKernel({ ...stock, kernelFunc: make(stock.kernelFunc) as unknown as tf.KernelFunc });
}

/** Row-major 2-D transpose in 32 × 32 blocks (the wasm Transpose kernel also goes element by element). */
function transpose2d(backend: WasmBackend, x: WasmTensorInfo): WasmTensorInfo {
  const [rows, cols] = x.shape;
  const out = backend.makeOutput([cols, rows], 'float32');
  // Views only after makeOutput: growing the wasm heap detaches earlier ones.
  const src = backend.typedArrayFromHeap(x) as Float32Array;
  const dst = backend.typedArrayFromHeap(out) as Float32Array;
  if (rows === 1 || cols === 1) {
    dst.set(src);
    return out;
  }
  const B = 32;
  for (let i0 = 0; i0 < rows; i0 += B) {
    const i1 = Math.min(rows, i0 + B);
    for (let j0 = 0; j0 < cols; j0 += B) {
      const j1 = Math.min(cols, j0 + B);
      for (let i = i0; i < i1; i++) {
        const row = i * cols;
        for (let j = j0; j < j1; j++) dst[j * rows + i] = src[row + j];
      }
    }
  }
  return out;
}

const size = (x: WasmTensorInfo) => x.shape.reduce((a, b) => a * b, 1);

let installed = false;

/** Whether the replacements are in place (they stay for the life of the process). */
export function wasmTrainingKernelsInstalled(): boolean {
  return installed;
}

/** Installs the four replacements on the wasm backend, once, after it has started; later calls do nothing. */
export function installWasmTrainingKernels(): void {
  if (installed) return;
  installed = true;
  replaceKernel<{ a: WasmTensorInfo; b: WasmTensorInfo }, { transposeA: boolean; transposeB: boolean }>('BatchMatMul', (stock) => (args) => {
    const { inputs, backend, attrs } = args;
    const { a, b } = inputs;
    const plain = !attrs.transposeA && !attrs.transposeB;
    if (plain || a.shape.length !== 2 || b.shape.length !== 2 || a.dtype !== 'float32' || b.dtype !== 'float32') {
      return stock(args as never) as WasmTensorInfo;
    }
    const matMul = (x: WasmTensorInfo, y: WasmTensorInfo) =>
      stock({ inputs: { a: x, b: y }, backend, attrs: { ...attrs, transposeA: false, transposeB: false } } as never) as WasmTensorInfo;
    const withTransposed = (x: WasmTensorInfo, use: (xt: WasmTensorInfo) => WasmTensorInfo) => {
      const xt = transpose2d(backend, x);
      try {
        return use(xt);
      } finally {
        backend.disposeData(xt.dataId);
      }
    };
    if (attrs.transposeA && attrs.transposeB) return withTransposed(a, (at) => withTransposed(b, (bt) => matMul(at, bt)));
    if (attrs.transposeB) return withTransposed(b, (bt) => matMul(a, bt));
    // aᵀ·b with b a single column (the linear model's weight gradient): the stock loop is fastest (1.4 ms vs 2.2+).
    if (b.shape[1] === 1) return stock(args as never) as WasmTensorInfo;
    // aᵀ·b directly, or as (bᵀ·a)ᵀ when that moves fewer numbers (b a column: the linear model).
    if (size(a) <= size(b) + a.shape[1] * b.shape[1]) return withTransposed(a, (at) => matMul(at, b));
    const outT = withTransposed(b, (bt) => matMul(bt, a));
    try {
      return transpose2d(backend, outT);
    } finally {
      backend.disposeData(outT.dataId);
    }
  });

  replaceKernel<{ x: WasmTensorInfo; indices: WasmTensorInfo }, { axis: number; batchDims: number }>('GatherV2', (stock) => (args) => {
    const { inputs, backend, attrs } = args;
    const { x, indices } = inputs;
    if (x.shape.length !== 2 || attrs.axis !== 0 || attrs.batchDims !== 0 || indices.shape.length !== 1 || x.dtype !== 'float32' || indices.dtype !== 'int32') {
      return stock(args as never) as WasmTensorInfo;
    }
    const [rows, width] = x.shape;
    const n = indices.shape[0];
    const out = backend.makeOutput([n, width], 'float32');
    const src = backend.typedArrayFromHeap(x) as Float32Array;
    const index = backend.typedArrayFromHeap(indices) as Int32Array;
    const dst = backend.typedArrayFromHeap(out) as Float32Array;
    // Both live in the one wasm heap: copyWithin moves each row without a view object per row.
    const heap = new Float32Array(src.buffer);
    const srcAt = src.byteOffset >> 2;
    const dstAt = dst.byteOffset >> 2;
    for (let i = 0; i < n; i++) {
      const r = index[i];
      if (!(r >= 0 && r < rows)) {
        backend.disposeData(out.dataId);
        throw new Error(`GatherV2: the index value ${r} is not in [0, ${rows - 1}]`);
      }
      heap.copyWithin(dstAt + i * width, srcAt + r * width, srcAt + r * width + width);
    }
    return out;
  });

  replaceKernel<{ x: WasmTensorInfo }, Record<string, never>>('Identity', (stock) => (args) => {
    const { x } = args.inputs;
    if (x.dtype === 'string') return stock(args as never) as WasmTensorInfo;
    args.backend.incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  });

  replaceKernel<{ x: WasmTensorInfo }, { axis: number | number[]; keepDims: boolean }>('Sum', (stock) => (args) => {
    const { inputs, backend, attrs } = args;
    const { x } = inputs;
    const axes = Array.isArray(attrs.axis) ? attrs.axis : [attrs.axis];
    if (x.shape.length !== 2 || x.dtype !== 'float32' || axes.length !== 1 || (axes[0] !== 0 && axes[0] !== -2)) return stock(args as never) as WasmTensorInfo;
    const [n, m] = x.shape;
    const out = backend.makeOutput(attrs.keepDims ? [1, m] : [m], 'float32');
    const src = backend.typedArrayFromHeap(x) as Float32Array;
    const acc = new Float64Array(m);
    for (let i = 0; i < n; i++) {
      const row = i * m;
      for (let j = 0; j < m; j++) acc[j] += src[row + j];
    }
    (backend.typedArrayFromHeap(out) as Float32Array).set(acc);
    return out;
  });
}
