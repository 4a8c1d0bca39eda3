import type { BertConfig } from '../../src/core/text/model/config';
import type { CrossEncoderTrainOptions } from '../../src/core/text/model/train';

export interface Results {
  /** Reranking each test query's judged passages (the brief's setting). */
  judged: { random: number; bm25: number; model: number; modelOnTrain: number; randomOnTrain: number };
  /** The app's journey: BM25 over the whole corpus, its top `depth` reranked by the model. */
  pipeline: { depth: number; bm25: number; rerank: number; bm25Unjudged: number; rerankUnjudged: number };
  testQueries: number;
  trainQueries: number;
}

interface CardInput {
  config: BertConfig;
  summary: { seed: number; backend: string; steps: number; train_seconds: number; options: CrossEncoderTrainOptions; parameters: number; onnx_parity_max_abs_diff: number };
  results: Results;
  sizes: Record<string, number>;
  specials: string[];
  maxLength: number;
}

const f = (x: number) => x.toFixed(4);
const pct = (x: number) => `${Math.round(x * 100)} %`;

/** One honest sentence on where the model stands, from the figures. */
function verdict(r: Results): string {
  const { random, bm25, model } = r.judged;
  const vsRandom = model > random ? `beats random order (+${f(model - random)})` : 'does not beat random order';
  const vsBm25 = model >= bm25 ? 'matches or beats BM25' : `stays below BM25 (−${f(bm25 - model)})`;
  const pipeline =
    r.pipeline.rerank >= r.pipeline.bm25
      ? "and reranking BM25's candidates improves on BM25"
      : `and reranking BM25's top ${r.pipeline.depth} lowers nDCG@10 (${f(r.pipeline.bm25)} → ${f(r.pipeline.rerank)}): ${pct(r.pipeline.rerankUnjudged)} of its top 10s are passages nobody judged for the query (BM25's: ${pct(r.pipeline.bm25Unjudged)})`;
  return `The model ${vsRandom} but ${vsBm25}, ${pipeline}. It is a base to adapt (e.g. LoRA from clicks), not a reranker to trust.`;
}


/** README.md: what the model is, how it was made, how well it does, and what it is not. */
export function modelCard({ config: c, summary: s, results: r, sizes, specials, maxLength }: CardInput): string {
  const o = s.options;
  const files = Object.entries(sizes)
    .map(([name, bytes]) => `| \`${name}\` | ${(bytes / 1024).toFixed(0)} KB |`)
    .join('\n');
  return `---
language: en
library_name: transformers
pipeline_tag: text-classification
tags: [cross-encoder, reranking, rankplay]
---

# RankPlay demo cross-encoder

A tiny BERT-style cross-encoder (\`BertForSequenceClassification\`, one relevance logit) trained
from scratch (no pretrained weights) by RankPlay's own script on RankPlay's demo corpus, so the app's text journey
(BM25 → rerank) works offline. It is a teaching model: small, fast, and only meaningful on the demo
corpus's topics.

Score a pair as \`[CLS] query [SEP] passage [SEP]\` (token types 0 / 1; passage = \`title text\`),
at most ${maxLength} tokens (cut the passage first), and use the raw logit as the score.

## Model

| | |
|---|---|
| layers / hidden / heads / FFN | ${c.num_hidden_layers} / ${c.hidden_size} / ${c.num_attention_heads} / ${c.intermediate_size} |
| activation | ${c.hidden_act} (erf form) |
| max positions | ${c.max_position_embeddings} |
| vocabulary | ${c.vocab_size} WordPiece tokens, uncased (${specials.join(', ')} = ids 0–${specials.length - 1}) |
| parameters | ${s.parameters.toLocaleString('en')} |

## Training

- Data: the demo corpus's passages and its training queries (\`qrels/train.tsv\`, ${r.trainQueries} queries on
  the training topics); the test queries (${r.testQueries}, on topics not seen in training) were used for
  nothing but the figures below.
- Vocabulary: WordPiece built from the passages and training queries (their characters and printable
  ASCII, frequent whole words, then "##" pieces by BPE-style merges) with BERT's basic tokenisation
  (lowercased, accents stripped).
- Initialisation: a hand-set term-matching circuit (\`src/core/text/model/init-matching.ts\`): layer 0
  attends from each word to its copies in the other segment, layer 1 and the head score the pair by
  how much of the query is matched. Trained from HF's random init instead, the model learns the
  training topics but ranks unseen topics no better than random order.
- Objective: listwise softmax cross-entropy (ListNet top-one) over lists of ${o.listSize} passages, ${o.listsPerStep} lists a step.
  A training query's list holds one relevant passage, more of its judged passages (gain 2^grade − 1),
  and at least ${o.minNegatives} unjudged negatives (${pct(o.hardNegativeShare)} from BM25's top 30 for the query, the rest from the
  whole corpus). ${pct(o.pseudoQueryShare)} of the lists are inverse-cloze lists instead: a few distinctive words of a random
  passage plus a few common words as the query, that passage the only positive. They are drawn from
  every passage, test topics' included (their text only: no labels, no test queries), as a reranker
  deployed on a collection may learn from its text.
- Optimiser: Adam, peak learning rate ${o.learningRate}, linear warm-up (${o.warmupSteps} steps) and decay, global-norm clipping
  ${o.clipNorm}, dropout ${o.dropout}, ${s.steps} steps; pairs cut to ${maxLength} tokens; seed ${s.seed}; tfjs ${s.backend}
  backend in Node, ${s.train_seconds} s.
- Reproduce: \`npm run make-demo-model -- --seed ${s.seed} --backend ${s.backend}\` (defaults otherwise; the same seed
  and backend give the same weights). Every option is in \`eval_results.json\`.

## Results (test queries, nDCG@10, gains 2^y − 1)

Reranking each test query's judged passages:

| ranker | nDCG@10 |
|---|---|
| random order (mean of 200 shuffles) | ${f(r.judged.random)} |
| BM25 (k1 0.9, b 0.4) | ${f(r.judged.bm25)} |
| this model | ${f(r.judged.model)} |

Over the whole corpus (unjudged passages count as non-relevant):

| ranker | nDCG@10 |
|---|---|
| BM25 | ${f(r.pipeline.bm25)} |
| BM25 top ${r.pipeline.depth} reranked by this model | ${f(r.pipeline.rerank)} |

${verdict(r)}

On the training queries the model reaches ${f(r.judged.modelOnTrain)} (random: ${f(r.judged.randomOnTrain)}):
the gap to the test figure is how much it memorised.

## Files

| file | size |
|---|---|
${files}

\`onnx/model.onnx\` (opset 17; inputs \`input_ids\`, \`attention_mask\`, \`token_type_ids\` int64
[batch, sequence]; output \`logits\` float32 [batch, 1]) was checked against the tfjs model on
onnxruntime-web's wasm backend: largest difference ${s.onnx_parity_max_abs_diff.toExponential(1)}.

## Limits

Trained from scratch on a few hundred passages: it knows the demo's topics and little else, and it
will not transfer to other collections. Use a real pretrained cross-encoder for real data.
`;
}
