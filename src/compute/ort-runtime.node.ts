import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as ort from 'onnxruntime-web';
import type { OrtRuntime } from './ort-runtime';

/**
 * In Node, `onnxruntime-web` resolves to its Node build (wasm EP only). Its files are read from the
 * installed package: the glue module by URL, the binary handed over as bytes, so nothing depends
 * on where a bundler put the calling code (the CLI is one CommonJS file in dist-cli/).
 */
let configured = false;

function configure(): void {
  if (configured) return;
  const require = createRequire(import.meta.url);
  const dist = path.dirname(require.resolve('onnxruntime-web'));
  ort.env.wasm.numThreads = 1;
  ort.env.wasm.wasmPaths = { mjs: pathToFileURL(path.join(dist, 'ort-wasm-simd-threaded.mjs')).href };
  ort.env.wasm.wasmBinary = readFileSync(path.join(dist, 'ort-wasm-simd-threaded.wasm'));
  configured = true;
}

export const nodeOrtRuntime: OrtRuntime = {
  async load() {
    configure();
    return ort;
  },
  webgpuUnavailable: 'Node has no WebGPU',
};
