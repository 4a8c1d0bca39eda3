import { useMemo } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useRankPlay } from '../../store';
import { selectLatestPoint } from '../../store/selectors';
import { legendOrder, propensityRows, rankerColor, rankersWithPropensities, REFERENCE_COLOR } from '../chart-data';

const formatValue = (value: unknown) => (typeof value === 'number' ? value.toFixed(3) : '—');
/** Estimates may overshoot 1 early in training; the axis grows with them but never below 1. */
const yMax = (dataMax: number) => Math.max(1, Math.ceil(dataMax * 10) / 10);

/**
 * Estimated against true examination: each estimator's current θ_r/θ_1 (latest evaluation) over the
 * click model's own curve. Drawn only when some ranker estimates propensities, so a labels-only run
 * shows nothing here. A table of the same numbers sits below for screen readers and exact values.
 */
export function PropensityChart() {
  const latest = useRankPlay(selectLatestPoint);
  const rankerIds = useRankPlay((s) => s.rankerIds);
  const truth = useRankPlay((s) => s.reference?.trueExamination ?? null);
  const ids = useMemo(() => rankersWithPropensities(latest, rankerIds), [latest, rankerIds]);
  const rows = useMemo(() => propensityRows(latest, rankerIds, truth), [latest, rankerIds, truth]);
  if (ids.length === 0 || !latest) return null;

  return (
    <figure className="chart" data-testid="propensity-chart">
      <figcaption>
        Examination by rank, θ<sub>r</sub>/θ<sub>1</sub>: estimated vs true <span className="muted">(step {latest.step})</span>
      </figcaption>
      <ResponsiveContainer width="100%" height={260}>
        <LineChart data={rows} margin={{ top: 8, right: 24, bottom: 4, left: 4 }}>
          <CartesianGrid stroke="#e6e9ef" />
          <XAxis
            dataKey="rank"
            type="number"
            domain={[1, Math.max(2, rows.length)]}
            allowDecimals={false}
            tickCount={Math.min(rows.length, 20)}
            tick={{ fontSize: 12 }}
            label={{ value: 'rank', position: 'insideBottomRight', offset: -2, fontSize: 12 }}
          />
          <YAxis domain={[0, yMax]} tick={{ fontSize: 12 }} width={52} tickFormatter={(v: number) => String(Math.round(v * 100) / 100)} />
          <Tooltip formatter={formatValue} labelFormatter={(r) => `rank ${String(r)}`} isAnimationActive={false} />
          <Legend verticalAlign="top" height={24} itemSorter={legendOrder(rankerIds)} />
          {ids.map((id) => (
            <Line
              key={id}
              dataKey={id}
              name={id}
              stroke={rankerColor(rankerIds, id)}
              strokeWidth={2}
              dot={{ r: 3 }}
              isAnimationActive={false}
              connectNulls
            />
          ))}
          {/* Drawn last so it stays visible where an estimate lies on it (IPS with true propensities does exactly). */}
          {truth && (
            <Line dataKey="truth" name="true examination" stroke={REFERENCE_COLOR} strokeWidth={2} strokeDasharray="6 4" dot={false} isAnimationActive={false} />
          )}
        </LineChart>
      </ResponsiveContainer>
      <details className="chart-values">
        <summary>Values</summary>
        <table className="values-table" data-testid="propensity-table">
          <thead>
            <tr>
              <th scope="col">Rank</th>
              {truth && <th scope="col">true</th>}
              {ids.map((id) => (
                <th key={id} scope="col">
                  {id}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.rank}>
                <th scope="row">{row.rank}</th>
                {truth && <td className="num">{formatValue(row.truth)}</td>}
                {ids.map((id) => (
                  <td key={id} className="num" data-testid={`propensity-${id}-${row.rank}`}>
                    {formatValue(row[id])}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
