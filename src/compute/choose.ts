import type { BackendName, Capabilities } from './types';

export interface BackendPlan {
  /** Backends to try, in order; the first that starts wins. */
  order: BackendName[];
  /** Why the first one leads, for the status bar. */
  reason: string;
}

/** Adapter strings come lower-case ("swiftshader"); show the product name people know. */
function prettyAdapter(name: string): string {
  return name.toLowerCase() === 'swiftshader' ? 'SwiftShader' : name;
}

function webGpuName(caps: Capabilities): string {
  const g = caps.webgpu;
  return [g.vendor, prettyAdapter(g.architecture)].filter(Boolean).join(' ') || 'unknown adapter';
}

/** ANGLE renderer strings are long; a software renderer is named by what it is. */
function webGlName(caps: Capabilities): string {
  const r = caps.webgl.renderer;
  if (/swiftshader/i.test(r)) return 'SwiftShader';
  return r || 'unknown renderer';
}

/**
 * Decides the order in which to try tfjs backends. Automatic choice prefers hardware GPUs;
 * a software-only adapter (SwiftShader) is correct but 15–70× slower than wasm, so it is only
 * used when asked for. A requested backend goes first, then the usual chain as fallback.
 */
export function planBackends(caps: Capabilities, requested: BackendName | null): BackendPlan {
  const auto = automaticPlan(caps);
  if (!requested) return auto;
  return {
    order: [requested, ...auto.order.filter((b) => b !== requested)],
    reason: 'requested in the URL or the selector',
  };
}

function automaticPlan(caps: Capabilities): BackendPlan {
  const order: BackendName[] = [];
  const notes: string[] = [];
  if (caps.webgpu.available && !caps.webgpu.isFallback) {
    order.push('webgpu');
  } else if (caps.webgpu.available) {
    notes.push(`WebGPU is software-only here: ${prettyAdapter(caps.webgpu.architecture || caps.webgpu.vendor) || 'fallback adapter'}`);
  } else {
    notes.push(`no WebGPU: ${caps.webgpu.unavailableReason ?? 'unavailable'}`);
  }
  if (caps.webgl.available && !caps.webgl.software) {
    order.push('webgl');
  } else if (order.length === 0 && caps.webgl.available) {
    notes.push(`WebGL is software-only here: ${webGlName(caps)}`);
  }
  if (caps.wasm.available) order.push('wasm');
  order.push('cpu');
  const reason =
    order[0] === 'webgpu'
      ? `hardware WebGPU adapter: ${webGpuName(caps)}`
      : order[0] === 'webgl'
        ? `hardware WebGL: ${webGlName(caps)}${notes.length ? `; ${notes[0]}` : ''}`
        : notes[0] ?? 'no GPU backend available';
  return { order, reason };
}

/** The status-bar line: "WebGPU · nvidia ampere", or "wasm (WebGPU is software-only here: SwiftShader)". */
export function backendLabel(active: BackendName, caps: Capabilities, reason: string, requested: BackendName | null): string {
  if (active === 'webgpu') {
    const soft = caps.webgpu.isFallback ? ' (software adapter: slow)' : '';
    return `WebGPU · ${webGpuName(caps)}${soft}`;
  }
  if (active === 'webgl') return `WebGL · ${webGlName(caps)}${caps.webgl.software ? ' (software renderer: slow)' : ''}`;
  return requested === active ? `${active} (requested)` : `${active} (${reason})`;
}
