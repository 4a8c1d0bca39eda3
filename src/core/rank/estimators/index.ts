import { createDla } from './dla';
import { createIps } from './ips';
import { createNaive } from './naive';
import { createOracle } from './oracle';
import { createPaird } from './paird';
import { createPal } from './pal';
import { createRem } from './rem';
import type { Estimator, EstimatorName, EstimatorOptions } from './types';

export type { ClickBatch, Estimator, EstimatorName, EstimatorOptions } from './types';
export { ESTIMATOR_NAMES } from './types';
export { createDla, createIps, createNaive, createOracle, createPaird, createPal, createRem };

/**
 * How clicks become a training signal, by name. Each module's header gives the paper, what it
 * matches in ULTRA (github.com/ULTR-Community/ULTRA, ultra/learning_algorithm/) and where it differs.
 */
export function createEstimator(name: EstimatorName, options: EstimatorOptions): Estimator {
  switch (name) {
    case 'oracle':
      return createOracle(options);
    case 'naive':
      return createNaive(options);
    case 'ips':
      return createIps(options);
    case 'dla':
      return createDla(options);
    case 'rem':
      return createRem(options);
    case 'paird':
      return createPaird(options);
    case 'pal':
      return createPal(options);
  }
}
