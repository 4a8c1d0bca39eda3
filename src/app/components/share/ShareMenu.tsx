import { useCallback, useEffect, useId, useMemo, useRef, useState } from 'react';
import { currentLink, type CurrentLink } from './current-link';
import { describeLink, formatCount, QR_MAX_BYTES } from './link-size';
import { qrSvg } from './qr-svg';
import { downloadBlob } from '../download';
import './share.css';

/**
 * The top bar's Share button and its dialog (issue 9): the current link with a Copy button, its
 * size against browsers' practical limit, and a QR code for slides. A link over the limit is
 * refused with a message, never truncated. A modal <dialog>: focus moves in, Escape closes it,
 * and focus returns to the Share button.
 */
export function ShareMenu() {
  const [open, setOpen] = useState(false);
  const [current, setCurrent] = useState<CurrentLink>({ error: '' });
  const buttonRef = useRef<HTMLButtonElement>(null);
  const dialogRef = useRef<HTMLDialogElement>(null);

  const show = useCallback(() => {
    setCurrent(currentLink()); // Read at the moment of opening: the address holds the current link.
    setOpen(true);
  }, []);

  const onClosed = useCallback(() => {
    setOpen(false);
    buttonRef.current?.focus();
  }, []);

  useEffect(() => {
    const dialog = dialogRef.current;
    if (!open || !dialog || dialog.open) return;
    if (typeof dialog.showModal === 'function') dialog.showModal();
    else dialog.setAttribute('open', '');
    const field = dialog.querySelector<HTMLInputElement>('input[data-share-link]');
    if (field) {
      field.focus();
      field.select();
    } else {
      dialog.querySelector<HTMLElement>('button')?.focus();
    }
  }, [open]);

  return (
    <div className="share-menu">
      <button
        ref={buttonRef}
        type="button"
        className="text-button share-menu__button"
        aria-haspopup="dialog"
        aria-expanded={open}
        data-testid="share-open"
        onClick={show}
      >
        <ShareIcon /> Share
      </button>
      {open && (
        <dialog ref={dialogRef} className="share-dialog" aria-labelledby="share-dialog-title" data-testid="share-dialog" onClose={onClosed}>
          <SharePanel current={current} onClose={() => dialogRef.current?.close()} />
        </dialog>
      )}
    </div>
  );
}

function SharePanel({ current, onClose }: { current: CurrentLink; onClose: () => void }) {
  const { link, size, refusal, showQr } = useMemo(() => describeLink(current), [current]);
  const qr = useMemo(() => (showQr ? qrSvg(link, 'RankPlay experiment link') : null), [link, showQr]);
  const [status, setStatus] = useState('');
  const fieldRef = useRef<HTMLInputElement>(null);
  const ids = useId();

  const copy = useCallback(async () => {
    try {
      if (!navigator.clipboard?.writeText) throw new Error('no clipboard access');
      await navigator.clipboard.writeText(link);
      setStatus('Copied');
    } catch {
      fieldRef.current?.focus();
      fieldRef.current?.select();
      setStatus('Copying was blocked: the link is selected, press Ctrl+C (⌘C on a Mac) to copy it.');
    }
  }, [link]);

  const download = useCallback(() => {
    if (!qr) return;
    downloadBlob(new Blob([qr.svg], { type: 'image/svg+xml' }), 'rankplay-link-qr.svg');
  }, [qr]);

  return (
    <div className="share-panel">
      <div className="share-panel__head">
        <h2 id="share-dialog-title">Share this experiment</h2>
        <button type="button" className="text-button" onClick={onClose} aria-label="Close share dialog">
          Close
        </button>
      </div>
      <p className="share-panel__hint muted">The link holds every setting: opening it sets up the same experiment.</p>

      {refusal ? (
        <p className="share-panel__refusal" role="alert" data-testid="share-refusal">
          {refusal}
        </p>
      ) : (
        <>
          <label className="share-panel__label" htmlFor={`${ids}-link`}>
            Link
          </label>
          <div className="share-panel__row">
            <input
              ref={fieldRef}
              id={`${ids}-link`}
              className="share-panel__field"
              type="text"
              readOnly
              value={link}
              data-share-link=""
              data-testid="share-link"
              onFocus={(e) => e.currentTarget.select()}
            />
          </div>
        </>
      )}
      <div className="share-panel__row">
        <button type="button" className="text-button text-button--primary" data-testid="share-copy" disabled={Boolean(refusal)} onClick={() => void copy()}>
          Copy link
        </button>
        <span className="share-panel__status" role="status" aria-live="polite" data-testid="share-status">
          {status}
        </span>
      </div>

      {size && (
        <div className={`share-panel__size${size.overLimit ? ' share-panel__size--over' : ''}`}>
          <meter id={`${ids}-meter`} min={0} max={size.limit} low={size.limit * 0.6} high={size.limit * 0.9} optimum={0} value={Math.min(size.chars, size.limit)} aria-labelledby={`${ids}-size`} />
          <span id={`${ids}-size`} data-testid="share-size">
            Link size: {size.label}
          </span>
        </div>
      )}

      {size &&
        !refusal &&
        (qr ? (
          <figure className="share-panel__qr">
            <svg
              viewBox={`0 0 ${qr.size} ${qr.size}`}
              shapeRendering="crispEdges"
              role="img"
              aria-label="QR code of this link"
              data-testid="share-qr"
              data-modules={qr.modules}
            >
              <rect width={qr.size} height={qr.size} fill="#ffffff" />
              <path d={qr.path} fill="#000000" />
            </svg>
            <figcaption>
              <button type="button" className="text-button" data-testid="share-qr-download" onClick={download}>
                Download QR (SVG)
              </button>
            </figcaption>
          </figure>
        ) : (
          <p className="share-panel__noqr muted" data-testid="share-no-qr">
            This link is too long for a QR code ({formatCount(size.bytes)} bytes; a QR code holds at most {formatCount(QR_MAX_BYTES)}). Copy the link instead.
          </p>
        ))}
    </div>
  );
}

function ShareIcon() {
  return (
    <svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true" focusable="false">
      <circle cx="18" cy="5" r="3" fill="currentColor" />
      <circle cx="6" cy="12" r="3" fill="currentColor" />
      <circle cx="18" cy="19" r="3" fill="currentColor" />
      <path d="M8.6 13.5l6.8 4M15.4 6.5l-6.8 4" stroke="currentColor" strokeWidth="2" fill="none" />
    </svg>
  );
}
