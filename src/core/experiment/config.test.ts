import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CONFIG_VERSION, defaultConfig, parseConfig, type ExperimentConfig } from './config';

function parseOk(value: unknown): ExperimentConfig {
  const r = parseConfig(value);
  if (!r.ok) throw new Error(`expected a valid config, got: ${r.error}`);
  return r.config;
}

function parseErr(value: unknown): string {
  const r = parseConfig(value);
  if (r.ok) throw new Error(`expected a rejection, got a config: ${JSON.stringify(r.config)}`);
  expect(typeof r.error).toBe('string');
  expect(r.error.length).toBeGreaterThan(0);
  return r.error;
}

/** The synthetic data part of a config (the default kind), narrowed for the type checker. */
function synthetic(c: ExperimentConfig) {
  if (c.data.kind !== 'synthetic') throw new Error('synthetic data expected');
  return c.data;
}

describe('defaultConfig', () => {
  it('passes parseConfig unchanged', () => {
    const d = defaultConfig();
    expect(d.version).toBe(CONFIG_VERSION);
    expect(parseOk(d)).toEqual(d);
  });

  it('carries the documented defaults', () => {
    const d = defaultConfig();
    expect(d.seed).toBe(42);
    expect(d.data).toEqual({
      kind: 'synthetic',
      queries: 200,
      docsPerQuery: 20,
      features: 16,
      relevance: 'nonlinear',
      noise: 0.5,
      labelDistribution: [0.4, 0.3, 0.15, 0.1, 0.05],
      testFraction: 0.25,
    });
    expect(d.rankers.map((r) => r.id)).toEqual(['linear', 'mlp']);
    expect(d.train).toEqual({
      loss: 'softmax',
      optimizer: 'adam',
      learningRate: 0.01,
      batchQueries: 16,
      maxSteps: 300,
      evalEvery: 10,
      schedule: { kind: 'constant', warmupSteps: 0, finalFraction: 0 },
      clipNorm: 0,
      validationFraction: 0,
      patience: 0,
      validateBy: 'labels',
    });
    // Rankers learn from true labels unless they name an estimator.
    expect(d.rankers.map((r) => r.estimator)).toEqual(['oracle', 'oracle']);
    expect(d.clicks.model).toMatchObject({ model: 'pbm', eta: 1, epsMinus: 0.1, epsPlus: 1, topK: 10 });
    expect(d.clicks.policy).toEqual({ kind: 'production', fraction: 0.01, ridge: 0.1 });
    expect(d.eval).toEqual({ k: 10, gain: 'exp2', noRelevant: 'drop' });
  });

  it('returns a fresh object every time: mutating one default never leaks into the next', () => {
    const a = defaultConfig();
    a.seed = 7;
    synthetic(a).labelDistribution.push(9);
    a.rankers[0].id = 'changed';
    const mlp = a.rankers[1].model;
    if (mlp.kind !== 'mlp') throw new Error('default second ranker should be an mlp');
    mlp.hidden[0] = 999;
    mlp.activation = 'tanh';
    a.rankers.push({ id: 'extra', model: { kind: 'linear' }, estimator: 'oracle', propensities: 'true', clip: 0 });

    const b = defaultConfig();
    expect(b.seed).toBe(42);
    expect(synthetic(b).labelDistribution).toEqual([0.4, 0.3, 0.15, 0.1, 0.05]);
    expect(b.rankers).toMatchObject([
      { id: 'linear', model: { kind: 'linear' } },
      { id: 'mlp', model: { kind: 'mlp', hidden: [32, 16], activation: 'elu' } },
    ]);
    // The same holds for any config that takes the rankers default.
    const c = parseOk({ version: 1 });
    expect(c.rankers[0]).not.toBe(b.rankers[0]);
    expect(c.rankers[1].model).not.toBe(b.rankers[1].model);
  });

  it('a default config can be deep-frozen (as an immutable store would) without freezing later defaults', () => {
    const deepFreeze = (o: unknown): void => {
      if (o && typeof o === 'object' && !Object.isFrozen(o)) {
        Object.freeze(o);
        for (const v of Object.values(o)) deepFreeze(v);
      }
    };
    deepFreeze(defaultConfig());
    const next = defaultConfig();
    expect(() => {
      next.rankers[0].id = 'renamed';
    }).not.toThrow();
    expect(next.rankers[0].id).toBe('renamed');
  });
});

describe('parseConfig: round trips and defaults', () => {
  it('JSON.stringify → JSON.parse → parseConfig gives an equal config', () => {
    const d = defaultConfig();
    expect(parseOk(JSON.parse(JSON.stringify(d)))).toEqual(d);
  });

  it('is idempotent on arbitrary valid configs (parse ∘ JSON ∘ parse = parse)', () => {
    const arb = fc.record({
      version: fc.constant(1),
      seed: fc.integer({ min: 0, max: 0xffffffff }),
      data: fc.record({
        kind: fc.constant('synthetic'),
        queries: fc.integer({ min: 4, max: 2000 }),
        docsPerQuery: fc.integer({ min: 2, max: 1000 }),
        noise: fc.double({ min: 0, max: 10, noNaN: true }),
        relevance: fc.constantFrom('linear', 'nonlinear'),
      }),
      train: fc.record(
        {
          learningRate: fc.double({ min: 1e-6, max: 10, noNaN: true }),
          optimizer: fc.constantFrom('adam', 'adagrad', 'sgd'),
          batchQueries: fc.integer({ min: 1, max: 4096 }),
        },
        { requiredKeys: [] },
      ),
      eval: fc.record({ k: fc.integer({ min: 1, max: 1000 }), gain: fc.constantFrom('exp2', 'linear') }, { requiredKeys: [] }),
    });
    fc.assert(
      fc.property(arb, (raw) => {
        const once = parseOk(raw);
        // Every given field survives as given.
        expect(once.seed).toBe(raw.seed);
        expect(synthetic(once).queries).toBe(raw.data.queries);
        expect(synthetic(once).noise).toBe(raw.data.noise);
        if (raw.train.learningRate !== undefined) expect(once.train.learningRate).toBe(raw.train.learningRate);
        const twice = parseOk(JSON.parse(JSON.stringify(once)));
        expect(twice).toEqual(once);
      }),
      { numRuns: 200 },
    );
  });

  it('fills nested defaults around a partial object: {train: {learningRate: 0.1}} keeps the other train defaults', () => {
    const c = parseOk({ version: 1, train: { learningRate: 0.1 } });
    const d = defaultConfig();
    expect(c.train).toEqual({ ...d.train, learningRate: 0.1 });
    expect(c.data).toEqual(d.data);
    expect(c.eval).toEqual(d.eval);
    expect(c.rankers).toEqual(d.rankers);
    expect(c.seed).toBe(d.seed);
  });

  it('fills data defaults from just the kind and mlp defaults from just the kind', () => {
    const c = parseOk({
      version: 1,
      data: { kind: 'synthetic', queries: 50 },
      rankers: [{ id: 'deep', model: { kind: 'mlp' } }],
      eval: { gain: 'linear' },
    });
    expect(c.data).toEqual({ ...defaultConfig().data, queries: 50 });
    expect(c.rankers).toMatchObject([{ id: 'deep', model: { kind: 'mlp', hidden: [32, 16], activation: 'elu' }, estimator: 'oracle', propensities: 'true', clip: 0 }]);
    expect(c.eval).toEqual({ k: 10, gain: 'linear', noRelevant: 'drop' });
  });

  it('accepts the boundary values', () => {
    const c = parseOk({
      version: 1,
      seed: 0xffffffff,
      data: { kind: 'synthetic', queries: 4, docsPerQuery: 2, features: 1, noise: 0, testFraction: 0.05, labelDistribution: [0, 1] },
      rankers: [{ id: 'a', model: { kind: 'linear' } }, { id: 'a23456789012345678901234'.slice(0, 24), model: { kind: 'linear' } }],
      train: { learningRate: 10, batchQueries: 1, maxSteps: 1, evalEvery: 1 },
      eval: { k: 1000, noRelevant: 'one' },
    });
    expect(c.seed).toBe(4294967295);
    expect(c.rankers[1].id).toHaveLength(24);
  });

  it('accepts exactly 2,000,000 documents and exactly 64,000,000 feature values', () => {
    // 2000 × 1000 = 2,000,000 documents; × 32 features = 64,000,000 values.
    parseOk({ version: 1, data: { kind: 'synthetic', queries: 2000, docsPerQuery: 1000, features: 32 } });
  });
});

describe('parseConfig: rejections', () => {
  it('rejects non-objects', () => {
    for (const v of [null, undefined, 1, 'config', [], [1], true]) parseErr(v);
  });

  it('rejects a wrong or missing version', () => {
    expect(parseErr({ version: 2 })).toContain('version');
    expect(parseErr({ version: '1' })).toContain('version');
    expect(parseErr({ seed: 3 })).toContain('version');
    expect(parseErr({ ...defaultConfig(), version: 0 })).toContain('version');
  });

  it('rejects unknown keys at every level (strict objects)', () => {
    expect(parseErr({ version: 1, extra: true })).toMatch(/extra/);
    expect(parseErr({ version: 1, train: { learningRate: 0.1, momentum: 0.9 } })).toMatch(/^train: .*momentum/);
    expect(parseErr({ version: 1, data: { kind: 'synthetic', colour: 'red' } })).toMatch(/^data: .*colour/);
    expect(parseErr({ version: 1, eval: { k: 5, cutoff: 3 } })).toMatch(/^eval: .*cutoff/);
    expect(parseErr({ version: 1, rankers: [{ id: 'a', model: { kind: 'linear', hidden: [3] } }] })).toMatch(/rankers\.0\.model/);
    expect(parseErr({ version: 1, rankers: [{ id: 'a', name: 'A', model: { kind: 'linear' } }] })).toMatch(/rankers\.0/);
  });

  it('rejects __proto__ and constructor keys without polluting Object.prototype', () => {
    parseErr(JSON.parse('{"version":1,"__proto__":{"polluted":"yes"}}'));
    parseErr(JSON.parse('{"version":1,"train":{"__proto__":{"polluted":"yes"}}}'));
    parseErr(JSON.parse('{"version":1,"constructor":{"prototype":{"polluted":"yes"}}}'));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  it('rejects negative, zero, fractional and too-small query counts, naming data.queries', () => {
    for (const queries of [-5, 0, 3, 2.5, Number.NaN]) {
      expect(parseErr({ version: 1, data: { kind: 'synthetic', queries } })).toContain('data.queries');
    }
  });

  it('rejects out-of-range fields, naming their path', () => {
    const cases: [unknown, string][] = [
      [{ version: 1, train: { learningRate: 0 } }, 'train.learningRate'],
      [{ version: 1, train: { learningRate: -0.1 } }, 'train.learningRate'],
      [{ version: 1, train: { learningRate: 11 } }, 'train.learningRate'],
      [{ version: 1, train: { learningRate: '0.1' } }, 'train.learningRate'],
      [{ version: 1, train: { optimizer: 'rmsprop' } }, 'train.optimizer'],
      [{ version: 1, train: { batchQueries: 0 } }, 'train.batchQueries'],
      [{ version: 1, seed: -1 }, 'seed'],
      [{ version: 1, seed: 2 ** 32 }, 'seed'],
      [{ version: 1, seed: 1.5 }, 'seed'],
      [{ version: 1, data: { kind: 'synthetic', noise: -1 } }, 'data.noise'],
      [{ version: 1, data: { kind: 'synthetic', testFraction: 1 } }, 'data.testFraction'],
      [{ version: 1, data: { kind: 'synthetic', labelDistribution: [1] } }, 'data.labelDistribution'],
      [{ version: 1, data: { kind: 'synthetic', labelDistribution: [1, -1] } }, 'data.labelDistribution.1'],
      [{ version: 1, data: { kind: 'letor' } }, 'data.kind'],
      [{ version: 1, eval: { k: 0 } }, 'eval.k'],
      [{ version: 1, eval: { noRelevant: 'skip' } }, 'eval.noRelevant'],
      [{ version: 1, rankers: [] }, 'rankers'],
      [{ version: 1, rankers: [{ id: 'm', model: { kind: 'mlp', hidden: [] } }] }, 'rankers.0.model.hidden'],
      [{ version: 1, rankers: [{ id: 'm', model: { kind: 'mlp', hidden: [0] } }] }, 'rankers.0.model.hidden.0'],
      [{ version: 1, rankers: [{ id: 'm', model: { kind: 'tree' } }] }, 'rankers.0.model.kind'],
    ];
    for (const [value, path] of cases) {
      const err = parseErr(value);
      expect(err.startsWith(`${path}: `), `${JSON.stringify(value)} → ${err}`).toBe(true);
    }
  });

  it('rejects more than 6 rankers', () => {
    const rankers = Array.from({ length: 7 }, (_, i) => ({ id: `r${i}`, model: { kind: 'linear' } }));
    expect(parseErr({ version: 1, rankers })).toContain('rankers');
  });

  it('rejects duplicate ranker ids', () => {
    const err = parseErr({
      version: 1,
      rankers: [
        { id: 'same', model: { kind: 'linear' } },
        { id: 'same', model: { kind: 'mlp' } },
      ],
    });
    expect(err).toContain('rankers');
    expect(err).toContain('unique');
  });

  it('rejects bad ranker ids', () => {
    for (const id of ['', 'Linear', '1st', '-a', 'a b', 'a_b', 'a'.repeat(25), '<script>alert(1)</script>', 'ünï']) {
      const err = parseErr({ version: 1, rankers: [{ id, model: { kind: 'linear' } }] });
      expect(err).toContain('rankers.0.id');
      // The message describes the rule; it does not echo the id back.
      if (id.includes('<')) expect(err).not.toContain('<script>');
    }
  });

  it('rejects datasets over the document and feature-value limits', () => {
    // 100,000 × 1000 = 100,000,000 documents > 2,000,000.
    const tooManyDocs = parseErr({ version: 1, data: { kind: 'synthetic', queries: 100_000, docsPerQuery: 1000 } });
    expect(tooManyDocs).toContain('data: too many documents');
    // 2001 × 1000 = 2,001,000 documents, just over.
    expect(parseErr({ version: 1, data: { kind: 'synthetic', queries: 2001, docsPerQuery: 1000, features: 1 } })).toContain('too many documents');
    // 2000 × 1000 × 33 = 66,000,000 feature values > 64,000,000, with documents exactly at the limit.
    const tooManyValues = parseErr({ version: 1, data: { kind: 'synthetic', queries: 2000, docsPerQuery: 1000, features: 33 } });
    expect(tooManyValues).toContain('too many feature values');
    expect(tooManyValues).not.toContain('too many documents');
  });

  it('rejects a label distribution with no positive entry', () => {
    expect(parseErr({ version: 1, data: { kind: 'synthetic', labelDistribution: [0, 0, 0] } })).toContain('at least one positive');
  });

  it('reports at most three issues, joined by "; "', () => {
    const err = parseErr({ version: 1, seed: -1, train: { learningRate: -1, batchQueries: 0, maxSteps: 0 }, eval: { k: 0 } });
    expect(err.split('; ').length).toBe(3);
  });
});
