import { BACKEND_NAMES, isBackendName } from '../../compute/types';
import { useRankPlay } from '../store';
import { selectStepsPerSecond } from '../store/selectors';
import { CapabilitiesDetails } from './CapabilitiesDetails';
import { useHidden } from '../store/share-slice';

function formatRate(rate: number | null): string {
  if (rate === null) return '—';
  return rate >= 100 ? rate.toFixed(0) : rate >= 10 ? rate.toFixed(1) : rate.toFixed(2);
}

export function StatusBar() {
  const backend = useRankPlay((s) => s.backend);
  const requested = useRankPlay((s) => s.requestedBackend);
  const switching = useRankPlay((s) => s.switchingBackend);
  const runState = useRankPlay((s) => s.runState);
  const loading = useRankPlay((s) => s.loading);
  const rate = useRankPlay(selectStepsPerSecond);
  const chooseBackend = useRankPlay((s) => s.chooseBackend);
  const backendHidden = useHidden('backend');

  const shownState = !backend ? 'starting' : switching ? 'switching backend' : loading ? 'loading' : runState;

  return (
    <footer className="status-bar" data-testid="status-bar">
      <div className="status-main">
        <span className="status-item">
          <span className="status-key">backend</span>
          <strong data-testid="backend-label" title={backend?.reason}>{backend ? backend.label : 'starting…'}</strong>
        </span>
        {backend && (
          <span className="status-item status-reason" data-testid="backend-reason">
            {/* Labels often already carry the reason in brackets; saying it twice adds nothing. */}
            {backend.label.includes(backend.reason) ? '' : backend.reason}
          </span>
        )}
        <span className="status-item">
          <span className="status-key">steps/s</span>
          <strong data-testid="steps-per-second">{formatRate(rate)}</strong>
        </span>
        <span className="status-item">
          <span className="status-key">state</span>
          <strong data-testid="run-state">{shownState}</strong>
        </span>
        {!backendHidden && (
          <label className="status-item backend-choice">
            <span className="status-key">use</span>
            <select
              data-testid="backend-select"
              aria-label="Compute backend"
              value={requested ?? 'auto'}
              disabled={!backend || switching}
              onChange={(e) => chooseBackend(isBackendName(e.target.value) ? e.target.value : null)}
            >
              <option value="auto">auto</option>
              {BACKEND_NAMES.map((name) => (
                <option key={name} value={name}>
                  {name}
                </option>
              ))}
            </select>
          </label>
        )}
      </div>
      {backend && <CapabilitiesDetails status={backend} />}
    </footer>
  );
}
