import type * as Ort from 'onnxruntime-web';

/** onnxruntime-web's API, whichever build provides it (they share one set of types). */
export type OrtModule = typeof Ort;

/**
 * Where onnxruntime-web comes from in this environment. The browser and Node differ in which
 * build is imported and where its .wasm binary lives; everything else is shared.
 */
export interface OrtRuntime {
  /** The build whose sessions run on `kind` ('webgpu': the native WebGPU EP build; 'wasm': the plain wasm build). */
  load(kind: 'webgpu' | 'wasm'): Promise<OrtModule>;
  /** Why WebGPU cannot even be tried here (Node), or null. */
  webgpuUnavailable: string | null;
}

/**
 * The runtime of the environment this bundle was built for. Vite replaces import.meta.env.SSR with
 * a constant (true in the CLI build and in vitest, false in the app build), so each bundle holds
 * one runtime only: the app never sees node:fs, the CLI never bundles the browser's wasm URLs.
 */
export async function defaultOrtRuntime(): Promise<OrtRuntime> {
  if (import.meta.env.SSR) return (await import('./ort-runtime.node')).nodeOrtRuntime;
  return (await import('./ort-runtime.browser')).browserOrtRuntime;
}
