import type { ExperimentConfig } from '../../core/experiment/config';
import type { MetricPoint } from '../../core/experiment/runner';
import { matchPreset, type PresetId } from '../../core/experiment/presets';

/** One saved run (issue 9): enough to reopen its setup and to compare its curves and final numbers. */
export interface HistoryRecord {
  id: string;
  name: string;
  /** Milliseconds since the epoch. */
  savedAt: number;
  config: ExperimentConfig;
  /** Test metrics over steps, per ranker (the points the charts draw). */
  points: MetricPoint[];
  /** The last point's test metrics, per ranker. */
  final: Record<string, Record<string, number>>;
  /** The backend that computed it (wasm, webgpu, …), null when unknown. */
  backend: string | null;
}

const PRESET_NAMES: Record<PresetId, string> = {
  teaching: 'Teaching preset',
  'all-estimators': 'All-estimators preset',
  labels: 'Labels-only preset',
};

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad2 = (n: number) => String(n).padStart(2, '0');

/** `29 Nov 14:02`, in local time. */
export function shortDate(at: number): string {
  const d = new Date(at);
  return `${d.getDate()} ${MONTHS[d.getMonth()]} ${pad2(d.getHours())}:${pad2(d.getMinutes())}`;
}

/** E.g. "Teaching preset · 400 steps · 29 Nov 14:02" ("Custom setup" when no preset matches). */
export function defaultRunName(config: ExperimentConfig, steps: number, at: number): string {
  let preset: PresetId | null = null;
  try {
    preset = matchPreset(config);
  } catch {
    preset = null;
  }
  const setup = preset ? PRESET_NAMES[preset] : 'Custom setup';
  return `${setup} · ${steps} ${steps === 1 ? 'step' : 'steps'} · ${shortDate(at)}`;
}

/** The last point's test metrics per ranker (empty when there are no points). */
export function finalMetrics(points: readonly MetricPoint[]): Record<string, Record<string, number>> {
  const last = points[points.length - 1];
  const out: Record<string, Record<string, number>> = {};
  if (!last) return out;
  for (const [id, m] of Object.entries(last.rankers)) out[id] = { ...m.test };
  return out;
}

/** Rankers of a record, in the config's order. */
export function recordRankers(record: Pick<HistoryRecord, 'config'>): string[] {
  return record.config.rankers.map((r) => r.id);
}

export function newRecordId(at: number): string {
  const random = Math.floor(Math.random() * 0x100000000).toString(36);
  return `run-${at.toString(36)}-${random}`;
}

export interface RecordInput {
  config: ExperimentConfig;
  points: readonly MetricPoint[];
  backend: string | null;
  at: number;
  id?: string;
  name?: string;
}

/** A record from the run as it stands (points copied: the store's arrays must not be shared with the DB layer). */
export function buildRecord(input: RecordInput): HistoryRecord {
  const points = structuredClone(input.points) as MetricPoint[];
  const steps = points.reduce((m, p) => Math.max(m, p.step), 0);
  return {
    id: input.id ?? newRecordId(input.at),
    name: input.name?.trim() || defaultRunName(input.config, steps, input.at),
    savedAt: input.at,
    config: structuredClone(input.config),
    points,
    final: finalMetrics(points),
    backend: input.backend,
  };
}

/** Newest first. */
export function sortRecords(records: readonly HistoryRecord[]): HistoryRecord[] {
  return [...records].sort((a, b) => b.savedAt - a.savedAt);
}

/** The measures the comparison table shows. */
export const COMPARE_MEASURES = ['ndcg@1', 'ndcg@3', 'ndcg@5', 'ndcg@10', 'err@10'] as const;

/** One line of the comparison: a ranker of a run. `key` is safe as a recharts dataKey (no dots). */
export interface CompareSeries {
  key: string;
  runId: string;
  label: string;
  rankerId: string;
  runIndex: number;
}

export function compareSeries(records: readonly HistoryRecord[]): CompareSeries[] {
  const out: CompareSeries[] = [];
  records.forEach((record, runIndex) => {
    for (const rankerId of recordRankers(record)) {
      out.push({ key: `s${out.length}`, runId: record.id, label: `${record.name} · ${rankerId}`, rankerId, runIndex });
    }
  });
  return out;
}

export type CompareRow = { step: number } & Record<string, number | null>;

/** One row per step any run evaluated at, one column per series (null where that run has no point). */
export function compareChartRows(records: readonly HistoryRecord[], series: readonly CompareSeries[], measure = 'ndcg@10'): CompareRow[] {
  const byStep = new Map<number, CompareRow>();
  const byId = new Map(records.map((r) => [r.id, r]));
  for (const s of series) {
    const record = byId.get(s.runId);
    if (!record) continue;
    for (const point of record.points) {
      let row = byStep.get(point.step);
      if (!row) {
        row = { step: point.step } as CompareRow;
        for (const other of series) row[other.key] = null;
        byStep.set(point.step, row);
      }
      const value = point.rankers[s.rankerId]?.test[measure];
      row[s.key] = typeof value === 'number' ? value : null;
    }
  }
  return [...byStep.values()].sort((a, b) => a.step - b.step);
}

export interface CompareTableRow {
  series: CompareSeries;
  values: Record<string, number | null>;
}

export function compareTableRows(records: readonly HistoryRecord[], series: readonly CompareSeries[]): CompareTableRow[] {
  const byId = new Map(records.map((r) => [r.id, r]));
  return series.map((s) => {
    const final = byId.get(s.runId)?.final[s.rankerId] ?? {};
    const values: Record<string, number | null> = {};
    for (const m of COMPARE_MEASURES) values[m] = typeof final[m] === 'number' ? final[m] : null;
    return { series: s, values };
  });
}

/** The best (highest) value of each measure over the rows; null where no row has one. */
export function bestPerMeasure(rows: readonly CompareTableRow[]): Record<string, number | null> {
  const best: Record<string, number | null> = {};
  for (const m of COMPARE_MEASURES) {
    let top: number | null = null;
    for (const row of rows) {
      const v = row.values[m];
      if (v !== null && v !== undefined && (top === null || v > top)) top = v;
    }
    best[m] = top;
  }
  return best;
}
