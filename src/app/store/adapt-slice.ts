import type { StateCreator } from 'zustand';
import type { AdaptEvalReport, AdaptStepReport } from '../../core/text/adapt/types';
import type { TrainableCount } from '../../core/text/lora/adaptation';
import type {
  AdaptLoadOutcome,
  AdaptMergedOutcome,
  AdaptMethods,
  AdaptPeftOutcome,
  AdaptQueryView,
  AdaptRunOutcome,
  AdaptRunResult,
  AdaptSavedInfo,
  AdaptSource,
  WorkerEvent,
} from '../../worker/protocol';
import { adaptationOf, adaptFormErrors, adaptRunLabel, adaptTrainConfig, defaultAdaptForm, formOfConfig, type AdaptForm } from './adapt-form';
import { appAssetUrl, DEMO_CORPUS_PATH, DEMO_MODEL_PATH } from './text-slice';
import { writeStateToUrl } from '../url-state';
import type { RankPlayState, WorkerLink } from './types';

/** One training run of this session, as the charts draw it. */
export interface AdaptRunSeries {
  runId: string;
  label: string;
  status: 'running' | 'done' | 'cancelled' | 'failed';
  steps: AdaptStepReport[];
  evals: AdaptEvalReport[];
  result: AdaptRunResult | null;
}

export type AdaptStage = 'train' | 'query' | 'download' | 'load' | 'methods';

export interface AdaptError {
  stage: AdaptStage;
  message: string;
}

export type AdaptCountState = { ok: true; count: TrainableCount } | { ok: false; error: string } | null;
export type AdaptLoaded = Extract<AdaptLoadOutcome, { ok: true }> & { fileNames: string[] };

export interface AdaptSlice {
  adaptMethods: AdaptMethods | null;
  adaptForm: AdaptForm;
  adaptCount: AdaptCountState;
  /** What the worker is doing for this section (one thing at a time). */
  adaptBusy: 'train' | 'load' | 'download' | null;
  /** The latest "what is happening" line while a run starts (loading the model, …). */
  adaptPhase: string | null;
  /** Runs of this session, oldest first; the last is the one shown in detail. */
  adaptRuns: AdaptRunSeries[];
  adaptError: AdaptError | null;
  /** A run saved in this browser, offered as "Resume from step N". */
  adaptSaved: AdaptSavedInfo | null;
  adaptQueryIndex: number;
  adaptQuery: AdaptQueryView | null;
  adaptLoaded: AdaptLoaded | null;
  /** Asks the worker for the methods, the trainable count and any saved run (once the worker is up). */
  initAdapt(): void;
  setAdaptForm(change: Partial<AdaptForm>): void;
  startAdapt(): void;
  resumeAdapt(): void;
  discardSavedAdapt(): void;
  cancelAdapt(): void;
  showAdaptQuery(index: number): void;
  downloadAdapter(): Promise<AdaptPeftOutcome>;
  downloadMerged(): Promise<AdaptMergedOutcome>;
  loadAdapter(files: File[]): void;
  dismissAdaptError(): void;
}

type Setter = Parameters<StateCreator<RankPlayState>>[0];

const source = (): AdaptSource => ({ corpusBase: appAssetUrl(DEMO_CORPUS_PATH), modelBase: appAssetUrl(DEMO_MODEL_PATH) });

const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));
const NOT_READY = 'The worker is still starting: try again in a moment.';

/** Appends to the run the event names, never twice for a step (a resumed run's series is seeded from its save). */
function withReport(runs: AdaptRunSeries[], runId: string, add: (r: AdaptRunSeries) => AdaptRunSeries): AdaptRunSeries[] {
  return runs.map((r) => (r.runId === runId ? add(r) : r));
}

/** Folds adaptation progress into the state; false for events that are not about it. */
export function applyAdaptEvent(set: Setter, get: () => RankPlayState, event: WorkerEvent): boolean {
  switch (event.type) {
    case 'adapt-phase':
      if (get().adaptBusy) set({ adaptPhase: event.label });
      return true;
    case 'adapt-step': {
      const { report } = event;
      set((s) => ({
        adaptPhase: null,
        adaptRuns: withReport(s.adaptRuns, event.runId, (r) => (r.steps.some((p) => p.step === report.step) ? r : { ...r, steps: [...r.steps, report] })),
      }));
      return true;
    }
    case 'adapt-eval': {
      const { report } = event;
      set((s) => ({
        adaptPhase: null,
        adaptRuns: withReport(s.adaptRuns, event.runId, (r) => (r.evals.some((p) => p.step === report.step) ? r : { ...r, evals: [...r.evals, report] })),
      }));
      return true;
    }
    default:
      return false;
  }
}

let runCounter = 0;

export function createAdaptSlice(link: WorkerLink): StateCreator<RankPlayState, [], [], AdaptSlice> {
  return (set, get) => {
    const fail = (stage: AdaptStage, message: string) => set({ adaptError: { stage, message } });
    let countAsked = 0;
    let initTries = 0;

    const refreshCount = () => {
      const commands = link.commands;
      if (!commands) return;
      const form = get().adaptForm;
      const errors = adaptFormErrors(form);
      if (errors.r || errors.alpha || errors.dropout || errors.targets) return set({ adaptCount: { ok: false, error: 'fix the settings marked below' } });
      const asked = ++countAsked;
      commands
        .adaptCount(adaptationOf(form), source().modelBase)
        .then((outcome) => {
          // A later change wins over an answer that arrives late.
          if (asked === countAsked) set({ adaptCount: outcome });
        })
        .catch((e: unknown) => asked === countAsked && set({ adaptCount: { ok: false, error: errorText(e) } }));
    };

    const refreshSaved = () => {
      link.commands
        ?.adaptSaved()
        .then((saved) => set({ adaptSaved: saved }))
        .catch(() => set({ adaptSaved: null }));
    };

    const loadQuery = (index: number) => {
      link.commands
        ?.adaptQuery(index)
        .then((outcome) => {
          if (get().adaptQueryIndex !== index) return;
          if (outcome.ok) set({ adaptQuery: outcome.view });
          else fail('query', outcome.error);
        })
        .catch((e: unknown) => fail('query', `Could not show the query: ${errorText(e)}`));
    };

    /** Runs a training call and files its answer under its series. */
    const train = (runId: string, call: () => Promise<AdaptRunOutcome>) => {
      set({ adaptBusy: 'train', adaptPhase: 'Starting…', adaptError: null, adaptQuery: null, adaptQueryIndex: 0 });
      call()
        .then((outcome) => {
          const status: AdaptRunSeries['status'] = outcome.ok ? (outcome.ended === 'cancelled' ? 'cancelled' : 'done') : outcome.cancelled ? 'cancelled' : 'failed';
          set((s) => ({ adaptRuns: withReport(s.adaptRuns, runId, (r) => ({ ...r, status, result: outcome.ok ? outcome : null })) }));
          if (!outcome.ok) {
            if (!outcome.cancelled) fail('train', outcome.error);
            return;
          }
          loadQuery(0);
        })
        .catch((e: unknown) => {
          set((s) => ({ adaptRuns: withReport(s.adaptRuns, runId, (r) => ({ ...r, status: 'failed' })) }));
          fail('train', `Could not train: ${errorText(e)}`);
        })
        .finally(() => {
          set({ adaptBusy: null, adaptPhase: null });
          refreshSaved();
        });
    };

    return {
      adaptMethods: null,
      adaptForm: defaultAdaptForm,
      adaptCount: null,
      adaptBusy: null,
      adaptPhase: null,
      adaptRuns: [],
      adaptError: null,
      adaptSaved: null,
      adaptQueryIndex: 0,
      adaptQuery: null,
      adaptLoaded: null,
      initAdapt: () => {
        const commands = link.commands;
        // The backend is announced before boot attaches the worker's commands: ask again shortly.
        if (!commands) {
          if (initTries++ < 300) setTimeout(() => get().initAdapt(), 200);
          return;
        }
        commands
          .adaptMethods()
          .then((methods) => set({ adaptMethods: methods }))
          .catch((e: unknown) => fail('methods', `Could not list the fine-tuning methods: ${errorText(e)}`));
        refreshCount();
        refreshSaved();
      },
      setAdaptForm: (change) => {
        set((s) => ({ adaptForm: { ...s.adaptForm, ...change } }));
        // The settings travel in the share link: the address follows every change.
        writeStateToUrl(get());
        refreshCount();
      },
      startAdapt: () => {
        const commands = link.commands;
        if (!commands) return fail('train', NOT_READY);
        if (get().adaptBusy) return;
        const form = get().adaptForm;
        const errors = Object.values(adaptFormErrors(form));
        if (errors.length) return fail('train', `Fix the settings first: ${errors.join('; ')}.`);
        const method = get().adaptMethods?.methods.find((m) => m.kind === form.kind)?.label ?? form.kind;
        const label = adaptRunLabel(form, method);
        const runId = `run-${Date.now().toString(36)}-${++runCounter}`;
        set((s) => ({ adaptRuns: [...s.adaptRuns, { runId, label, status: 'running', steps: [], evals: [], result: null }] }));
        train(runId, () => commands.adaptStart({ ...source(), cfg: adaptTrainConfig(form), label, runId }));
      },
      resumeAdapt: () => {
        const commands = link.commands;
        const saved = get().adaptSaved;
        if (!commands || !saved || get().adaptBusy) return;
        // The charts continue from the saved series; the settings show what the run was trained with.
        set((s) => ({
          adaptForm: formOfConfig(saved.cfg),
          adaptSaved: null,
          adaptRuns: [...s.adaptRuns.filter((r) => r.runId !== saved.runId), { runId: saved.runId, label: saved.label, status: 'running', steps: saved.stepReports, evals: saved.evalReports, result: null }],
        }));
        writeStateToUrl(get());
        refreshCount();
        train(saved.runId, () => commands.adaptResume());
      },
      discardSavedAdapt: () => {
        set({ adaptSaved: null });
        void link.commands?.adaptDiscardSaved().catch(() => {});
      },
      cancelAdapt: () => {
        if (get().adaptBusy === 'train') void link.commands?.adaptCancel().catch(() => {});
      },
      showAdaptQuery: (index) => {
        set({ adaptQueryIndex: index });
        loadQuery(index);
      },
      downloadAdapter: async () => {
        const commands = link.commands;
        if (!commands) return { ok: false, error: NOT_READY };
        set({ adaptBusy: 'download' });
        try {
          const outcome = await commands.adaptExportPeft();
          if (!outcome.ok) fail('download', outcome.error);
          return outcome;
        } catch (e) {
          const error = `Could not export the adapter: ${errorText(e)}`;
          fail('download', error);
          return { ok: false, error };
        } finally {
          set({ adaptBusy: null });
        }
      },
      downloadMerged: async () => {
        const commands = link.commands;
        if (!commands) return { ok: false, error: NOT_READY };
        set({ adaptBusy: 'download' });
        try {
          const outcome = await commands.adaptExportMerged();
          if (!outcome.ok) fail('download', outcome.error);
          return outcome;
        } catch (e) {
          const error = `Could not export the merged model: ${errorText(e)}`;
          fail('download', error);
          return { ok: false, error };
        } finally {
          set({ adaptBusy: null });
        }
      },
      loadAdapter: (files) => {
        const commands = link.commands;
        if (!commands) return fail('load', NOT_READY);
        if (get().adaptBusy) return;
        set({ adaptBusy: 'load', adaptPhase: 'Loading the adapter', adaptError: null, adaptLoaded: null });
        commands
          .adaptLoadPeft({ ...source(), cfg: adaptTrainConfig(get().adaptForm), files: files.map((f) => ({ name: f.name, blob: f })) })
          .then((outcome) => {
            if (outcome.ok) set({ adaptLoaded: { ...outcome, fileNames: files.map((f) => f.name) } });
            else fail('load', outcome.error);
          })
          .catch((e: unknown) => fail('load', `Could not load the adapter: ${errorText(e)}`))
          .finally(() => set({ adaptBusy: null, adaptPhase: null }));
      },
      dismissAdaptError: () => set({ adaptError: null }),
    };
  };
}
