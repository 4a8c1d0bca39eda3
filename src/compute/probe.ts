import type { Capabilities, WasmCapability, WebGlCapability, WebGpuCapability } from './types';

/** The smallest module using a v128 instruction: validates only where wasm SIMD is supported. */
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11,
]);

const LIMITS_OF_INTEREST = [
  'maxStorageBufferBindingSize',
  'maxBufferSize',
  'maxComputeWorkgroupStorageSize',
  'maxComputeInvocationsPerWorkgroup',
  'maxComputeWorkgroupSizeX',
  'maxComputeWorkgroupsPerDimension',
] as const;

function noWebGpu(reason: string): WebGpuCapability {
  return { available: false, unavailableReason: reason, vendor: '', architecture: '', device: '', description: '', isFallback: false, shaderF16: false, limits: {} };
}

/** Minimal view of the WebGPU types we read, so the probe also compiles where @webgpu/types is absent. */
interface AdapterLike {
  features: { has(name: string): boolean };
  limits: Record<string, unknown>;
  info?: { vendor?: string; architecture?: string; device?: string; description?: string; isFallbackAdapter?: boolean };
  isFallbackAdapter?: boolean;
}
interface GpuLike {
  requestAdapter(opts?: { powerPreference?: string }): Promise<AdapterLike | null>;
}

export async function probeWebGpu(): Promise<WebGpuCapability> {
  const gpu = (globalThis.navigator as { gpu?: GpuLike } | undefined)?.gpu;
  if (!gpu) return noWebGpu('this browser exposes no navigator.gpu');
  let adapter: AdapterLike | null;
  try {
    adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  } catch (e) {
    return noWebGpu(`requestAdapter failed: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (!adapter) return noWebGpu('no WebGPU adapter (GPU blocklisted or WebGPU disabled)');
  const info = adapter.info ?? {};
  const limits: Record<string, number> = {};
  for (const name of LIMITS_OF_INTEREST) {
    const v = adapter.limits[name];
    if (typeof v === 'number') limits[name] = v;
  }
  const architecture = info.architecture ?? '';
  return {
    available: true,
    vendor: info.vendor ?? '',
    architecture,
    device: info.device ?? '',
    description: info.description ?? '',
    // Newer Chromium reports it on info; older on the adapter. SwiftShader is software whatever it says.
    isFallback: Boolean(info.isFallbackAdapter ?? adapter.isFallbackAdapter) || /swiftshader/i.test(architecture),
    shaderF16: adapter.features.has('shader-f16'),
    limits,
  };
}

export function probeWebGl(): WebGlCapability {
  const none: WebGlCapability = { available: false, renderer: '', vendor: '', software: false };
  if (typeof OffscreenCanvas === 'undefined') return none;
  try {
    const gl = new OffscreenCanvas(1, 1).getContext('webgl2');
    if (!gl) return none;
    const ext = gl.getExtension('WEBGL_debug_renderer_info');
    const renderer = String(ext ? gl.getParameter(ext.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER));
    const vendor = String(ext ? gl.getParameter(ext.UNMASKED_VENDOR_WEBGL) : gl.getParameter(gl.VENDOR));
    gl.getExtension('WEBGL_lose_context')?.loseContext();
    return { available: true, renderer, vendor, software: /swiftshader|llvmpipe|software|basic render/i.test(renderer) };
  } catch {
    return none;
  }
}

export function probeWasm(): WasmCapability {
  const hasWasm = typeof WebAssembly === 'object';
  const isolated = Boolean((globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated);
  return {
    available: hasWasm,
    simd: hasWasm && WebAssembly.validate(SIMD_PROBE),
    threads: hasWasm && typeof SharedArrayBuffer !== 'undefined' && isolated,
    crossOriginIsolated: isolated,
  };
}

/** Probes what this context (window, worker or Node) can run. Never throws. */
export async function probeCapabilities(): Promise<Capabilities> {
  return { webgpu: await probeWebGpu(), webgl: probeWebGl(), wasm: probeWasm() };
}
