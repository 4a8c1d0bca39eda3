import { REFERENCE_COLOR } from '../palette';
import { useMemo } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { ClickLogModelResult } from '../../../worker/protocol';
import { formatValue, modelColour } from './click-log-format';

interface Row {
  rank: number;
  ctr?: number;
  pbm?: number;
  ubm?: number;
}

export function examinationRows(models: readonly ClickLogModelResult[], ctrByRank: readonly number[]): Row[] {
  const pbm = models.find((m) => m.model === 'pbm')?.params.examinationRelative;
  const ubm = models.find((m) => m.model === 'ubm')?.params.examinationRelative;
  const k = Math.max(ctrByRank.length, pbm?.length ?? 0, ubm?.length ?? 0);
  return Array.from({ length: k }, (_, r) => ({ rank: r + 1, ctr: ctrByRank[r], pbm: pbm?.[r], ubm: ubm?.[r] }));
}

/**
 * The position bias the fit found: PBM's examination per rank and UBM's (with no click above),
 * each ÷ its rank-1 value (a log identifies the curve's shape, not its scale), next to raw CTR,
 * which mixes that bias with the relevance of what was shown.
 */
export function FittedExaminationChart({ models, ctrByRank }: { models: readonly ClickLogModelResult[]; ctrByRank: readonly number[] }) {
  const rows = useMemo(() => examinationRows(models, ctrByRank), [models, ctrByRank]);
  const hasPbm = models.some((m) => m.model === 'pbm');
  const hasUbm = models.some((m) => m.model === 'ubm');
  if (!hasPbm && !hasUbm) return null;
  const k = rows.length;
  return (
    <figure className="chart" data-testid="examination-chart">
      <figcaption>Fitted examination by rank (÷ rank 1) and the log&apos;s CTR</figcaption>
      <ResponsiveContainer width="100%" height={280}>
        <LineChart data={rows} margin={{ top: 8, right: 24, bottom: 4, left: 4 }}>
          <CartesianGrid stroke="#e6e9ef" />
          <XAxis dataKey="rank" type="number" domain={[1, Math.max(1, k)]} allowDecimals={false} tickCount={Math.min(k, 20)} tick={{ fontSize: 12 }} label={{ value: 'rank', position: 'insideBottomRight', offset: -2, fontSize: 12 }} />
          <YAxis domain={[0, 'auto']} tick={{ fontSize: 12 }} width={44} tickFormatter={(v: number) => v.toFixed(1)} />
          <Tooltip formatter={(v) => formatValue(v, 3)} labelFormatter={(r) => `rank ${String(r)}`} isAnimationActive={false} />
          <Legend verticalAlign="top" height={28} />
          {hasPbm && <Line dataKey="pbm" name="PBM examination" stroke={modelColour('pbm')} strokeWidth={2.5} isAnimationActive={false} />}
          {hasUbm && <Line dataKey="ubm" name="UBM examination, no click above" stroke={modelColour('ubm')} strokeDasharray="6 4" strokeWidth={2} dot={false} isAnimationActive={false} />}
          <Line dataKey="ctr" name="CTR (the log)" stroke={REFERENCE_COLOR} strokeDasharray="2 3" strokeWidth={2} dot={false} isAnimationActive={false} />
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
}
