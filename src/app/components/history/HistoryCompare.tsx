import { useMemo } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { bestPerMeasure, COMPARE_MEASURES, compareChartRows, compareSeries, compareTableRows, type HistoryRecord } from '../../history/records';
import { measureLabel, rankerColor } from '../chart-data';

const formatValue = (value: unknown) => (typeof value === 'number' ? value.toFixed(4) : '—');
/** Runs past the first get their own dash pattern, so a colour repeated after six lines is still told apart. */
const DASHES = [undefined, '6 3', '2 3', '10 4 2 4'];

/** Test nDCG@10 over steps, one line per run × ranker, and the final metrics in one table (best per column marked). */
export function HistoryCompare({ records }: { records: HistoryRecord[] }) {
  const series = useMemo(() => compareSeries(records), [records]);
  const rows = useMemo(() => compareChartRows(records, series), [records, series]);
  const table = useMemo(() => compareTableRows(records, series), [records, series]);
  const best = useMemo(() => bestPerMeasure(table), [table]);
  const keys = series.map((s) => s.key);
  const maxStep = rows.reduce((m, r) => Math.max(m, r.step), 1);

  return (
    <section className="history-comparison" aria-label="Comparison of saved runs" data-testid="history-comparison">
      <figure className="chart" data-testid="history-compare-chart" data-series={series.map((s) => s.label).join('\n')}>
        <figcaption>Test nDCG@10 over training steps: {records.length} saved runs</figcaption>
        <ResponsiveContainer width="100%" height={300}>
          <LineChart data={rows} margin={{ top: 8, right: 24, bottom: 4, left: 4 }}>
            <CartesianGrid stroke="#e6e9ef" />
            <XAxis dataKey="step" type="number" domain={[0, maxStep]} allowDecimals={false} tick={{ fontSize: 12 }} />
            <YAxis domain={[0, 1]} tick={{ fontSize: 12 }} width={52} />
            <Tooltip formatter={formatValue} labelFormatter={(step) => `step ${String(step)}`} isAnimationActive={false} />
            <Legend verticalAlign="top" itemSorter={(item) => keys.indexOf(String(item.dataKey))} />
            {series.map((s) => (
              <Line
                key={s.key}
                dataKey={s.key}
                name={s.label}
                type="monotone"
                stroke={rankerColor(keys, s.key)}
                strokeDasharray={DASHES[s.runIndex % DASHES.length]}
                strokeWidth={2}
                dot={false}
                isAnimationActive={false}
                connectNulls
              />
            ))}
          </LineChart>
        </ResponsiveContainer>
      </figure>
      <table className="latest history-table" data-testid="history-compare-table">
        <caption>Final test metrics (best in each column marked ★)</caption>
        <thead>
          <tr>
            <th scope="col">Run · ranker</th>
            {COMPARE_MEASURES.map((m) => (
              <th key={m} scope="col">
                {measureLabel(m)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {table.map((row) => (
            <tr key={row.series.key} data-testid="history-compare-row">
              <th scope="row">{row.series.label}</th>
              {COMPARE_MEASURES.map((m) => {
                const v = row.values[m];
                const isBest = v !== null && best[m] === v;
                return (
                  <td key={m} className={isBest ? 'history-best' : undefined} data-best={isBest ? 'true' : undefined}>
                    {v === null ? '—' : v.toFixed(4)}
                    {isBest && (
                      <>
                        {' '}
                        <span aria-hidden="true">★</span>
                        <span className="visually-hidden"> (best)</span>
                      </>
                    )}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
