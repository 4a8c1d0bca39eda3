import '@tensorflow/tfjs-core/dist/register_all_gradients';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { useCpuBackend } from '../../../test-support/cpu-backend';
import { createRng } from '../../experiment/rng';
import { lossByName } from './index';
import { expectNoLeak, gradOf, lossOf, withPadAt, type Case } from './test-helpers';
import { LOSS_NAMES, LOSS_SAMPLES, type LossName } from './types';

/**
 * Properties every loss shares, run over LOSS_NAMES so a new loss is held to them too. Stochastic
 * losses (LOSS_SAMPLES > 0) get seeded uniforms, the same for the two sides of a comparison.
 */

beforeAll(async () => {
  await useCpuBackend();
});

/** Uniforms [nSamples][nLists][listSize] from the project's seeded RNG. */
function uniformsFor(name: LossName, seed: number, nLists: number, listSize: number, nSamples = LOSS_SAMPLES[name]): number[][][] | undefined {
  if (nSamples === 0) return undefined;
  const rng = createRng(seed);
  return Array.from({ length: nSamples }, () =>
    Array.from({ length: nLists }, () => Array.from({ length: listSize }, () => Math.min(1 - 1e-7, Math.max(1e-7, rng.next())))),
  );
}

function singleList(name: LossName, scores: number[], labels: number[], seed: number, nSamples?: number): Case {
  return { scores: [scores], labels: [labels], uniforms: uniformsFor(name, seed, 1, scores.length, nSamples) };
}

const labelledList = (maxLabel: number) =>
  fc.integer({ min: 2, max: 8 }).chain((n) =>
    fc.record({
      labels: fc.array(fc.integer({ min: 0, max: maxLabel }), { minLength: n, maxLength: n }),
      seed: fc.integer({ min: 1, max: 1e6 }),
    }),
  );

describe.each(LOSS_NAMES.map((name) => [name]))('%s', (name) => {
  const loss = lossByName(name);

  it('ranks an order-perfect list below the reversed one', () => {
    // Scores gap·(y − ȳ): sorted by label, ties level, then negated. Graded labels with gap 1, binary labels with
    // gap 5. Softmax is why graded labels use a small gap: its optimum is calibrated scores, and far-spread
    // graded lists can invert the comparison (softmax.test.ts). PG-Rank's value is −mean sampled nDCG, so it
    // qualifies, with 128 samples shared by both sides. Pointwise needs a 0 label: with every target clipped
    // to 1, the order does not enter it.
    for (const [maxLabel, gap] of [
      [4, 1],
      [1, 5],
    ]) {
      fc.assert(
        fc.property(labelledList(maxLabel), ({ labels, seed }) => {
          fc.pre(new Set(labels).size > 1 && (name !== 'pointwise' || labels.includes(0)));
          const mean = labels.reduce((a, b) => a + b, 0) / labels.length;
          const perfect = labels.map((y) => gap * (y - mean));
          const samples = LOSS_SAMPLES[name] > 0 ? 128 : 0;
          const good = lossOf(loss, singleList(name, perfect, labels, seed, samples));
          const bad = lossOf(loss, singleList(name, perfect.map((s) => -s), labels, seed, samples));
          expect(good, `labels [${labels}], gap ${gap}`).toBeLessThan(bad);
        }),
        { numRuns: 40 },
      );
    }
  });

  it('ignores pads wherever they sit, whatever they hold', () => {
    fc.assert(
      fc.property(
        labelledList(3),
        fc.nat(),
        fc.double({ min: -50, max: 50, noNaN: true }),
        fc.integer({ min: 0, max: 4 }),
        ({ labels, seed }, where, junkScore, junkLabel) => {
          const rng = createRng(seed);
          const scores = labels.map(() => Math.round((rng.next() * 6 - 3) * 100) / 100);
          const c = singleList(name, scores, labels, seed);
          const padded = withPadAt(c, where % (labels.length + 1), junkScore, junkLabel);
          expect(lossOf(loss, padded)).toBeCloseTo(lossOf(loss, c), 4);
        },
      ),
      { numRuns: 30 },
    );
  });

  it('does not depend on the order of the documents in the list', () => {
    fc.assert(
      fc.property(labelledList(3), fc.nat(), ({ labels, seed }, rotation) => {
        const rng = createRng(seed);
        const scores = labels.map(() => rng.next() * 6 - 3);
        const c = singleList(name, scores, labels, seed);
        const k = rotation % labels.length;
        const rotate = <T>(row: T[]) => [...row.slice(k), ...row.slice(0, k)];
        const rotated: Case = {
          scores: c.scores.map(rotate),
          labels: c.labels.map(rotate),
          uniforms: c.uniforms?.map((sample) => sample.map(rotate)),
        };
        expect(lossOf(loss, rotated)).toBeCloseTo(lossOf(loss, c), 4);
      }),
      { numRuns: 30 },
    );
  });

  it('averages lists: a batch equals the (softmax: label-sum weighted) mean of its lists, and lists without signal drop out', () => {
    const lists = [
      { scores: [0.4, -0.6, 1.3], labels: [1, 0, 2] },
      { scores: [2.1, 0.2, -0.5, 0.9], labels: [0, 1, 0, 3] },
    ];
    const singles = lists.map((l, b) => lossOf(loss, singleList(name, l.scores, l.labels, 11 + b)));
    const width = 4;
    const pad = (row: number[], v: number) => [...row, ...new Array<number>(width - row.length).fill(v)];
    const batchUniforms = (() => {
      const per = lists.map((l, b) => uniformsFor(name, 11 + b, 1, l.scores.length));
      if (!per[0] || !per[1]) return undefined;
      return per[0].map((_, s) => [pad(per[0]?.[s][0] ?? [], 0.5), pad(per[1]?.[s][0] ?? [], 0.5), [0.5, 0.5, 0.5, 0.5]]);
    })();
    const batch: Case = {
      scores: [...lists.map((l) => pad(l.scores, 7)), [3, -1, 0.5, 2]],
      labels: [...lists.map((l) => pad(l.labels, 2)), [0, 0, 0, 0]],
      mask: [...lists.map((l) => pad(l.scores.map(() => 1), 0)), [1, 1, 1, 1]],
      uniforms: batchUniforms,
    };
    // Softmax weights lists by their label sums (3 and 4 here), as ULTRA and TF-Ranking do; the
    // others average lists equally.
    const expected = name === 'softmax' ? (3 * singles[0] + 4 * singles[1]) / 7 : (singles[0] + singles[1]) / 2;
    expect(lossOf(loss, batch)).toBeCloseTo(expected, 4);
  });

  it('is 0, with a zero gradient, when no list carries signal', () => {
    const c = singleList(name, [1, -2, 0.5], [0, 0, 0], 3);
    expect(lossOf(loss, c)).toBe(0);
    for (const g of gradOf(loss, c)[0]) expect(Math.abs(g)).toBe(0);
  });

  it('stays finite, value and gradient, on extreme scores and large (IPS-weighted) labels', () => {
    const c = singleList(name, [1e4, -1e4, 0, 30, -30], [0, 25, 1, 0, 3], 5);
    const value = lossOf(loss, c);
    expect(Number.isFinite(value)).toBe(true);
    for (const g of gradOf(loss, c)[0]) expect(Number.isFinite(g)).toBe(true);
  });

  it('stays finite on labels far beyond any grade (an unclipped IPS weight)', () => {
    const c = singleList(name, [0.5, -0.2, 1.1], [300, 0, 1], 6);
    expect(Number.isFinite(lossOf(loss, c))).toBe(true);
    for (const g of gradOf(loss, c)[0]) expect(Number.isFinite(g)).toBe(true);
  });

  it('does not leak tensors', () => {
    expectNoLeak(loss, withPadAt(singleList(name, [0.3, 1.2, -0.4], [1, 0, 2], 9), 1));
  });
});

describe('lossByName', () => {
  it('has a loss for every name and rejects unknown ones with the list of names', () => {
    for (const name of LOSS_NAMES) expect(typeof lossByName(name)).toBe('function');
    expect(() => lossByName('lambdamart' as LossName)).toThrow(/unknown loss "lambdamart"; choose one of pointwise, ranknet/);
  });
});
