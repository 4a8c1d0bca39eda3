import type { StateCreator } from 'zustand';
import type {
  TextBm25Request,
  TextBm25Result,
  TextExportOutcome,
  TextModelRef,
  TextProgressEvent,
  TextQueryView,
  TextRerankResult,
  WorkerEvent,
} from '../../worker/protocol';
import { defaultTextForm, type TextForm } from '../../core/share/panel-forms';
import { writeStateToUrl } from '../url-state';
import type { RankPlayState, WorkerLink } from './types';

/** The "Rerank text" panel's settings: the schema, type and defaults live in core (links carry them). */
export type { TextForm };
export { defaultTextForm };

export type TextStage = 'bm25' | 'rerank' | 'query' | 'export' | 'cache';

export interface TextError {
  stage: TextStage;
  message: string;
  cancelled: boolean;
}

export interface TextSlice {
  textForm: TextForm;
  /** Model files picked for model 'files', with their paths inside the model folder. */
  textModelFiles: { path: string; blob: Blob }[];
  /** A TREC run whose lists replace BM25's as the first stage (null: BM25). */
  textRunFile: File | null;
  textRunning: 'bm25' | 'rerank' | null;
  textProgress: TextProgressEvent | null;
  /** The last BM25 run; a new one clears the reranking, which belonged to the old lists. */
  textBm25: TextBm25Result | null;
  textRerank: TextRerankResult | null;
  textError: TextError | null;
  /** The query shown side by side (index into textBm25.queries). */
  textQueryIndex: number;
  textQuery: TextQueryView | null;
  /** Bytes of downloaded models in Cache Storage; null until asked. */
  textCacheBytes: number | null;
  setTextForm(change: Partial<TextForm>): void;
  setTextModelFiles(files: File[]): void;
  setTextRunFile(file: File | null): void;
  runTextBm25(): void;
  runTextRerank(): void;
  cancelText(): void;
  showTextQuery(index: number): void;
  exportTextRun(which: 'bm25' | 'rerank'): Promise<TextExportOutcome>;
  refreshModelCache(): void;
  clearModelCache(): void;
  dismissTextError(): void;
}

/** A path under the app's base (where public/ is served), as an absolute URL the worker can fetch. */
const pageUrl = () => (typeof location !== 'undefined' ? location.href : 'http://localhost/');

export function appAssetUrl(path: string): string {
  return new URL(`${import.meta.env.BASE_URL}${path}`, pageUrl()).href;
}

export const DEMO_CORPUS_PATH = 'demo/rankplay-demo/';
export const DEMO_MODEL_PATH = 'models/rankplay-demo-cross-encoder/';

/**
 * Paths inside the model folder for picked files: a picked folder gives `folder/onnx/model.onnx`
 * (the folder's own name is dropped); single files keep their names, an .onnx file going under onnx/.
 */
export function modelFilePaths(files: readonly File[]): { path: string; blob: Blob }[] {
  return files.map((file) => {
    const rel = file.webkitRelativePath || '';
    if (rel.includes('/')) return { path: rel.slice(rel.indexOf('/') + 1), blob: file };
    return { path: /\.onnx$/i.test(file.name) ? `onnx/${file.name}` : file.name, blob: file };
  });
}

type Setter = Parameters<StateCreator<RankPlayState>>[0];

/** Folds text-journey progress into the state; false for events that are not about it. */
export function applyTextEvent(set: Setter, get: () => RankPlayState, event: WorkerEvent): boolean {
  if (event.type !== 'text-progress') return false;
  // Progress may trail the answer: a finished step stays finished.
  if (get().textRunning) set({ textProgress: event });
  return true;
}

const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));
const NOT_READY = 'The worker is still starting: try again in a moment.';

export function createTextSlice(link: WorkerLink): StateCreator<RankPlayState, [], [], TextSlice> {
  return (set, get) => {
    const fail = (stage: TextStage, message: string, cancelled = false) => set({ textError: { stage, message, cancelled } });

    const loadQuery = (index: number) => {
      const commands = link.commands;
      if (!commands) return;
      commands
        .textQuery(index)
        .then((outcome) => {
          // A later pick (or a new run) wins over an answer that arrives late.
          if (get().textQueryIndex !== index) return;
          if (outcome.ok) set({ textQuery: outcome.view });
          else fail('query', outcome.error);
        })
        .catch((e: unknown) => fail('query', `Could not show the query: ${errorText(e)}`));
    };

    const corpusRef = (): TextBm25Request['corpus'] | string => {
      const { textForm, datasets } = get();
      if (textForm.corpus === 'demo') return { kind: 'demo', base: appAssetUrl(DEMO_CORPUS_PATH) };
      const set = datasets.find((d) => d.id === textForm.corpus && d.kind === 'text');
      if (!set) return 'The chosen text set is no longer in this browser: choose another corpus.';
      return { kind: 'stored', id: set.id, name: set.name };
    };

    const modelRef = (): TextModelRef | string => {
      const { textForm, textModelFiles } = get();
      if (textForm.model === 'demo') return { kind: 'url', base: appAssetUrl(DEMO_MODEL_PATH) };
      if (textForm.model === 'url') {
        const typed = textForm.modelUrl.trim();
        if (!typed) return 'Give the model URL base (…/resolve/main/) or a Hugging Face id such as owner/name.';
        // A path on this site (/models/x/) is the page's, not the worker's: make it absolute here.
        return { kind: 'url', base: /^\.{0,2}\//.test(typed) ? new URL(typed, pageUrl()).href : typed };
      }
      return textModelFiles.length ? { kind: 'files', files: textModelFiles } : 'Pick the model folder (config.json, tokenizer.json, onnx/model.onnx) first.';
    };

    return {
      textForm: defaultTextForm,
      textModelFiles: [],
      textRunFile: null,
      textRunning: null,
      textProgress: null,
      textBm25: null,
      textRerank: null,
      textError: null,
      textQueryIndex: 0,
      textQuery: null,
      textCacheBytes: null,
      setTextForm: (change) => {
        set((s) => {
          const form = { ...s.textForm, ...change };
          // The demo has train/test judgements; a stored set has its one qrels file, or none (a split given with the corpus wins).
          if (change.corpus !== undefined && change.corpus !== s.textForm.corpus && change.split === undefined) form.split = change.corpus === 'demo' ? 'test' : 'judged';
          // A corpus chosen (or a link's arriving) ends the wait for a link's corpus.
          return change.corpus !== undefined ? { textForm: form, linkedCorpus: null } : { textForm: form };
        });
        // The settings travel in the share link: the address follows every change.
        writeStateToUrl(get());
      },
      setTextModelFiles: (files) => set({ textModelFiles: modelFilePaths(files) }),
      setTextRunFile: (file) => set({ textRunFile: file }),
      runTextBm25: () => {
        const commands = link.commands;
        if (!commands) return fail('bm25', NOT_READY);
        if (get().textRunning) return;
        const corpus = corpusRef();
        if (typeof corpus === 'string') return fail('bm25', corpus);
        const { split, k1, b, k } = get().textForm;
        const runFile = get().textRunFile;
        const run = runFile ? { name: runFile.name, blob: runFile } : undefined;
        set({ textRunning: 'bm25', textProgress: null, textError: null, textBm25: null, textRerank: null, textQuery: null, textQueryIndex: 0 });
        commands
          .textBm25({ corpus, split, k1, b, k, run })
          .then((outcome) => {
            if (!outcome.ok) return fail('bm25', outcome.error, outcome.cancelled);
            set({ textBm25: outcome });
            loadQuery(0);
          })
          .catch((e: unknown) => fail('bm25', `Could not run BM25: ${errorText(e)}`))
          .finally(() => {
            set({ textRunning: null, textProgress: null });
            get().refreshModelCache();
          });
      },
      runTextRerank: () => {
        const commands = link.commands;
        if (!commands) return fail('rerank', NOT_READY);
        if (get().textRunning) return;
        if (!get().textBm25) return fail('rerank', 'Run BM25 first: the cross-encoder reranks its lists.');
        const model = modelRef();
        if (typeof model === 'string') return fail('rerank', model);
        const { depth, backend } = get().textForm;
        set({ textRunning: 'rerank', textProgress: null, textError: null, textRerank: null });
        commands
          .textRerank({ model, depth, backend })
          .then((outcome) => {
            if (!outcome.ok) return fail('rerank', outcome.error, outcome.cancelled);
            set({ textRerank: outcome });
          })
          .catch((e: unknown) => fail('rerank', `Could not rerank: ${errorText(e)}`))
          .finally(() => {
            set({ textRunning: null, textProgress: null });
            // Lists change (or lose their reranked side): show the query again, and the cache's new size.
            if (get().textBm25) loadQuery(get().textQueryIndex);
            get().refreshModelCache();
          });
      },
      cancelText: () => {
        if (get().textRunning) void link.commands?.textCancel().catch(() => {});
      },
      showTextQuery: (index) => {
        set({ textQueryIndex: index });
        loadQuery(index);
      },
      exportTextRun: async (which) => {
        const commands = link.commands;
        if (!commands) return { ok: false, error: NOT_READY };
        try {
          const outcome = await commands.textExportRun(which);
          if (!outcome.ok) fail('export', outcome.error);
          return outcome;
        } catch (e) {
          const error = `Could not export the run: ${errorText(e)}`;
          fail('export', error);
          return { ok: false, error };
        }
      },
      refreshModelCache: () => {
        link.commands
          ?.textModelCacheSize()
          .then((outcome) => set({ textCacheBytes: outcome.ok ? outcome.bytes : null }))
          .catch(() => set({ textCacheBytes: null }));
      },
      clearModelCache: () => {
        link.commands
          ?.textClearModelCache()
          .then((outcome) => (outcome.ok ? set({ textCacheBytes: outcome.bytes }) : fail('cache', outcome.error)))
          .catch((e: unknown) => fail('cache', `Could not clear the model cache: ${errorText(e)}`));
      },
      dismissTextError: () => set({ textError: null }),
    };
  };
}
