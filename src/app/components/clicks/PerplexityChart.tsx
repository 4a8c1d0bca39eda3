import { useMemo } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { ClickLogModelResult } from '../../../worker/protocol';
import { CLICK_FIT_MODELS, formatValue, modelColour, modelLabel } from './click-log-format';

type Row = { rank: number } & Partial<Record<string, number>>;

/** One row per rank, one column per model; ranks no test session showed stay gaps, not zeros. */
export function perplexityRows(models: readonly ClickLogModelResult[]): Row[] {
  const k = Math.max(0, ...models.map((m) => m.perplexityAtRank.length));
  return Array.from({ length: k }, (_, r) => {
    const row: Row = { rank: r + 1 };
    for (const m of models) {
      const p = m.perplexityAtRank[r];
      if (p !== null && p !== undefined) row[m.model] = p;
    }
    return row;
  });
}

/** Held-out click perplexity at each rank, per model: where in the list each model predicts clicks well. */
export function PerplexityChart({ models }: { models: readonly ClickLogModelResult[] }) {
  const rows = useMemo(() => perplexityRows(models), [models]);
  const k = rows.length;
  return (
    <figure className="chart" data-testid="perplexity-chart">
      <figcaption>Perplexity by rank on the held-out sessions (lower is better; 1 = every click predicted)</figcaption>
      <ResponsiveContainer width="100%" height={280}>
        <LineChart data={rows} margin={{ top: 8, right: 24, bottom: 4, left: 4 }}>
          <CartesianGrid stroke="#e6e9ef" />
          <XAxis dataKey="rank" type="number" domain={[1, Math.max(1, k)]} allowDecimals={false} tickCount={Math.min(k, 20)} tick={{ fontSize: 12 }} label={{ value: 'rank', position: 'insideBottomRight', offset: -2, fontSize: 12 }} />
          <YAxis domain={[1, 'auto']} tick={{ fontSize: 12 }} width={52} tickFormatter={(v: number) => v.toFixed(2)} />
          <Tooltip formatter={(v) => formatValue(v)} labelFormatter={(r) => `rank ${String(r)}`} isAnimationActive={false} />
          {/* In the table's order, not alphabetical (recharts' default). */}
          <Legend verticalAlign="top" height={28} itemSorter={(item) => CLICK_FIT_MODELS.findIndex((m) => m.model === item.dataKey)} />
          {models.map((m) => (
            <Line key={m.model} dataKey={m.model} name={modelLabel(m.model)} stroke={modelColour(m.model)} strokeWidth={2} dot={{ r: 2 }} connectNulls={false} isAnimationActive={false} />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
}
