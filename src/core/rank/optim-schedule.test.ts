import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { learningRateAt, type ScheduleSpec } from './schedule';

const sched = (over: Partial<ScheduleSpec> = {}): ScheduleSpec => ({ kind: 'constant', warmupSteps: 0, finalFraction: 0, ...over });

describe('learningRateAt', () => {
  it('constant: the peak at every step', () => {
    for (const step of [0, 1, 99, 100, 5000]) expect(learningRateAt(step, 0.01, 100, sched())).toBe(0.01);
  });

  it('warmup rises linearly to the peak, starting above zero', () => {
    const s = sched({ warmupSteps: 4 });
    const expected = [0.025, 0.05, 0.075, 0.1, 0.1, 0.1];
    [0, 1, 2, 3, 4, 50].forEach((t, i) => expect(learningRateAt(t, 0.1, 100, s)).toBeCloseTo(expected[i], 12));
  });

  it('warmup-cosine: peak after warmup, halfway between peak and floor at mid-decay, the floor at the end and after', () => {
    const s = sched({ kind: 'warmup-cosine', warmupSteps: 10, finalFraction: 0.1 });
    const at = (t: number) => learningRateAt(t, 0.1, 110, s);
    expect(at(0)).toBeCloseTo(0.01, 12);
    expect(at(9)).toBeCloseTo(0.1, 12);
    expect(at(10)).toBeCloseTo(0.1, 12);
    expect(at(35)).toBeCloseTo(0.01 + 0.09 * 0.5 * (1 + Math.cos(Math.PI / 4)), 12);
    expect(at(60)).toBeCloseTo(0.055, 12);
    expect(at(110)).toBeCloseTo(0.01, 12);
    expect(at(1000)).toBeCloseTo(0.01, 12);
  });

  it('warmup-linear: a straight line from the peak to the floor', () => {
    const s = sched({ kind: 'warmup-linear', warmupSteps: 0, finalFraction: 0 });
    const expected = [0.2, 0.15, 0.1, 0.05, 0, 0];
    [0, 25, 50, 75, 100, 150].forEach((t, i) => expect(learningRateAt(t, 0.2, 100, s)).toBeCloseTo(expected[i], 12));
  });

  it('a warmup as long as the run decays straight to the floor afterwards', () => {
    const s = sched({ kind: 'warmup-cosine', warmupSteps: 100, finalFraction: 0.5 });
    expect(learningRateAt(99, 1, 100, s)).toBe(1);
    expect(learningRateAt(100, 1, 100, s)).toBe(0.5);
  });

  it('rises during warmup, never rises after it, and stays within [floor, peak]', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<ScheduleSpec['kind']>('constant', 'warmup-cosine', 'warmup-linear'),
        fc.integer({ min: 0, max: 50 }),
        fc.integer({ min: 1, max: 300 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (kind, warmupSteps, totalSteps, finalFraction) => {
          const s = sched({ kind, warmupSteps, finalFraction });
          const rates = Array.from({ length: totalSteps + 20 }, (_, t) => learningRateAt(t, 0.5, totalSteps, s));
          rates.forEach((r, t) => {
            expect(r).toBeGreaterThan(0 - 1e-15);
            expect(r).toBeLessThanOrEqual(0.5 + 1e-12);
            if (t === 0) return;
            if (t < warmupSteps) expect(r).toBeGreaterThan(rates[t - 1]);
            else if (t > warmupSteps) expect(r).toBeLessThanOrEqual(rates[t - 1] + 1e-12);
            if (t >= warmupSteps && kind !== 'constant') expect(r).toBeGreaterThanOrEqual(0.5 * finalFraction - 1e-12);
          });
        },
      ),
      { numRuns: 40 },
    );
  });
});
