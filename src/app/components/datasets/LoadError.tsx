import { useRankPlay } from '../../store';

/**
 * The worker's message already names the file, the line and the reason; it is shown as text.
 * A cancelled load is a state the person chose, not an alarm.
 */
export function LoadError() {
  const failure = useRankPlay((s) => s.loadError);
  const dismiss = useRankPlay((s) => s.dismissLoadError);
  const skipping = useRankPlay((s) => s.skipBadLines);
  if (!failure) return null;
  if (failure.cancelled) {
    return (
      <div className="load-message load-message--cancelled" role="status" data-testid="load-cancelled">
        <span>Load cancelled{failure.file ? ` while reading ${failure.file}` : ''}. Nothing was stored.</span>
        <button type="button" className="notice-dismiss" aria-label="Dismiss" onClick={dismiss} />
      </div>
    );
  }
  return (
    <div className="load-message load-message--error" role="alert" data-testid="load-error">
      <div>
        <strong>The data could not be loaded.</strong>
        <p className="load-error-text" data-testid="load-error-message">
          {failure.error}
        </p>
        {failure.line !== undefined && !skipping && (
          <p className="load-error-hint">
            Fix the line and load the files again, or tick &ldquo;Skip bad lines&rdquo; to load the rest with a report of what was
            left out.
          </p>
        )}
      </div>
      <button type="button" className="notice-dismiss" aria-label="Dismiss" onClick={dismiss} />
    </div>
  );
}
