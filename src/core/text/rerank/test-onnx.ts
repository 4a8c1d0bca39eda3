import { ProtoWriter } from '../model/protobuf';

/**
 * For tests: an ONNX file with the given graph inputs and outputs and no nodes (what the
 * signature check reads), to stand for models that are not cross-encoders.
 */
export interface FakeValue {
  name: string;
  /** TensorProto.DataType: 1 float, 7 int64, 10 float16. */
  type: number;
  dims: (number | string)[];
}

export function onnxWithSignature(inputs: FakeValue[], outputs: FakeValue[], opts: { externalInitializer?: boolean } = {}): Uint8Array {
  const valueInfo = (w: ProtoWriter, v: FakeValue) =>
    w.string(1, v.name).message(2, (t) =>
      t.message(1, (tensor) =>
        tensor.int(1, v.type).message(2, (shape) => {
          for (const d of v.dims) shape.message(1, (dim) => (typeof d === 'number' ? dim.int(1, d) : dim.string(2, d)));
        }),
      ),
    );
  return new ProtoWriter()
    .int(1, 8)
    .message(7, (g) => {
      g.string(2, 'fake');
      g.message(5, (t) => {
        t.packedInts(1, [3, 4]).int(2, 1).string(8, 'w');
        if (opts.externalInitializer) t.int(14, 1);
        else t.bytes(9, new Uint8Array(48));
      });
      for (const i of inputs) g.message(11, (w) => valueInfo(w, i));
      for (const o of outputs) g.message(12, (w) => valueInfo(w, o));
    })
    .message(8, (o) => o.string(1, '').int(2, 17))
    .finish();
}

export const BERT_INPUTS: FakeValue[] = ['input_ids', 'attention_mask', 'token_type_ids'].map((name) => ({ name, type: 7, dims: ['batch_size', 'sequence_length'] }));

/**
 * A runnable two-label, DistilBERT-style model (inputs input_ids and attention_mask only): with s
 * the sum of a pair's unpadded token ids, logits are [−s, s], so its score (logit[1] − logit[0])
 * is 2s, whatever the padding around it.
 */
export function sumOfIdsTwoLabelOnnx(): Uint8Array {
  const node = (w: ProtoWriter, op: string, inputs: string[], output: string, attrs: [string, number][] = []) => {
    for (const i of inputs) w.string(1, i);
    w.string(2, output).string(3, output).string(4, op);
    for (const [name, value] of attrs) w.message(5, (a) => a.string(1, name).int(3, value).int(20, 2));
  };
  const axis = new Uint8Array(8);
  axis[0] = 1;
  return new ProtoWriter()
    .int(1, 8)
    .message(7, (g) => {
      g.message(1, (w) => node(w, 'Cast', ['input_ids'], 'ids', [['to', 1]]));
      g.message(1, (w) => node(w, 'Cast', ['attention_mask'], 'mask', [['to', 1]]));
      g.message(1, (w) => node(w, 'Mul', ['ids', 'mask'], 'kept'));
      g.message(1, (w) => node(w, 'ReduceSum', ['kept', 'axis'], 'sum', [['keepdims', 1]]));
      g.message(1, (w) => node(w, 'Neg', ['sum'], 'minus'));
      g.message(1, (w) => node(w, 'Concat', ['minus', 'sum'], 'logits', [['axis', 1]]));
      g.string(2, 'sum_of_ids');
      g.message(5, (t) => t.packedInts(1, [1]).int(2, 7).string(8, 'axis').bytes(9, axis));
      for (const i of BERT_INPUTS.slice(0, 2)) g.message(11, (w) => w.string(1, i.name).message(2, (t) => t.message(1, (tt) => tt.int(1, 7).message(2, (s) => s.message(1, (d) => d.string(2, 'batch')).message(1, (d) => d.string(2, 'seq'))))));
      g.message(12, (w) => w.string(1, 'logits').message(2, (t) => t.message(1, (tt) => tt.int(1, 1).message(2, (s) => s.message(1, (d) => d.string(2, 'batch')).message(1, (d) => d.int(1, 2))))));
    })
    .message(8, (o) => o.string(1, '').int(2, 17))
    .finish();
}
