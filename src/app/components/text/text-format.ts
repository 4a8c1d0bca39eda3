import { downloadBlob } from '../download';
/** Display helpers for the text panel: measures, times, movement markers, saving a run. */

export function formatMeasure(value: number | null | undefined): string {
  return value === null || value === undefined || !Number.isFinite(value) ? '—' : value.toFixed(4);
}

export function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

export function formatScore(score: number): string {
  return Math.abs(score) >= 1000 ? score.toExponential(2) : score.toFixed(3);
}

/** How far a document moved from its BM25 rank: "▲ 3" up, "▼ 2" down, "=" unmoved. */
export function movement(rank: number, bm25Rank: number): { text: string; label: string; kind: 'up' | 'down' | 'same' } {
  const d = bm25Rank - rank;
  if (d > 0) return { text: `▲ ${d}`, label: `up ${d} from BM25 rank ${bm25Rank}`, kind: 'up' };
  if (d < 0) return { text: `▼ ${-d}`, label: `down ${-d} from BM25 rank ${bm25Rank}`, kind: 'down' };
  return { text: '=', label: 'same rank as BM25', kind: 'same' };
}

/** Offers text as a file download. */
export function saveTextFile(fileName: string, text: string): void {
  downloadBlob(new Blob([text], { type: 'text/plain' }), fileName);
}
