import { useRankPlay } from '../store';

/** Messages are plain text from the worker, the URL or errors: rendered as text, never as HTML. */
export function Notices() {
  const notices = useRankPlay((s) => s.notices);
  const dismiss = useRankPlay((s) => s.dismissNotice);
  if (notices.length === 0) return null;
  return (
    <div className="notices">
      {notices.map((n) => (
        <div key={n.id} className={`notice notice--${n.level}`} role={n.level === 'info' ? 'status' : 'alert'} data-testid="notice" data-level={n.level}>
          <span className="notice-message">{n.message}</span>
          {/* The × is drawn by CSS so the notice's text content is only its message. */}
          <button type="button" className="notice-dismiss" aria-label="Dismiss" onClick={() => dismiss(n.id)} />
        </div>
      ))}
    </div>
  );
}
