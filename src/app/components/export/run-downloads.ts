import { strToU8, zipSync } from 'fflate';
import type { RunFile, RunFilesOutcome } from '../../../worker/protocol';
import { downloadBlob } from '../download';

type RunFiles = Extract<RunFilesOutcome, { ok: true }>;

/** Asks the worker for the current run's files; a readable error when it has none. */
export async function runFiles(ask: () => Promise<RunFilesOutcome>): Promise<RunFiles> {
  const outcome = await ask();
  if (!outcome.ok) throw new Error(outcome.error);
  return outcome;
}

function zip(files: RunFile[], extra: Record<string, string> = {}): Blob {
  const entries: Record<string, Uint8Array> = {};
  for (const f of files) entries[f.fileName] = strToU8(f.text);
  for (const [name, text] of Object.entries(extra)) entries[name] = strToU8(text);
  return new Blob([new Uint8Array(zipSync(entries))], { type: 'application/zip' });
}

/** One ranker: its run as `<ranker>.run`; several: `rankplay-test-runs.zip` with every `<ranker>.run` and `qrels.txt`. */
export function downloadTestRuns(files: RunFiles): void {
  if (files.runs.length === 1) downloadBlob(new Blob([files.runs[0].text], { type: 'text/plain' }), files.runs[0].fileName);
  else downloadBlob(zip(files.runs, { 'qrels.txt': files.qrels }), 'rankplay-test-runs.zip');
}

export function downloadQrels(files: RunFiles): void {
  downloadBlob(new Blob([files.qrels], { type: 'text/plain' }), 'qrels.txt');
}

/** One ranker: `<ranker>.json`; several: `rankplay-rankers.zip` with one JSON per ranker. */
export function downloadRankers(files: RunFiles): void {
  if (files.models.length === 1) downloadBlob(new Blob([files.models[0].text], { type: 'application/json' }), files.models[0].fileName);
  else downloadBlob(zip(files.models), 'rankplay-rankers.zip');
}
