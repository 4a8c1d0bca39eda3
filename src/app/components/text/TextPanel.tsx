import { useEffect } from 'react';
import { useRankPlay } from '../../store';
import { ErrorBoundary } from '../ErrorBoundary';
import { PanelError } from '../PanelError';
import { formatBytes, formatCount } from '../datasets/format';
import { AdaptPanel } from '../adapt/AdaptPanel';
import { TextLists } from './TextLists';
import { TextResults } from './TextResults';
import { TextCorpusSettings, TextModelSettings } from './TextSettings';
import { formatMs } from './text-format';
import './text.css';
import { LinkedCorpusPrompt } from '../datasets/LinkedDataPrompt';

function TextProgress() {
  const running = useRankPlay((s) => s.textRunning);
  const progress = useRankPlay((s) => s.textProgress);
  const cancel = useRankPlay((s) => s.cancelText);
  if (!running) return null;
  const head = progress?.label ?? (running === 'bm25' ? 'Starting BM25…' : 'Loading the cross-encoder…');
  const bytes = progress?.phase === 'model';
  const figures = progress
    ? bytes
      ? `${formatBytes(progress.done)}${progress.total !== null ? ` of ${formatBytes(progress.total)}` : ''}`
      : `${formatCount(progress.done)}${progress.total !== null ? ` / ${formatCount(progress.total)}` : ''}${progress.phase === 'rerank' ? ' pairs' : progress.phase === 'index' ? ' documents' : progress.phase === 'search' ? ' queries' : ' files'}`
    : null;
  return (
    <div className="load-progress" data-testid="text-progress" role="status" aria-live="polite">
      <div className="load-progress-head">
        <span className="load-file">{head}</span>
        {progress && <span className="load-count">{formatMs(progress.elapsedMs)}</span>}
        <button type="button" className="text-button" data-testid="text-cancel" onClick={cancel}>
          Cancel
        </button>
      </div>
      {progress && progress.total ? (
        <progress data-testid="text-bar" value={progress.done} max={progress.total} aria-label={head} />
      ) : (
        <progress data-testid="text-bar" aria-label={head} />
      )}
      {figures && <div className="load-figures">{figures}</div>}
    </div>
  );
}

function TextError() {
  const error = useRankPlay((s) => s.textError);
  const dismiss = useRankPlay((s) => s.dismissTextError);
  if (!error) return null;
  if (error.cancelled) {
    return (
      <div className="load-message load-message--cancelled" role="status" data-testid="text-cancelled">
        <span>{error.stage === 'bm25' ? 'BM25 was cancelled.' : 'Reranking was cancelled; the BM25 lists stay.'}</span>
        <button type="button" className="notice-dismiss" aria-label="Dismiss" onClick={dismiss} />
      </div>
    );
  }
  const what = { bm25: 'The first stage (BM25 or your run) could not run.', rerank: 'Reranking failed.', query: 'The query could not be shown.', export: 'The run could not be exported.', cache: 'The model cache could not be changed.' }[error.stage];
  return <PanelError title={what} message={error.message} testId="text-error" onDismiss={dismiss} />;
}

/** Downloaded models kept in Cache Storage (offline next time), with a way to free the space. */
function ModelCacheLine() {
  const bytes = useRankPlay((s) => s.textCacheBytes);
  const clear = useRankPlay((s) => s.clearModelCache);
  const refresh = useRankPlay((s) => s.refreshModelCache);
  const ready = useRankPlay((s) => s.backend !== null);
  const busy = useRankPlay((s) => s.textRunning !== null);
  useEffect(() => {
    if (ready) refresh();
  }, [ready, refresh]);
  if (bytes === null) return null;
  return (
    <p className="text-cache" data-testid="text-cache">
      Cached models: <span data-testid="text-cache-size">{formatBytes(bytes)}</span>{' '}
      <button type="button" className="text-button text-button--danger" data-testid="text-cache-clear" disabled={busy || bytes === 0} onClick={clear}>
        Clear
      </button>
    </p>
  );
}

/**
 * Reranker adaptation, first half: a text collection (the bundled demo or a stored set), BM25 as
 * the first stage, a cross-encoder on this device as the second; nDCG@10 of both, and any query's
 * two lists side by side.
 */
export function TextPanel() {
  const running = useRankPlay((s) => s.textRunning);
  const ready = useRankPlay((s) => s.backend !== null);
  const hasBm25 = useRankPlay((s) => s.textBm25 !== null);
  const runBm25 = useRankPlay((s) => s.runTextBm25);
  const runRerank = useRankPlay((s) => s.runTextRerank);
  return (
    <section className="text-panel" aria-labelledby="text-panel-title" data-testid="text-panel">
      <h2 id="text-panel-title">Rerank text</h2>
      <p className="panel-intro">
        Rank passages for real queries: BM25 retrieves, a neural cross-encoder reranks the top of each list on this device, and
        nDCG@10 against the relevance judgements shows what reranking bought. The demo corpus and model work offline.
      </p>
      <LinkedCorpusPrompt />
      <div className="text-settings">
        <TextCorpusSettings />
        <TextModelSettings />
      </div>
      <div className="text-actions">
        <button type="button" className="primary-button" data-testid="text-run-bm25" disabled={!ready || running !== null} onClick={runBm25}>
          BM25
        </button>
        <button type="button" className="primary-button" data-testid="text-run-rerank" disabled={!ready || running !== null || !hasBm25} onClick={runRerank}>
          Rerank
        </button>
        <ModelCacheLine />
      </div>
      <TextProgress />
      <TextError />
      <ErrorBoundary panel="text results">
        <TextResults />
      </ErrorBoundary>
      <ErrorBoundary panel="side-by-side lists">
        <TextLists />
      </ErrorBoundary>
      <ErrorBoundary panel="reranker adaptation">
        <AdaptPanel />
      </ErrorBoundary>
    </section>
  );
}
