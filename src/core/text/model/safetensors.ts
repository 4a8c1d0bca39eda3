import type { WeightData } from './params';

/**
 * safetensors (https://github.com/huggingface/safetensors): an 8-byte little-endian header length
 * N, N bytes of JSON `{name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__"?: {...}}`,
 * then the tensors' raw little-endian bytes (offsets are relative to the end of the header).
 * RankPlay computes in float32, so every supported dtype is read into a Float32Array.
 */

export type SafetensorsDtype = 'F32' | 'F16' | 'BF16';

export interface SafetensorsFile {
  tensors: Map<string, WeightData>;
  metadata: Record<string, string>;
}

const BYTES: Record<SafetensorsDtype, number> = { F32: 4, F16: 2, BF16: 2 };

/** transformers refuses a safetensors checkpoint without a known `format` in its metadata. */
const DEFAULT_METADATA = { format: 'pt' };

/**
 * Writes float32 tensors in the given order. The header is padded with spaces to a multiple of 8
 * bytes, as the reference writer does, so every tensor starts aligned and can be viewed in place.
 */
export function writeSafetensors(tensors: ReadonlyMap<string, WeightData>, metadata: Record<string, string> = DEFAULT_METADATA): Uint8Array {
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) header.__metadata__ = metadata;
  let offset = 0;
  for (const [name, t] of tensors) {
    if (name === '__metadata__') throw new Error("a tensor cannot be named '__metadata__'");
    const n = t.shape.reduce((p, d) => p * d, 1);
    if (n !== t.data.length) throw new Error(`'${name}' has ${t.data.length} values for shape [${t.shape.join(', ')}]`);
    header[name] = { dtype: 'F32', shape: t.shape, data_offsets: [offset, offset + n * 4] };
    offset += n * 4;
  }
  let json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil(json.length / 8) * 8;
  if (padded !== json.length) {
    const spaced = new Uint8Array(padded).fill(0x20);
    spaced.set(json);
    json = spaced;
  }
  const out = new Uint8Array(8 + json.length + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  let at = 8 + json.length;
  for (const t of tensors.values()) {
    for (let i = 0; i < t.data.length; i++, at += 4) view.setFloat32(at, t.data[i], true);
  }
  return out;
}

/** IEEE half → float32 (subnormals, infinities and NaN included). */
function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 0x1f) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

/** bfloat16 is the top half of a float32: widen the bits through a shared word. */
const bits = new Uint32Array(1);
const asFloat = new Float32Array(bits.buffer);

interface HeaderEntry {
  dtype: string;
  shape: number[];
  data_offsets: [number, number];
}

function checkEntry(name: string, e: unknown, dataBytes: number): HeaderEntry {
  const bad = (why: string) => new Error(`model.safetensors: tensor '${name}' ${why}`);
  if (typeof e !== 'object' || e === null) throw bad('has no header entry');
  const { dtype, shape, data_offsets: offs } = e as Record<string, unknown>;
  if (typeof dtype !== 'string') throw bad('has no dtype');
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) throw bad('has a malformed shape');
  if (!Array.isArray(offs) || offs.length !== 2 || !offs.every((o) => Number.isInteger(o) && o >= 0) || offs[0] > offs[1] || offs[1] > dataBytes) {
    throw bad(`has data offsets ${JSON.stringify(offs)} outside the ${dataBytes} data bytes`);
  }
  return { dtype, shape: shape as number[], data_offsets: offs as [number, number] };
}

/** Reads F32, F16 and BF16 tensors into float32; other dtypes are refused with their name. */
export function readSafetensors(bytes: Uint8Array): SafetensorsFile {
  if (bytes.length < 8) throw new Error('model.safetensors: the file is shorter than its 8-byte header length');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLen = Number(view.getBigUint64(0, true));
  if (headerLen > bytes.length - 8) throw new Error(`model.safetensors: the header says ${headerLen} bytes but the file has ${bytes.length - 8} after it`);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLen)));
  } catch (e) {
    throw new Error(`model.safetensors: the header is not valid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) throw new Error('model.safetensors: the header is not a JSON object');
  const dataStart = 8 + headerLen;
  const dataBytes = bytes.length - dataStart;
  const tensors = new Map<string, WeightData>();
  let metadata: Record<string, string> = {};
  for (const [name, raw] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') {
      metadata = (raw ?? {}) as Record<string, string>;
      continue;
    }
    const e = checkEntry(name, raw, dataBytes);
    if (!(e.dtype in BYTES)) throw new Error(`model.safetensors: tensor '${name}' is ${e.dtype}; only F32, F16 and BF16 are supported`);
    const width = BYTES[e.dtype as SafetensorsDtype];
    const n = e.shape.reduce((p, d) => p * d, 1);
    const [begin, end] = e.data_offsets;
    if (end - begin !== n * width) throw new Error(`model.safetensors: tensor '${name}' has ${end - begin} bytes for ${n} ${e.dtype} values`);
    const data = new Float32Array(n);
    const base = dataStart + begin;
    for (let i = 0; i < n; i++) {
      if (e.dtype === 'F32') data[i] = view.getFloat32(base + 4 * i, true);
      else if (e.dtype === 'F16') data[i] = halfToFloat(view.getUint16(base + 2 * i, true));
      else {
        bits[0] = view.getUint16(base + 2 * i, true) << 16;
        data[i] = asFloat[0];
      }
    }
    tensors.set(name, { shape: e.shape, data });
  }
  return { tensors, metadata };
}
