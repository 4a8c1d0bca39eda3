import { describe, expect, it } from 'vitest';
import type { ClickSimOutcome, ClickSimRequest, ClickSimResult } from '../../worker/protocol';
import { clickFormProblem, clickRequest, defaultClickForm } from './clicks-slice';
import { createRankPlayStore } from './index';
import type { WorkerCommands } from './types';

const settle = () => new Promise((r) => setTimeout(r, 0));

function setup() {
  const store = createRankPlayStore();
  const sent: ClickSimRequest[] = [];
  let answer: (o: ClickSimOutcome) => void = () => {};
  let cancels = 0;
  const commands = {
    simulateClicks: (req: ClickSimRequest) => {
      sent.push(req);
      return new Promise<ClickSimOutcome>((resolve) => (answer = resolve));
    },
    cancelClicks: async () => {
      cancels++;
    },
  } as Partial<WorkerCommands> as WorkerCommands;
  store.getState().attachWorker(commands);
  return { store, sent, answer: (o: ClickSimOutcome) => answer(o), cancels: () => cancels };
}

const progress = { type: 'click-progress', phase: 'ranking', done: 4096, total: 20_000 } as const;
const result = { model: 'pbm', sessions: 20_000 } as ClickSimResult;

describe('the click form', () => {
  it('sends only what the chosen model, policy and intervention use', () => {
    expect(clickRequest(defaultClickForm)).toEqual({
      model: { model: 'pbm', epsMinus: 0.1, epsPlus: 1, topK: 10, eta: 1 },
      policy: 'random',
      intervention: null,
      sessions: 20_000,
      seed: 7,
      fit: 'pbm',
    });
    const req = clickRequest({
      ...defaultClickForm,
      model: 'dbn',
      examination: 'eye-tracking',
      ymax: 3,
      trustBias: true,
      policy: 'pl',
      temperature: 0.5,
      intervention: 'swap',
      interventionN: 4,
      swapFraction: 0.3,
      fit: false,
    });
    expect(req.model).toMatchObject({ model: 'dbn', ymax: 3 });
    expect(req.model.eta).toBeUndefined();
    expect(req.model.table).toBeUndefined();
    expect((req.model.trustBias as { epsPlus: number[] }).epsPlus).toHaveLength(10);
    expect(req.policy).toEqual({ kind: 'pl', temperature: 0.5 });
    expect(req.intervention).toEqual({ kind: 'swap', n: 4, fraction: 0.3 });
    expect(req.fit).toBe(false);
    expect(clickRequest({ ...defaultClickForm, examination: 'eye-tracking', intervention: 'randtop' })).toMatchObject({ model: { table: 'eye-tracking' }, intervention: { kind: 'randtop' } });
  });

  it('names a problem as the user types, with the parser the worker uses', () => {
    expect(clickFormProblem(defaultClickForm)).toBeNull();
    expect(clickFormProblem({ ...defaultClickForm, examination: 'eye-tracking', topK: 12 })).toBe("click model: table 'eye-tracking' covers ranks 1..10 but topK is 12");
    expect(clickFormProblem({ ...defaultClickForm, eta: Number.NaN })).toBe('η: enter a number');
    // A blank box the chosen settings do not use is no problem.
    expect(clickFormProblem({ ...defaultClickForm, model: 'cascade', eta: Number.NaN })).toBeNull();
    expect(clickFormProblem({ ...defaultClickForm, intervention: 'randtop', interventionN: 20 })).toBe("intervention.n (20) must not exceed the click model's topK (10)");
    expect(clickFormProblem({ ...defaultClickForm, epsMinus: 1.2 })).toContain('epsMinus must be a probability in [0, 1], got 1.2');
    expect(clickFormProblem({ ...defaultClickForm, trustBias: true, epsMinus: 0.5, epsPlus: 0.2 })).toContain('epsMinus must not exceed epsPlus');
  });
});

describe('the click slice', () => {
  it('shows the progress while a simulation runs, and clears it with the answer', async () => {
    const { store, sent, answer } = setup();
    store.getState().simulateClicks();
    expect(sent).toHaveLength(1);
    expect(store.getState()).toMatchObject({ clickRunning: true, clickProgress: null, clickCancelled: false });
    store.getState().applyWorkerEvent(progress);
    expect(store.getState().clickProgress).toEqual(progress);
    answer({ ok: true, result });
    await settle();
    expect(store.getState()).toMatchObject({ clickRunning: false, clickProgress: null, clickResult: result, clickError: null });
    // Progress that trails the answer does not bring the bar back.
    store.getState().applyWorkerEvent(progress);
    expect(store.getState().clickProgress).toBeNull();
  });

  it('cancels only while running; a cancelled run says so and keeps the result before it', async () => {
    const { store, answer, cancels } = setup();
    store.getState().cancelClicks();
    expect(cancels()).toBe(0);
    store.getState().simulateClicks();
    answer({ ok: true, result });
    await settle();
    store.getState().simulateClicks();
    store.getState().applyWorkerEvent(progress);
    store.getState().cancelClicks();
    expect(cancels()).toBe(1);
    answer({ ok: false, cancelled: true, error: 'Cancelled' });
    await settle();
    expect(store.getState()).toMatchObject({ clickRunning: false, clickProgress: null, clickCancelled: true, clickError: null, clickResult: result });
    // The next run clears the notice; a failure is an error, not a cancellation.
    store.getState().simulateClicks();
    expect(store.getState().clickCancelled).toBe(false);
    answer({ ok: false, error: 'sessions must be a whole number' });
    await settle();
    expect(store.getState()).toMatchObject({ clickCancelled: false, clickError: 'sessions must be a whole number', clickResult: result });
  });
});
