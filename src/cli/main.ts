import { readFileSync } from 'node:fs';
import { parseConfig, type ExperimentConfig } from '../core/experiment/config';
import { configToHash } from '../core/experiment/url-codec';
import { isBackendName, type BackendName } from '../compute/types';
import { intFlag, parseArgs, type ParsedArgs } from './args';
import { runBench } from './bench';
import { runBm25 } from './bm25';
import { runRerank } from './rerank';
import { runEval } from './eval';
import { runFitClicks } from './fit-clicks';
import { runInspect } from './inspect';
import { runSimulate } from './simulate';
import { isDataError } from '../core/data/parse/errors';
import { runTrain } from './train';

const HELP = `rankplay — learning to rank from biased clicks (command line over RankPlay's core)

Usage:
  rankplay train <config.json> [--json] [--backend cpu|wasm] [--steps N] [--data FILES]
                 [--run-out run.txt] [--qrels-out qrels.txt]
      Train the experiment in <config.json> headless and print the final metrics (test nDCG@1/3/5/10,
      ERR@10 per ranker). --data train.txt,vali.txt,test.txt trains on LETOR files instead of the
      config's data. --run-out writes a TREC run of the test split (run.<ranker>.txt per ranker when
      there are several); --qrels-out writes the test labels as qrels, so rankplay eval can check it.
      The config is the app's experiment config (the JSON its links carry; rankplay link
      turns a config file into a link). Missing fields take their defaults, so
      '{"version":1}' is the default experiment.
  rankplay bench [--steps N] [--backends cpu,wasm] [--json]
      Train the default slice for N steps on each backend and print steps/s and the ratio to cpu.
  rankplay bench --train-mslr [--steps N] [--backends cpu,wasm] [--models linear,mlp]
                 [--warmup N] [--seconds S] [--stock-wasm] [--profile] [--json]
      Training throughput on MSLR-shaped data (136 features, 120 docs per query, batches of 64
      queries, softmax loss, Adam) for the linear model and the MLP 512-256-128 (ELU), one run
      each: steps/s, docs/s, the ratio to wasm and to PyTorch on 2 CPU cores. N timed steps
      (default 60) after the warm-up; a run stops early after S seconds (default 20).
      --stock-wasm measures tfjs's own wasm kernels instead of RankPlay's (src/compute/wasm-kernels.ts);
      --profile prints where a step's time goes, kernel by kernel (default: wasm, 3 steps).
  rankplay bench --lora [--backends cpu,wasm] [--models demo,minilm] [--steps N]
                 [--demo-config=FILE] [--json]
      Adapter training cost: ms per training step (forward, backward, Adam; softmax loss over
      lists, dropout off) and tfjs peak memory of a step, for LoRA r=8 on query, key, value and
      attention.output.dense vs full fine-tuning, on the demo model's shape (FILE, default
      public/models/rankplay-demo-cross-encoder/config.json) and MiniLM-L6's, random weights;
      prints the ratios LoRA ÷ full. N timed steps (default 2–5 by model and backend).
  rankplay bench --metrics [--json]
      Evaluate nDCG@10 (and all list measures) on 30,000 queries × 1,000 documents; print ms per
      million documents and the ratio to a plain sort of the same scores.
  rankplay bench --clicks [--json]
      Simulate PBM clicks (top 10) on 10,000 queries; print impressions/s and the ratio to a plain
      loop drawing the same number of random numbers with the same generator (the floor).
  rankplay bench --parse FILE [--json]
      Parse a LETOR file and a raw newline scan of it; print MB/s of each and their ratio
      (run node with --expose-gc to also get the memory held ÷ the features' Float32 size).
  rankplay inspect FILE... [--json]
      Parse ranking data files (LETOR/SVMlight, optionally .gz; a FILE.query or FILE.group
      beside a feature file is used as its group file) and print a summary: format, queries,
      docs, features, label histogram, docs per query, queries with no relevant doc, bytes,
      seconds. --json prints one object per file (an array when there are several).
  rankplay eval [-q] [-c] [-n] [-l LEVEL] [-M N] [-m MEASURE[.PARAMS]]... QRELS RUN
      Evaluate a TREC run against TREC qrels and print what trec_eval prints for the same
      arguments (default measures: trec_eval's official set; -m all_trec for every measure
      supported). rankplay eval --help lists the measures and options.
  rankplay fit-clicks LOG --model pbm|cascade|dcm|dbn|ubm|all [--test TESTLOG | --test-fraction F] [--json]
      Fit click models to a click log (EM / closed-form MLE) and print held-out log-likelihood,
      perplexity (overall and per rank) and the fitted parameters. rankplay fit-clicks --help for more.
  rankplay simulate --data FILE|synthetic [--click-model pbm|cascade|dcm|dbn|ubm] [--eta X]
                   [--policy production|random|pl|scores] [--sessions N] [--seed S] [--out log.tsv] [--json]
      Simulate clicks (PBM, cascade, DCM, DBN, UBM, trust bias) on the rankings a logging policy
      shows, optionally with RandTop-n / swap interventions, and print sessions, clicks, CTR per rank
      and sessions without a click; --out writes the log as plain TSV. rankplay simulate --help
      lists every option.
  rankplay bm25 --docs FILE --queries FILE [--k1 0.9 --b 0.4] [--k 1000] [--run-out run.txt]
               [--qrels FILE] [--json]
      Index a text collection (MS MARCO TSV, BEIR JSONL, TREC SGML) and retrieve the top k documents
      of every query with BM25 (Lucene/Anserini scoring and English analysis); write a TREC run, and
      with --qrels print nDCG@10, MRR, MAP and recall. rankplay bm25 --help for more (and --bench).
  rankplay rerank --model DIR_OR_URL --docs FILE --queries FILE --run RUN [--depth 100] [--batch 16]
                 [--run-out run.txt] [--qrels FILE] [--json]
      Rerank the top --depth documents of each query of a run with a cross-encoder (a Hugging Face
      model folder or URL base with onnx/model.onnx; onnxruntime wasm) and write the new TREC run;
      with --qrels print nDCG@10 before and after. rankplay rerank --help for more.
  rankplay link <config.json> [--base URL]
      Print the shareable app link for <config.json> (the config compressed into the hash).
  rankplay --help

Backends in Node: cpu (pure JavaScript) and wasm (SIMD). WebGPU/WebGL run in the browser app.
`;

class UsageError extends Error {}

function readConfigFile(file: string): ExperimentConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${file}: not valid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  const parsed = parseConfig(json);
  if (!parsed.ok) throw new UsageError(`${file}: ${parsed.error}`);
  return parsed.config;
}

function backendFlag(args: ParsedArgs): BackendName {
  const v = args.flags.get('--backend') ?? 'cpu';
  if (v !== 'cpu' && v !== 'wasm') {
    throw new UsageError(`--backend must be cpu or wasm in Node, got '${String(v)}'${isBackendName(v) ? ' (WebGPU/WebGL run in the browser app)' : ''}`);
  }
  return v;
}

async function train(args: ParsedArgs): Promise<void> {
  const file = args.positionals[1];
  if (!file) throw new UsageError('train needs a config file: rankplay train <config.json>');
  await runTrain(readConfigFile(file), args, backendFlag(args), file);
}

function link(args: ParsedArgs): void {
  const file = args.positionals[1];
  if (!file) throw new UsageError('link needs a config file: rankplay link <config.json>');
  const base = args.flags.get('--base');
  const prefix = typeof base === 'string' ? base : 'http://localhost:5173/';
  process.stdout.write(`${prefix}${configToHash(readConfigFile(file))}\n`);
}

async function main(argv: string[]): Promise<number> {
  // eval takes trec_eval's own flags (-q, -c, -m MEASURE, ...), which the shared parser does not know.
  if (argv[0] === 'eval') return runEval(argv.slice(1));
  // simulate has many valued flags (--eta 1, --eps-plus 0.9, ...) the shared parser does not know.
  if (argv[0] === 'simulate') return runSimulate(argv.slice(1));
  if (argv[0] === 'fit-clicks') return runFitClicks(argv.slice(1));
  if (argv[0] === 'bm25') return runBm25(argv.slice(1));
  if (argv[0] === 'rerank') return runRerank(argv.slice(1));
  const args = parseArgs(argv);
  const command = args.positionals[0];
  if (args.flags.has('--help') || !command) {
    process.stdout.write(HELP);
    return command || args.flags.has('--help') ? 0 : 1;
  }
  if (command === 'train') await train(args);
  else if (command === 'bench') await runBench(args);
  else if (command === 'link') link(args);
  else if (command === 'inspect') await runInspect(args);
  else throw new UsageError(`unknown command '${command}' (try: rankplay --help)`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`rankplay: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(e instanceof UsageError || isDataError(e) ? 2 : 1);
  },
);
