import type { ReactNode } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { legendOrder, rankerColor, validationKey, type ChartRow } from '../chart-data';

const formatValue = (value: unknown) => (typeof value === 'number' ? value.toFixed(4) : '—');

interface StepChartProps {
  rows: ChartRow[];
  rankerIds: string[];
  maxSteps: number;
  height: number;
  yDomain: [number | 'auto', number | 'auto'];
  /** Rankers that also get a dashed validation line in their own colour. */
  validationIds?: string[];
  children?: ReactNode;
}

/**
 * Metric against training step, one line per ranker. Animation off: points arrive many times a
 * second, and a tween per update only lags behind. Validation lines stay out of the legend (the
 * caption explains the dashes) so six rankers still fit on one legend row.
 */
export function StepChart({ rows, rankerIds, maxSteps, height, yDomain, validationIds = [], children }: StepChartProps) {
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
        <Legend verticalAlign="top" height={24} itemSorter={legendOrder(rankerIds)} />
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
        {validationIds.map((id) => (
          <Line
            key={validationKey(id)}
            dataKey={validationKey(id)}
            name={`${id} (validation)`}
            legendType="none"
            type="monotone"
            stroke={rankerColor(rankerIds, id)}
            strokeWidth={1.5}
            strokeDasharray="5 4"
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
