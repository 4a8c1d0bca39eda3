import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useCpuBackend } from '../../../test-support/cpu-backend';
import { createRng } from '../../experiment/rng';
import { DEMO_CONFIG, type BertConfig } from './config';
import { loadTokenizer } from './encode';
import { applyMatchingInit } from './init-matching';
import { checkBertWeights, initBertWeights, weightsToParams } from './params';
import { scorePairs } from './rerank';
import { tinyConfig } from './test-helpers';
import { tokenizerConfigJson, tokenizerJson, trainWordPiece } from './wordpiece';

beforeAll(async () => {
  await useCpuBackend();
});

const corpus = [
  'Yeast makes bread dough rise in a warm kitchen before baking.',
  'A flat bicycle tyre is fixed by patching the inner tube.',
  'Volcanoes erupt when magma rises through the crust.',
  'Honeybees store nectar in the hive and turn it into honey.',
];

describe('matching initialisation', () => {
  it('scores a passage that contains the query words above ones that do not, before any training', async () => {
    const vocab = trainWordPiece([...corpus, ...corpus], { vocabSize: 300 });
    const tok = loadTokenizer(tokenizerJson(vocab), tokenizerConfigJson(vocab, 64));
    const c: BertConfig = { ...DEMO_CONFIG, vocab_size: vocab.length, max_position_embeddings: 64 };
    const w = initBertWeights(c, createRng(3));
    applyMatchingInit(c, w);
    checkBertWeights(c, w);
    const params = weightsToParams(c, w);
    const queries = ['bread dough', 'bicycle tyre', 'magma crust', 'nectar honey'];
    let wins = 0;
    for (const [q, query] of queries.entries()) {
      const s = await scorePairs(c, params, tok, corpus.map((passage) => ({ query, passage })), 64);
      if (s.every((v, i) => i === q || v < s[q])) wins++;
    }
    tf.dispose([...params.values()]);
    expect(wins).toBe(queries.length);
  });

  it('is deterministic and needs two layers and two token types', () => {
    const c = tinyConfig();
    const a = initBertWeights(c, createRng(1));
    const b = initBertWeights(c, createRng(1));
    applyMatchingInit(c, a);
    applyMatchingInit(c, b);
    for (const [name, v] of a) expect(v.data).toEqual(b.get(name)!.data);
    expect(a.get('bert.encoder.layer.0.attention.self.value.weight')!.data[0]).toBe(1);
    expect(() => applyMatchingInit(tinyConfig({ num_hidden_layers: 1 }), initBertWeights(tinyConfig({ num_hidden_layers: 1 }), createRng(1)))).toThrow(/2 layers/);
  });
});
