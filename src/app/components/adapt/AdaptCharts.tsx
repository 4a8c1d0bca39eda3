import { MUTED_COLOR, SERIES_COLORS, seriesColor } from '../palette';
import type { ReactNode } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { AdaptRunSeries } from '../../store/adapt-slice';

/**
 * The adaptation's curves: the latest run's training loss, validation nDCG@10 against the base
 * model's (dashed), RankMe, step time and tensor memory; and validation nDCG@10 of every run of this
 * session on one chart. Animation off: points arrive every step.
 */

const COLORS = SERIES_COLORS;
const fmt = (digits: number) => (value: unknown) => (typeof value === 'number' ? value.toFixed(digits) : '—');

type Row = Record<string, number | null>;

interface SeriesChartProps {
  title: string;
  testId: string;
  rows: Row[];
  /** `right`: drawn against a second y axis (a quantity in other units, e.g. MB beside ms). */
  lines: { key: string; name: string; color: string; dashed?: boolean; right?: boolean }[];
  maxStep: number;
  digits: number;
  yDomain?: [number | 'auto', number | 'auto'];
  children?: ReactNode;
  height?: number;
  /** Always show the legend (the compare chart names its runs even when there is one). */
  legend?: boolean;
}

function SeriesChart({ title, testId, rows, lines, maxStep, digits, yDomain = ['auto', 'auto'], children, height = 180, legend }: SeriesChartProps) {
  return (
    <figure className="adapt-chart" data-testid={testId}>
      <figcaption>{title}</figcaption>
      <ResponsiveContainer width="100%" height={height}>
        <LineChart data={rows} margin={{ top: 6, right: 16, bottom: 2, left: 0 }}>
          <CartesianGrid stroke="#e6e9ef" />
          <XAxis dataKey="step" type="number" domain={[0, Math.max(1, maxStep)]} allowDecimals={false} tick={{ fontSize: 11 }} />
          <YAxis yAxisId="left" domain={yDomain} tick={{ fontSize: 11 }} width={48} tickFormatter={(v: number) => String(Math.round(v * 1000) / 1000)} />
          {lines.some((l) => l.right) && <YAxis yAxisId="right" orientation="right" domain={['auto', 'auto']} tick={{ fontSize: 11 }} width={44} tickFormatter={(v: number) => String(Math.round(v * 10) / 10)} />}
          <Tooltip formatter={fmt(digits)} labelFormatter={(step) => `step ${String(step)}`} isAnimationActive={false} />
          {(legend || lines.length > 1) && <Legend verticalAlign="top" height={22} wrapperStyle={{ fontSize: 12 }} />}
          {lines.map((l) => (
            <Line key={l.key} yAxisId={l.right ? 'right' : 'left'} dataKey={l.key} name={l.name} type="monotone" stroke={l.color} strokeWidth={2} strokeDasharray={l.dashed ? '5 4' : undefined} dot={rows.length < 40} isAnimationActive={false} connectNulls />
          ))}
          {children}
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
}

/** The latest run in detail. */
export function AdaptRunCharts({ run, maxStep }: { run: AdaptRunSeries; maxStep: number }) {
  const steps: Row[] = run.steps.map((s) => ({ step: s.step, loss: s.loss, ms: s.stepMs, mb: s.tensorBytes / 1e6 }));
  const evals: Row[] = run.evals.map((e) => ({ step: e.step, ndcg: e.ndcg10, rankMe: e.rankMe }));
  const base = run.evals.find((e) => e.step === 0)?.ndcg10 ?? null;
  const hasRankMe = run.evals.some((e) => e.rankMe !== null);
  return (
    <div className="adapt-charts" data-testid="adapt-charts">
      <SeriesChart title="Validation nDCG@10 (dashed: the base model)" testId="adapt-chart-ndcg" rows={evals} lines={[{ key: 'ndcg', name: 'adapted', color: COLORS[0] }]} maxStep={maxStep} digits={4}>
        {base !== null && <ReferenceLine yAxisId="left" y={base} stroke={MUTED_COLOR} strokeDasharray="6 4" label={{ value: `base ${base.toFixed(3)}`, position: 'insideBottomRight', fontSize: 11, fill: MUTED_COLOR }} />}
      </SeriesChart>
      <SeriesChart title="Training loss" testId="adapt-chart-loss" rows={steps} lines={[{ key: 'loss', name: 'loss', color: COLORS[1] }]} maxStep={maxStep} digits={4} />
      {hasRankMe && <SeriesChart title="RankMe of held-out [CLS] embeddings" testId="adapt-chart-rankme" rows={evals} lines={[{ key: 'rankMe', name: 'RankMe', color: COLORS[2] }]} maxStep={maxStep} digits={2} />}
      <SeriesChart
        title="Step time (ms, left) and tensor memory (MB, right)"
        testId="adapt-chart-cost"
        rows={steps}
        lines={[
          { key: 'ms', name: 'step ms', color: COLORS[3] },
          { key: 'mb', name: 'tensor MB', color: COLORS[4], right: true },
        ]}
        maxStep={maxStep}
        digits={1}
      />
    </div>
  );
}

/** Validation nDCG@10 of each run of this session, overlaid (legend by method and signal). */
export function AdaptCompareChart({ runs }: { runs: AdaptRunSeries[] }) {
  const byStep = new Map<number, Row>();
  runs.forEach((r, i) => {
    for (const e of r.evals) {
      const row = byStep.get(e.step) ?? { step: e.step };
      row[`run${i}`] = e.ndcg10;
      byStep.set(e.step, row);
    }
  });
  const rows = [...byStep.values()].sort((a, b) => (a.step ?? 0) - (b.step ?? 0));
  const maxStep = Math.max(1, ...rows.map((r) => r.step ?? 0));
  // Several runs may share a label (same settings twice): number them so the legend tells them apart.
  const lines = runs.map((r, i) => ({ key: `run${i}`, name: `${i + 1}. ${r.label}${r.status === 'running' ? ' (training)' : ''}`, color: seriesColor(i), dashed: i >= COLORS.length }));
  return <SeriesChart title="Compare variants: validation nDCG@10 of this session's runs" testId="adapt-chart-compare" rows={rows} lines={lines} maxStep={maxStep} digits={4} height={220} legend />;
}
