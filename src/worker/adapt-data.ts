import type { Tokenizer } from '@huggingface/tokenizers';
import { splitQueries } from '../core/text/adapt/data';
import type { AdaptData, AdaptQuery } from '../core/text/adapt/types';
import { Bm25Searcher, BM25_DEFAULTS } from '../core/text/bm25';
import { buildBm25Index, type Bm25Documents } from '../core/text/bm25-index';
import { bertConfigFromJson, type BertConfig } from '../core/text/model/config';
import { loadTokenizer } from '../core/text/model/encode';
import type { BertWeights } from '../core/text/model/params';
import { checkBertWeights } from '../core/text/model/params';
import { readSafetensors } from '../core/text/model/safetensors';
import type { AdaptDataInfo } from './adapt-types';
import { openDemoCorpus, selectQueries } from './text-corpus';
import { fetchBytes, type Fetcher } from './fetch-bytes';
import { passageText } from './text-eval';

/**
 * What an adaptation run needs besides its config: the user's collection as the trainer sees it
 * (the demo corpus, its test-split topics with BM25 candidates) and the model to adapt as plain
 * weights. Both are loaded once per worker and reused by every run of the session.
 */

/** First-stage candidates per query: what clicks are simulated on and validation reranks from. */
export const ADAPT_CANDIDATES = 100;
/** Share of the user's queries held out for validation (the 70/30). */
export const VALIDATION_SHARE = 0.3;

export interface AdaptCollection {
  key: string;
  docs: Bm25Documents;
  /** passage texts as the cross-encoder reads them ("title text"). */
  corpus: string[];
  /** Every test-split query with its candidates and judgements, in the queries file's order. */
  queries: AdaptQuery[];
}

export interface AdaptSplit {
  data: AdaptData;
  info: AdaptDataInfo;
}

/**
 * The demo collection's test split as the "user's own data": topics the demo model was never
 * trained on, each with BM25's top 100 as candidates (BM25 with the text panel's defaults).
 */
export async function openAdaptCollection(corpusBase: string, fetcher: Fetcher, signal: AbortSignal): Promise<AdaptCollection> {
  const corpus = await openDemoCorpus(corpusBase, fetcher, signal, () => {});
  const selection = selectQueries(corpus, 'test');
  const index = buildBm25Index(corpus.docs);
  const searcher = new Bm25Searcher(index, BM25_DEFAULTS);
  // The index numbers documents in the corpus's order; checked so a change there cannot silently shift labels.
  for (let d = 0; d < corpus.docs.size; d++) if (index.docIds[d] !== corpus.docs.id(d)) throw new Error('the BM25 index numbered the passages differently from the corpus');
  const qrels = selection.qrels;
  const judged = new Map<string, { passage: number; label: number }[]>();
  if (qrels) {
    const docIndex = new Map(index.docIds.map((id, d) => [id, d]));
    for (let j = 0; j < qrels.query.length; j++) {
      const qid = qrels.queryIds[qrels.query[j]];
      const d = docIndex.get(qrels.docIds[qrels.doc[j]]);
      // Negative grades are "judged non-relevant"; the trainer wants grades ≥ 0.
      if (d !== undefined) (judged.get(qid) ?? judged.set(qid, []).get(qid)!).push({ passage: d, label: Math.max(0, qrels.rel[j]) });
    }
  }
  const queries = selection.queryIdx.map((qi): AdaptQuery => {
    const id = corpus.queries.id(qi);
    const query = corpus.queries.text(qi);
    const hits = searcher.searchTerms(searcher.parse(query).terms, ADAPT_CANDIDATES);
    return { id, query, candidates: Array.from(hits.docs), judged: judged.get(id) ?? [] };
  });
  const texts = Array.from({ length: corpus.docs.size }, (_, d) => passageText(corpus.docs, d));
  return { key: corpus.key, docs: corpus.docs, corpus: texts, queries };
}

/** The seeded 70/30 split into adapt-train and validation queries. */
export function splitCollection(collection: AdaptCollection, seed: number): AdaptSplit {
  const { train, validation } = splitQueries(collection.queries, VALIDATION_SHARE, seed);
  return {
    data: { corpus: collection.corpus, train, validation },
    info: {
      trainQueries: train.length,
      validationQueries: validation.length,
      candidates: ADAPT_CANDIDATES,
      validation: validation.map((q) => ({ id: q.id, text: q.query.slice(0, 160) })),
    },
  };
}

export interface BaseModel {
  base: string;
  config: BertConfig;
  weights: BertWeights;
  tokenizer: Tokenizer;
  /** config.json and the tokenizer files as fetched, for the merged model's folder. */
  files: Record<string, Uint8Array>;
}


/** The model to adapt, in Hugging Face's layout: config.json, model.safetensors, tokenizer.json (+ tokenizer_config.json). */
export async function loadBaseModel(base: string, fetcher: Fetcher, signal: AbortSignal): Promise<BaseModel> {
  const files: Record<string, Uint8Array> = {};
  const json = async (file: string): Promise<object> => {
    const bytes = await fetchBytes(fetcher, base, file, signal);
    files[file] = bytes;
    const text = new TextDecoder().decode(bytes);
    try {
      return JSON.parse(text) as object;
    } catch (e) {
      throw new Error(`${file} is not valid JSON (${e instanceof Error ? e.message : String(e)})`);
    }
  };
  const config = bertConfigFromJson(await json('config.json'));
  const bytes = await fetchBytes(fetcher, base, 'model.safetensors', signal);
  const { tensors } = readSafetensors(bytes);
  checkBertWeights(config, tensors);
  const tokenizer = loadTokenizer(await json('tokenizer.json'), await json('tokenizer_config.json'));
  return { base, config, weights: tensors, tokenizer, files };
}
