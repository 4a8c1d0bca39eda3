import { REFERENCE_COLOR, SERIES_COLORS } from '../palette';
import { useMemo } from 'react';
import { CartesianGrid, ComposedChart, ErrorBar, Legend, Line, LineChart, ResponsiveContainer, Scatter, Tooltip, XAxis, YAxis } from 'recharts';
import type { ClickSimResult } from '../../../worker/protocol';

/** A number, or undefined so recharts leaves a gap (NaN from an estimate with no clicks, say). */
const finite = (v: number | null | undefined): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

const formatValue = (value: unknown) => (typeof value === 'number' ? value.toFixed(3) : Array.isArray(value) ? value.map((v) => (typeof v === 'number' ? v.toFixed(3) : '—')).join(' – ') : '—');

interface CtrRow {
  rank: number;
  ctr: number;
  relevance: number;
  predicted?: number;
}

export function ctrRows(result: ClickSimResult): CtrRow[] {
  return result.ctrByRank.map((ctr, i) => ({ rank: i + 1, ctr, relevance: result.relevanceCtr[i], predicted: finite(result.fitted?.predictedCtr[i]) }));
}

function rankAxis(k: number) {
  return (
    <XAxis
      dataKey="rank"
      type="number"
      domain={[0.5, k + 0.5]}
      ticks={Array.from({ length: k }, (_, i) => i + 1).filter((r) => k <= 20 || r === 1 || r % Math.ceil(k / 10) === 0)}
      allowDecimals={false}
      tick={{ fontSize: 12 }}
      label={{ value: 'rank', position: 'insideBottomRight', offset: -2, fontSize: 12 }}
    />
  );
}

/** CTR by rank against CTR from relevance alone (no position bias) and, after a fit, the fitted model's prediction. */
export function CtrChart({ result }: { result: ClickSimResult }) {
  const rows = useMemo(() => ctrRows(result), [result]);
  return (
    <figure className="chart" data-testid="ctr-chart">
      <figcaption>Click-through rate by rank ({result.sessions.toLocaleString('en')} sessions)</figcaption>
      <ResponsiveContainer width="100%" height={300}>
        <LineChart data={rows} margin={{ top: 8, right: 16, bottom: 4, left: 4 }}>
          <CartesianGrid stroke="#e6e9ef" />
          {rankAxis(result.k)}
          <YAxis domain={[0, 1]} tick={{ fontSize: 12 }} width={44} />
          <Tooltip formatter={formatValue} labelFormatter={(r) => `rank ${String(r)}`} isAnimationActive={false} />
          <Legend verticalAlign="top" height={44} />
          <Line dataKey="ctr" name="CTR (simulated)" stroke={SERIES_COLORS[0]} strokeWidth={2.5} isAnimationActive={false} />
          <Line dataKey="relevance" name="CTR from relevance alone" stroke={SERIES_COLORS[2]} strokeDasharray="2 3" strokeWidth={2} dot={false} isAnimationActive={false} />
          {result.fitted && (
            <Line dataKey="predicted" name={`${result.fitted.model.toUpperCase()} prediction (held out)`} stroke={SERIES_COLORS[1]} strokeWidth={2} isAnimationActive={false} />
          )}
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
}

interface ExaminationRow {
  rank: number;
  truth?: number;
  fitted?: number;
  estimate?: number;
  /** Distances from the estimate down to the interval's low end and up to its high end. */
  interval?: [number, number];
}

/** Everything relative to rank 1: the only scale an intervention (or PBM's fit) identifies. */
export function examinationRows(result: ClickSimResult): ExaminationRow[] {
  const first = result.trueExamination[0];
  const byRank = new Map(result.intervention?.estimates.map((e) => [e.rank, e]) ?? []);
  return result.trueExamination.map((t, i) => {
    const e = byRank.get(i + 1);
    const estimate = finite(e?.propensity);
    const low = finite(e?.low);
    const high = finite(e?.high);
    return {
      rank: i + 1,
      truth: first > 0 ? t / first : undefined,
      fitted: finite(result.fitted?.examination[i]),
      estimate,
      interval: estimate !== undefined && low !== undefined && high !== undefined ? [estimate - low, high - estimate] : undefined,
    };
  });
}

/** True examination ÷ rank 1, the intervention's estimates with 95% error bars, and the fitted model's curve. */
export function ExaminationChart({ result }: { result: ClickSimResult }) {
  const rows = useMemo(() => examinationRows(result), [result]);
  let top = 1;
  for (const r of rows) top = Math.max(top, r.fitted ?? 0, (r.estimate ?? 0) + (r.interval?.[1] ?? 0));
  const iv = result.intervention;
  const ivName = iv ? `${iv.kind === 'randtop' ? `RandTop-${iv.n}` : `swap 1 ↔ k ≤ ${iv.n}`} estimate, ${Math.round(iv.confidence * 100)}% interval` : '';
  return (
    <figure className="chart" data-testid="examination-chart">
      <figcaption>Examination relative to rank 1 (θ_r ÷ θ_1)</figcaption>
      <ResponsiveContainer width="100%" height={300}>
        <ComposedChart data={rows} margin={{ top: 8, right: 16, bottom: 4, left: 4 }}>
          <CartesianGrid stroke="#e6e9ef" />
          {rankAxis(result.k)}
          <YAxis domain={[0, Math.ceil(top * 10) / 10]} tick={{ fontSize: 12 }} width={44} />
          <Tooltip formatter={formatValue} labelFormatter={(r) => `rank ${String(r)}`} isAnimationActive={false} />
          <Legend verticalAlign="top" height={44} />
          <Line dataKey="truth" name="true examination" stroke={REFERENCE_COLOR} strokeDasharray="6 4" strokeWidth={2} dot={false} isAnimationActive={false} />
          {result.fitted && <Line dataKey="fitted" name={`fitted ${result.fitted.model.toUpperCase()}`} stroke={SERIES_COLORS[1]} strokeWidth={2} isAnimationActive={false} />}
          {iv && (
            <Scatter dataKey="estimate" name={ivName} fill={SERIES_COLORS[3]} isAnimationActive={false}>
              <ErrorBar dataKey="interval" width={6} stroke={SERIES_COLORS[3]} strokeWidth={1.5} direction="y" />
            </Scatter>
          )}
        </ComposedChart>
      </ResponsiveContainer>
    </figure>
  );
}
