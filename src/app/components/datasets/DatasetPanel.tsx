import { useEffect, useRef, useState, type DragEvent, type FormEvent } from 'react';
import { useRankPlay } from '../../store';
import { BundledSets } from './BundledSets';
import { DatasetList } from './DatasetList';
import { DatasetSummary } from './DatasetSummary';
import { filesFromDrop } from './drop-files';
import { ErrorBoundary } from '../ErrorBoundary';
import { LoadError } from './LoadError';
import { LoadProgress } from './LoadProgress';

function carriesFiles(transfer: DataTransfer | null): boolean {
  return Boolean(transfer && Array.from(transfer.types).includes('Files'));
}

/**
 * Loading real data: drop files (or a folder) anywhere on the panel, pick them, or give a URL.
 * Parsing happens in the worker; this panel shows its progress, errors and the stored sets.
 */
export function DatasetPanel() {
  const loading = useRankPlay((s) => s.dataLoading);
  const waiting = useRankPlay((s) => (s.dataWaiting || s.linkedCorpus !== null) && s.datasetsKnown);
  const ready = useRankPlay((s) => s.backend !== null);
  const skipBadLines = useRankPlay((s) => s.skipBadLines);
  const setSkipBadLines = useRankPlay((s) => s.setSkipBadLines);
  const loadFiles = useRankPlay((s) => s.loadFiles);
  const loadUrl = useRankPlay((s) => s.loadUrl);
  const pushNotice = useRankPlay((s) => s.pushNotice);
  const [dragging, setDragging] = useState(false);
  const [url, setUrl] = useState('');
  // dragenter/dragleave fire for every child crossed; a depth count tells when the pointer really left.
  const depth = useRef(0);
  const panelRef = useRef<HTMLElement>(null);

  const takeDrop = (transfer: DataTransfer) => {
    filesFromDrop(transfer)
      .then((files) => {
        if (files.length === 0) pushNotice('warning', 'Nothing to load: the drop held no files.');
        else loadFiles(files);
      })
      .catch((error: unknown) => pushNotice('error', `Could not read the dropped files: ${error instanceof Error ? error.message : String(error)}`));
  };

  // A drop that misses the panel would make the browser open the file and leave the page (and the run) behind.
  const latestTake = useRef(takeDrop);
  latestTake.current = takeDrop;
  useEffect(() => {
    const onDragOver = (e: globalThis.DragEvent) => {
      if (carriesFiles(e.dataTransfer)) e.preventDefault();
    };
    const onDrop = (e: globalThis.DragEvent) => {
      if (e.defaultPrevented || !carriesFiles(e.dataTransfer)) return;
      e.preventDefault();
      if (!e.dataTransfer) return;
      latestTake.current(e.dataTransfer);
      // The progress and the result appear in the panel: bring it to where the person is looking.
      panelRef.current?.scrollIntoView({ behavior: 'smooth', block: 'start' });
    };
    window.addEventListener('dragover', onDragOver);
    window.addEventListener('drop', onDrop);
    return () => {
      window.removeEventListener('dragover', onDragOver);
      window.removeEventListener('drop', onDrop);
    };
  }, []);

  const onDragEnter = (e: DragEvent) => {
    if (!carriesFiles(e.dataTransfer)) return;
    depth.current++;
    setDragging(true);
  };
  const onDragLeave = () => {
    depth.current = Math.max(0, depth.current - 1);
    if (depth.current === 0) setDragging(false);
  };
  const onDragOver = (e: DragEvent) => {
    if (!carriesFiles(e.dataTransfer)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = loading ? 'none' : 'copy';
  };
  const onDrop = (e: DragEvent) => {
    depth.current = 0;
    setDragging(false);
    if (!carriesFiles(e.dataTransfer)) return;
    e.preventDefault();
    takeDrop(e.dataTransfer);
  };

  const onSubmitUrl = (e: FormEvent) => {
    e.preventDefault();
    if (url.trim()) loadUrl(url);
  };

  const disabled = loading || !ready;
  return (
    <section
      ref={panelRef}
      className={dragging ? 'dataset-panel dataset-panel--dragover' : 'dataset-panel'}
      data-testid="dataset-panel"
      data-dragover={dragging ? 'true' : undefined}
      aria-label="Your data"
      onDragEnter={onDragEnter}
      onDragLeave={onDragLeave}
      onDragOver={onDragOver}
      onDrop={onDrop}
    >
      <h2>Your data</h2>
      <p className="dataset-intro">
        Drop LETOR / SVMlight files here (MSLR, Yahoo!, Istella, MQ2008: <code>train.txt</code>, <code>vali.txt</code>,{' '}
        <code>test.txt</code>, <code>.gz</code> too) or a text collection (BEIR <code>corpus.jsonl</code>,{' '}
        <code>queries.jsonl</code>, <code>qrels/*.tsv</code>; TREC; MS MARCO). They are read in this browser and never
        uploaded.
      </p>
      <div className="dataset-sources">
        <label className={disabled ? 'file-button file-button--disabled' : 'file-button'}>
          Choose files
          <input
            type="file"
            multiple
            className="visually-hidden"
            data-testid="dataset-file-input"
            disabled={disabled}
            onChange={(e) => {
              const files = Array.from(e.currentTarget.files ?? []);
              // Cleared so that picking the same file again (after fixing it) fires 'change' again.
              e.currentTarget.value = '';
              loadFiles(files);
            }}
          />
        </label>
        <form className="url-form" onSubmit={onSubmitUrl}>
          <input
            // Text, not type="url": the browser's own check would refuse links relative to this page silently.
            type="text"
            inputMode="url"
            data-testid="dataset-url"
            aria-label="Data file URL"
            placeholder="https://…/train.txt.gz"
            value={url}
            disabled={disabled}
            spellCheck={false}
            autoComplete="off"
            onChange={(e) => setUrl(e.target.value)}
          />
          <button type="submit" className="text-button" data-testid="load-url" disabled={disabled || url.trim() === ''}>
            Load URL
          </button>
        </form>
        <label className="checkbox" title="Leave out malformed lines instead of stopping at the first; the summary lists what was left out.">
          <input type="checkbox" data-testid="skip-bad-lines" checked={skipBadLines} disabled={loading} onChange={(e) => setSkipBadLines(e.target.checked)} />
          Skip bad lines
        </label>
      </div>
      <BundledSets />
      {dragging && <div className="drop-hint">Drop to load</div>}
      {/* While a link waits for its data (or text corpus), its prompt shows the load. */}
      {!waiting && <LoadProgress />}
      {!waiting && <LoadError />}
      <ErrorBoundary panel="list of stored data sets">
        <DatasetList />
      </ErrorBoundary>
      <ErrorBoundary panel="data set summary">
        <DatasetSummary />
      </ErrorBoundary>
    </section>
  );
}
