import { useMemo, type ReactNode } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useRankPlay } from '../store';
import { chartRows, rankerColor, type ChartRow } from './chart-data';

const formatValue = (value: unknown) => (typeof value === 'number' ? value.toFixed(4) : '—');

interface MetricChartProps {
  rows: ChartRow[];
  rankerIds: string[];
  maxSteps: number;
  height: number;
  yDomain: [number | 'auto', number | 'auto'];
  children?: ReactNode;
}

/** Animation off: points arrive many times a second, and a tween per update only lags behind. */
function MetricChart({ rows, rankerIds, maxSteps, height, yDomain, children }: MetricChartProps) {
  return (
    <ResponsiveContainer width="100%" height={height}>
      <LineChart data={rows} margin={{ top: 8, right: 24, bottom: 4, left: 4 }}>
        <CartesianGrid stroke="#e6e9ef" />
        <XAxis
          dataKey="step"
          type="number"
          domain={[0, Math.max(1, maxSteps)]}
          allowDecimals={false}
          tick={{ fontSize: 12 }}
          label={{ value: 'training step', position: 'insideBottomRight', offset: -2, fontSize: 12 }}
        />
        <YAxis domain={yDomain} tick={{ fontSize: 12 }} width={52} tickFormatter={(v: number) => String(Math.round(v * 100) / 100)} />
        <Tooltip formatter={formatValue} labelFormatter={(step) => `step ${String(step)}`} isAnimationActive={false} />
        <Legend verticalAlign="top" height={24} />
        {rankerIds.map((id) => (
          <Line
            key={id}
            dataKey={id}
            name={id}
            type="monotone"
            stroke={rankerColor(rankerIds, id)}
            strokeWidth={2}
            dot={false}
            isAnimationActive={false}
            connectNulls
          />
        ))}
        {children}
      </LineChart>
    </ResponsiveContainer>
  );
}

export function MetricsCharts() {
  const points = useRankPlay((s) => s.points);
  const rankerIds = useRankPlay((s) => s.rankerIds);
  const maxSteps = useRankPlay((s) => s.maxSteps);
  const reference = useRankPlay((s) => s.reference);
  const { k, gain } = useRankPlay((s) => s.config.eval);

  const ndcgRows = useMemo(() => chartRows(points, rankerIds, 'ndcg'), [points, rankerIds]);
  const lossRows = useMemo(() => chartRows(points, rankerIds, 'loss'), [points, rankerIds]);
  const hidden = reference?.hiddenFunction ?? null;

  return (
    <section className="charts" aria-label="Training progress">
      <figure className="chart" data-testid="ndcg-chart">
        <figcaption>
          Test nDCG@{k} ({gain} gain)
        </figcaption>
        <MetricChart rows={ndcgRows} rankerIds={rankerIds} maxSteps={maxSteps} height={320} yDomain={[0, 1]}>
          {hidden !== null && (
            <ReferenceLine
              y={hidden}
              stroke="#555"
              strokeDasharray="6 4"
              ifOverflow="extendDomain"
              label={{ value: 'hidden relevance function (noise-free truth)', position: 'insideBottomLeft', fontSize: 12, fill: '#444' }}
            />
          )}
        </MetricChart>
      </figure>
      <figure className="chart chart--small" data-testid="loss-chart">
        <figcaption>Training loss (listwise softmax)</figcaption>
        <MetricChart rows={lossRows} rankerIds={rankerIds} maxSteps={maxSteps} height={180} yDomain={['auto', 'auto']} />
      </figure>
    </section>
  );
}
