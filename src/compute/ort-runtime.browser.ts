// Vite turns these into hashed asset URLs: the binaries (14 and 27 MB) are served by the app
// itself, so reranking works offline, and never inlined into a bundle.
import wasmPlain from 'onnxruntime-web/ort-wasm-simd-threaded.wasm?url';
import wasmAsyncify from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url';
import type { OrtModule, OrtRuntime } from './ort-runtime';

/**
 * Two builds of onnxruntime-web 1.30: `onnxruntime-web/webgpu` (the native WebGPU EP, ~3× faster
 * warm than the default import's JSEP; its binary is the asyncify one) and `onnxruntime-web/wasm`
 * (the smaller plain binary, no asyncify overhead) for wasm. Each is imported on first use, so a
 * wasm-only user never downloads the WebGPU build. Both are the "bundle" variants: the Emscripten
 * glue is inside the .mjs, only the .wasm is fetched, from the URL given here.
 *
 * One thread: threads need cross-origin isolation, which the app does not ask for (see
 * shared/browser-testing.md on threaded wasm in minified workers).
 */
const loaded = new Map<'webgpu' | 'wasm', Promise<OrtModule>>();

async function importBuild(kind: 'webgpu' | 'wasm'): Promise<OrtModule> {
  const ort: OrtModule = kind === 'webgpu' ? await import('onnxruntime-web/webgpu') : await import('onnxruntime-web/wasm');
  ort.env.wasm.numThreads = 1;
  ort.env.wasm.wasmPaths = { wasm: kind === 'webgpu' ? wasmAsyncify : wasmPlain };
  return ort;
}

export const browserOrtRuntime: OrtRuntime = {
  load(kind) {
    let p = loaded.get(kind);
    if (!p) {
      p = importBuild(kind);
      // A failed import (offline, bad deploy) may succeed on a later try.
      p.catch(() => loaded.delete(kind));
      loaded.set(kind, p);
    }
    return p;
  },
  webgpuUnavailable: null,
};
