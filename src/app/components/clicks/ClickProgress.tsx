import { useRankPlay } from '../../store';
import type { ClickPanelPhase, ClickProgressEvent } from '../../../worker/protocol';

const PHASE_LABELS: Record<Exclude<ClickPanelPhase, 'fit'>, string> = {
  sessions: 'Simulating sessions',
  ranking: 'Ranking (policy)',
  intervention: 'Intervention',
  clicks: 'Clicks',
  summary: 'Summarising',
};

/** What the worker is doing, in words: "Ranking (policy)", "Fitting UBM", … */
export function clickPhaseLabel(p: Pick<ClickProgressEvent, 'phase' | 'model'>): string {
  if (p.phase === 'fit') return p.model ? `Fitting ${p.model.toUpperCase()}` : 'Fitting the click model';
  return PHASE_LABELS[p.phase];
}

/** "1,234 of 5,000 sessions", "EM iteration 12 (at most 100)", or nothing while the size is unknown. */
function figures(p: ClickProgressEvent): string {
  if (p.total <= 0) return '';
  if (p.phase === 'fit') return `EM iteration ${p.done.toLocaleString('en')} (at most ${p.total.toLocaleString('en')})`;
  return `${p.done.toLocaleString('en')} of ${p.total.toLocaleString('en')} sessions`;
}

/** The running simulation: which pass, how far (a bar when the size is known), and Cancel. */
export function ClickProgress() {
  const running = useRankPlay((s) => s.clickRunning);
  const progress = useRankPlay((s) => s.clickProgress);
  const cancel = useRankPlay((s) => s.cancelClicks);
  if (!running) return null;
  const label = progress ? clickPhaseLabel(progress) : 'Starting…';
  const known = progress !== null && progress.total > 0;
  return (
    <div className="load-progress click-progress" data-testid="click-progress" data-phase={progress?.phase}>
      <div className="load-progress-head">
        {/* Only the phase is announced: the figures change many times a second. */}
        <span role="status" aria-live="polite" data-testid="click-progress-phase">
          {label}
        </span>
        {progress && <span className="field-note" data-testid="click-progress-figures">{figures(progress)}</span>}
        <button type="button" className="text-button text-button--danger" data-testid="click-cancel" onClick={cancel}>
          Cancel
        </button>
      </div>
      {/* Without a known size the bar is indeterminate rather than a guess. */}
      {known ? (
        <progress data-testid="click-progress-bar" value={progress.done} max={progress.total} aria-label={`${label}: progress`} />
      ) : (
        <progress data-testid="click-progress-bar" aria-label={`${label}: progress`} />
      )}
    </div>
  );
}
