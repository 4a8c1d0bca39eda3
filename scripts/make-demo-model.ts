/**
 * `npm run make-demo-model`: trains RankPlay's demo cross-encoder from scratch on the demo corpus
 * and writes it in the Hugging Face layout, so the app can rerank offline (issue 7):
 *
 *   config.json, tokenizer.json, tokenizer_config.json, special_tokens_map.json, vocab.txt,
 *   model.safetensors, onnx/model.onnx, eval_results.json, README.md (the model card)
 *
 * Reproducible from --seed on one backend (default wasm; cpu gives slightly different floats).
 * Options: --data DIR  --out DIR  --seed N  --steps N  --backend wasm|cpu  --vocab N  --lr X
 *          --pseudo SHARE  --hard SHARE  --init matching|hf  --quiet
 */
import * as tf from '@tensorflow/tfjs-core';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startNodeBackend } from '../src/cli/headless';
import { createRng } from '../src/core/experiment/rng';
import { bertConfigToJson, DEMO_CONFIG, type BertConfig } from '../src/core/text/model/config';
import { loadTokenizer } from '../src/core/text/model/encode';
import { applyMatchingInit } from '../src/core/text/model/init-matching';
import { exportBertOnnx } from '../src/core/text/model/onnx-export';
import { countParams, initBertWeights, paramsToWeights, weightsToParams } from '../src/core/text/model/params';
import { scorePairs } from '../src/core/text/model/rerank';
import { writeSafetensors } from '../src/core/text/model/safetensors';
import { trainCrossEncoder, type CrossEncoderTrainOptions } from '../src/core/text/model/train';
import { SPECIAL_TOKENS, tokenizerConfigJson, tokenizerJson, trainWordPiece, vocabTxt } from '../src/core/text/model/wordpiece';
import { modelCard, type Results } from './demo-model/card';
import { judgedLists, loadDemoData, pairsOf, trainingQueries } from './demo-model/data';
import { Bm25Baseline, ndcgOfJudged, ndcgOfRuns, randomNdcg, unjudgedShareAt10 } from './demo-model/evaluate';
import { checkOnnxParity } from './demo-model/parity';

interface Args {
  data: string;
  out: string;
  seed: number;
  steps: number;
  backend: 'wasm' | 'cpu';
  vocab: number;
  learningRate: number;
  pseudoShare: number;
  hardShare: number;
  init: 'matching' | 'hf';
  quiet: boolean;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { data: 'public/demo/rankplay-demo', out: 'public/models/rankplay-demo-cross-encoder', seed: 7, steps: 240, backend: 'wasm', vocab: 4096, learningRate: 5e-4, pseudoShare: 0.25, hardShare: 0.5, init: 'matching', quiet: false };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    const int = () => {
      const n = Number(value());
      if (!Number.isInteger(n) || n < 0) throw new Error(`${flag} needs a non-negative integer`);
      return n;
    };
    if (flag === '--data') args.data = value();
    else if (flag === '--out') args.out = value();
    else if (flag === '--seed') args.seed = int();
    else if (flag === '--steps') args.steps = int();
    else if (flag === '--vocab') args.vocab = int();
    else if (flag === '--lr') args.learningRate = Number(value());
    else if (flag === '--pseudo') args.pseudoShare = Number(value());
    else if (flag === '--hard') args.hardShare = Number(value());
    else if (flag === '--init') {
      const v = value();
      if (v !== 'matching' && v !== 'hf') throw new Error('--init must be matching or hf');
      args.init = v;
    } else if (flag === '--quiet') args.quiet = true;
    else if (flag === '--backend') {
      const b = value();
      if (b !== 'wasm' && b !== 'cpu') throw new Error('--backend must be wasm or cpu');
      args.backend = b;
    } else throw new Error(`unknown option ${flag}`);
  }
  return args;
}

/** Pair length: the demo's passages are short paragraphs; longer ones are cut (passage side first). */
const MAX_LENGTH = 192;
/** BM25 candidates per query for the first-stage → rerank figure. */
const DEPTH = 100;
/** BM25 depth hard negatives are drawn from. */
const HARD_DEPTH = 30;

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const log = (msg: string) => process.stdout.write(`${msg}\n`);
  const started = performance.now();
  // On wasm this installs RankPlay's faster training kernels (src/compute/wasm-kernels.ts).
  await startNodeBackend(args.backend);

  const data = await loadDemoData(args.data);
  const train = judgedLists(data, data.train, log);
  const test = judgedLists(data, data.test, log);
  log(`corpus: ${data.corpus.size} passages, ${train.queryIds.length} training and ${test.queryIds.length} test queries with judgements`);

  // The vocabulary sees passages and training queries only: test queries stay unseen.
  const vocab = trainWordPiece([...data.passages, ...train.queryTexts], { vocabSize: args.vocab, asciiAlphabet: true });
  const tokenizerFiles = { json: tokenizerJson(vocab), config: tokenizerConfigJson(vocab, DEMO_CONFIG.max_position_embeddings) };
  const tokenizer = loadTokenizer(tokenizerFiles.json, tokenizerFiles.config);
  const config: BertConfig = { ...DEMO_CONFIG, vocab_size: vocab.length };
  log(`vocabulary: ${vocab.length} WordPiece tokens; model: ${countParams(config).toLocaleString('en')} parameters`);

  const opts: CrossEncoderTrainOptions = {
    seed: args.seed,
    steps: args.steps,
    listsPerStep: 4,
    listSize: 8,
    minNegatives: 3,
    learningRate: args.learningRate,
    warmupSteps: Math.max(1, Math.round(args.steps * 0.06)),
    maxLength: MAX_LENGTH,
    dropout: 0.1,
    clipNorm: 1,
    pseudoQueryShare: args.pseudoShare,
    hardNegativeShare: args.hardShare,
  };
  const initial = initBertWeights(config, createRng(args.seed).fork('init'));
  if (args.init === 'matching') applyMatchingInit(config, initial);
  const params = weightsToParams(config, initial, () => true) as Map<string, tf.Variable>;
  const trainStart = performance.now();
  let window = 0;
  // Hard negatives: what BM25 ranks high for a training query but nobody judged (the reranker's
  // real job is to push these below the relevant ones).
  const bm25 = new Bm25Baseline(data);
  const queries = trainingQueries(train).map((q) => ({ ...q, hardNegatives: Array.from(bm25.top(q.query, HARD_DEPTH)).filter((p) => !q.passages.includes(p)) }));
  const history = await trainCrossEncoder(config, params, tokenizer, { corpus: data.passages, queries }, opts, (s) => {
    window += s.loss;
    if (!args.quiet && s.step % 20 === 0) {
      log(`step ${s.step}/${opts.steps}  loss ${(window / 20).toFixed(4)}  lr ${s.learningRate.toExponential(2)}  ${((performance.now() - trainStart) / 1000).toFixed(0)} s`);
      window = 0;
    }
  });
  const trainSeconds = (performance.now() - trainStart) / 1000;

  const judgedPairs = pairsOf(data, test);
  const modelJudged = await scorePairs(config, params, tokenizer, judgedPairs, MAX_LENGTH);
  const bm25Runs = test.queryTexts.map((q) => bm25.top(q, Math.min(DEPTH, data.corpus.size)));
  const reranked: Int32Array[] = [];
  for (let q = 0; q < bm25Runs.length; q++) {
    const cands = bm25Runs[q];
    const s = await scorePairs(config, params, tokenizer, Array.from(cands, (p) => ({ query: test.queryTexts[q], passage: data.passages[p] })), MAX_LENGTH);
    reranked.push(Int32Array.from(Array.from(cands.keys()).sort((a, b) => s[b] - s[a] || a - b), (i) => cands[i]));
  }
  const results: Results = {
    judged: {
      random: randomNdcg(test, args.seed),
      bm25: ndcgOfJudged(test, bm25.judgedScores(test)),
      model: ndcgOfJudged(test, modelJudged),
      modelOnTrain: ndcgOfJudged(train, await scorePairs(config, params, tokenizer, pairsOf(data, train), MAX_LENGTH)),
      randomOnTrain: randomNdcg(train, args.seed),
    },
    pipeline: {
      depth: DEPTH,
      bm25: ndcgOfRuns(test, bm25Runs),
      rerank: ndcgOfRuns(test, reranked),
      bm25Unjudged: unjudgedShareAt10(test, bm25Runs),
      rerankUnjudged: unjudgedShareAt10(test, reranked),
    },
    testQueries: test.queryIds.length,
    trainQueries: train.queryIds.length,
  };

  const weights = await paramsToWeights(config, params);
  tf.dispose([...params.values()]);
  const onnx = exportBertOnnx(config, weights, { docString: 'RankPlay demo cross-encoder (BertForSequenceClassification, one relevance logit); see README.md' });
  const parity = await checkOnnxParity(config, weights, onnx, tokenizer, judgedPairs.slice(0, 16), MAX_LENGTH);
  if (parity > 1e-4) throw new Error(`the ONNX export scores differ from the tfjs model by ${parity.toExponential(2)} (> 1e-4)`);

  const out = args.out;
  mkdirSync(path.join(out, 'onnx'), { recursive: true });
  const json = (v: unknown) => JSON.stringify(v, null, 2) + '\n';
  const files: [string, string | Uint8Array][] = [
    ['config.json', json(bertConfigToJson(config))],
    ['tokenizer.json', JSON.stringify(tokenizerFiles.json)],
    ['tokenizer_config.json', json(tokenizerFiles.config)],
    ['special_tokens_map.json', json({ cls_token: '[CLS]', mask_token: '[MASK]', pad_token: '[PAD]', sep_token: '[SEP]', unk_token: '[UNK]' })],
    ['vocab.txt', vocabTxt(vocab)],
    ['model.safetensors', writeSafetensors(weights)],
    ['onnx/model.onnx', onnx],
  ];
  const summary = {
    seed: args.seed,
    backend: args.backend,
    steps: opts.steps,
    train_seconds: Math.round(trainSeconds),
    options: opts,
    vocab_size: vocab.length,
    parameters: countParams(config),
    onnx_parity_max_abs_diff: parity,
    final_loss_mean_last_20: history.slice(-20).reduce((s, h) => s + h.loss, 0) / Math.max(1, Math.min(20, history.length)),
    ndcg_at_10: results,
  };
  files.push(['eval_results.json', json(summary)]);
  const sizes = files.map(([, c]) => (typeof c === 'string' ? Buffer.byteLength(c) : c.length));
  files.push(['README.md', modelCard({ config, summary, results, sizes: Object.fromEntries(files.map(([n], i) => [n, sizes[i]])), specials: [...SPECIAL_TOKENS], maxLength: MAX_LENGTH })]);
  for (const [name, content] of files) writeFileSync(path.join(out, name), content);
  const total = files.reduce((s, [, c]) => s + (typeof c === 'string' ? Buffer.byteLength(c) : c.length), 0);

  log(`trained ${opts.steps} steps in ${trainSeconds.toFixed(0)} s on ${args.backend}; ONNX parity ${parity.toExponential(2)}`);
  log(`test nDCG@10 (rerank judged): random ${results.judged.random.toFixed(4)}  BM25 ${results.judged.bm25.toFixed(4)}  model ${results.judged.model.toFixed(4)}`);
  log(`test nDCG@10 (corpus, BM25 top ${DEPTH} → rerank): BM25 ${results.pipeline.bm25.toFixed(4)}  model ${results.pipeline.rerank.toFixed(4)}  (unjudged in top 10: BM25 ${(100 * results.pipeline.bm25Unjudged).toFixed(0)} %, model ${(100 * results.pipeline.rerankUnjudged).toFixed(0)} %)`);
  log(`wrote ${out} (${(total / 1e6).toFixed(2)} MB) in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  if (!(results.judged.model > results.judged.random)) throw new Error('the model does not beat random ordering on the test queries');
}

main().catch((e: unknown) => {
  process.stderr.write(`make-demo-model: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
