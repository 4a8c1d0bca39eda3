import { SERIES_COLORS } from '../palette';
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

export interface HistogramRow {
  label: string;
  count: number;
}

const formatCount = (value: unknown) => (typeof value === 'number' ? value.toLocaleString('en') : '—');

/** A small bar chart of counts; animation off, the data does not change while it is shown. */
export function HistogramChart({ title, xLabel, rows, testId }: { title: string; xLabel: string; rows: HistogramRow[]; testId: string }) {
  return (
    <figure className="chart chart--small histogram" data-testid={testId}>
      <figcaption>{title}</figcaption>
      {rows.length === 0 ? (
        <p className="field-note">No data.</p>
      ) : (
        <ResponsiveContainer width="100%" height={170}>
          <BarChart data={rows} margin={{ top: 4, right: 12, bottom: 14, left: 4 }}>
            <CartesianGrid stroke="#e6e9ef" vertical={false} />
            <XAxis dataKey="label" tick={{ fontSize: 11 }} interval="preserveStartEnd" label={{ value: xLabel, position: 'insideBottom', offset: -8, fontSize: 11 }} />
            <YAxis tick={{ fontSize: 11 }} width={48} allowDecimals={false} tickFormatter={(v: number) => (v >= 1e4 ? `${Math.round(v / 1e3)}k` : String(v))} />
            <Tooltip formatter={formatCount} isAnimationActive={false} />
            <Bar dataKey="count" name="count" fill={SERIES_COLORS[0]} isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      )}
    </figure>
  );
}

export function labelRows(labels: Record<string, number>): HistogramRow[] {
  return Object.entries(labels)
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([label, count]) => ({ label, count }));
}
