import { useMemo } from 'react';
import { COMPARE_ESTIMATORS } from '../../../core/experiment/compare';
import { useRankPlay } from '../../store';
import { compareSeeds, MAX_COMPARE_SEEDS } from '../../store/compare-slice';
import { measureLabel } from '../chart-data';
import { NumberField } from '../fields';
import './training.css';
import { compareTable, formatMeanCi } from './compare-table';
import { estimatorLabel, describeModel, lossLabel } from './rankers';
import type { EstimatorName } from '../../../core/rank/estimators/types';

function CompareProgress() {
  const progress = useRankPlay((s) => s.compareProgress);
  const seeds = useRankPlay((s) => s.compareSeedCount);
  const cancel = useRankPlay((s) => s.cancelCompare);
  // Overall share done: finished seeds plus the running seed's share of its steps.
  const fraction = progress ? (progress.seedIndex + progress.step / Math.max(1, progress.maxSteps)) / progress.seeds : 0;
  return (
    <div className="compare-progress" data-testid="compare-progress">
      <div className="compare-progress-head">
        <span role="status" aria-live="polite">
          {progress
            ? `Seed ${progress.seedIndex + 1} of ${progress.seeds} · step ${progress.step} of ${progress.maxSteps}`
            : `Starting ${Math.min(seeds, MAX_COMPARE_SEEDS)} seeds…`}
        </span>
        <button type="button" className="text-button text-button--danger" data-testid="compare-cancel" onClick={cancel}>
          Cancel
        </button>
      </div>
      <progress max={1} value={fraction} aria-label="Comparison progress" />
    </div>
  );
}

function CompareResultTable() {
  const result = useRankPlay((s) => s.compareResult);
  const table = useMemo(() => (result ? compareTable(result.summary) : null), [result]);
  if (!result || !table) return null;
  const n = result.seeds.length;
  return (
    <div className="compare-table-wrap">
      <table className="latest compare-table" data-testid="compare-table">
        <caption>
          Final test measures, mean ± 95% CI over {n} seed{n === 1 ? '' : 's'} ({result.seeds.join(', ')}); best mean per column in bold
          <span className="muted"> · {(result.ms / 1000).toFixed(1)} s</span>
        </caption>
        <thead>
          <tr>
            <th scope="col">Estimator</th>
            {table.measures.map((m) => (
              <th key={m} scope="col" className="num">
                {measureLabel(m)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {table.rows.map((row) => (
            <tr key={row} data-testid={`compare-row-${row}`}>
              <th scope="row">{estimatorLabel(row as EstimatorName)}</th>
              {table.measures.map((m) => {
                const best = table.isBest(row, m);
                const c = table.cell(row, m);
                return (
                  <td key={m} className={best ? 'num compare-best' : 'num'} data-testid={`compare-${row}-${m}`} data-value={c ? String(c.mean) : undefined} data-best={best || undefined}>
                    {formatMeanCi(c)}
                    {best && <span className="visually-hidden"> (best)</span>}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/**
 * "Compare estimators": every estimator on the same data, clicks and model, several seeds, one
 * table. The worker does the runs and the statistics; this panel only asks and shows.
 */
export function ComparePanel() {
  const config = useRankPlay((s) => s.config);
  const seedCount = useRankPlay((s) => s.compareSeedCount);
  const setSeedCount = useRankPlay((s) => s.setCompareSeedCount);
  const running = useRankPlay((s) => s.compareRunning);
  const error = useRankPlay((s) => s.compareError);
  const dismiss = useRankPlay((s) => s.dismissCompareError);
  const start = useRankPlay((s) => s.compareEstimators);
  const ready = useRankPlay((s) => s.backend !== null);
  const first = config.rankers[0];
  const seeds = compareSeeds(config.seed, seedCount);

  return (
    <section className="compare-panel" data-testid="compare-panel" aria-labelledby="compare-heading">
      <h2 id="compare-heading">Compare estimators</h2>
      <p className="panel-intro">
        Trains {COMPARE_ESTIMATORS.map((e) => estimatorLabel(e)).join(', ')} side by side on the same data and clicks, once per
        seed ({seeds.length === 1 ? `seed ${seeds[0]}` : `seeds ${seeds[0]}–${seeds[seeds.length - 1]}`}), each for {config.train.maxSteps} steps with the
        first ranker&apos;s model and loss: {describeModel(first?.model)}, {lossLabel(first?.loss ?? config.train.loss)}.
      </p>
      <div className="compare-controls">
        <NumberField
          label="Seeds"
          testId="compare-seeds"
          hint="More seeds give a narrower confidence interval; each seed is a full run of every estimator."
          integer
          min={1}
          max={MAX_COMPARE_SEEDS}
          value={seedCount}
          onCommit={(v) => {
            setSeedCount(v);
            return null;
          }}
        />
        <button type="button" className="primary-button" data-testid="compare-start" disabled={running || !ready} onClick={start}>
          {running ? 'Comparing…' : 'Compare estimators'}
        </button>
      </div>
      {running && <CompareProgress />}
      {error && (
        <div className={error.cancelled ? 'load-message load-message--cancelled' : 'load-message load-message--error'} role={error.cancelled ? 'status' : 'alert'} data-testid="compare-error">
          <span>{error.cancelled ? 'The comparison was cancelled.' : `The comparison failed: ${error.error}`}</span>
          <button type="button" className="notice-dismiss" aria-label="Dismiss" onClick={dismiss} />
        </div>
      )}
      <CompareResultTable />
    </section>
  );
}
