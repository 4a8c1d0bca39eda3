import { useEffect } from 'react';
import { useRankPlay } from '../../store';
import { ErrorBoundary } from '../ErrorBoundary';
import { PanelError } from '../PanelError';
import { formatCount } from '../datasets/format';
import { formatMeasure, formatMs } from '../text/text-format';
import { AdaptCompareChart, AdaptRunCharts } from './AdaptCharts';
import { AdaptFiles } from './AdaptFiles';
import { AdaptLists } from './AdaptLists';
import { AdaptSettings } from './AdaptSettings';
import './adapt.css';

function TrainableLine() {
  const count = useRankPlay((s) => s.adaptCount);
  if (!count) return <p className="adapt-trainable muted" data-testid="adapt-trainable">Counting trainable parameters…</p>;
  if (!count.ok) {
    return (
      <p className="adapt-trainable field-error" data-testid="adapt-trainable">
        Trainable parameters: {count.error}
      </p>
    );
  }
  const { trainable, base, percentOfModel } = count.count;
  return (
    <p className="adapt-trainable" data-testid="adapt-trainable" data-trainable={trainable}>
      Trains <strong>{formatCount(trainable)}</strong> parameters: <strong>{percentOfModel < 0.01 ? percentOfModel.toExponential(1) : percentOfModel.toFixed(2)}%</strong> of the model&rsquo;s {formatCount(base)}.
    </p>
  );
}

function Progress() {
  const busy = useRankPlay((s) => s.adaptBusy);
  const phase = useRankPlay((s) => s.adaptPhase);
  const run = useRankPlay((s) => s.adaptRuns.at(-1));
  const steps = useRankPlay((s) => s.adaptForm.steps);
  const cancel = useRankPlay((s) => s.cancelAdapt);
  if (busy !== 'train' || !run) return phase ? <p className="muted" role="status">{phase}</p> : null;
  const last = run.steps.at(-1);
  const done = last?.step ?? 0;
  return (
    <div className="load-progress" data-testid="adapt-progress" role="status" aria-live="polite">
      <div className="load-progress-head">
        <span className="load-file">{phase ?? `Training: step ${done} of ${steps}`}</span>
        {last && <span className="load-count">{formatMs(last.stepMs)} / step · loss {last.loss.toFixed(4)}</span>}
        <button type="button" className="text-button" data-testid="adapt-cancel" onClick={cancel}>
          Cancel
        </button>
      </div>
      <progress value={done} max={Math.max(1, steps)} aria-label="Training steps" />
    </div>
  );
}

function ErrorLine() {
  const error = useRankPlay((s) => s.adaptError);
  const dismiss = useRankPlay((s) => s.dismissAdaptError);
  if (!error) return null;
  const what = { train: 'Training failed.', query: 'The query could not be shown.', download: 'The download could not be made.', load: 'The adapter could not be loaded.', methods: 'The methods could not be listed.' }[error.stage];
  return <PanelError title={what} message={error.message} testId="adapt-error" onDismiss={dismiss} />;
}

const ENDED = { done: 'all steps ran', 'early-stopping': 'stopped early', cancelled: 'cancelled (best weights kept)' } as const;

/** The latest finished run: base vs best, why it ended, and the per-variant tables (DyLoRA ranks, SoRA's pruned ranks). */
function Outcome() {
  const result = useRankPlay((s) => s.adaptRuns.at(-1)?.result ?? null);
  if (!result) return null;
  const { summary, ended, rankSweep } = result;
  const gain = summary.best.ndcg10 - summary.base.ndcg10;
  return (
    <div className="adapt-outcome" data-testid="adapt-outcome">
      <p className="text-delta">
        Validation nDCG@10: base <span data-testid="adapt-base-ndcg" data-value={summary.base.ndcg10}>{formatMeasure(summary.base.ndcg10)}</span> → adapted{' '}
        <span data-testid="adapt-best-ndcg" data-value={summary.best.ndcg10}>{formatMeasure(summary.best.ndcg10)}</span> (best at step {summary.best.step}){' '}
        <span className={gain >= 0 ? 'text-delta--up' : 'text-delta--down'}>
          {gain >= 0 ? '+' : ''}
          {gain.toFixed(4)}
        </span>
      </p>
      <p className="muted">
        {summary.steps} steps, {ENDED[ended]}
        {summary.stopped ? `: ${summary.stopped}` : ''}; {result.info.data.trainQueries} adapt-train and {result.info.data.validationQueries} validation queries
        {summary.last.peakStepBytes !== null || summary.best.peakStepBytes !== null ? `; peak step memory ${((summary.best.peakStepBytes ?? summary.last.peakStepBytes ?? 0) / 1e6).toFixed(1)} MB` : ''}.
      </p>
      {rankSweep && (
        <table className="text-table adapt-small-table" data-testid="adapt-rank-sweep">
          <caption>DyLoRA: nDCG@10 at each inference rank</caption>
          <thead>
            <tr>
              <th scope="col">Rank</th>
              <th scope="col" className="num">nDCG@10</th>
            </tr>
          </thead>
          <tbody>
            {rankSweep.map((p) => (
              <tr key={p.rank}>
                <td>{p.rank}</td>
                <td className="num">{formatMeasure(p.ndcg10)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {summary.report.ranks && (
        <table className="text-table adapt-small-table" data-testid="adapt-sora-ranks">
          <caption>SoRA: rank left per module</caption>
          <thead>
            <tr>
              <th scope="col">Module</th>
              <th scope="col" className="num">Rank</th>
            </tr>
          </thead>
          <tbody>
            {summary.report.ranks.map((m) => (
              <tr key={m.module}>
                <td>{m.module.replace(/^bert\.encoder\./, '')}</td>
                <td className="num">
                  {m.rank} / {m.of}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

function Charts() {
  const runs = useRankPlay((s) => s.adaptRuns);
  const steps = useRankPlay((s) => s.adaptForm.steps);
  const last = runs.at(-1);
  if (!last) return null;
  return (
    <>
      <AdaptRunCharts run={last} maxStep={Math.max(steps, last.steps.at(-1)?.step ?? 0)} />
      <AdaptCompareChart runs={runs} />
    </>
  );
}

/**
 * Reranker adaptation, second half: fine-tune the demo cross-encoder with LoRA (or a variant) on the
 * demo's held-out topics, from labels or simulated clicks, and watch validation nDCG@10 against the
 * base model's; download the adapter and load it back.
 */
export function AdaptPanel() {
  const ready = useRankPlay((s) => s.backend !== null);
  const busy = useRankPlay((s) => s.adaptBusy);
  const init = useRankPlay((s) => s.initAdapt);
  const start = useRankPlay((s) => s.startAdapt);
  const saved = useRankPlay((s) => s.adaptSaved);
  const resume = useRankPlay((s) => s.resumeAdapt);
  const discard = useRankPlay((s) => s.discardSavedAdapt);
  useEffect(() => {
    if (ready) init();
  }, [ready, init]);
  return (
    <section className="adapt-panel" aria-labelledby="adapt-panel-title" data-testid="adapt-panel">
      <h3 id="adapt-panel-title">Adapt the reranker (LoRA)</h3>
      <p className="panel-intro">
        Fine-tune the demo cross-encoder on topics it never saw (the demo&rsquo;s test queries, 70% to adapt on, 30% to validate), from relevance labels or
        from simulated position-biased clicks on BM25&rsquo;s top 10. Only the small adapter trains; the base model stays frozen.
      </p>
      <AdaptSettings />
      <TrainableLine />
      <div className="text-actions">
        <button type="button" className="primary-button" data-testid="adapt-train" disabled={!ready || busy !== null} onClick={start}>
          Train adapter
        </button>
        {saved && busy === null && (
          <span className="adapt-resume" data-testid="adapt-saved">
            <button type="button" className="text-button" data-testid="adapt-resume" onClick={resume}>
              Resume from step {saved.step}
            </button>
            <span className="muted">
              {saved.label}, {saved.step} of {saved.steps} steps
            </span>
            <button type="button" className="text-button text-button--danger" data-testid="adapt-discard" onClick={discard}>
              Discard
            </button>
          </span>
        )}
      </div>
      <Progress />
      <ErrorLine />
      <ErrorBoundary panel="adaptation results">
        <Outcome />
        <Charts />
      </ErrorBoundary>
      <ErrorBoundary panel="adaptation lists">
        <AdaptLists />
      </ErrorBoundary>
      <ErrorBoundary panel="adapter files">
        <AdaptFiles />
      </ErrorBoundary>
    </section>
  );
}
