import { describe, expect, it } from 'vitest';
import { clickModel } from '../models/config';
import { compileClickModel } from '../models/semantics';
import { randomPolicy } from '../policies/policy';
import { simulateClicks } from '../simulate/simulate';
import { truePerplexity, truthByRank } from '../simulate/truth';
import { generateSynthetic } from '../../data/synthetic';
import { syntheticDataSchema } from '../../experiment/config';
import { evaluateClickModel, fitClickModel, splitSessions } from '.';
import { fittedCurves } from './curves';

const ds = generateSynthetic(syntheticDataSchema.parse({ kind: 'synthetic', queries: 40, docsPerQuery: 10, features: 4 }), 2);

describe('fitted curves and the truth', () => {
  it('PBM: the fitted examination is γ_r, and the predicted CTR averages γ_r α', () => {
    const sim = simulateClicks(ds, randomPolicy(10), clickModel({ eta: 1 }), { sessions: 20_000, seed: 3 });
    const { train, test } = splitSessions(sim.log, 0.25, 1);
    const fit = fitClickModel(train, 'pbm');
    const curves = fittedCurves(fit, test);
    for (let r = 0; r < 10; r++) expect(curves.examination[r]).toBeCloseTo(fit.examination![r], 9);
    expect(Math.abs(curves.examination[1] / curves.examination[0] - 0.5)).toBeLessThan(0.08);
    const truth = truthByRank(ds.labels, test, sim.model);
    expect(truth.examination[1]).toBeCloseTo(0.5);
    for (let r = 0; r < 10; r++) expect(Math.abs(curves.predictedCtr[r] - truth.relevanceCtr[r] * truth.examination[r])).toBeLessThan(0.03);
  });

  it('cascade family: examination starts at 1; the simulating model is a perplexity floor', () => {
    const config = clickModel({ model: 'dbn' });
    const sim = simulateClicks(ds, randomPolicy(10), config, { sessions: 10_000, seed: 4 });
    const { train, test } = splitSessions(sim.log, 0.25, 1);
    const fit = fitClickModel(train, 'dbn');
    const curves = fittedCurves(fit, test);
    expect(curves.examination[0]).toBeCloseTo(1, 9);
    expect(curves.examination[9]).toBeLessThan(curves.examination[1]);
    const floor = truePerplexity(ds.labels, test, compileClickModel(config));
    const fitted = evaluateClickModel(fit, test);
    expect(floor.perplexityAtRank).toHaveLength(10);
    expect(fitted.perplexity).toBeGreaterThan(floor.perplexity - 0.01);
    expect(fitted.perplexity - floor.perplexity).toBeLessThan(0.05);
  });
});
