import type { StateCreator } from 'zustand';
import { defaultConfig, parseConfig, type ExperimentConfig } from '../../core/experiment/config';
import { writeStateToUrl } from '../url-state';
import type { ConfigSlice, RankPlayState, WorkerLink } from './types';
import { callWorker } from './worker-call';
import { dataNotHereYet } from './linked-data';

export function createConfigSlice(link: WorkerLink): StateCreator<RankPlayState, [], [], ConfigSlice> {
  return (set, get) => {
    // Counted, not a flag: with two quick edits the first load settling must not clear "loading".
    let pendingLoads = 0;

    /** Config is the source of the run: every adopted config is written to the link and rebuilt in the worker. */
    function adopt(config: ExperimentConfig): void {
      // A link's data set that is not here yet: nothing to load until it is (linked-data.ts).
      const dataWaiting = dataNotHereYet(get(), config);
      set({ config, dataWaiting });
      writeStateToUrl(get());
      const commands = link.commands;
      // Before the worker is attached, boot loads whatever config is current once init finishes.
      if (!commands || dataWaiting) return;
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
