import { describe, expect, it } from 'vitest';
import { backendLabel, planBackends } from './choose';
import type { Capabilities } from './types';

function caps(over: { gpu?: Partial<Capabilities['webgpu']>; gl?: Partial<Capabilities['webgl']>; wasm?: Partial<Capabilities['wasm']> }): Capabilities {
  return {
    webgpu: { available: true, vendor: 'nvidia', architecture: 'hopper', device: '', description: '', isFallback: false, shaderF16: true, limits: {}, ...over.gpu },
    webgl: { available: true, renderer: 'ANGLE (NVIDIA H200)', vendor: 'Google', software: false, ...over.gl },
    wasm: { available: true, simd: true, threads: false, crossOriginIsolated: false, ...over.wasm },
  };
}

const swiftshader = caps({
  gpu: { vendor: 'google', architecture: 'swiftshader', isFallback: true, shaderF16: false },
  gl: { renderer: 'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device))', software: true },
});

describe('planBackends', () => {
  it('prefers a hardware WebGPU adapter, then WebGL, wasm, cpu', () => {
    const plan = planBackends(caps({}), null);
    expect(plan.order).toEqual(['webgpu', 'webgl', 'wasm', 'cpu']);
    expect(plan.reason).toContain('nvidia hopper');
  });

  it('chooses wasm over a software-only WebGPU adapter and says why', () => {
    const plan = planBackends(swiftshader, null);
    expect(plan.order).toEqual(['wasm', 'cpu']);
    expect(plan.reason).toBe('WebGPU is software-only here: SwiftShader');
    expect(backendLabel('wasm', swiftshader, plan.reason, null)).toBe('wasm (WebGPU is software-only here: SwiftShader)');
  });

  it('uses hardware WebGL when WebGPU is missing', () => {
    const plan = planBackends(caps({ gpu: { available: false, unavailableReason: 'this browser exposes no navigator.gpu' } }), null);
    expect(plan.order).toEqual(['webgl', 'wasm', 'cpu']);
    expect(plan.reason).toContain('no WebGPU: this browser exposes no navigator.gpu');
  });

  it('falls back to cpu when nothing else exists', () => {
    const none = caps({ gpu: { available: false }, gl: { available: false }, wasm: { available: false } });
    expect(planBackends(none, null).order).toEqual(['cpu']);
  });

  it('puts a requested backend first, even a software one, then the automatic chain', () => {
    expect(planBackends(swiftshader, 'webgpu').order).toEqual(['webgpu', 'wasm', 'cpu']);
    expect(planBackends(caps({}), 'cpu').order).toEqual(['cpu', 'webgpu', 'webgl', 'wasm']);
    expect(backendLabel('webgpu', swiftshader, 'requested', 'webgpu')).toBe('WebGPU · google SwiftShader (software adapter: slow)');
  });

  it('names a software WebGL renderer briefly, and says it is slow', () => {
    expect(backendLabel('webgl', swiftshader, 'requested', 'webgl')).toBe('WebGL · SwiftShader (software renderer: slow)');
    expect(backendLabel('webgl', caps({}), 'x', null)).toBe('WebGL · ANGLE (NVIDIA H200)');
  });

  it('labels a hardware adapter by vendor and architecture', () => {
    expect(backendLabel('webgpu', caps({}), 'x', null)).toBe('WebGPU · nvidia hopper');
  });
});
