import { useRankPlay } from '../../store';
import { selectLoadFraction, selectLoadRowsPerSecond } from '../../store/selectors';
import { formatCount, formatMegabytes, formatRate } from './format';

/** Which file, how far into it, how fast; Cancel asks the worker to stop (its answer says cancelled). */
export function LoadProgress() {
  const loading = useRankPlay((s) => s.dataLoading);
  const progress = useRankPlay((s) => s.loadProgress);
  const fraction = useRankPlay(selectLoadFraction);
  const rowsPerSecond = useRankPlay(selectLoadRowsPerSecond);
  const cancelLoad = useRankPlay((s) => s.cancelLoad);
  if (!loading) return null;
  const total = progress?.totalBytes ?? null;
  return (
    <div className="load-progress" data-testid="load-progress" role="status" aria-live="polite">
      <div className="load-progress-head">
        <span className="load-file" data-testid="load-file">
          {progress ? (progress.phase === 'hash' ? `Checking ${progress.file} (SHA-256)` : `Reading ${progress.file}`) : 'Starting…'}
        </span>
        {progress && progress.fileCount > 1 && (
          <span className="load-count" data-testid="load-file-index">
            file {progress.fileIndex + 1} / {progress.fileCount}
          </span>
        )}
        <button type="button" className="text-button" data-testid="cancel-load" onClick={cancelLoad}>
          Cancel
        </button>
      </div>
      {/* Without a known size the bar is indeterminate rather than a guess. */}
      {progress && total !== null ? (
        <progress data-testid="load-bar" value={progress.bytesRead} max={total} aria-label="Bytes read" />
      ) : (
        <progress data-testid="load-bar" aria-label="Bytes read" />
      )}
      {progress && (
        <div className="load-figures" data-testid="load-figures">
          <span>
            {formatMegabytes(progress.bytesRead)}
            {total !== null ? ` of ${formatMegabytes(total)}` : ' read'}
            {fraction !== null ? ` (${Math.floor(fraction * 100)}%)` : ''}
          </span>
          {/* Checking a link's files reads bytes only: no rows yet. */}
          {progress.phase !== 'hash' && <span>{formatCount(progress.rows)} rows</span>}
          {progress.phase !== 'hash' && (
            <span data-testid="load-rows-per-second">{rowsPerSecond !== null ? `${formatRate(rowsPerSecond)} rows/s` : '— rows/s'}</span>
          )}
        </div>
      )}
    </div>
  );
}
