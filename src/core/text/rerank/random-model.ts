import { createRng } from '../../experiment/rng';
import { bertConfigToJson, type BertConfig } from '../model/config';
import { exportBertOnnx } from '../model/onnx-export';
import { initBertWeights, type BertWeights } from '../model/params';
import { writeSafetensors } from '../model/safetensors';
import { tokenizerConfigJson, tokenizerJson, trainWordPiece, vocabTxt } from '../model/wordpiece';

/**
 * Cross-encoder folders with random weights, in the Hugging Face layout the loader reads, built
 * with the project's own exporter and WordPiece trainer: test models for parity and batching, the
 * e2e fixture, and the benchmark's MiniLM-shaped model (speed does not depend on the weights).
 */

/** A little English for the tokenizer to learn its pieces from. */
export const SAMPLE_TEXTS: readonly string[] = [
  'How do bees make honey from the nectar of flowers?',
  'Honey bees collect nectar, store it in the hive and fan it with their wings until the water evaporates.',
  'What causes the tides in the ocean?',
  'The gravity of the moon and the sun pulls on the oceans, which rise and fall twice a day.',
  'Who painted the ceiling of the Sistine Chapel?',
  'Michelangelo painted the ceiling between 1508 and 1512, lying on scaffolding high above the floor.',
  'How does a refrigerator keep food cold?',
  'A refrigerant evaporates inside the coils, absorbing heat, and is compressed again outside the cabinet.',
  'Why is the sky blue during the day?',
  'Sunlight is scattered by the molecules of the air, and blue light is scattered more than red light.',
  'When did the first humans reach the Americas?',
  'Archaeologists date the first settlements to at least fifteen thousand years ago, across a land bridge.',
  'How many strings does a violin have?',
  'A violin has four strings tuned in fifths: G, D, A and E.',
  'What is the boiling point of water at the top of a mountain?',
  'Water boils at a lower temperature where the air pressure is lower, so cooking takes longer at altitude.',
  'Which planet has the most moons?',
  'Saturn and Jupiter each have dozens of moons, and astronomers keep finding small new ones.',
  'How do vaccines train the immune system?',
  'A vaccine shows the immune system a harmless piece of a pathogen so that it remembers how to fight it.',
  'Café crème, naïve résumé: accents are stripped by the normaliser.',
];

export interface RandomModelShape {
  layers: number;
  hidden: number;
  heads: number;
  intermediate: number;
  maxPositions: number;
  /** The config's vocabulary (≥ the tokenizer's, e.g. 30522 for a BERT-sized embedding table). */
  vocabSize?: number;
  /** Tokenizer vocabulary trained on SAMPLE_TEXTS (default 160). */
  tokenizerVocab?: number;
  /** Weight scale; larger than BERT's 0.02 so scores differ visibly between pairs (default 0.2). */
  initializerRange?: number;
}

export const TINY_SHAPE: RandomModelShape = { layers: 2, hidden: 32, heads: 2, intermediate: 64, maxPositions: 64 };
/** cross-encoder/ms-marco-MiniLM-L-6-v2's shape (22.7 M parameters), for speed measurements. */
export const MINILM_L6_SHAPE: RandomModelShape = { layers: 6, hidden: 384, heads: 12, intermediate: 1536, maxPositions: 512, vocabSize: 30522, initializerRange: 0.02 };

export interface RandomModel {
  config: BertConfig;
  weights: BertWeights;
  tokenizer: { json: Record<string, unknown>; config: Record<string, unknown> };
  /** Path in the folder → contents. */
  files: Map<string, Uint8Array>;
}

const utf8 = (s: string) => new TextEncoder().encode(s);
const json = (v: unknown) => utf8(JSON.stringify(v, null, 2) + '\n');

export function buildRandomCrossEncoder(shape: RandomModelShape, seed: number, opts: { name?: string; safetensors?: boolean } = {}): RandomModel {
  const vocab = trainWordPiece(SAMPLE_TEXTS, { vocabSize: shape.tokenizerVocab ?? 160, minFrequency: 1 });
  const config: BertConfig = {
    vocab_size: Math.max(vocab.length, shape.vocabSize ?? 0),
    hidden_size: shape.hidden,
    num_hidden_layers: shape.layers,
    num_attention_heads: shape.heads,
    intermediate_size: shape.intermediate,
    max_position_embeddings: shape.maxPositions,
    type_vocab_size: 2,
    layer_norm_eps: 1e-12,
    hidden_act: 'gelu',
    num_labels: 1,
    initializer_range: shape.initializerRange ?? 0.2,
    hidden_dropout_prob: 0.1,
    attention_probs_dropout_prob: 0.1,
    pad_token_id: 0,
  };
  const weights = initBertWeights(config, createRng(seed));
  // Random biases too: zero biases would leave some of the graph's adds untested.
  const rng = createRng(seed + 1);
  for (const [name, w] of weights) if (name.endsWith('.bias')) for (let i = 0; i < w.data.length; i++) w.data[i] = rng.normal() * config.initializer_range;
  const tokenizer = { json: tokenizerJson(vocab), config: tokenizerConfigJson(vocab, shape.maxPositions) };
  const files = new Map<string, Uint8Array>([
    ['config.json', json({ _name_or_path: opts.name ?? 'rankplay-random-cross-encoder', ...bertConfigToJson(config) })],
    ['tokenizer.json', utf8(JSON.stringify(tokenizer.json))],
    ['tokenizer_config.json', json(tokenizer.config)],
    ['vocab.txt', utf8(vocabTxt(vocab))],
    ['onnx/model.onnx', exportBertOnnx(config, weights, { docString: `random weights (seed ${seed}) for tests and benchmarks` })],
  ]);
  if (opts.safetensors ?? true) files.set('model.safetensors', writeSafetensors(weights));
  return { config, weights, tokenizer, files };
}
