import { createRng } from '../../experiment/rng';
import { DEFAULT_ADAPTATION } from '../lora/adaptation';
import type { BertConfig } from '../model/config';
import { loadTokenizer } from '../model/encode';
import { initBertWeights, weightsToParams, type BertParams } from '../model/params';
import { tinyConfig } from '../model/test-helpers';
import { tokenizerConfigJson, tokenizerJson, trainWordPiece } from '../model/wordpiece';
import type { AdaptData, AdaptQuery, AdaptSignal, AdaptTrainConfig } from './types';

/**
 * A tiny learnable collection for the adaptation tests: 8 topics × 4 passages; each query is a
 * topic word, its topic's passages are judged 2, 1, 1, 0, and its first-stage candidates are the
 * whole corpus in a fixed shuffled order (so a reranker has something to fix).
 */
const TOPICS = ['apple orchard harvest', 'river boat fishing', 'mountain snow skiing', 'desert camel sand', 'ocean whale diving', 'forest deer hunting', 'city train station', 'garden rose flower'];

export const corpus: string[] = TOPICS.flatMap((t, i) => [0, 1, 2, 3].map((k) => `${t} story ${k} about the ${t.split(' ')[k % 3]} number ${i}`));

function query(i: number, word: number): AdaptQuery {
  const order = corpus.map((_, p) => p);
  const rng = createRng(100 + i * 7 + word);
  for (let j = order.length - 1; j > 0; j--) {
    const k = rng.int(j + 1);
    [order[j], order[k]] = [order[k], order[j]];
  }
  return {
    id: `t${i}-w${word}`,
    query: TOPICS[i].split(' ')[word],
    candidates: order,
    judged: [0, 1, 2, 3].map((k) => ({ passage: 4 * i + k, label: [2, 1, 1, 0][k] })),
  };
}

export const allQueries: AdaptQuery[] = TOPICS.flatMap((_, i) => [0, 1, 2].map((w) => query(i, w)));

export const data: AdaptData = {
  corpus,
  train: allQueries.filter((q) => !q.id.endsWith('w2')),
  validation: allQueries.filter((q) => q.id.endsWith('w2')),
};

const vocab = trainWordPiece(corpus, { vocabSize: 200 });
export const tokenizer = loadTokenizer(tokenizerJson(vocab), tokenizerConfigJson(vocab, 64));
export const config: BertConfig = tinyConfig({ vocab_size: vocab.length, hidden_size: 16, intermediate_size: 32, max_position_embeddings: 64 });

/**
 * A random base model. HF's 0.02 init in a 16-wide model scores every pair alike and passes almost
 * no gradient to the adapters; 0.25 (about 1/√hidden) leaves LayerNorm gains at 1 and lets LoRA learn.
 */
export const baseParams = (seed = 3): BertParams => weightsToParams(config, initBertWeights({ ...config, initializer_range: 0.25 }, createRng(seed)));

export const trainConfig = (over: Partial<AdaptTrainConfig> = {}): AdaptTrainConfig => ({
  seed: 7,
  adaptation: { ...DEFAULT_ADAPTATION, r: 4, alpha: 8, dropout: 0, targetModules: ['query', 'value', 'intermediate.dense', 'output.dense'] },
  signal: { kind: 'labels' },
  loss: 'softmax',
  negatives: { kind: 'hard', skipTopUnlabelled: 1 },
  steps: 20,
  listsPerStep: 4,
  listSize: 6,
  learningRate: 3e-2,
  warmupSteps: 2,
  clipNorm: 1,
  maxLength: 24,
  evalEvery: 5,
  patience: 0,
  rerankDepth: 12,
  rankMePairs: 16,
  ...over,
});

export const clicksSignal = (estimator: 'naive' | 'ips' | 'dla'): Extract<AdaptSignal, { kind: 'clicks' }> => ({
  kind: 'clicks',
  estimator,
  sessionsPerQuery: 40,
  topK: 8,
  eta: 1,
  epsilonMinus: 0.05,
  epsilonPlus: 1,
  clip: 0.05,
});
