import { useRankPlay } from '../store';
import { selectLatestPoint } from '../store/selectors';
import { measureLabel, rankerColor, testMeasures } from './chart-data';
import { describeModel, estimatorLabel } from './training/rankers';

function MetricCell({ testId, value, digits }: { testId?: string; value: number | null | undefined; digits: number }) {
  const known = typeof value === 'number';
  return (
    <td className="num" data-testid={testId} data-value={known ? String(value) : undefined}>
      {known ? value.toFixed(digits) : '—'}
    </td>
  );
}

/**
 * The numbers behind the charts at the latest evaluation (the final ones once the run is done):
 * every test measure per ranker, its estimator and model, and where early stopping stopped it.
 * Cells carry the exact value in data-value, so a test reads numbers rather than rounded text.
 */
export function LatestTable() {
  const latest = useRankPlay(selectLatestPoint);
  const rankerIds = useRankPlay((s) => s.rankerIds);
  const rankers = useRankPlay((s) => s.config.rankers);
  const reference = useRankPlay((s) => s.reference);
  const k = useRankPlay((s) => s.config.eval.k);
  const runState = useRankPlay((s) => s.runState);
  const headline = `ndcg@${k}`;
  const measures = testMeasures(latest);
  const columns = measures.length ? measures : [headline];
  const anyStopped = rankerIds.some((id) => latest?.rankers[id]?.stopped);
  // Only early stopping fills this column; without it the column would be dashes taking room from the measures.
  const stopping = useRankPlay((s) => s.config.train.patience > 0 && s.config.train.validationFraction > 0) || anyStopped;

  return (
    <div className="latest-wrap">
      <table className="latest" data-testid="latest-table">
        <caption>
          {runState === 'done' ? 'Final values' : 'Latest values'}
          {latest ? ` (step ${latest.step}, test split)` : ''}
        </caption>
        <thead>
          <tr>
            <th scope="col">Ranker</th>
            <th scope="col">Estimator · model</th>
            {columns.map((m) => (
              <th key={m} scope="col" className="num">
                {measureLabel(m)}
              </th>
            ))}
            <th scope="col" className="num" title="Training loss at the latest step">
              Loss
            </th>
            {stopping && (
              <th scope="col" className="num" title="Early stopping: the step at which the ranker stopped, and the step whose validation score was best.">
                Stopped at
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {rankerIds.map((id) => {
            const metrics = latest?.rankers[id];
            const spec = rankers.find((r) => r.id === id);
            return (
              <tr key={id} data-testid={`latest-row-${id}`}>
                <th scope="row">
                  <span className="swatch" style={{ background: rankerColor(rankerIds, id) }} aria-hidden="true" />
                  {id}
                </th>
                <td>
                  <span data-testid={`estimator-${id}`}>{spec ? estimatorLabel(spec.estimator) : '—'}</span>
                  <span className="muted"> · {describeModel(spec?.model)}</span>
                </td>
                {columns.map((m) => (
                  // The headline column keeps its historical test id (ndcg-<ranker>), which earlier specs read.
                  <MetricCell key={m} testId={m === headline ? `ndcg-${id}` : `metric-${id}-${m}`} value={m === headline ? metrics?.ndcg : metrics?.test[m]} digits={4} />
                ))}
                <MetricCell testId={`loss-${id}`} value={metrics?.loss} digits={4} />
                {stopping && (
                  <td className="num" data-testid={`stopped-${id}`}>
                    {metrics?.stopped ? `${metrics.stoppedAt ?? '?'}${metrics.bestStep !== undefined ? ` (best ${metrics.bestStep})` : ''}` : '—'}
                  </td>
                )}
              </tr>
            );
          })}
          {reference?.hiddenFunction != null && (
            <tr className="reference-row">
              <th scope="row">
                <span className="swatch swatch--dashed" aria-hidden="true" />
                hidden function
              </th>
              <td>noise-free truth</td>
              {columns.map((m) =>
                m === headline ? <MetricCell key={m} testId="ndcg-reference" value={reference.hiddenFunction} digits={4} /> : <td key={m} className="num">—</td>,
              )}
              <td className="num">—</td>
              {stopping && <td className="num">—</td>}
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}
