import { useCallback, useEffect, useRef, useState } from 'react';
import { PYTHON_SNIPPET } from './python-snippet';

/** A modal with the "Open in Python" snippet and a Copy button; Escape or Close closes it. */
export function PythonDialog({ onClosed }: { onClosed: () => void }) {
  const dialogRef = useRef<HTMLDialogElement>(null);
  const codeRef = useRef<HTMLPreElement>(null);
  const [status, setStatus] = useState('');

  useEffect(() => {
    const dialog = dialogRef.current;
    if (!dialog || dialog.open) return;
    if (typeof dialog.showModal === 'function') dialog.showModal();
    else dialog.setAttribute('open', '');
    dialog.querySelector<HTMLButtonElement>('button[data-copy]')?.focus();
  }, []);

  const copy = useCallback(async () => {
    try {
      if (!navigator.clipboard?.writeText) throw new Error('no clipboard access');
      await navigator.clipboard.writeText(PYTHON_SNIPPET);
      setStatus('Copied');
    } catch {
      const code = codeRef.current;
      const selection = window.getSelection();
      if (code && selection) {
        const range = document.createRange();
        range.selectNodeContents(code);
        selection.removeAllRanges();
        selection.addRange(range);
      }
      setStatus('Copying was blocked: the code is selected, press Ctrl+C (⌘C on a Mac) to copy it.');
    }
  }, []);

  return (
    <dialog ref={dialogRef} className="export-dialog" aria-labelledby="export-python-title" data-testid="python-dialog" onClose={onClosed}>
      <div className="export-dialog__head">
        <h2 id="export-python-title">Open in Python</h2>
        <button type="button" className="text-button" onClick={() => dialogRef.current?.close()} aria-label="Close Python dialog">
          Close
        </button>
      </div>
      <pre ref={codeRef} className="export-dialog__code" tabIndex={0} aria-label="Python code" data-testid="python-snippet">
        <code>{PYTHON_SNIPPET}</code>
      </pre>
      <div className="export-dialog__row">
        <button type="button" className="text-button" data-copy onClick={() => void copy()}>
          Copy
        </button>
        <span className="export-dialog__status" role="status">
          {status}
        </span>
      </div>
    </dialog>
  );
}
