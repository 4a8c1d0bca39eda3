import * as tf from '@tensorflow/tfjs-core';
import { backendLabel, planBackends } from './choose';
import { probeCapabilities } from './probe';
import type { BackendName, BackendStatus, Capabilities } from './types';
import { installWasmTrainingKernels } from './wasm-kernels';

/** The wasm backend module, as far as we use it. */
export interface WasmBackendModule {
  setWasmPaths(paths: string | Record<string, string>, usePlatformFetch?: boolean): void;
}

/** Where the wasm binaries are: bundler URLs in the browser, file paths in Node. */
export type WasmLocator = (mod: WasmBackendModule) => void;

const loaders: Record<BackendName, () => Promise<unknown>> = {
  webgpu: () => import('@tensorflow/tfjs-backend-webgpu'),
  webgl: () => import('@tensorflow/tfjs-backend-webgl'),
  wasm: () => import('@tensorflow/tfjs-backend-wasm'),
  cpu: () => import('@tensorflow/tfjs-backend-cpu'),
};

const wasmConfigured = { done: false };

async function registerBackend(name: BackendName, locateWasm: WasmLocator | undefined): Promise<void> {
  const mod = await loaders[name]();
  if (name === 'wasm' && !wasmConfigured.done) {
    // Threaded wasm needs cross-origin isolation and breaks in minified worker bundles (see
    // shared/browser-testing.md); single-threaded SIMD is what we ship.
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    locateWasm?.(mod as WasmBackendModule);
    wasmConfigured.done = true;
  }
}

/** A tiny computation read back from the device: a backend that "starts" but cannot compute is not started. */
async function smokeTest(): Promise<void> {
  const t = tf.tidy(() => tf.add(tf.tensor1d([1, 2, 3]), tf.scalar(1)));
  const values = await t.data();
  t.dispose();
  if (values[0] !== 2 || values[2] !== 4) throw new Error(`computed [${Array.from(values).join(', ')}] for [2, 3, 4]`);
}

async function tryStart(name: BackendName, locateWasm: WasmLocator | undefined, stockWasmKernels: boolean): Promise<void> {
  await registerBackend(name, locateWasm);
  if (!tf.findBackendFactory(name)) throw new Error(`${name} is not supported in this context`);
  const ok = await tf.setBackend(name);
  if (!ok) throw new Error(`${name} failed to initialise`);
  await tf.ready();
  if (name === 'wasm' && !stockWasmKernels) installWasmTrainingKernels();
  await smokeTest();
}

export interface StartOptions {
  requested: BackendName | null;
  locateWasm?: WasmLocator;
  /** Backends to skip (e.g. one whose device was just lost). */
  exclude?: BackendName[];
  /** Probed once and reused when switching. */
  capabilities?: Capabilities;
  /** Keep tfjs's own wasm kernels (benchmarks compare them with ours in wasm-kernels.ts). */
  stockWasmKernels?: boolean;
}

/**
 * Starts the best backend this context can run (or the requested one), falling back down the
 * chain when one fails; never leaves tfjs without a backend (cpu always works).
 */
export async function startBackend(opts: StartOptions): Promise<BackendStatus> {
  const capabilities = opts.capabilities ?? (await probeCapabilities());
  const plan = planBackends(capabilities, opts.requested);
  const order = plan.order.filter((b) => !opts.exclude?.includes(b));
  if (!order.includes('cpu')) order.push('cpu');
  const failures: string[] = [];
  for (const name of order) {
    try {
      await tryStart(name, opts.locateWasm, opts.stockWasmKernels ?? false);
    } catch (e) {
      failures.push(`${name}: ${e instanceof Error ? e.message : String(e)}`);
      continue;
    }
    const reason = failures.length ? `${failures[0].split(':')[0]} failed to start` : plan.reason;
    const requested = opts.requested;
    return { active: name, label: backendLabel(name, capabilities, reason, failures.length ? null : requested), reason, requested, capabilities, failures };
  }
  throw new Error(`no tfjs backend could start: ${failures.join('; ')}`);
}

/** Minimal view of the WebGPU device the tfjs webgpu backend holds. */
interface DeviceLike {
  lost: Promise<{ reason?: string; message?: string }>;
  destroy(): void;
}

function activeWebGpuDevice(): DeviceLike | null {
  if (tf.getBackend() !== 'webgpu') return null;
  const device = (tf.backend() as unknown as { device?: DeviceLike }).device;
  return device ?? null;
}

/** Calls `onLost` once if the active WebGPU device is lost (driver reset, GPU removed, destroyed). */
export function watchDeviceLoss(onLost: (message: string) => void): void {
  const device = activeWebGpuDevice();
  if (!device) return;
  void device.lost.then((info) => onLost(info.message || info.reason || 'unknown reason'));
}

/** Destroys the active WebGPU device (test hook for the device-lost path). */
export function destroyWebGpuDevice(): boolean {
  const device = activeWebGpuDevice();
  if (!device) return false;
  device.destroy();
  return true;
}
