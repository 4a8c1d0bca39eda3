import type { StateCreator } from 'zustand';
import { defaultConfig, parseConfig, type ExperimentConfig } from '../../core/experiment/config';
import { writeLinkToUrl } from '../url-state';
import type { ConfigSlice, RankPlayState, WorkerLink } from './types';
import { callWorker } from './worker-call';

export function createConfigSlice(link: WorkerLink): StateCreator<RankPlayState, [], [], ConfigSlice> {
  return (set, get) => {
    // Counted, not a flag: with two quick edits the first load settling must not clear "loading".
    let pendingLoads = 0;

    /** Config is the source of the run: every adopted config is written to the link and rebuilt in the worker. */
    function adopt(config: ExperimentConfig): void {
      set({ config });
      writeLinkToUrl(config, get().shareView);
      const commands = link.commands;
      // Before the worker is attached, boot loads whatever config is current once init finishes.
      if (!commands) return;
      pendingLoads++;
      set({ loading: true });
      callWorker(get, 'load the experiment', () => commands.load(config), () => {
        pendingLoads--;
        set({ loading: pendingLoads > 0 });
      });
    }

    return {
      config: defaultConfig(),
      updateConfig: (mutator) => {
        const draft = structuredClone(get().config);
        const changed = mutator(draft) ?? draft;
        const result = parseConfig(changed);
        if (!result.ok) {
          get().pushNotice('warning', `Setting not applied: ${result.error}`);
          return result;
        }
        adopt(result.config);
        return result;
      },
      replaceConfig: (config) => adopt(config),
    };
  };
}
