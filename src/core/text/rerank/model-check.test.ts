import { describe, expect, it } from 'vitest';
import { bertConfigToJson } from '../model/config';
import { tinyConfig } from '../model/test-helpers';
import { tokenizerConfigJson, tokenizerJson } from '../model/wordpiece';
import { checkOnnxSignature, checkTokenizerFiles, checkTokenizerFitsModel, readCrossEncoderConfig, resolveMaxLength, scoresFromLogits } from './model-check';
import { folderPaths, formatBytes, missingFileMessage, modelBaseUrl, nameFromUrl } from './model-folder';
import { exportBertOnnx } from '../model/onnx-export';
import { countParams } from '../model/params';
import { readOnnxInfo } from './onnx-info';
import { randomWeights } from '../model/test-helpers';
import { BERT_INPUTS, onnxWithSignature } from './test-onnx';

const bertJson = bertConfigToJson(tinyConfig());
const config = readCrossEncoderConfig(bertJson);
const vocab = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', 'a', 'b', '##c'];

describe('config.json', () => {
  it('reads a BERT sequence classifier', () => {
    expect(config).toEqual({ modelType: 'bert', name: null, numLabels: 1, maxPositionEmbeddings: 16, vocabSize: 30 });
    expect(readCrossEncoderConfig({ model_type: 'electra', id2label: { 0: 'no', 1: 'yes' }, _name_or_path: 'x/y' })).toMatchObject({ modelType: 'electra', numLabels: 2, name: 'x/y', maxPositionEmbeddings: 512 });
    expect(readCrossEncoderConfig({ model_type: 'distilbert', architectures: ['DistilBertForSequenceClassification'], num_labels: 1 }).modelType).toBe('distilbert');
  });

  it('refuses other families, other heads and other label counts by name', () => {
    expect(() => readCrossEncoderConfig({ model_type: 'xlm-roberta' })).toThrow("config.json: model_type 'xlm-roberta' is not supported (its tokenizer is SentencePiece, not WordPiece); RankPlay runs BERT-family cross-encoders: bert, electra, distilbert");
    expect(() => readCrossEncoderConfig({ model_type: 'bert', architectures: ['BertModel'] })).toThrow(/architectures BertModel is not a sequence-classification model/);
    expect(() => readCrossEncoderConfig({ model_type: 'bert', num_labels: 3 })).toThrow(/3 labels; a reranker has 1 .* or 2/);
    expect(() => readCrossEncoderConfig({})).toThrow(/no model_type/);
    expect(() => readCrossEncoderConfig([])).toThrow(/expected a JSON object/);
  });
});

describe('tokenizer.json', () => {
  const tok = tokenizerJson(vocab);
  it('accepts a WordPiece tokenizer with the BERT pair template', () => {
    expect(checkTokenizerFiles(tok, tokenizerConfigJson(vocab, 128))).toEqual({ padId: 0, vocabSize: 8, modelMaxLength: 128 });
    expect(checkTokenizerFiles({ ...tok, post_processor: { type: 'BertProcessing', sep: ['[SEP]', 3], cls: ['[CLS]', 2] } }, {}).modelMaxLength).toBeNull();
  });

  it('names unsupported tokenizers', () => {
    expect(() => checkTokenizerFiles({ model: { type: 'BPE', vocab: {}, merges: [] } }, {})).toThrow('tokenizer.json: a BPE tokenizer (RoBERTa/GPT style) is not supported; RankPlay supports WordPiece tokenizers (BERT, MiniLM, ELECTRA, DistilBERT)');
    expect(() => checkTokenizerFiles({ model: { type: 'Unigram', vocab: [] } }, {})).toThrow(/SentencePiece Unigram/);
    expect(() => checkTokenizerFiles({ ...tok, post_processor: { type: 'RobertaProcessing' } }, {})).toThrow(/post-processor RobertaProcessing is not supported/);
    expect(() => checkTokenizerFiles({ ...tok, post_processor: null }, {})).toThrow(/no post-processor/);
    const pair = (tok.post_processor as { pair: unknown[] }).pair;
    const sameTypes = { ...tok, post_processor: { type: 'TemplateProcessing', pair: pair.map((p) => JSON.parse(JSON.stringify(p).replace('"type_id":1', '"type_id":0').replace('"type_id":1', '"type_id":0'))) } };
    expect(() => checkTokenizerFiles(sameTypes, {})).toThrow(/got S0 A0 S0 B0 S0/);
    expect(() => checkTokenizerFiles({ vocab: {} }, {})).toThrow(/no "model" object/);
  });

  it('must fit the embedding table, and caps the length', () => {
    const spec = checkTokenizerFiles(tok, {});
    expect(() => checkTokenizerFitsModel({ ...spec, vocabSize: 31 }, config)).toThrow('tokenizer.json has 31 tokens but config.json says vocab_size 30: the two files belong to different models');
    expect(resolveMaxLength(undefined, config, spec)).toBe(16);
    expect(resolveMaxLength(undefined, { ...config, maxPositionEmbeddings: 4096 }, spec)).toBe(512);
    expect(resolveMaxLength(undefined, config, { ...spec, modelMaxLength: 8 })).toBe(8);
    expect(resolveMaxLength(10, config, spec)).toBe(10);
    expect(() => resolveMaxLength(17, config, spec)).toThrow(/longer than the model's position table/);
  });
});

describe('ONNX signature', () => {
  const logits = { name: 'logits', type: 1, dims: ['batch_size', 1] };
  const check = (bytes: Uint8Array, c = config) => checkOnnxSignature(readOnnxInfo(bytes), 'onnx/model.onnx', c);

  it("reads the exporter's model: inputs, outputs and parameter count", () => {
    const c = tinyConfig();
    const info = readOnnxInfo(exportBertOnnx(c, randomWeights(c, 1)));
    expect(info.inputs.map((i) => [i.name, i.elemType, i.shape])).toEqual(BERT_INPUTS.map((i) => [i.name, 'int64', i.dims]));
    expect(info.outputs).toEqual([{ name: 'logits', elemType: 'float32', shape: ['batch_size', 1] }]);
    expect(info.parameters).toBeGreaterThanOrEqual(countParams(c));
    expect(info.parameters).toBeLessThan(countParams(c) + 64);
    expect(info.opset).toBe(17);
    expect(check(exportBertOnnx(c, randomWeights(c, 1)))).toEqual({ inputs: BERT_INPUTS.map((i) => ({ name: i.name, type: 'int64' })), output: 'logits', outputType: 'float32', numLabels: 1 });
  });

  it('accepts DistilBERT-style inputs and a two-label head', () => {
    const two = { ...config, numLabels: 2 as const };
    expect(check(onnxWithSignature(BERT_INPUTS.slice(0, 2), [{ ...logits, dims: ['batch', 2] }]), two).inputs.map((i) => i.name)).toEqual(['input_ids', 'attention_mask']);
  });

  it('refuses models that are not sequence classifiers, with what they are', () => {
    expect(() => check(onnxWithSignature(BERT_INPUTS, [{ name: 'last_hidden_state', type: 1, dims: ['batch_size', 'sequence_length', 384] }]))).toThrow(
      'onnx/model.onnx outputs last_hidden_state [batch_size, sequence_length, 384]: a feature-extraction (embedding) model, not a sequence-classification cross-encoder; a cross-encoder outputs logits [batch, 1]',
    );
    expect(() => check(onnxWithSignature([...BERT_INPUTS, { name: 'past_key_values.0.key', type: 1, dims: [1] }], [logits]))).toThrow(/takes inputs input_ids, attention_mask, token_type_ids, past_key_values.0.key; .*text-generation/);
    expect(() => check(onnxWithSignature([{ name: 'pixel_values', type: 1, dims: [1, 3, 224, 224] }], [logits]))).toThrow(/takes inputs pixel_values; a cross-encoder takes input_ids/);
    expect(() => check(onnxWithSignature(BERT_INPUTS, [{ ...logits, dims: ['batch_size', 3] }]))).toThrow(/3 labels; a reranker has 1/);
    expect(() => check(onnxWithSignature(BERT_INPUTS, [{ ...logits, dims: ['batch_size', 2] }]))).toThrow(/2 labels but config.json says 1/);
    expect(() => check(onnxWithSignature([{ ...BERT_INPUTS[0], type: 1 }, BERT_INPUTS[1]], [logits]))).toThrow(/input input_ids is float32/);
    expect(() => check(onnxWithSignature(BERT_INPUTS, [logits], { externalInitializer: true }))).toThrow(/keeps its weights in a separate file/);
    expect(() => readOnnxInfo(new TextEncoder().encode('<html>not found</html>'))).toThrow(/^not an ONNX model/);
  });

  it('scores two labels by their log-odds', () => {
    expect(Array.from(scoresFromLogits(Float32Array.of(1, 3, 2, -1), 2, 2))).toEqual([2, -3]);
    expect(() => scoresFromLogits(Float32Array.of(1, 2, 3), 2, 1)).toThrow(/3 logits for 2 pairs/);
  });
});

describe('model folder', () => {
  it('resolves Hub pages to file bases', () => {
    expect(modelBaseUrl('https://huggingface.co/cross-encoder/ms-marco-MiniLM-L-6-v2')).toBe('https://huggingface.co/cross-encoder/ms-marco-MiniLM-L-6-v2/resolve/main/');
    expect(modelBaseUrl('https://huggingface.co/org/m/tree/v2')).toBe('https://huggingface.co/org/m/resolve/v2/');
    expect(modelBaseUrl('https://huggingface.co/org/m/resolve/main/')).toBe('https://huggingface.co/org/m/resolve/main/');
    expect(modelBaseUrl('/models/demo')).toBe('/models/demo/');
    expect(nameFromUrl('https://huggingface.co/org/m/resolve/main/')).toBe('org/m');
    expect(nameFromUrl('http://127.0.0.1/models/tiny/')).toBe('tiny');
  });

  it('drops the picked folder name in front of the paths', () => {
    expect([...folderPaths(['m/config.json', 'm/onnx/model.onnx'])]).toEqual([['config.json', 'm/config.json'], ['onnx/model.onnx', 'm/onnx/model.onnx']]);
    expect([...folderPaths(['config.json', 'onnx/model.onnx']).keys()]).toEqual(['config.json', 'onnx/model.onnx']);
  });

  it('says what is missing and what to do', () => {
    expect(missingFileMessage('tokenizer.json', 'onnx/model.onnx')).toMatch(/^the model folder has no tokenizer.json/);
    expect(missingFileMessage('onnx/model.onnx', 'onnx/model.onnx', ['config.json', 'onnx/model_quantized.onnx'])).toBe('the model folder has no onnx/model.onnx; it has onnx/model_quantized.onnx: choose one of those as the ONNX file');
    expect(formatBytes(3_200_000)).toBe('3.2 MB');
    expect(formatBytes(512)).toBe('512 bytes');
  });
});
