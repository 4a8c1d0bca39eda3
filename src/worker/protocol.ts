import type { BackendName, BackendStatus } from '../compute/types';
import type { ExperimentConfig } from '../core/experiment/config';
import type { DatasetSummary, MetricPoint, ReferenceLines } from '../core/experiment/runner';

export type RunState = 'idle' | 'playing' | 'paused' | 'done' | 'error';

export interface LoadedRun {
  rankerIds: string[];
  maxSteps: number;
  summary: DatasetSummary;
  reference: ReferenceLines;
}

export interface MetricsEvent {
  type: 'metrics';
  point: MetricPoint;
  /** Wall time spent training and evaluating since the run was loaded, in ms (only while playing or stepping). */
  elapsedMs: number;
}

/** Everything the worker tells the UI; streamed through one callback. */
export type WorkerEvent =
  | { type: 'backend'; status: BackendStatus }
  | { type: 'loaded'; run: LoadedRun }
  | MetricsEvent
  | { type: 'state'; state: RunState; step: number }
  | { type: 'notice'; level: 'info' | 'warning' | 'error'; message: string };

export type EventSink = (event: WorkerEvent) => void;

/** The worker's RPC surface (exposed with comlink). All training happens behind it. */
export interface RankPlayWorkerApi {
  /** Probes the device, starts the best (or requested) backend, reports it as a 'backend' event too. */
  init(requested: BackendName | null, sink: EventSink): Promise<BackendStatus>;
  /** Switches backend; the current run is rebuilt from its config on the new one. */
  setBackend(requested: BackendName | null): Promise<BackendStatus>;
  /** Builds a run from a config (data, split, rankers) and evaluates step 0. */
  load(config: ExperimentConfig): Promise<void>;
  play(): Promise<void>;
  pause(): Promise<void>;
  /** One training step (and an evaluation), when paused or idle. */
  step(): Promise<void>;
  /** Back to step 0 with the same config. */
  reset(): Promise<void>;
  /** Test hook: destroys the WebGPU device to exercise the device-lost fallback. Returns false if not on WebGPU. */
  loseDeviceForTesting(): Promise<boolean>;
}
