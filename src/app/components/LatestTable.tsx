import type { ModelSpec } from '../../core/experiment/config';
import { useRankPlay } from '../store';
import { selectLatestPoint } from '../store/selectors';
import { rankerColor } from './chart-data';

function describeModel(model: ModelSpec | undefined): string {
  if (!model) return '—';
  if (model.kind === 'linear') return 'linear';
  return `MLP ${model.hidden.join('×')} (${model.activation})`;
}

function MetricCell({ testId, value, digits }: { testId?: string; value: number | null | undefined; digits: number }) {
  const known = typeof value === 'number';
  return (
    <td className="num" data-testid={testId} data-value={known ? String(value) : undefined}>
      {known ? value.toFixed(digits) : '—'}
    </td>
  );
}

export function LatestTable() {
  const latest = useRankPlay(selectLatestPoint);
  const rankerIds = useRankPlay((s) => s.rankerIds);
  const rankers = useRankPlay((s) => s.config.rankers);
  const reference = useRankPlay((s) => s.reference);
  const k = useRankPlay((s) => s.config.eval.k);

  return (
    <table className="latest" data-testid="latest-table">
      <caption>Latest values{latest ? ` (step ${latest.step})` : ''}</caption>
      <thead>
        <tr>
          <th scope="col">Ranker</th>
          <th scope="col">Model</th>
          <th scope="col" className="num">
            Test nDCG@{k}
          </th>
          <th scope="col" className="num">
            Training loss
          </th>
        </tr>
      </thead>
      <tbody>
        {rankerIds.map((id) => {
          const metrics = latest?.rankers[id];
          return (
            <tr key={id}>
              <th scope="row">
                <span className="swatch" style={{ background: rankerColor(rankerIds, id) }} aria-hidden="true" />
                {id}
              </th>
              <td>{describeModel(rankers.find((r) => r.id === id)?.model)}</td>
              <MetricCell testId={`ndcg-${id}`} value={metrics?.ndcg} digits={4} />
              <MetricCell testId={`loss-${id}`} value={metrics?.loss} digits={4} />
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
            <MetricCell testId="ndcg-reference" value={reference.hiddenFunction} digits={4} />
            <td className="num">—</td>
          </tr>
        )}
      </tbody>
    </table>
  );
}
