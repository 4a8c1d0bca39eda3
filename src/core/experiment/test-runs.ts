import { afterEach } from 'vitest';
import type { ExperimentConfig } from './config';
import { ExperimentRun, type MetricPoint } from './runner';

/**
 * Test support for the runner's tests: runs created here are disposed after each test, and
 * trainAll plays a run to its end the way the worker does.
 */
export function trackedRuns(): (c: ExperimentConfig) => ExperimentRun {
  const runs: ExperimentRun[] = [];
  afterEach(() => {
    while (runs.length) runs.pop()!.dispose();
  });
  return (c) => {
    const run = ExperimentRun.create(c);
    runs.push(run);
    return run;
  };
}

/** Trains to the end, evaluating at step 0 and at every evaluation step. */
export async function trainAll(run: ExperimentRun): Promise<MetricPoint[]> {
  const points = [await run.evaluate()];
  while (!run.done) {
    run.trainStep();
    if (run.isEvaluationStep()) points.push(await run.evaluate());
  }
  return points;
}
