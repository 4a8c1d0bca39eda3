import type { StateCreator } from 'zustand';
import type { ClickSimRequest } from '../../worker/protocol';
import type { ClickForm, ClicksSlice, RankPlayState, WorkerLink } from './types';

export const defaultClickForm: ClickForm = {
  model: 'pbm',
  eta: 1,
  epsMinus: 0.1,
  epsPlus: 1,
  sessions: 20_000,
  policy: 'random',
  fit: true,
  seed: 7,
};

/** The form as a worker request; η is only sent to the models that use it (PBM, UBM). */
export function clickRequest(form: ClickForm): ClickSimRequest {
  const model: Record<string, unknown> = { model: form.model, epsMinus: form.epsMinus, epsPlus: form.epsPlus };
  if (form.model === 'pbm' || form.model === 'ubm') model.eta = form.eta;
  return { model, policy: form.policy, sessions: form.sessions, seed: form.seed, fit: form.fit };
}

export function createClicksSlice(link: WorkerLink): StateCreator<RankPlayState, [], [], ClicksSlice> {
  return (set, get) => ({
    clickForm: defaultClickForm,
    clickResult: null,
    clickError: null,
    clickRunning: false,
    setClickForm: (change) => set((s) => ({ clickForm: { ...s.clickForm, ...change } })),
    simulateClicks: () => {
      const commands = link.commands;
      if (!commands) {
        set({ clickError: 'The worker is still starting: try again in a moment.' });
        return;
      }
      if (get().clickRunning) return;
      set({ clickRunning: true, clickError: null });
      commands
        .simulateClicks(clickRequest(get().clickForm))
        .then((outcome) => {
          if (outcome.ok) set({ clickResult: outcome.result, clickError: null });
          else set({ clickError: outcome.error });
        })
        .catch((error: unknown) => set({ clickError: `Could not simulate clicks: ${error instanceof Error ? error.message : String(error)}` }))
        .finally(() => set({ clickRunning: false }));
    },
  });
}
