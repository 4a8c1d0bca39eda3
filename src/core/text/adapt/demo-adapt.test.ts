import * as tf from '@tensorflow/tfjs-core';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { startBackend } from '../../../compute/backends';
import { locateWasmInNode } from '../../../compute/wasm-paths.node';
import { DEFAULT_ADAPTATION } from '../lora/adaptation';
import { Bm25Searcher } from '../bm25';
import { buildBm25Index } from '../bm25-index';
import { retrieveAll } from '../bm25-run';
import { bertConfigFromJson } from '../model/config';
import { loadTokenizer } from '../model/encode';
import { weightsToParams } from '../model/params';
import { readSafetensors } from '../model/safetensors';
import { splitQueries } from './data';
import { AdaptRun } from './run';
import type { AdaptQuery, AdaptTrainConfig } from './types';

/**
 * The realistic case: the shipped demo cross-encoder adapted with LoRA from simulated clicks (IPS)
 * to the demo corpus's test topics, which it never saw in training, over BM25 candidates.
 */
const ROOT = path.resolve(__dirname, '../../../../public');
const MODEL = path.join(ROOT, 'models/rankplay-demo-cross-encoder');
const DEMO = path.join(ROOT, 'demo/rankplay-demo');
const json = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
const jsonl = <T>(file: string) => readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as T);

function demoQueries(depth: number): { corpus: string[]; queries: AdaptQuery[] } {
  const docs = jsonl<{ _id: string; title?: string; text: string }>(path.join(DEMO, 'corpus.jsonl'));
  const corpus = docs.map((d) => (d.title ? `${d.title}. ${d.text}` : d.text));
  const index = buildBm25Index({ size: docs.length, id: (i) => docs[i]._id, text: (i) => docs[i].text, title: (i) => docs[i].title ?? '' });
  const byId = new Map(index.docIds.map((id, i) => [id, i]));
  const corpusIndex = new Map(docs.map((d, i) => [d._id, i]));
  const qrels = new Map<string, { passage: number; label: number }[]>();
  for (const line of readFileSync(path.join(DEMO, 'qrels/test.tsv'), 'utf8').split('\n').slice(1)) {
    const [q, d, s] = line.split('\t');
    if (!q || !d) continue;
    qrels.set(q, [...(qrels.get(q) ?? []), { passage: corpusIndex.get(d) as number, label: Number(s) }]);
  }
  const texts = jsonl<{ _id: string; text: string }>(path.join(DEMO, 'queries.jsonl')).filter((q) => qrels.has(q._id));
  const run = retrieveAll(new Bm25Searcher(index), { size: texts.length, id: (i) => texts[i]._id, text: (i) => texts[i].text }, depth);
  const queries = texts.map((q, i) => ({
    id: q._id,
    query: q.text,
    candidates: Array.from(run.docs.subarray(run.offsets[i], run.offsets[i + 1]), (doc) => corpusIndex.get(index.docIds[doc]) as number),
    judged: qrels.get(q._id) ?? [],
  }));
  expect(byId.size).toBe(docs.length);
  return { corpus, queries };
}

const env = (name: string, fallback: number) => (process.env[name] ? Number(process.env[name]) : fallback);

// wasm, as the demo model was trained: tfjs's cpu backend takes ~14 s per step of this size on 2 cores.
beforeAll(async () => {
  await startBackend({ requested: 'wasm', locateWasm: locateWasmInNode });
});

describe.skipIf(!existsSync(MODEL) || !existsSync(DEMO))('adapting the demo cross-encoder to unseen topics', () => {
  it('LoRA from IPS-debiased simulated clicks raises validation nDCG@10 above the base model', { timeout: 180_000 }, async () => {
    const config = bertConfigFromJson(json(path.join(MODEL, 'config.json')));
    const { tensors } = readSafetensors(readFileSync(path.join(MODEL, 'model.safetensors')));
    const base = weightsToParams(config, tensors);
    const tokenizer = loadTokenizer(json(path.join(MODEL, 'tokenizer.json')), json(path.join(MODEL, 'tokenizer_config.json')));
    const { corpus, queries } = demoQueries(30);
    const { train, validation } = splitQueries(queries, 0.3, 1);
    const cfg: AdaptTrainConfig = {
      seed: 1,
      adaptation: { ...DEFAULT_ADAPTATION, r: 8, alpha: 16, dropout: 0.05 },
      signal: { kind: 'clicks', estimator: 'ips', sessionsPerQuery: 50, topK: env('ADAPT_TOPK', 8), eta: 1, epsilonMinus: 0.05, epsilonPlus: 1, clip: 0.1 },
      loss: 'softmax',
      negatives: { kind: 'hard', skipTopUnlabelled: 2 },
      steps: env('ADAPT_STEPS', 60),
      listsPerStep: env('ADAPT_LISTS', 4),
      listSize: 8,
      learningRate: env('ADAPT_LR', 5e-3),
      warmupSteps: 5,
      clipNorm: 1,
      maxLength: env('ADAPT_MAXLEN', 96),
      evalEvery: env('ADAPT_EVAL', 15),
      patience: 0,
      rerankDepth: 20,
      rankMePairs: 64,
    };
    const t0 = performance.now();
    const run = await AdaptRun.create(config, base, tokenizer, { corpus, train, validation }, cfg);
    const evals: string[] = [];
    try {
      while (!run.done || run.evaluationDue) {
        if (run.evaluationDue) {
          const e = await run.evaluate({ profile: run.steps === 0 });
          evals.push(`step ${e.step}: nDCG@10 ${e.ndcg10.toFixed(4)} RankMe ${e.rankMe?.toFixed(2)}${e.peakStepBytes ? ` peak ${(e.peakStepBytes / 2 ** 20).toFixed(1)} MiB` : ''}`);
          if (run.done) break;
        }
        await run.step();
      }
      const seconds = (performance.now() - t0) / 1000;
      const s = await run.summary();
      const msPerStep = run.history.steps.reduce((a, x) => a + x.stepMs, 0) / run.history.steps.length;
      console.log(`adapt demo: ${train.length} train / ${validation.length} validation queries, ${s.count.trainable} trainable (${s.count.percentOfModel.toFixed(2)}%), ${seconds.toFixed(1)} s, ${msPerStep.toFixed(0)} ms/step\n  ${evals.join('\n  ')}\n  base ${s.base.ndcg10.toFixed(4)} → best ${s.best.ndcg10.toFixed(4)} (step ${s.best.step})`);
      expect(s.best.ndcg10).toBeGreaterThan(s.base.ndcg10);
    } finally {
      run.dispose();
      tf.dispose([...base.values()]);
    }
  });
});
