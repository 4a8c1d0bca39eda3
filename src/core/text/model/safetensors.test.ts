import { describe, expect, it } from 'vitest';
import { createRng } from '../../experiment/rng';
import { bertParamSpecs, initBertWeights } from './params';
import { readSafetensors, writeSafetensors } from './safetensors';
import { tinyConfig } from './test-helpers';

/** A file assembled byte by byte, as another writer (PyTorch's safetensors) would lay it out. */
function handBuilt(header: object, data: number[]): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + data.length);
  out[0] = json.length & 0xff;
  out[1] = json.length >> 8;
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

describe('safetensors', () => {
  it('round-trips a BERT state dict with HF names, shapes and order', () => {
    const c = tinyConfig();
    const weights = initBertWeights(c, createRng(1));
    const bytes = writeSafetensors(weights);
    const back = readSafetensors(bytes);
    expect(back.metadata).toEqual({ format: 'pt' });
    expect([...back.tensors.keys()]).toEqual(bertParamSpecs(c).map((s) => s.name));
    for (const [name, w] of weights) {
      expect(back.tensors.get(name)!.shape).toEqual(w.shape);
      expect(back.tensors.get(name)!.data).toEqual(w.data);
    }
  });

  it('pads the header to 8 bytes and lays tensors out back to back', () => {
    const bytes = writeSafetensors(new Map([['a', { shape: [3], data: new Float32Array([1, -2, 0.5]) }]]), {});
    const view = new DataView(bytes.buffer);
    const n = Number(view.getBigUint64(0, true));
    expect(n % 8).toBe(0);
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
    expect(header).toEqual({ a: { dtype: 'F32', shape: [3], data_offsets: [0, 12] } });
    expect(bytes.length).toBe(8 + n + 12);
    expect(view.getFloat32(8 + n + 4, true)).toBe(-2);
  });

  it('reads a hand-built file with F32, F16 and BF16 tensors', () => {
    const f32 = new Uint8Array(new Float32Array([1.5, -3]).buffer);
    // F16: 1.0 = 0x3c00, -2.0 = 0xc000, 65504 = 0x7bff, 2^-24 (smallest subnormal) = 0x0001.
    const f16 = [0x00, 0x3c, 0x00, 0xc0, 0xff, 0x7b, 0x01, 0x00];
    // BF16: 1.0 = 0x3f80, -0.5 = 0xbf00.
    const bf16 = [0x80, 0x3f, 0x00, 0xbf];
    const file = handBuilt(
      {
        __metadata__: { format: 'pt', note: 'hand' },
        'bert.pooler.dense.bias': { dtype: 'F32', shape: [2], data_offsets: [0, 8] },
        half: { dtype: 'F16', shape: [2, 2], data_offsets: [8, 16] },
        brain: { dtype: 'BF16', shape: [2], data_offsets: [16, 20] },
      },
      [...f32, ...f16, ...bf16],
    );
    const { tensors, metadata } = readSafetensors(file);
    expect(metadata).toEqual({ format: 'pt', note: 'hand' });
    expect(Array.from(tensors.get('bert.pooler.dense.bias')!.data)).toEqual([1.5, -3]);
    expect(tensors.get('half')!.shape).toEqual([2, 2]);
    expect(Array.from(tensors.get('half')!.data)).toEqual([1, -2, 65504, 2 ** -24]);
    expect(Array.from(tensors.get('brain')!.data)).toEqual([1, -0.5]);
  });

  it('refuses broken files with a message that says what is wrong', () => {
    expect(() => readSafetensors(new Uint8Array(4))).toThrow(/shorter/);
    expect(() => readSafetensors(handBuilt({ x: { dtype: 'I64', shape: [1], data_offsets: [0, 8] } }, new Array(8).fill(0)))).toThrow(/I64/);
    expect(() => readSafetensors(handBuilt({ x: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } }, new Array(8).fill(0)))).toThrow(/8 bytes for 3/);
    expect(() => readSafetensors(handBuilt({ x: { dtype: 'F32', shape: [4], data_offsets: [0, 16] } }, new Array(8).fill(0)))).toThrow(/outside/);
    const bad = handBuilt({}, []);
    bad[8] = 0x7b;
    bad[9] = 0x7b;
    expect(() => readSafetensors(bad)).toThrow(/JSON/);
  });
});
