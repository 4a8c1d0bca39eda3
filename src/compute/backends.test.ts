import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { startBackend } from './backends';
import { probeCapabilities } from './probe';
import { locateWasmInNode } from './wasm-paths.node';

// In Node there is no WebGPU or WebGL: asking for them must fall back down the chain, say
// why, and leave a working backend, exactly as a browser without a GPU would.
describe('startBackend in Node', () => {
  it('probes no WebGPU and no WebGL, and wasm with SIMD', async () => {
    const caps = await probeCapabilities();
    expect(caps.webgpu.available).toBe(false);
    expect(caps.webgpu.unavailableReason).toContain('navigator.gpu');
    expect(caps.webgl.available).toBe(false);
    expect(caps.wasm.available).toBe(true);
  });

  it('falls back from a requested WebGPU to wasm, naming the failure', async () => {
    const status = await startBackend({ requested: 'webgpu', locateWasm: locateWasmInNode });
    expect(status.active).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(status.failures[0]).toMatch(/^webgpu: /);
    expect(status.label).toBe('wasm (webgpu failed to start)');
    const sum = tf.sum(tf.tensor1d([1, 2, 3]));
    expect((await sum.data())[0]).toBe(6);
  });

  it('starts cpu when asked, without failures', async () => {
    const status = await startBackend({ requested: 'cpu' });
    expect(status).toMatchObject({ active: 'cpu', requested: 'cpu', failures: [], label: 'cpu (requested)' });
  });

  it('skips excluded backends (a lost device is not retried)', async () => {
    const status = await startBackend({ requested: 'wasm', exclude: ['wasm'], locateWasm: locateWasmInNode });
    expect(status.active).toBe('cpu');
  });
});
