import type { OnnxElemType, OnnxInfo, OnnxValueInfo } from './onnx-info';

/**
 * Checks that a model folder holds a cross-encoder RankPlay can run, before anything big is
 * downloaded or a session is created, and says what is wrong in words a person can act on.
 *
 * Supported: BERT-family sequence-classification models with a WordPiece tokenizer — model_type
 * bert (BERT, MiniLM, TinyBERT, the ms-marco cross-encoders), electra and distilbert — with one
 * logit (a relevance score) or two (not relevant, relevant). RoBERTa/XLM-R/DeBERTa-style models
 * tokenise with byte-level BPE or SentencePiece and mark the passage differently; they are refused
 * by name rather than scored wrongly.
 */

export const SUPPORTED_MODEL_TYPES = ['bert', 'electra', 'distilbert'] as const;
export type SupportedModelType = (typeof SUPPORTED_MODEL_TYPES)[number];

export interface CrossEncoderConfig {
  modelType: SupportedModelType;
  /** config `_name_or_path`, when it says something. */
  name: string | null;
  /** 1: the logit is the score. 2: the score is logit[1] − logit[0] (see `scoresFromLogits`). */
  numLabels: 1 | 2;
  maxPositionEmbeddings: number;
  vocabSize: number;
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const positiveInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v > 0;

const OTHER_TOKENIZERS: Record<string, string> = {
  roberta: 'byte-level BPE',
  'xlm-roberta': 'SentencePiece',
  camembert: 'SentencePiece',
  deberta: 'byte-level BPE',
  'deberta-v2': 'SentencePiece',
  mpnet: 'RoBERTa-style pair template',
  bart: 'byte-level BPE',
  t5: 'SentencePiece',
  mt5: 'SentencePiece',
  gemma: 'SentencePiece',
  qwen2: 'byte-level BPE',
  qwen3: 'byte-level BPE',
  modernbert: 'byte-level BPE',
};

const supportedList = SUPPORTED_MODEL_TYPES.join(', ');

/** config.json → what the loader needs; throws "config.json: …" naming the problem. */
export function readCrossEncoderConfig(json: unknown): CrossEncoderConfig {
  if (!isObject(json)) throw new Error('config.json: expected a JSON object');
  const type = json.model_type;
  if (typeof type !== 'string') throw new Error(`config.json: no model_type (RankPlay runs ${supportedList} cross-encoders)`);
  if (!(SUPPORTED_MODEL_TYPES as readonly string[]).includes(type)) {
    const why = OTHER_TOKENIZERS[type] ? ` (its tokenizer is ${OTHER_TOKENIZERS[type]}, not WordPiece)` : '';
    throw new Error(`config.json: model_type '${type}' is not supported${why}; RankPlay runs BERT-family cross-encoders: ${supportedList}`);
  }
  const archs = json.architectures;
  if (Array.isArray(archs) && archs.length > 0 && !archs.some((a) => typeof a === 'string' && a.endsWith('ForSequenceClassification'))) {
    throw new Error(`config.json: architectures ${archs.join(', ')} is not a sequence-classification model; a cross-encoder is …ForSequenceClassification (one relevance logit per pair)`);
  }
  const labelCount = isObject(json.id2label) ? Object.keys(json.id2label).length : undefined;
  // transformers' default is 2 labels when a config names none.
  const numLabels = json.num_labels ?? labelCount ?? 2;
  if (numLabels !== 1 && numLabels !== 2) {
    throw new Error(`config.json: the model has ${String(numLabels)} labels; a reranker has 1 (a relevance logit) or 2 (not relevant / relevant)`);
  }
  const dim = (key: string, fallback: number): number => {
    const v = json[key] ?? fallback;
    if (!positiveInt(v)) throw new Error(`config.json: ${key} must be a positive integer, got ${String(v)}`);
    return v;
  };
  const name = typeof json._name_or_path === 'string' && json._name_or_path.trim() !== '' ? json._name_or_path : null;
  // DistilBERT names it max_position_embeddings too; 512 is every family's default.
  return { modelType: type as SupportedModelType, name, numLabels, maxPositionEmbeddings: dim('max_position_embeddings', 512), vocabSize: dim('vocab_size', 30522) };
}

export interface TokenizerSpec {
  /** The id padding uses ([PAD]); mask 0 makes its value irrelevant to the scores, but it must be in range. */
  padId: number;
  /** Largest token id + 1. */
  vocabSize: number;
  /** tokenizer_config.json's model_max_length, when it is a real limit. */
  modelMaxLength: number | null;
}

function tokenOf(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (isObject(v) && typeof v.content === 'string') return v.content;
  return null;
}

/** TemplateProcessing's pair template, checked to be [CLS] A [SEP] B [SEP] with B (and its [SEP]) of type 1. */
function checkPairTemplate(pp: Json): void {
  const pair = pp.pair;
  if (!Array.isArray(pair)) throw new Error('tokenizer.json: the post-processor has no pair template, so it cannot encode a query with a passage');
  const kinds = pair.map((p: unknown) => {
    if (!isObject(p)) return '?';
    if (isObject(p.SpecialToken)) return `S${String(p.SpecialToken.type_id ?? 0)}`;
    if (isObject(p.Sequence)) return `${String(p.Sequence.id)}${String(p.Sequence.type_id ?? 0)}`;
    return '?';
  });
  if (kinds.join(' ') !== 'S0 A0 S0 B1 S1') {
    throw new Error(`tokenizer.json: the pair template is not BERT's [CLS] A [SEP] B [SEP] with the passage as token type 1 (got ${kinds.join(' ')})`);
  }
}

function checkPostProcessor(pp: unknown): void {
  if (!isObject(pp)) throw new Error('tokenizer.json: no post-processor, so no [CLS]/[SEP] template for query–passage pairs');
  if (pp.type === 'BertProcessing') return;
  if (pp.type === 'TemplateProcessing') return checkPairTemplate(pp);
  if (pp.type === 'Sequence' && Array.isArray(pp.processors)) {
    const inner = pp.processors.filter((p: unknown) => isObject(p) && (p.type === 'TemplateProcessing' || p.type === 'BertProcessing'));
    if (inner.length === 1) return checkPostProcessor(inner[0]);
  }
  throw new Error(`tokenizer.json: post-processor ${String(pp.type)} is not supported (RankPlay needs BERT's [CLS] query [SEP] passage [SEP] template)`);
}

/**
 * tokenizer.json (+ tokenizer_config.json, {} when absent) must be a WordPiece tokenizer with
 * BERT's pair template; throws "tokenizer.json: …" otherwise.
 */
export function checkTokenizerFiles(tokenizerJson: unknown, tokenizerConfig: unknown): TokenizerSpec {
  if (!isObject(tokenizerJson) || !isObject(tokenizerJson.model)) throw new Error('tokenizer.json: not a tokenizers file (no "model" object)');
  const model = tokenizerJson.model;
  const type = typeof model.type === 'string' ? model.type : 'continuing_subword_prefix' in model ? 'WordPiece' : 'unknown';
  if (type !== 'WordPiece') {
    const what = type === 'BPE' ? 'a BPE tokenizer (RoBERTa/GPT style)' : type === 'Unigram' ? 'a SentencePiece Unigram tokenizer (XLM-R/T5 style)' : `a '${type}' tokenizer`;
    throw new Error(`tokenizer.json: ${what} is not supported; RankPlay supports WordPiece tokenizers (BERT, MiniLM, ELECTRA, DistilBERT)`);
  }
  if (!isObject(model.vocab)) throw new Error('tokenizer.json: the WordPiece model has no vocabulary');
  const vocab = model.vocab;
  let maxId = -1;
  for (const v of Object.values(vocab)) if (typeof v === 'number' && v > maxId) maxId = v;
  const added = Array.isArray(tokenizerJson.added_tokens) ? tokenizerJson.added_tokens : [];
  for (const t of added) if (isObject(t) && typeof t.id === 'number' && t.id > maxId) maxId = t.id;
  if (maxId < 0) throw new Error('tokenizer.json: the vocabulary is empty');
  checkPostProcessor(tokenizerJson.post_processor);

  const cfg = isObject(tokenizerConfig) ? tokenizerConfig : {};
  const padToken = tokenOf(cfg.pad_token) ?? (isObject(tokenizerJson.padding) ? tokenOf(tokenizerJson.padding.pad_token) : null) ?? '[PAD]';
  const padFromVocab = vocab[padToken];
  const padId = typeof padFromVocab === 'number' ? padFromVocab : 0;
  const mml = cfg.model_max_length;
  return { padId, vocabSize: maxId + 1, modelMaxLength: positiveInt(mml) && mml < 1e6 ? mml : null };
}

/** The tokenizer's ids must index the model's embedding table. */
export function checkTokenizerFitsModel(tok: TokenizerSpec, config: CrossEncoderConfig): void {
  if (tok.vocabSize > config.vocabSize) {
    throw new Error(`tokenizer.json has ${tok.vocabSize} tokens but config.json says vocab_size ${config.vocabSize}: the two files belong to different models`);
  }
}

/** Longest pair in tokens: the caller's wish, capped by the position table and the tokenizer's limit. */
export function resolveMaxLength(requested: number | undefined, config: CrossEncoderConfig, tok: TokenizerSpec): number {
  const limit = Math.min(config.maxPositionEmbeddings, tok.modelMaxLength ?? Infinity);
  if (requested === undefined) return Math.min(limit, 512);
  if (!(Number.isInteger(requested) && requested >= 3)) throw new Error(`maxLength must be an integer ≥ 3, got ${requested}`);
  if (requested > config.maxPositionEmbeddings) throw new Error(`maxLength ${requested} is longer than the model's position table (max_position_embeddings ${config.maxPositionEmbeddings})`);
  return requested;
}

export type InputName = 'input_ids' | 'attention_mask' | 'token_type_ids';

export interface OnnxSignature {
  /** What to feed, in the model's order, as int64 or int32. */
  inputs: { name: InputName; type: 'int64' | 'int32' }[];
  output: string;
  outputType: 'float32' | 'float16';
  numLabels: 1 | 2;
}

const INPUT_NAMES: readonly string[] = ['input_ids', 'attention_mask', 'token_type_ids'];
const shapeText = (v: OnnxValueInfo) => `[${v.shape.map((d) => (d === null ? '?' : String(d))).join(', ')}]`;

/**
 * The ONNX graph must be a sequence classifier: int inputs input_ids, attention_mask (and
 * token_type_ids for BERT/ELECTRA), one float output logits [batch, 1 or 2].
 */
export function checkOnnxSignature(info: OnnxInfo, file: string, config: CrossEncoderConfig): OnnxSignature {
  if (info.externalData) throw new Error(`${file} keeps its weights in a separate file (external data, e.g. ${file}_data); RankPlay loads single-file ONNX models`);
  const names = info.inputs.map((i) => i.name);
  const unknown = names.filter((n) => !INPUT_NAMES.includes(n));
  if (unknown.length || !names.includes('input_ids') || !names.includes('attention_mask')) {
    throw new Error(
      `${file} takes inputs ${names.join(', ') || '(none)'}; a cross-encoder takes input_ids, attention_mask and (BERT, ELECTRA) token_type_ids` +
        (names.some((n) => n.startsWith('past_key_values')) ? ' (this looks like a text-generation model)' : ''),
    );
  }
  const inputs = info.inputs.map((i) => {
    if (i.elemType !== 'int64' && i.elemType !== 'int32') throw new Error(`${file}: input ${i.name} is ${i.elemType}; token inputs are int64 (or int32)`);
    return { name: i.name as InputName, type: i.elemType };
  });
  const out = info.outputs.find((o) => o.name === 'logits') ?? (info.outputs.length === 1 ? info.outputs[0] : undefined);
  if (!out) throw new Error(`${file} has outputs ${info.outputs.map((o) => o.name).join(', ') || '(none)'}; a cross-encoder's output is logits [batch, 1]`);
  if (out.shape.length !== 2) {
    const kind = out.shape.length === 3 ? ': a feature-extraction (embedding) model, not a sequence-classification cross-encoder' : '';
    throw new Error(`${file} outputs ${out.name} ${shapeText(out)}${kind}; a cross-encoder outputs logits [batch, 1]`);
  }
  const labels = out.shape[1];
  if (typeof labels === 'number' && labels !== config.numLabels) {
    const why = labels > 2 ? '; a reranker has 1 (a relevance logit) or 2 (not relevant / relevant)' : ` but config.json says ${config.numLabels}`;
    throw new Error(`${file} outputs ${out.name} ${shapeText(out)}: ${labels} labels${why}`);
  }
  const outputType: OnnxElemType = out.elemType;
  if (outputType !== 'float32' && outputType !== 'float16') throw new Error(`${file}: output ${out.name} is ${outputType}; logits are float32 (or float16)`);
  return { inputs, output: out.name, outputType, numLabels: config.numLabels };
}

/**
 * One score per pair from a [batch, labels] logits array: the logit itself for one label; for two,
 * logit[1] − logit[0], the log-odds of label 1 ("relevant"), which orders pairs exactly as the
 * softmax probability of label 1 does (and never saturates at 1.0 as that probability can).
 */
export function scoresFromLogits(logits: Float32Array, batch: number, numLabels: 1 | 2): Float32Array {
  if (logits.length !== batch * numLabels) throw new Error(`the model returned ${logits.length} logits for ${batch} pairs × ${numLabels} labels`);
  if (numLabels === 1) return logits;
  const out = new Float32Array(batch);
  for (let i = 0; i < batch; i++) out[i] = logits[2 * i + 1] - logits[2 * i];
  return out;
}
