import type { StateCreator } from 'zustand';
import type { RankPlayState, RunSlice, WorkerLink } from './types';
import { callWorker } from './worker-call';

type RunData = Pick<RunSlice, 'runState' | 'step' | 'maxSteps' | 'rankerIds' | 'points' | 'reference' | 'summary' | 'pointElapsedMs'>;

export const emptyRun: RunData = {
  runState: 'idle',
  step: 0,
  maxSteps: 0,
  rankerIds: [],
  points: [],
  reference: null,
  summary: null,
  pointElapsedMs: [],
};

/**
 * Playback only asks; the worker's 'state' events say what actually happened. Mirroring the
 * worker instead of guessing keeps one source of truth for whether a run is playing.
 */
export function createRunSlice(link: WorkerLink): StateCreator<RankPlayState, [], [], RunSlice> {
  return (_set, get) => {
    function send(what: string, command: (c: NonNullable<WorkerLink['commands']>) => Promise<void>): void {
      const commands = link.commands;
      if (!commands) return;
      callWorker(get, what, () => command(commands));
    }
    return {
      ...emptyRun,
      loading: false,
      play: () => send('start training', (c) => c.play()),
      pause: () => send('pause training', (c) => c.pause()),
      stepOnce: () => send('take a training step', (c) => c.step()),
      reset: () => send('reset the run', (c) => c.reset()),
      exportRunFiles: () => (link.commands ? link.commands.exportRunFiles() : Promise.resolve({ ok: false, error: 'the worker has not started yet' })),
    };
  };
}
