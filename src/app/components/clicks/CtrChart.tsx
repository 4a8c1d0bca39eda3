import { useMemo } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { ClickSimResult } from '../../../worker/protocol';

interface Row {
  rank: number;
  ctr: number;
  examination?: number;
  relevance: number;
  fitted?: number;
}

export function ctrRows(result: ClickSimResult): Row[] {
  return result.ctrByRank.map((ctr, i) => ({
    rank: i + 1,
    ctr,
    examination: result.trueExamination[i],
    relevance: result.relevanceCtr[i],
    fitted: result.fitted?.examination[i],
  }));
}

const formatValue = (value: unknown) => (typeof value === 'number' ? value.toFixed(3) : '—');

/** CTR by rank against the true examination, relevance-only CTR and (after a fit) PBM's examination. */
export function CtrChart({ result }: { result: ClickSimResult }) {
  const rows = useMemo(() => ctrRows(result), [result]);
  return (
    <figure className="chart" data-testid="ctr-chart">
      <figcaption>Click-through rate by rank ({result.sessions.toLocaleString('en')} sessions)</figcaption>
      <ResponsiveContainer width="100%" height={300}>
        <LineChart data={rows} margin={{ top: 8, right: 24, bottom: 4, left: 4 }}>
          <CartesianGrid stroke="#e6e9ef" />
          <XAxis dataKey="rank" type="number" domain={[1, result.k]} allowDecimals={false} tickCount={result.k} tick={{ fontSize: 12 }} label={{ value: 'rank', position: 'insideBottomRight', offset: -2, fontSize: 12 }} />
          <YAxis domain={[0, 1]} tick={{ fontSize: 12 }} width={44} />
          <Tooltip formatter={formatValue} labelFormatter={(r) => `rank ${String(r)}`} isAnimationActive={false} />
          <Legend verticalAlign="top" height={28} />
          <Line dataKey="ctr" name="CTR (simulated)" stroke="#1f6feb" strokeWidth={2.5} isAnimationActive={false} />
          <Line dataKey="examination" name="true examination" stroke="#444" strokeDasharray="6 4" strokeWidth={2} dot={false} isAnimationActive={false} />
          <Line dataKey="relevance" name="CTR from relevance alone" stroke="#2da44e" strokeDasharray="2 3" strokeWidth={2} dot={false} isAnimationActive={false} />
          {result.fitted && <Line dataKey="fitted" name="fitted PBM examination (÷ rank 1)" stroke="#d4731b" strokeWidth={2} isAnimationActive={false} />}
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
}
