import { checkBertConfig, type BertConfig } from './config';
import { MASKED_SCORE } from './bert';
import { checkBertWeights, type BertWeights, type WeightData } from './params';
import { ProtoWriter } from './protobuf';

/**
 * BertForSequenceClassification as an ONNX graph (opset 17) that onnxruntime-web runs: inputs
 * input_ids, attention_mask, token_type_ids (int64 [batch, sequence]), output logits (float32
 * [batch, 1]), the same signature as Hugging Face Optimum's export, so one loader serves both.
 * The math is bert.ts's, op for op; the parity test holds the two to 1e-4.
 *
 * Field numbers are onnx.proto's (ModelProto, GraphProto, NodeProto, TensorProto, ...).
 */

export interface OnnxExportOptions {
  /** Written as ModelProto.doc_string (e.g. how the model was trained). */
  docString?: string;
  producerVersion?: string;
}

export const ONNX_OPSET = 17;
/** IR version 8 is the first to cover opset 17 (ONNX 1.12). */
const IR_VERSION = 8;

const FLOAT = 1;
const INT64 = 7;

type Attr = { name: string; int: number } | { name: string; float: number } | { name: string; ints: number[] };

interface Node {
  op: string;
  inputs: string[];
  outputs: string[];
  attrs: Attr[];
}

interface Initializer {
  name: string;
  dims: number[];
  dataType: number;
  raw: Uint8Array;
}

const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function floatBytes(data: Float32Array): Uint8Array {
  if (littleEndian) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const out = new Uint8Array(data.length * 4);
  const view = new DataView(out.buffer);
  data.forEach((v, i) => view.setFloat32(4 * i, v, true));
  return out;
}

function int64Bytes(values: readonly number[]): Uint8Array {
  const out = new Uint8Array(values.length * 8);
  const view = new DataView(out.buffer);
  values.forEach((v, i) => view.setBigInt64(8 * i, BigInt(v), true));
  return out;
}

/** Collects nodes and initializers; every intermediate value gets a fresh, readable name. */
class GraphBuilder {
  readonly nodes: Node[] = [];
  readonly initializers: Initializer[] = [];
  private readonly consts = new Map<string, string>();
  private count = 0;

  op(op: string, inputs: string[], attrs: Attr[] = [], hint = op): string {
    const out = `/${hint}_${this.count++}`;
    this.nodes.push({ op, inputs, outputs: [out], attrs });
    return out;
  }

  weight(name: string, w: WeightData): string {
    this.initializers.push({ name, dims: w.shape, dataType: FLOAT, raw: floatBytes(w.data) });
    return name;
  }

  /** A shared constant, created once per distinct value. */
  constFloat(value: number): string {
    return this.constant(`f:${value}`, () => ({ dims: [], dataType: FLOAT, raw: floatBytes(new Float32Array([value])) }));
  }

  constInts(values: number[], scalar = false): string {
    return this.constant(`i:${scalar}:${values.join(',')}`, () => ({ dims: scalar ? [] : [values.length], dataType: INT64, raw: int64Bytes(values) }));
  }

  private constant(key: string, make: () => Omit<Initializer, 'name'>): string {
    let name = this.consts.get(key);
    if (name === undefined) {
      name = `/const_${this.consts.size}`;
      this.consts.set(key, name);
      this.initializers.push({ name, ...make() });
    }
    return name;
  }
}

function buildGraph(c: BertConfig, weights: BertWeights): GraphBuilder {
  const g = new GraphBuilder();
  const w = (name: string) => g.weight(name, weights.get(name) as WeightData);
  const H = c.hidden_size;
  const heads = c.num_attention_heads;
  const d = H / heads;

  // Linear weights stay [out, in] under their HF names; a Transpose feeds MatMul (onnxruntime
  // folds it into a constant when the session is created, so it costs nothing per run).
  const linear = (prefix: string, x: string) => {
    const wt = g.op('Transpose', [w(`${prefix}.weight`)], [{ name: 'perm', ints: [1, 0] }], `${prefix}.weight.T`);
    return g.op('Add', [g.op('MatMul', [x, wt], [], `${prefix}.MatMul`), w(`${prefix}.bias`)], [], `${prefix}.Add`);
  };
  const layerNorm = (prefix: string, x: string) =>
    g.op('LayerNormalization', [x, w(`${prefix}.weight`), w(`${prefix}.bias`)], [{ name: 'axis', int: -1 }, { name: 'epsilon', float: c.layer_norm_eps }], prefix);
  const gelu = (x: string) => {
    const erf = g.op('Erf', [g.op('Div', [x, g.constFloat(Math.SQRT2)])]);
    return g.op('Mul', [g.op('Mul', [x, g.constFloat(0.5)]), g.op('Add', [erf, g.constFloat(1)])], [], 'gelu');
  };

  const words = g.op('Gather', [w('bert.embeddings.word_embeddings.weight'), 'input_ids'], [{ name: 'axis', int: 0 }], 'word_embeddings');
  const types = g.op('Gather', [w('bert.embeddings.token_type_embeddings.weight'), 'token_type_ids'], [{ name: 'axis', int: 0 }], 'token_type_embeddings');
  const seqLen = g.op('Slice', [g.op('Shape', ['input_ids']), g.constInts([1]), g.constInts([2]), g.constInts([0])], [], 'sequence_length');
  const positions = g.op('Slice', [w('bert.embeddings.position_embeddings.weight'), g.constInts([0]), seqLen, g.constInts([0])], [], 'position_embeddings');
  let x = layerNorm('bert.embeddings.LayerNorm', g.op('Add', [g.op('Add', [words, types]), positions]));

  const maskF = g.op('Cast', ['attention_mask'], [{ name: 'to', int: FLOAT }]);
  const blocked = g.op('Mul', [g.op('Sub', [g.constFloat(1), maskF]), g.constFloat(MASKED_SCORE)]);
  const keyMask = g.op('Unsqueeze', [blocked, g.constInts([1, 2])], [], 'key_mask');
  const headShape = g.constInts([0, 0, heads, d]);
  const toHeads = (t: string, perm: number[]) => g.op('Transpose', [g.op('Reshape', [t, headShape])], [{ name: 'perm', ints: perm }]);

  for (let i = 0; i < c.num_hidden_layers; i++) {
    const p = `bert.encoder.layer.${i}`;
    const q = toHeads(linear(`${p}.attention.self.query`, x), [0, 2, 1, 3]);
    const kT = toHeads(linear(`${p}.attention.self.key`, x), [0, 2, 3, 1]);
    const v = toHeads(linear(`${p}.attention.self.value`, x), [0, 2, 1, 3]);
    const scores = g.op('Add', [g.op('Div', [g.op('MatMul', [q, kT]), g.constFloat(Math.sqrt(d))]), keyMask], [], `${p}.scores`);
    const probs = g.op('Softmax', [scores], [{ name: 'axis', int: -1 }]);
    const merged = g.op('Transpose', [g.op('MatMul', [probs, v])], [{ name: 'perm', ints: [0, 2, 1, 3] }]);
    const context = g.op('Reshape', [merged, g.constInts([0, 0, H])], [], `${p}.context`);
    const attended = layerNorm(`${p}.attention.output.LayerNorm`, g.op('Add', [linear(`${p}.attention.output.dense`, context), x]));
    const inner = gelu(linear(`${p}.intermediate.dense`, attended));
    x = layerNorm(`${p}.output.LayerNorm`, g.op('Add', [linear(`${p}.output.dense`, inner), attended]));
  }
  const cls = g.op('Gather', [x, g.constInts([0], true)], [{ name: 'axis', int: 1 }], 'cls');
  const pooled = g.op('Tanh', [linear('bert.pooler.dense', cls)], [], 'pooler');
  const logits = linear('classifier', pooled);
  g.nodes.push({ op: 'Identity', inputs: [logits], outputs: ['logits'], attrs: [] });
  return g;
}

function writeAttr(a: Attr, w: ProtoWriter): void {
  w.string(1, a.name);
  // AttributeProto: f = 2, i = 3, ints = 8; type = 20 (FLOAT 1, INT 2, INTS 7).
  if ('int' in a) w.int(3, a.int).int(20, 2);
  else if ('float' in a) w.float(2, a.float).int(20, 1);
  else w.packedInts(8, a.ints).int(20, 7);
}

/** ValueInfoProto for a graph input or output: tensor of `elemType`, dims as numbers or symbolic names. */
function writeValueInfo(w: ProtoWriter, name: string, elemType: number, dims: (number | string)[]): void {
  w.string(1, name).message(2, (type) =>
    type.message(1, (tensor) =>
      tensor.int(1, elemType).message(2, (shape) => {
        for (const dim of dims) shape.message(1, (dm) => (typeof dim === 'number' ? dm.int(1, dim) : dm.string(2, dim)));
      }),
    ),
  );
}

/** Serialises the model to ONNX protobuf bytes (a complete .onnx file, weights inline). */
export function exportBertOnnx(c: BertConfig, weights: BertWeights, opts: OnnxExportOptions = {}): Uint8Array {
  checkBertConfig(c);
  checkBertWeights(c, weights);
  const g = buildGraph(c, weights);
  const model = new ProtoWriter();
  model.int(1, IR_VERSION).string(2, 'rankplay').string(3, opts.producerVersion ?? '0.1.0');
  if (opts.docString) model.string(6, opts.docString);
  model.message(7, (graph) => {
    for (const n of g.nodes) {
      graph.message(1, (node) => {
        for (const i of n.inputs) node.string(1, i);
        for (const o of n.outputs) node.string(2, o);
        node.string(3, n.outputs[0].replace(/^\//, '')).string(4, n.op);
        for (const a of n.attrs) node.message(5, (attr) => writeAttr(a, attr));
      });
    }
    graph.string(2, 'rankplay_bert_cross_encoder');
    for (const t of g.initializers) {
      graph.message(5, (tensor) => {
        if (t.dims.length > 0) tensor.packedInts(1, t.dims);
        tensor.int(2, t.dataType).string(8, t.name).bytes(9, t.raw);
      });
    }
    for (const name of ['input_ids', 'attention_mask', 'token_type_ids']) graph.message(11, (vi) => writeValueInfo(vi, name, INT64, ['batch_size', 'sequence_length']));
    graph.message(12, (vi) => writeValueInfo(vi, 'logits', FLOAT, ['batch_size', 1]));
  });
  model.message(8, (opset) => opset.string(1, '').int(2, ONNX_OPSET));
  return model.finish();
}
