import { describe, expect, it } from 'vitest';
import type { AdaptEvalReport, AdaptStepReport, AdaptSummary } from '../../core/text/adapt/types';
import type { AdaptLoadOutcome, AdaptLoadRequest, AdaptRunOutcome, AdaptSavedInfo, AdaptStartRequest } from '../../worker/protocol';
import { adaptFormErrors, adaptTrainConfig, defaultAdaptForm } from './adapt-form';
import { createRankPlayStore } from './index';
import type { WorkerCommands } from './types';

const settle = () => new Promise((r) => setTimeout(r, 0));
const count = (trainable: number) => ({ trainable, base: 1000, percentOfModel: trainable / 10 });
const step = (n: number): AdaptStepReport => ({ step: n, loss: 1 / n, learningRate: 0.001, gradNorm: 1, stepMs: 10, tensorBytes: 1e6 });
const evalAt = (n: number, ndcg10: number): AdaptEvalReport => ({ step: n, ndcg10, perQueryNdcg10: [ndcg10], rankMe: 5, peakStepBytes: null });

function setup(saved: AdaptSavedInfo | null = null) {
  const store = createRankPlayStore();
  const starts: AdaptStartRequest[] = [];
  const loads: AdaptLoadRequest[] = [];
  const counts: number[] = [];
  let answerRun: (o: AdaptRunOutcome) => void = () => {};
  const commands = {
    adaptMethods: async () => ({ methods: [{ kind: 'lora' as const, label: 'LoRA', summary: 's' }], targets: ['query', 'value'] }),
    adaptCount: async (ac: { r: number }) => {
      counts.push(ac.r);
      return { ok: true as const, count: count(ac.r * 100) };
    },
    adaptSaved: async () => saved,
    adaptStart: (req: AdaptStartRequest) => {
      starts.push(req);
      return new Promise<AdaptRunOutcome>((resolve) => (answerRun = resolve));
    },
    adaptResume: () => new Promise<AdaptRunOutcome>((resolve) => (answerRun = resolve)),
    adaptQuery: async () => ({ ok: false as const, error: 'no lists in this test' }),
    adaptLoadPeft: async (req: AdaptLoadRequest): Promise<AdaptLoadOutcome> => {
      loads.push(req);
      return { ok: false, error: 'adapter_config.json: peft_type \'IA3\' is not LORA' };
    },
    adaptDiscardSaved: async () => {},
    adaptCancel: async () => {},
  } as Partial<WorkerCommands> as WorkerCommands;
  store.getState().attachWorker(commands);
  return { store, s: store.getState, starts, loads, counts, answerRun: (o: AdaptRunOutcome) => answerRun(o) };
}

const summary = (base: number, best: number): AdaptSummary => ({
  count: count(800),
  base: evalAt(0, base),
  best: evalAt(4, best),
  last: evalAt(4, best),
  steps: 4,
  stopped: null,
  report: {},
});

describe('adapt slice', () => {
  it('shows the trainable count before training and asks again when r changes', async () => {
    const t = setup();
    t.s().initAdapt();
    await settle();
    expect(t.s().adaptMethods?.methods[0].label).toBe('LoRA');
    expect(t.s().adaptCount).toEqual({ ok: true, count: count(800) });
    t.s().setAdaptForm({ r: 16 });
    await settle();
    expect(t.counts).toEqual([8, 16]);
    expect(t.s().adaptCount).toEqual({ ok: true, count: count(1600) });
  });

  it('starts a run with the form as config, files its events under its id, and keeps every run for the compare chart', async () => {
    const t = setup();
    t.s().initAdapt();
    await settle();
    t.s().startAdapt();
    expect(t.s().adaptBusy).toBe('train');
    const req = t.starts[0];
    expect(req.cfg).toEqual(adaptTrainConfig(defaultAdaptForm));
    expect(req.label).toBe('LoRA r=8 · clicks IPS');
    expect(req.modelBase).toMatch(/models\/rankplay-demo-cross-encoder\/$/);
    const runId = req.runId!;
    const apply = t.s().applyWorkerEvent;
    apply({ type: 'adapt-eval', runId, report: evalAt(0, 0.5) });
    apply({ type: 'adapt-step', runId, report: step(1) });
    apply({ type: 'adapt-step', runId, report: step(1) });
    apply({ type: 'adapt-step', runId: 'someone-else', report: step(2) });
    expect(t.s().adaptRuns[0].steps.map((p) => p.step)).toEqual([1]);
    expect(t.s().adaptRuns[0].evals.map((e) => e.ndcg10)).toEqual([0.5]);
    const info = { runId, label: req.label, kind: 'lora' as const, count: count(800), data: { trainQueries: 30, validationQueries: 13, candidates: 100, validation: [] }, fromStep: 0 };
    t.answerRun({ ok: true, info, summary: summary(0.5, 0.6), ended: 'done', rankSweep: null });
    await settle();
    expect(t.s().adaptBusy).toBeNull();
    expect(t.s().adaptRuns[0]).toMatchObject({ status: 'done', result: { summary: { best: { ndcg10: 0.6 } } } });
    t.s().startAdapt();
    expect(t.s().adaptRuns.map((r) => r.status)).toEqual(['done', 'running']);
  });

  it('refuses invalid settings with a message naming them, and shows a failed run\'s error', async () => {
    const t = setup();
    t.s().setAdaptForm({ r: 0, learningRate: Number.NaN });
    expect(adaptFormErrors(t.s().adaptForm)).toMatchObject({ r: expect.any(String), learningRate: expect.any(String) });
    t.s().startAdapt();
    expect(t.starts).toHaveLength(0);
    expect(t.s().adaptError?.message).toMatch(/r must be .*learning rate/);
    t.s().setAdaptForm({ r: 8, learningRate: 0.001 });
    t.s().startAdapt();
    t.answerRun({ ok: false, cancelled: false, error: 'loss became NaN or infinite at step 3: lower the learning rate' });
    await settle();
    expect(t.s().adaptError).toEqual({ stage: 'train', message: 'loss became NaN or infinite at step 3: lower the learning rate' });
    expect(t.s().adaptRuns.at(-1)?.status).toBe('failed');
  });

  it('offers a saved run; resuming continues its series with its settings', async () => {
    const saved: AdaptSavedInfo = {
      runId: 'old',
      label: 'LoRA r=4 · labels',
      step: 10,
      steps: 40,
      savedAt: 1,
      cfg: { ...adaptTrainConfig(defaultAdaptForm), signal: { kind: 'labels' }, adaptation: { ...adaptTrainConfig(defaultAdaptForm).adaptation, r: 4 }, steps: 40 },
      source: { corpusBase: 'c/', modelBase: 'm/' },
      stepReports: [step(1), step(10)],
      evalReports: [evalAt(0, 0.5), evalAt(10, 0.55)],
    };
    const t = setup(saved);
    t.s().initAdapt();
    await settle();
    expect(t.s().adaptSaved?.step).toBe(10);
    t.s().resumeAdapt();
    expect(t.s().adaptForm).toMatchObject({ r: 4, signal: 'labels', steps: 40 });
    expect(t.s().adaptRuns).toEqual([expect.objectContaining({ runId: 'old', status: 'running', steps: saved.stepReports, evals: saved.evalReports })]);
    t.s().applyWorkerEvent({ type: 'adapt-step', runId: 'old', report: step(11) });
    expect(t.s().adaptRuns[0].steps.map((p) => p.step)).toEqual([1, 10, 11]);
  });

  it('loading a bad adapter shows the worker\'s message', async () => {
    const t = setup();
    t.s().loadAdapter([new File(['{}'], 'adapter_config.json')]);
    await settle();
    await settle();
    expect(t.loads[0].files.map((f) => f.name)).toEqual(['adapter_config.json']);
    expect(t.s().adaptError).toEqual({ stage: 'load', message: "adapter_config.json: peft_type 'IA3' is not LORA" });
    expect(t.s().adaptBusy).toBeNull();
  });
});
