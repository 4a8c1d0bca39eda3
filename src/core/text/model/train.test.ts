import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useCpuBackend } from '../../../test-support/cpu-backend';
import { createRng } from '../../experiment/rng';
import type { BertConfig } from './config';
import { loadTokenizer } from './encode';
import { initBertWeights, weightsToParams } from './params';
import { scorePairs } from './rerank';
import { tinyConfig } from './test-helpers';
import { commonWords, pseudoQuery, sampleList, trainCrossEncoder, type CrossEncoderTrainOptions, type TrainData } from './train';
import { tokenizerConfigJson, tokenizerJson, trainWordPiece } from './wordpiece';

beforeAll(async () => {
  await useCpuBackend();
});

const TOPICS = ['apple orchard harvest', 'river boat fishing', 'mountain snow skiing', 'desert camel sand', 'ocean whale diving', 'forest deer hunting'];
const corpus = TOPICS.flatMap((t, i) => [0, 1, 2].map((k) => `${t} story ${k} about the ${t.split(' ')[k]} number ${i}`));
const data: TrainData = {
  corpus,
  queries: TOPICS.slice(0, 4).map((t, i) => ({ query: t.split(' ')[0], passages: [3 * i, 3 * i + 1, 3 * i + 2, (3 * i + 3) % corpus.length], labels: [3, 2, 1, 0] })),
};
const vocab = trainWordPiece(corpus, { vocabSize: 200 });
const tokenizer = loadTokenizer(tokenizerJson(vocab), tokenizerConfigJson(vocab, 64));
const config = (): BertConfig => tinyConfig({ vocab_size: vocab.length, hidden_size: 16, intermediate_size: 32, max_position_embeddings: 64 });
const opts: CrossEncoderTrainOptions = {
  seed: 1,
  steps: 12,
  listsPerStep: 2,
  listSize: 5,
  minNegatives: 1,
  learningRate: 3e-3,
  warmupSteps: 2,
  maxLength: 32,
  dropout: 0.1,
  clipNorm: 1,
  pseudoQueryShare: 0.25,
  hardNegativeShare: 0.5,
};

async function run(seed: number) {
  const c = config();
  const params = weightsToParams(c, initBertWeights(c, createRng(seed)), () => true) as Map<string, tf.Variable>;
  const history = await trainCrossEncoder(c, params, tokenizer, data, opts);
  return { c, params, history };
}

describe('cross-encoder training', () => {
  it('samples lists with a positive first, the judged passages, then unjudged negatives', () => {
    const rng = createRng(2);
    const q = { query: 'x', passages: [4, 5, 6, 7], labels: [0, 0, 2, 1] };
    for (let t = 0; t < 20; t++) {
      const list = sampleList(q, 50, 6, 2, rng);
      expect(list.length).toBe(6);
      expect(list[0].label).toBeGreaterThan(0);
      expect(new Set(list.map((i) => i.passage)).size).toBe(6);
      expect(list.slice(4).every((i) => i.label === 0 && !q.passages.includes(i.passage))).toBe(true);
    }
    const hardQ = { ...q, hardNegatives: [30, 31] };
    const hard = sampleList(hardQ, 50, 6, 2, createRng(3), 1);
    expect(hard.slice(4).map((i) => i.passage).sort((x, y) => x - y)).toEqual([30, 31]);
    for (let seed = 0; seed < 10; seed++) {
      const words = pseudoQuery('The ox and a big river boat.', createRng(seed), ['the', 'and'])!.split(' ');
      const distinctive = words.filter((w) => w !== 'the' && w !== 'and');
      expect(distinctive.length).toBeGreaterThanOrEqual(2);
      expect(distinctive.every((w) => ['big', 'river', 'boat'].includes(w))).toBe(true);
      expect(words.length - distinctive.length).toBeLessThanOrEqual(2);
    }
    expect(pseudoQuery('a b c the', createRng(1), ['the'])).toBeNull();
    expect(commonWords(['the cat sat', 'the dog ran', 'a cat, the end'], 0.5)).toEqual(['cat', 'the']);
  });

  it('lowers the loss, reproducibly from the seed, without leaking tensors', async () => {
    const before = tf.memory().numTensors;
    const a = await run(5);
    const b = await run(5);
    expect(b.history.map((s) => s.loss)).toEqual(a.history.map((s) => s.loss));
    const first = a.history.slice(0, 3).reduce((s, h) => s + h.loss, 0);
    const last = a.history.slice(-3).reduce((s, h) => s + h.loss, 0);
    expect(last).toBeLessThan(first);
    expect(a.history[0].learningRate).toBeCloseTo(1.5e-3, 10);
    expect(a.history.every((h) => Number.isFinite(h.gradNorm))).toBe(true);
    const scores = await scorePairs(a.c, a.params, tokenizer, [{ query: 'apple', passage: corpus[0] }, { query: 'apple', passage: corpus[9] }], 32, 1);
    expect(scores.length).toBe(2);
    tf.dispose([...a.params.values(), ...b.params.values()]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
