import { useRankPlay } from '../store';
import { selectControlsReady } from '../store/selectors';
import { PauseIcon, PlayIcon, ResetIcon, StepIcon } from './icons';

/** Reset, Play/Pause and Step, as in the TensorFlow Playground; they only ask the worker. */
export function PlaybackControls() {
  const ready = useRankPlay(selectControlsReady);
  const runState = useRankPlay((s) => s.runState);
  const step = useRankPlay((s) => s.step);
  const loadedMaxSteps = useRankPlay((s) => s.maxSteps);
  const configMaxSteps = useRankPlay((s) => s.config.train.maxSteps);
  const play = useRankPlay((s) => s.play);
  const pause = useRankPlay((s) => s.pause);
  const stepOnce = useRankPlay((s) => s.stepOnce);
  const reset = useRankPlay((s) => s.reset);

  const playing = runState === 'playing';
  // A finished run, or one whose training diverged, can only be reset.
  const finished = runState === 'done' || runState === 'error';
  const maxSteps = loadedMaxSteps || configMaxSteps;

  return (
    <div className="playback">
      <button type="button" className="icon-button" aria-label="Reset" title="Reset to step 0" data-testid="reset" disabled={!ready} onClick={reset}>
        <ResetIcon />
      </button>
      <button
        type="button"
        className="play-button"
        aria-label={playing ? 'Pause' : 'Play'}
        title={playing ? 'Pause' : 'Play'}
        data-testid="play-pause"
        disabled={!ready || (!playing && finished)}
        onClick={playing ? pause : play}
      >
        {playing ? <PauseIcon /> : <PlayIcon />}
      </button>
      <button
        type="button"
        className="icon-button"
        aria-label="Step"
        title="One training step"
        data-testid="step"
        disabled={!ready || playing || finished}
        onClick={stepOnce}
      >
        <StepIcon />
      </button>
      {/* Plain digits (no thousands separators) so the text reads the same to people and to tests. */}
      <div className="step-counter" data-testid="step-counter">
        step {step} / {maxSteps}
      </div>
    </div>
  );
}
