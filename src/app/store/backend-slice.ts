import type { StateCreator } from 'zustand';
import { writeBackendToUrl } from '../url-state';
import type { BackendSlice, RankPlayState, WorkerLink } from './types';
import { callWorker } from './worker-call';

export function createBackendSlice(link: WorkerLink): StateCreator<RankPlayState, [], [], BackendSlice> {
  return (set, get) => ({
    backend: null,
    requestedBackend: null,
    switchingBackend: false,
    chooseBackend: (requested) => {
      set({ requestedBackend: requested });
      writeBackendToUrl(requested);
      const commands = link.commands;
      if (!commands) return;
      set({ switchingBackend: true });
      callWorker(get, 'switch backend', () => commands.setBackend(requested), () => set({ switchingBackend: false }));
    },
  });
}
