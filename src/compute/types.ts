/** What the capability probe found; plain data so it crosses the worker boundary. */
export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';
export const BACKEND_NAMES: readonly BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

export interface WebGpuCapability {
  available: boolean;
  /** Why not, when unavailable (no navigator.gpu, no adapter, ...). */
  unavailableReason?: string;
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  /** True for software adapters such as SwiftShader: correct but far slower than wasm. */
  isFallback: boolean;
  shaderF16: boolean;
  limits: Record<string, number>;
}

export interface WebGlCapability {
  available: boolean;
  renderer: string;
  vendor: string;
  /** SwiftShader / llvmpipe and friends. */
  software: boolean;
}

export interface WasmCapability {
  available: boolean;
  simd: boolean;
  /** SharedArrayBuffer + cross-origin isolation: needed for tfjs's threaded wasm. */
  threads: boolean;
  crossOriginIsolated: boolean;
}

export interface Capabilities {
  webgpu: WebGpuCapability;
  webgl: WebGlCapability;
  wasm: WasmCapability;
}

export function isBackendName(value: unknown): value is BackendName {
  return typeof value === 'string' && (BACKEND_NAMES as readonly string[]).includes(value);
}

export interface BackendStatus {
  active: BackendName;
  /** One line for the status bar, e.g. "wasm (WebGPU is software-only here: SwiftShader)". */
  label: string;
  /** Why this backend was chosen. */
  reason: string;
  /** What the user asked for (URL or selector); null means automatic. */
  requested: BackendName | null;
  capabilities: Capabilities;
  /** Backends that were tried first and failed, with why. */
  failures: string[];
}
