import { useEffect, useMemo } from 'react';
import { useRankPlay } from '../../store';
import { HistoryCompare } from './HistoryCompare';
import { HistoryItem } from './HistoryItem';
import './history.css';

/** "Save run now": a paused run is saved as it stands (finished runs are saved by themselves). */
function SaveNow() {
  const runState = useRankPlay((s) => s.runState);
  const hasPoints = useRankPlay((s) => s.points.length > 0);
  const save = useRankPlay((s) => s.saveCurrentRun);
  if (runState !== 'paused' || !hasPoints) return null;
  return (
    <button type="button" data-testid="history-save-now" onClick={() => void save()}>
      Save run now
    </button>
  );
}

/** Saved runs: reopen, rename, delete, compare (issue 9). Collapsible, below the charts. */
export function HistoryPanel() {
  const runs = useRankPlay((s) => s.historyRuns);
  const status = useRankPlay((s) => s.historyStatus);
  const error = useRankPlay((s) => s.historyError);
  const compareIds = useRankPlay((s) => s.historyCompare);
  const undo = useRankPlay((s) => s.historyUndo);
  const load = useRankPlay((s) => s.loadHistory);
  const rename = useRankPlay((s) => s.renameHistoryRun);
  const remove = useRankPlay((s) => s.deleteHistoryRun);
  const undoDelete = useRankPlay((s) => s.undoHistoryDelete);
  const dismissUndo = useRankPlay((s) => s.dismissHistoryUndo);
  const toggle = useRankPlay((s) => s.toggleHistoryCompare);
  const open = useRankPlay((s) => s.openHistoryRun);

  useEffect(() => {
    void load();
  }, [load]);

  const compared = useMemo(
    () => compareIds.map((id) => runs.find((r) => r.id === id)).filter((r): r is NonNullable<typeof r> => r !== undefined),
    [compareIds, runs],
  );

  return (
    <details className="history-panel" open data-testid="history-panel">
      <summary>
        <h2>History</h2> <span className="muted">({runs.length} saved {runs.length === 1 ? 'run' : 'runs'})</span>
      </summary>
      <p className="muted history-intro">
        Finished runs are saved in this browser with their setup, curves and final metrics. Open reproduces a run’s setup: on the same
        backend it gives the same numbers.
      </p>
      <SaveNow />
      {error && (
        <p className="history-error" role="alert" data-testid="history-error">
          {error}
        </p>
      )}
      {undo && (
        <div className="history-undo" role="status" data-testid="history-undo">
          Deleted “{undo.name}”.{' '}
          <button type="button" onClick={() => void undoDelete()} data-testid="history-undo-button">
            Undo
          </button>{' '}
          <button type="button" onClick={dismissUndo} aria-label="Dismiss">
            ×
          </button>
        </div>
      )}
      {status === 'ready' && runs.length === 0 && <p className="muted">No saved runs yet: run an experiment to the end, or pause it and save.</p>}
      {status === 'unknown' && <p className="muted">Reading saved runs…</p>}
      {runs.length > 0 && (
        <ul className="history-list" aria-label="Saved runs">
          {runs.map((record) => (
            <HistoryItem
              key={record.id}
              record={record}
              compared={compareIds.includes(record.id)}
              onToggleCompare={() => toggle(record.id)}
              onOpen={() => open(record.id)}
              onRename={(name) => void rename(record.id, name)}
              onDelete={() => void remove(record.id)}
            />
          ))}
        </ul>
      )}
      {compared.length === 1 && <p className="muted">Tick one more run to compare.</p>}
      {compared.length >= 2 && <HistoryCompare records={compared} />}
    </details>
  );
}
