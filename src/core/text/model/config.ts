/**
 * The shape of a BERT-family cross-encoder, spelled as Hugging Face's `config.json` spells it,
 * so a folder RankPlay writes loads in `transformers` and a Hub model's config loads here.
 */
export interface BertConfig {
  vocab_size: number;
  hidden_size: number;
  num_hidden_layers: number;
  num_attention_heads: number;
  intermediate_size: number;
  max_position_embeddings: number;
  type_vocab_size: number;
  layer_norm_eps: number;
  /** Only HF BERT's exact (erf) GELU is implemented: "gelu". */
  hidden_act: 'gelu';
  /** A reranker scores with one raw logit. */
  num_labels: 1;
  initializer_range: number;
  hidden_dropout_prob: number;
  attention_probs_dropout_prob: number;
  pad_token_id: number;
}

/** The demo model's shape (issue 7): small enough to train in minutes on two CPU cores. */
export const DEMO_CONFIG: Omit<BertConfig, 'vocab_size'> = {
  hidden_size: 128,
  num_hidden_layers: 2,
  num_attention_heads: 2,
  intermediate_size: 512,
  max_position_embeddings: 256,
  type_vocab_size: 2,
  layer_norm_eps: 1e-12,
  hidden_act: 'gelu',
  num_labels: 1,
  initializer_range: 0.02,
  hidden_dropout_prob: 0.1,
  attention_probs_dropout_prob: 0.1,
  pad_token_id: 0,
};

const positiveInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v > 0;
const probability = (v: unknown): v is number => typeof v === 'number' && v >= 0 && v < 1;

/** Throws a message naming the first bad field; returns the config for chaining. */
export function checkBertConfig(c: BertConfig): BertConfig {
  for (const key of ['vocab_size', 'hidden_size', 'num_hidden_layers', 'num_attention_heads', 'intermediate_size', 'max_position_embeddings', 'type_vocab_size'] as const) {
    if (!positiveInt(c[key])) throw new Error(`config.json: ${key} must be a positive integer, got ${String(c[key])}`);
  }
  if (c.hidden_size % c.num_attention_heads !== 0) {
    throw new Error(`config.json: hidden_size ${c.hidden_size} is not a multiple of num_attention_heads ${c.num_attention_heads}`);
  }
  if (!(typeof c.layer_norm_eps === 'number' && c.layer_norm_eps > 0)) throw new Error(`config.json: layer_norm_eps must be positive, got ${String(c.layer_norm_eps)}`);
  if (c.hidden_act !== 'gelu') throw new Error(`config.json: hidden_act '${String(c.hidden_act)}' is not supported (only "gelu", the erf form)`);
  if (c.num_labels !== 1) throw new Error(`config.json: a reranker needs num_labels = 1 (one relevance logit), got ${String(c.num_labels)}`);
  if (!probability(c.hidden_dropout_prob) || !probability(c.attention_probs_dropout_prob)) throw new Error('config.json: dropout probabilities must be in [0, 1)');
  if (!(Number.isInteger(c.pad_token_id) && c.pad_token_id >= 0 && c.pad_token_id < c.vocab_size)) throw new Error(`config.json: pad_token_id ${c.pad_token_id} is outside the vocabulary`);
  return c;
}

/**
 * config.json as `transformers` writes it for BertForSequenceClassification. id2label/label2id
 * carry num_labels for readers that derive it from them (transformers does); num_labels is written
 * too because issue 7's loader and other tools read it directly.
 */
export function bertConfigToJson(c: BertConfig): Record<string, unknown> {
  checkBertConfig(c);
  return {
    architectures: ['BertForSequenceClassification'],
    model_type: 'bert',
    vocab_size: c.vocab_size,
    hidden_size: c.hidden_size,
    num_hidden_layers: c.num_hidden_layers,
    num_attention_heads: c.num_attention_heads,
    intermediate_size: c.intermediate_size,
    hidden_act: c.hidden_act,
    hidden_dropout_prob: c.hidden_dropout_prob,
    attention_probs_dropout_prob: c.attention_probs_dropout_prob,
    max_position_embeddings: c.max_position_embeddings,
    type_vocab_size: c.type_vocab_size,
    initializer_range: c.initializer_range,
    layer_norm_eps: c.layer_norm_eps,
    pad_token_id: c.pad_token_id,
    position_embedding_type: 'absolute',
    classifier_dropout: null,
    num_labels: 1,
    id2label: { '0': 'LABEL_0' },
    label2id: { LABEL_0: 0 },
    torch_dtype: 'float32',
  };
}

/** Reads a Hub-style config.json; HF's defaults fill what BERT configs commonly leave out. */
export function bertConfigFromJson(json: unknown): BertConfig {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new Error('config.json: expected a JSON object');
  const j = json as Record<string, unknown>;
  if (j.model_type !== undefined && j.model_type !== 'bert') throw new Error(`config.json: model_type '${String(j.model_type)}' is not a BERT model`);
  const id2label = j.id2label;
  const labelCount = typeof id2label === 'object' && id2label !== null ? Object.keys(id2label).length : undefined;
  const num = (key: string, fallback?: number): number => {
    const v = j[key] ?? fallback;
    if (typeof v !== 'number') throw new Error(`config.json: ${key} is missing or not a number`);
    return v;
  };
  return checkBertConfig({
    vocab_size: num('vocab_size'),
    hidden_size: num('hidden_size'),
    num_hidden_layers: num('num_hidden_layers'),
    num_attention_heads: num('num_attention_heads'),
    intermediate_size: num('intermediate_size'),
    max_position_embeddings: num('max_position_embeddings', 512),
    type_vocab_size: num('type_vocab_size', 2),
    layer_norm_eps: num('layer_norm_eps', 1e-12),
    hidden_act: (j.hidden_act ?? 'gelu') as 'gelu',
    num_labels: (j.num_labels ?? labelCount ?? 2) as 1,
    initializer_range: num('initializer_range', 0.02),
    hidden_dropout_prob: num('hidden_dropout_prob', 0.1),
    attention_probs_dropout_prob: num('attention_probs_dropout_prob', 0.1),
    pad_token_id: num('pad_token_id', 0),
  });
}
