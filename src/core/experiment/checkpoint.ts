import type { TrainerState } from '../rank/trainer-state';
import type { ExperimentConfig } from './config';

/**
 * Version of the checkpoint layout. Bump it when the layout changes, or when a change to training
 * makes a config give other numbers: an older checkpoint would then be continued by different code,
 * and the resumed run would match neither the old nor the new uninterrupted run.
 */
// 2: query batches padded per bucket (bucketListSize) instead of to the longest list of the set.
export const CHECKPOINT_FORMAT = 2;

/** Early-stopping bookkeeping of one ranker. */
export interface StopState {
  best: number;
  bestStep: number;
  evalsSinceBest: number;
  stoppedAt: number | null;
}

/**
 * A run's training state as plain data (typed arrays, numbers, strings: structured-clone friendly,
 * so it can go to IndexedDB or through postMessage as it is). With the config it came from, it
 * continues the run exactly where it was. Metric history is not in it: that is the caller's record.
 */
export interface RunCheckpoint {
  format: number;
  /** configFingerprint of the run's config: a checkpoint only continues the config it came from. */
  fingerprint: string;
  step: number;
  stops: StopState[];
  rankers: TrainerState[];
}

/** JSON with object keys sorted at every level (and undefined members dropped), so equal configs give equal text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const members = Object.keys(record)
      .filter((k) => record[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(record[k])}`);
    return `{${members.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

const FNV64_OFFSET = 0xcbf29ce484222325n;
const FNV64_PRIME = 0x100000001b3n;
const MASK64 = (1n << 64n) - 1n;

/** 64-bit FNV-1a over UTF-16 code units, as 16 hex digits: a stable name, not a security measure. */
export function fnv1a64(text: string): string {
  let h = FNV64_OFFSET;
  for (let i = 0; i < text.length; i++) {
    h ^= BigInt(text.charCodeAt(i));
    h = (h * FNV64_PRIME) & MASK64;
  }
  return h.toString(16).padStart(16, '0');
}

/** Names a config: the same settings (in any key order) give the same fingerprint. */
export function configFingerprint(config: ExperimentConfig): string {
  return fnv1a64(canonicalJson(config));
}

function isStopState(s: StopState): boolean {
  const step = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= 0;
  return typeof s?.best === 'number' && step(s.bestStep) && step(s.evalsSinceBest) && (s.stoppedAt === null || step(s.stoppedAt));
}

/** Throws a readable error unless the checkpoint's outline fits this config (tensors are checked by each trainer). */
export function checkCheckpointOutline(checkpoint: RunCheckpoint, config: ExperimentConfig): void {
  if (checkpoint?.format !== CHECKPOINT_FORMAT) {
    throw new Error(`the checkpoint was saved by another version of RankPlay (format ${checkpoint?.format}, this one reads ${CHECKPOINT_FORMAT})`);
  }
  if (checkpoint.fingerprint !== configFingerprint(config)) {
    throw new Error('the checkpoint belongs to another experiment config (different data, rankers or training settings)');
  }
  const n = config.rankers.length;
  if (!Number.isInteger(checkpoint.step) || checkpoint.step < 0 || checkpoint.step > config.train.maxSteps) {
    throw new Error(`the checkpoint's step ${checkpoint.step} is outside 0…${config.train.maxSteps}`);
  }
  if (!Array.isArray(checkpoint.rankers) || checkpoint.rankers.length !== n || !Array.isArray(checkpoint.stops) || checkpoint.stops.length !== n) {
    throw new Error(`the checkpoint holds ${checkpoint.rankers?.length} rankers, the config has ${n}`);
  }
  if (!checkpoint.stops.every(isStopState)) throw new Error('the checkpoint has no valid early-stopping record');
}
