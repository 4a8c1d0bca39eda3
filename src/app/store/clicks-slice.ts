import type { StateCreator } from 'zustand';
import { trustBiasPreset } from '../../core/clicks/models/trust-bias';
import { parseClickSimRequest } from '../../core/clicks/simulate/request';
import { defaultClickForm } from '../../core/share/panel-forms';
import type { ClickSimRequest, WorkerEvent } from '../../worker/protocol';
import { writeStateToUrl } from '../url-state';
import type { ClickForm, ClicksSlice, RankPlayState, WorkerLink } from './types';

/** The form's defaults are core's (share links write only what differs from them). */
export { defaultClickForm };

/**
 * The form as a worker request. Only the settings the chosen model, policy and intervention use
 * are sent, so a leftover value in a disabled box never fails a run it plays no part in.
 */
export function clickRequest(form: ClickForm): ClickSimRequest {
  const model: Record<string, unknown> = { model: form.model, epsMinus: form.epsMinus, epsPlus: form.epsPlus, topK: form.topK };
  if (form.ymax !== null) model.ymax = form.ymax;
  if (form.model === 'pbm' || form.model === 'ubm') {
    model.eta = form.eta;
    if (form.examination === 'eye-tracking') model.table = 'eye-tracking';
  }
  // The preset needs numbers to start from; bad ε± are reported on their own fields.
  if (form.trustBias && Number.isFinite(form.epsMinus) && Number.isFinite(form.epsPlus) && Number.isInteger(form.topK) && form.topK >= 1 && form.topK <= 1000) {
    model.trustBias = trustBiasPreset(form.epsMinus, form.epsPlus, form.topK);
  }
  const policy = form.policy === 'pl' ? { kind: 'pl', temperature: form.temperature } : form.policy;
  let intervention: Record<string, unknown> | null = null;
  if (form.intervention !== 'none') {
    intervention = { kind: form.intervention };
    if (form.interventionN !== null) intervention.n = form.interventionN;
    if (form.intervention === 'swap') intervention.fraction = form.swapFraction;
  }
  return { model, policy, intervention, sessions: form.sessions, seed: form.seed, fit: form.fit ? form.fitModel : false };
}

/** Labels of the number boxes, for "enter a number" messages (the parser only sees NaN). */
const NUMBER_FIELDS: readonly [keyof ClickForm, string, (f: ClickForm) => boolean][] = [
  ['eta', 'η', (f) => f.model === 'pbm' || f.model === 'ubm'],
  ['epsMinus', 'ε−', () => true],
  ['epsPlus', 'ε+', () => true],
  ['ymax', 'ymax', () => true],
  ['topK', 'top-k', () => true],
  ['sessions', 'sessions', () => true],
  ['seed', 'seed', () => true],
  ['temperature', 'temperature', (f) => f.policy === 'pl'],
  ['interventionN', 'intervention n', (f) => f.intervention !== 'none'],
  ['swapFraction', 'swap fraction', (f) => f.intervention === 'swap'],
];

/**
 * What is wrong with the form, checked as the user types with the same parser the worker runs
 * (ymax's default, the data's top grade, is only known there; 4 stands in for it here). Null when
 * the worker will accept it, short of data-dependent checks such as labels above ymax.
 */
export function clickFormProblem(form: ClickForm): string | null {
  for (const [key, label, used] of NUMBER_FIELDS) {
    const v = form[key];
    if (used(form) && typeof v === 'number' && Number.isNaN(v)) return `${label}: enter a number`;
  }
  const parsed = parseClickSimRequest(clickRequest(form));
  return parsed.ok ? null : parsed.error;
}

type Setter = Parameters<StateCreator<RankPlayState>>[0];

/** Routes 'click-progress' into the slice; false for every other event. */
export function applyClickEvent(set: Setter, get: () => RankPlayState, event: WorkerEvent): boolean {
  if (event.type !== 'click-progress') return false;
  // Progress may trail the answer: a finished (or cancelled) run stays finished.
  if (get().clickRunning) set({ clickProgress: event });
  return true;
}

export function createClicksSlice(link: WorkerLink): StateCreator<RankPlayState, [], [], ClicksSlice> {
  return (set, get) => ({
    clickForm: defaultClickForm,
    clickResult: null,
    clickError: null,
    clickRunning: false,
    clickProgress: null,
    clickCancelled: false,
    setClickForm: (change) => {
      set((s) => ({ clickForm: { ...s.clickForm, ...change } }));
      // The settings travel in the share link: the address follows every change.
      writeStateToUrl(get());
    },
    simulateClicks: () => {
      const commands = link.commands;
      if (!commands) {
        set({ clickError: 'The worker is still starting: try again in a moment.' });
        return;
      }
      if (get().clickRunning) return;
      set({ clickRunning: true, clickError: null, clickCancelled: false, clickProgress: null });
      commands
        .simulateClicks(clickRequest(get().clickForm))
        .then((outcome) => {
          if (outcome.ok) set({ clickResult: outcome.result, clickError: null });
          else if (outcome.cancelled) set({ clickCancelled: true, clickError: null });
          else set({ clickError: outcome.error });
        })
        .catch((error: unknown) => set({ clickError: `Could not simulate clicks: ${error instanceof Error ? error.message : String(error)}` }))
        .finally(() => set({ clickRunning: false, clickProgress: null }));
    },
    cancelClicks: () => {
      if (get().clickRunning) void link.commands?.cancelClicks().catch(() => {});
    },
  });
}
