import type { ExperimentRun, MetricPoint } from '../core/experiment/runner';
import type { SavedRun } from './checkpoint-store';
import type { WorkerEvent } from './protocol';
import type { RunCheckpoints } from './run-checkpoints';

/** While playing, a checkpoint at most this often (at an evaluation step): a reload loses at most this much. */
export const SAVE_EVERY_MS = 5000;
/**
 * ...and at most this share of the time spent saving: a big model, or millions of logged sessions
 * (each ranker's batch order is in the checkpoint), then saves less often rather than slowing training.
 */
const MAX_SAVE_SHARE = 0.1;

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * The current run's record: the metric points and elapsed time the UI charts, and the checkpoints
 * that bring the run and both of those back after a reload.
 */
export class RunHistory {
  points: MetricPoint[] = [];
  pointElapsedMs: number[] = [];
  /** Wall time spent training and evaluating, in ms. */
  elapsedMs = 0;
  /** What the latest checkpoint holds ('step:points'; '' for none), so an unchanged run is not saved twice. */
  private savedMark = '';
  private lastSaveAt = 0;
  /** How long the latest save took, from snapshot to written (ms). */
  private lastSaveMs = 0;
  private periodicInFlight = false;
  private warned = false;

  constructor(
    private readonly checkpoints: RunCheckpoints,
    private readonly emit: (e: WorkerEvent) => void,
  ) {}

  /** A new run: nothing recorded, nothing saved. */
  start(): void {
    this.points = [];
    this.pointElapsedMs = [];
    this.elapsedMs = 0;
    this.savedMark = '';
    this.lastSaveAt = performance.now();
    this.lastSaveMs = 0;
    this.warned = false;
  }

  /** A resumed run: its saved history, sent to the UI at once; the checkpoint it came from counts as saved. */
  resume(run: ExperimentRun, saved: SavedRun): void {
    this.start();
    this.points = saved.points;
    this.pointElapsedMs = saved.pointElapsedMs;
    this.elapsedMs = saved.elapsedMs;
    this.savedMark = `${run.step}:${saved.points.length}`;
    this.emit({ type: 'history', points: saved.points, elapsedMs: saved.pointElapsedMs });
  }

  /** Emits a metric point and keeps it for the run's checkpoints. */
  record(point: MetricPoint): void {
    this.points.push(point);
    this.pointElapsedMs.push(this.elapsedMs);
    this.emit({ type: 'metrics', point, elapsedMs: this.elapsedMs });
  }

  /**
   * Checkpoints the run under `key` with the points so far, unless nothing changed since the last
   * save. The snapshot is taken before this returns; the promise settles once it has been read
   * back and queued for writing. A failed save is reported once per run; training goes on.
   */
  save(run: ExperimentRun, key: string | null): Promise<void> {
    const mark = `${run.step}:${this.points.length}`;
    if (!key || run.step === 0 || mark === this.savedMark) return Promise.resolve();
    const ticket = this.checkpoints.ticket();
    const record = { key, done: run.done, points: this.points.slice(), pointElapsedMs: this.pointElapsedMs.slice(), elapsedMs: this.elapsedMs };
    this.savedMark = mark;
    const t0 = (this.lastSaveAt = performance.now());
    const unsaved = (e: unknown) => this.warn(e);
    const written = () => {
      this.lastSaveMs = performance.now() - t0;
    };
    return run
      .snapshot()
      .then((checkpoint) => void this.checkpoints.save({ ...record, checkpoint }, ticket).then(written, unsaved))
      .catch(unsaved);
  }

  /** While playing: saves when the last save is old enough (see MAX_SAVE_SHARE) and no earlier one is still being read back. */
  saveIfDue(run: ExperimentRun, key: string | null): void {
    const interval = Math.max(SAVE_EVERY_MS, this.lastSaveMs / MAX_SAVE_SHARE);
    if (this.periodicInFlight || performance.now() - this.lastSaveAt < interval) return;
    this.periodicInFlight = true;
    void this.save(run, key).finally(() => {
      this.periodicInFlight = false;
    });
  }

  private warn(e: unknown): void {
    if (this.warned) return;
    this.warned = true;
    this.emit({ type: 'notice', level: 'warning', message: `The run could not be saved for resuming after a reload (${message(e)}); training goes on.` });
  }
}
