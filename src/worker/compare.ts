import { comparisonConfigs, summarizeComparison, type MeanCi, type SeedResult } from '../core/experiment/compare';
import type { ExperimentConfig } from '../core/experiment/config';
import { ExperimentRun } from '../core/experiment/runner';
import type { FeatureSplits } from '../core/data/library';
import type { EstimatorName } from '../core/rank/estimators/types';

/** Progress of a comparison: which seed, and how far its run has trained. */
export interface CompareProgressEvent {
  type: 'compare-progress';
  seedIndex: number;
  seeds: number;
  step: number;
  maxSteps: number;
}

export interface CompareRequest {
  seeds: number[];
  estimators?: EstimatorName[];
}

export type CompareOutcome =
  | {
      ok: true;
      /** Estimator → measure → mean ± 95% CI over the seeds (final test metrics). */
      summary: Record<string, Record<string, MeanCi>>;
      perSeed: SeedResult[];
      seeds: number[];
      ms: number;
    }
  | { ok: false; cancelled: boolean; error: string };

/** Time between yields to the worker's message queue, so cancel gets in. */
const YIELD_EVERY_MS = 16;

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * Runs "Compare estimators" in the worker: one run per seed with every estimator as a ranker (same
 * data and clicks within a seed), each trained to its end, then the mean ± 95% CI of the final
 * test measures. One comparison at a time; cancel stops it between steps.
 */
export class CompareService {
  private generation = 0;

  constructor(
    private readonly emit: (e: CompareProgressEvent) => void,
    private readonly storedSplits: (config: ExperimentConfig) => Promise<FeatureSplits | undefined>,
  ) {}

  cancel(): void {
    this.generation++;
  }

  async compare(base: ExperimentConfig, req: CompareRequest): Promise<CompareOutcome> {
    const generation = ++this.generation;
    const t0 = performance.now();
    let configs: ExperimentConfig[];
    try {
      configs = comparisonConfigs(base, req.seeds, req.estimators);
    } catch (e) {
      return { ok: false, cancelled: false, error: e instanceof Error ? e.message : String(e) };
    }
    const perSeed: SeedResult[] = [];
    try {
      const stored = await this.storedSplits(base);
      for (let i = 0; i < configs.length; i++) {
        const run = ExperimentRun.create(configs[i], stored);
        try {
          let lastYield = performance.now();
          let point = await run.evaluate();
          while (!run.done) {
            run.trainStep();
            if (run.isEvaluationStep()) point = await run.evaluate();
            if (performance.now() - lastYield >= YIELD_EVERY_MS) {
              this.emit({ type: 'compare-progress', seedIndex: i, seeds: configs.length, step: run.step, maxSteps: configs[i].train.maxSteps });
              await yieldToEventLoop();
              lastYield = performance.now();
              if (generation !== this.generation) return { ok: false, cancelled: true, error: 'comparison cancelled' };
            }
          }
          const result: SeedResult = {};
          for (const [id, m] of Object.entries(point.rankers)) result[id] = m.test;
          perSeed.push(result);
        } finally {
          run.dispose();
        }
      }
    } catch (e) {
      return { ok: false, cancelled: false, error: `seed ${req.seeds[perSeed.length]}: ${e instanceof Error ? e.message : String(e)}` };
    }
    return { ok: true, summary: summarizeComparison(perSeed), perSeed, seeds: req.seeds, ms: performance.now() - t0 };
  }
}
