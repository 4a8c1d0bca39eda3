import { describe, expect, it } from 'vitest';
import type { TextBm25Outcome, TextBm25Request, TextBm25Result, TextQueryOutcome, TextRerankOutcome, TextRerankRequest } from '../../worker/protocol';
import { createRankPlayStore } from './index';
import { modelFilePaths } from './text-slice';
import type { WorkerCommands } from './types';

const settle = () => new Promise((r) => setTimeout(r, 0));

const bm25Result: TextBm25Result = {
  ok: true,
  corpus: { name: 'RankPlay demo passages', documents: 423, split: 'test', splitLabel: 'test queries' },
  params: { k1: 0.9, b: 0.4, k: 100 },
  firstStage: { kind: 'bm25' },
  index: { ms: 12, terms: 3000, postings: 20000, reused: false },
  bm25: { metrics: { ndcg10: 0.7, mrr10: 0.8, recall100: 0.95, judgedQueries: 2 }, metricsNote: null, queries: 2, ms: 20, perQueryNdcg: [0.6, 0.8] },
  queries: [
    { id: 'q1', text: 'one' },
    { id: 'q2', text: 'two' },
  ],
  notes: [],
};

function setup() {
  const store = createRankPlayStore();
  const bm25: TextBm25Request[] = [];
  const reranks: TextRerankRequest[] = [];
  const queries: number[] = [];
  let answerBm25: (o: TextBm25Outcome) => void = () => {};
  let answerRerank: (o: TextRerankOutcome) => void = () => {};
  let cancels = 0;
  const commands = {
    textBm25: (req: TextBm25Request) => {
      bm25.push(req);
      return new Promise<TextBm25Outcome>((resolve) => (answerBm25 = resolve));
    },
    textRerank: (req: TextRerankRequest) => {
      reranks.push(req);
      return new Promise<TextRerankOutcome>((resolve) => (answerRerank = resolve));
    },
    textQuery: async (index: number): Promise<TextQueryOutcome> => {
      queries.push(index);
      return { ok: true, view: { index, id: `q${index + 1}`, text: 'x', judged: true, bm25: { rows: [], ndcg10: 0.5 }, rerank: null } };
    },
    textCancel: async () => {
      cancels++;
    },
    textModelCacheSize: async () => ({ ok: true, bytes: 4_100_000 }),
    textClearModelCache: async () => ({ ok: true, bytes: 0 }),
    textExportRun: async () => ({ ok: true, fileName: 'a.run', text: 'q1 Q0 d 1 1 bm25\n', lines: 1 }),
  } as Partial<WorkerCommands> as WorkerCommands;
  store.getState().attachWorker(commands);
  return { store, s: store.getState, bm25, reranks, queries, cancels: () => cancels, answerBm25: (o: TextBm25Outcome) => answerBm25(o), answerRerank: (o: TextRerankOutcome) => answerRerank(o) };
}

const progress = { type: 'text-progress', phase: 'index', label: 'Indexing documents', done: 100, total: 423, elapsedMs: 5 } as const;

describe('text slice', () => {
  it('runs BM25 on the demo corpus served beside the app, with progress, then shows the first query', async () => {
    const t = setup();
    t.s().runTextBm25();
    expect(t.bm25).toHaveLength(1);
    expect(t.bm25[0]).toEqual({ corpus: { kind: 'demo', base: 'http://localhost/demo/rankplay-demo/' }, split: 'test', k1: 0.9, b: 0.4, k: 100 });
    t.s().runTextBm25();
    expect(t.bm25).toHaveLength(1);
    t.s().applyWorkerEvent(progress);
    expect(t.s().textProgress).toEqual(progress);
    t.answerBm25(bm25Result);
    await settle();
    await settle();
    expect(t.s()).toMatchObject({ textRunning: null, textProgress: null, textBm25: bm25Result, textCacheBytes: 4_100_000 });
    expect(t.queries).toEqual([0]);
    expect(t.s().textQuery?.id).toBe('q1');
    // Progress that trails the answer does not bring the bar back.
    t.s().applyWorkerEvent(progress);
    expect(t.s().textProgress).toBeNull();
    t.s().showTextQuery(1);
    await settle();
    expect(t.s().textQuery?.id).toBe('q2');
  });

  it('reranks with the demo model, a URL, or picked files; says what is missing', async () => {
    const t = setup();
    t.s().runTextRerank();
    expect(t.s().textError?.message).toMatch(/Run BM25 first/);
    t.s().runTextBm25();
    t.answerBm25(bm25Result);
    await settle();
    t.s().runTextRerank();
    expect(t.reranks[0]).toEqual({ model: { kind: 'url', base: 'http://localhost/models/rankplay-demo-cross-encoder/' }, depth: 30, backend: 'auto' });
    expect(t.s().textRunning).toBe('rerank');
    t.answerRerank({ ok: false, cancelled: false, error: 'Could not load the cross-encoder from http://x/: config.json is missing' });
    await settle();
    expect(t.s()).toMatchObject({ textRunning: null, textError: { stage: 'rerank', cancelled: false } });
    // The BM25 result survives a failed rerank.
    expect(t.s().textBm25).toBe(bm25Result);

    t.s().setTextForm({ model: 'url', modelUrl: '  ' });
    t.s().runTextRerank();
    expect(t.reranks).toHaveLength(1);
    expect(t.s().textError?.message).toMatch(/URL base/);
    t.s().setTextForm({ modelUrl: 'owner/name', depth: 20, backend: 'wasm' });
    t.s().runTextRerank();
    expect(t.reranks[1]).toEqual({ model: { kind: 'url', base: 'owner/name' }, depth: 20, backend: 'wasm' });
    t.answerRerank({ ok: false, cancelled: false, error: 'x' });
    await settle();
    t.s().setTextForm({ modelUrl: '/models/mine/' });
    t.s().runTextRerank();
    expect(t.reranks[2].model).toEqual({ kind: 'url', base: 'http://localhost/models/mine/' });
    t.s().cancelText();
    expect(t.cancels()).toBe(1);
    t.answerRerank({ ok: false, cancelled: true, error: 'Reranking was cancelled' });
    await settle();
    expect(t.s().textError).toMatchObject({ cancelled: true });

    t.s().setTextForm({ model: 'files' });
    t.s().runTextRerank();
    expect(t.s().textError?.message).toMatch(/Pick the model folder/);
    t.s().setTextModelFiles([new File(['{}'], 'config.json')]);
    t.s().runTextRerank();
    expect(t.reranks[3].model).toMatchObject({ kind: 'files', files: [{ path: 'config.json' }] });
  });

  it('uses a stored text set, and defaults its split to the judged queries', () => {
    const t = setup();
    t.s().setTextForm({ corpus: 'gone' });
    expect(t.s().textForm.split).toBe('judged');
    t.s().runTextBm25();
    expect(t.bm25).toHaveLength(0);
    expect(t.s().textError?.message).toMatch(/no longer in this browser/);
    t.s().applyWorkerEvent({
      type: 'datasets',
      list: [{ id: 'gone', name: 'msmarco', kind: 'text', createdAt: 1, files: [], splits: {}, warnings: [], storage: { where: 'indexeddb' } }],
    });
    t.s().runTextBm25();
    expect(t.bm25[0].corpus).toEqual({ kind: 'stored', id: 'gone', name: 'msmarco' });
    t.s().setTextForm({ corpus: 'demo' });
    expect(t.s().textForm.split).toBe('test');
    // A split given with the corpus (a whole form adopted from a link) is kept.
    t.s().setTextForm({ corpus: 'gone', split: 'all' });
    expect(t.s().textForm.split).toBe('all');
    t.s().setTextForm({ corpus: 'demo', split: 'train' });
    expect(t.s().textForm.split).toBe('train');
  });

  it('names picked model files by their path inside the model folder', () => {
    const inFolder = new File(['x'], 'model.onnx');
    Object.defineProperty(inFolder, 'webkitRelativePath', { value: 'my-model/onnx/model.onnx' });
    expect(modelFilePaths([inFolder, new File(['x'], 'model_quantized.onnx'), new File(['{}'], 'tokenizer.json')]).map((f) => f.path)).toEqual([
      'onnx/model.onnx',
      'onnx/model_quantized.onnx',
      'tokenizer.json',
    ]);
  });
});
