import { drain } from '../simulate/drive';
import type { Prior } from './common';

export interface EmOptions {
  maxIterations: number;
  tolerance: number;
  prior: Prior;
  onIteration?: (iteration: number, trainLogLikelihood: number) => void;
}

export interface EmResult {
  iterations: number;
  converged: boolean;
  trainLogLikelihood: number;
  seconds: number;
}

/** After each EM iteration: how many are done, and the most there may be. */
export interface EmProgress {
  iteration: number;
  maxIterations: number;
}

/**
 * Runs EM iterations. `step` does one E-step (accumulating expected counts under the current
 * parameters) and the M-step, and returns the training log-likelihood under the parameters it
 * started from, per impression. EM stops after `maxIterations`, or once that log-likelihood moves
 * by less than `tolerance` between iterations (an absolute change per impression).
 */
export function runEm(opts: EmOptions, step: () => number): EmResult {
  return drain(emSteps(opts, step));
}

/** `runEm` as steps: yields an EmProgress after each iteration (see simulate/drive.ts). */
export function* emSteps(opts: EmOptions, step: () => number): Generator<EmProgress, EmResult, void> {
  const t0 = performance.now();
  let prev = NaN;
  let ll = NaN;
  let it = 0;
  let converged = false;
  while (it < opts.maxIterations) {
    ll = step();
    it++;
    opts.onIteration?.(it, ll);
    yield { iteration: it, maxIterations: opts.maxIterations };
    if (Math.abs(ll - prev) < opts.tolerance) {
      converged = true;
      break;
    }
    prev = ll;
  }
  return { iterations: it, converged, trainLogLikelihood: ll, seconds: (performance.now() - t0) / 1000 };
}

/**
 * Accumulates log Π p over many probabilities with few log calls: products of up to a few
 * hundred probabilities ≥ 1e-6 stay far from underflow, and are flushed into the sum before.
 */
export class LogProduct {
  sum = 0;
  prod = 1;
  mul(p: number): void {
    this.prod *= p;
    if (this.prod < 1e-250) this.flush();
  }
  flush(): void {
    this.sum += Math.log(this.prod);
    this.prod = 1;
  }
  total(): number {
    this.flush();
    return this.sum;
  }
}
