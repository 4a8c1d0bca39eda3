/**
 * What a loader needs to know about an .onnx file before handing it to onnxruntime: its graph
 * inputs and outputs (names, element types, shapes), how many parameters its initialisers hold,
 * and whether its weights live in an external file. Read straight from the protobuf (onnx.proto's
 * ModelProto → GraphProto) by skipping every field we do not need, so a 90 MB model costs a walk
 * over a few thousand field headers, not a parse of its weights.
 */

export type OnnxElemType = 'float32' | 'uint8' | 'int8' | 'uint16' | 'int16' | 'int32' | 'int64' | 'string' | 'bool' | 'float16' | 'float64' | 'uint32' | 'uint64' | 'bfloat16' | 'other';

/** TensorProto.DataType codes → names (onnxruntime-web's tensor type names). */
const ELEM_TYPES: Record<number, OnnxElemType> = {
  1: 'float32', 2: 'uint8', 3: 'int8', 4: 'uint16', 5: 'int16', 6: 'int32', 7: 'int64', 8: 'string', 9: 'bool', 10: 'float16', 11: 'float64', 12: 'uint32', 13: 'uint64', 16: 'bfloat16',
};

export interface OnnxValueInfo {
  name: string;
  elemType: OnnxElemType;
  /** A number for a fixed dimension, a string for a symbolic one ("batch_size"), null when unnamed. */
  shape: (number | string | null)[];
}

export interface OnnxInfo {
  /** Graph inputs that are not initialisers (what a caller must feed). */
  inputs: OnnxValueInfo[];
  outputs: OnnxValueInfo[];
  /** Elements over all initialisers (weights, biases and constants). */
  parameters: number;
  /** Some initialiser keeps its data in another file (model.onnx_data): the .onnx alone cannot run. */
  externalData: boolean;
  /** The default-domain opset, when declared. */
  opset: number | null;
}

class ProtoReader {
  pos = 0;
  constructor(
    private readonly buf: Uint8Array,
    private readonly end = buf.length,
    start = 0,
  ) {
    this.pos = start;
  }

  get done(): boolean {
    return this.pos >= this.end;
  }

  varint(): number {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new Error('truncated varint');
      const b = this.buf[this.pos++];
      result += (b & 0x7f) * scale;
      if (b < 0x80) return result;
      scale *= 128;
    }
    throw new Error('varint longer than 10 bytes');
  }

  /** [field number, wire type]. */
  tag(): [number, number] {
    const t = this.varint();
    return [Math.floor(t / 8), t % 8];
  }

  /** A length-delimited field's [start, end). */
  span(): [number, number] {
    const len = this.varint();
    const start = this.pos;
    if (start + len > this.end) throw new Error('a field runs past the end of its message');
    this.pos += len;
    return [start, start + len];
  }

  sub(): ProtoReader {
    const [start, end] = this.span();
    return new ProtoReader(this.buf, end, start);
  }

  string(): string {
    const [start, end] = this.span();
    return new TextDecoder().decode(this.buf.subarray(start, end));
  }

  skip(wire: number): void {
    if (wire === 0) this.varint();
    else if (wire === 1) this.pos += 8;
    else if (wire === 2) this.span();
    else if (wire === 5) this.pos += 4;
    else throw new Error(`unsupported protobuf wire type ${wire}`);
    if (this.pos > this.end) throw new Error('a field runs past the end of its message');
  }

  /** A repeated int64 field, packed or not. */
  ints(wire: number, into: number[]): void {
    if (wire === 0) into.push(this.varint());
    else {
      const r = this.sub();
      while (!r.done) into.push(r.varint());
    }
  }
}

function readShape(r: ProtoReader): (number | string | null)[] {
  const dims: (number | string | null)[] = [];
  while (!r.done) {
    const [field, wire] = r.tag();
    if (field !== 1 || wire !== 2) {
      r.skip(wire);
      continue;
    }
    const d = r.sub();
    let dim: number | string | null = null;
    while (!d.done) {
      const [f, w] = d.tag();
      if (f === 1 && w === 0) dim = d.varint();
      else if (f === 2 && w === 2) dim = d.string();
      else d.skip(w);
    }
    dims.push(dim);
  }
  return dims;
}

/** ValueInfoProto: name (1), type (2: TypeProto, tensor_type 1: elem_type 1, shape 2). */
function readValueInfo(r: ProtoReader): OnnxValueInfo {
  const info: OnnxValueInfo = { name: '', elemType: 'other', shape: [] };
  while (!r.done) {
    const [field, wire] = r.tag();
    if (field === 1 && wire === 2) info.name = r.string();
    else if (field === 2 && wire === 2) {
      const type = r.sub();
      while (!type.done) {
        const [f, w] = type.tag();
        if (f !== 1 || w !== 2) {
          type.skip(w);
          continue;
        }
        const tensor = type.sub();
        while (!tensor.done) {
          const [tf, tw] = tensor.tag();
          if (tf === 1 && tw === 0) info.elemType = ELEM_TYPES[tensor.varint()] ?? 'other';
          else if (tf === 2 && tw === 2) info.shape = readShape(tensor.sub());
          else tensor.skip(tw);
        }
      }
    } else r.skip(wire);
  }
  return info;
}

/** TensorProto: dims (1), name (8), data_location (14; 1 = EXTERNAL). */
function readInitializer(r: ProtoReader): { name: string; elements: number; external: boolean } {
  const dims: number[] = [];
  let name = '';
  let external = false;
  while (!r.done) {
    const [field, wire] = r.tag();
    if (field === 1) r.ints(wire, dims);
    else if (field === 8 && wire === 2) name = r.string();
    else if (field === 14 && wire === 0) external = r.varint() === 1;
    else r.skip(wire);
  }
  return { name, elements: dims.reduce((p, d) => p * d, 1), external };
}

/** Throws "not an ONNX model: …" for bytes that are not a ModelProto with a graph. */
export function readOnnxInfo(bytes: Uint8Array): OnnxInfo {
  const inputs: OnnxValueInfo[] = [];
  const outputs: OnnxValueInfo[] = [];
  const initializers = new Set<string>();
  let parameters = 0;
  let externalData = false;
  let opset: number | null = null;
  let sawGraph = false;
  try {
    const model = new ProtoReader(bytes);
    while (!model.done) {
      const [field, wire] = model.tag();
      if (field === 7 && wire === 2) {
        sawGraph = true;
        const graph = model.sub();
        while (!graph.done) {
          const [f, w] = graph.tag();
          if (f === 5 && w === 2) {
            const init = readInitializer(graph.sub());
            initializers.add(init.name);
            parameters += init.elements;
            externalData ||= init.external;
          } else if (f === 11 && w === 2) inputs.push(readValueInfo(graph.sub()));
          else if (f === 12 && w === 2) outputs.push(readValueInfo(graph.sub()));
          else graph.skip(w);
        }
      } else if (field === 8 && wire === 2) {
        const op = model.sub();
        let domain = '';
        let version: number | null = null;
        while (!op.done) {
          const [f, w] = op.tag();
          if (f === 1 && w === 2) domain = op.string();
          else if (f === 2 && w === 0) version = op.varint();
          else op.skip(w);
        }
        if ((domain === '' || domain === 'ai.onnx') && version !== null) opset = version;
      } else model.skip(wire);
    }
  } catch (e) {
    throw new Error(`not an ONNX model: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (!sawGraph) throw new Error('not an ONNX model: no graph in the file');
  // Before IR version 4, initialisers were listed among the inputs too; they need no feeding.
  return { inputs: inputs.filter((i) => !initializers.has(i.name)), outputs, parameters, externalData, opset };
}
