import { describe, expect, it } from 'vitest';
import { clickFormProblem, clickRequest, defaultClickForm } from './clicks-slice';

describe('the click form', () => {
  it('sends only what the chosen model, policy and intervention use', () => {
    expect(clickRequest(defaultClickForm)).toEqual({
      model: { model: 'pbm', epsMinus: 0.1, epsPlus: 1, topK: 10, eta: 1 },
      policy: 'random',
      intervention: null,
      sessions: 20_000,
      seed: 7,
      fit: 'pbm',
    });
    const req = clickRequest({
      ...defaultClickForm,
      model: 'dbn',
      examination: 'eye-tracking',
      ymax: 3,
      trustBias: true,
      policy: 'pl',
      temperature: 0.5,
      intervention: 'swap',
      interventionN: 4,
      swapFraction: 0.3,
      fit: false,
    });
    expect(req.model).toMatchObject({ model: 'dbn', ymax: 3 });
    expect(req.model.eta).toBeUndefined();
    expect(req.model.table).toBeUndefined();
    expect((req.model.trustBias as { epsPlus: number[] }).epsPlus).toHaveLength(10);
    expect(req.policy).toEqual({ kind: 'pl', temperature: 0.5 });
    expect(req.intervention).toEqual({ kind: 'swap', n: 4, fraction: 0.3 });
    expect(req.fit).toBe(false);
    expect(clickRequest({ ...defaultClickForm, examination: 'eye-tracking', intervention: 'randtop' })).toMatchObject({ model: { table: 'eye-tracking' }, intervention: { kind: 'randtop' } });
  });

  it('names a problem as the user types, with the parser the worker uses', () => {
    expect(clickFormProblem(defaultClickForm)).toBeNull();
    expect(clickFormProblem({ ...defaultClickForm, examination: 'eye-tracking', topK: 12 })).toBe("click model: table 'eye-tracking' covers ranks 1..10 but topK is 12");
    expect(clickFormProblem({ ...defaultClickForm, eta: Number.NaN })).toBe('η: enter a number');
    // A blank box the chosen settings do not use is no problem.
    expect(clickFormProblem({ ...defaultClickForm, model: 'cascade', eta: Number.NaN })).toBeNull();
    expect(clickFormProblem({ ...defaultClickForm, intervention: 'randtop', interventionN: 20 })).toBe("intervention.n (20) must not exceed the click model's topK (10)");
    expect(clickFormProblem({ ...defaultClickForm, epsMinus: 1.2 })).toContain('epsMinus must be a probability in [0, 1], got 1.2');
    expect(clickFormProblem({ ...defaultClickForm, trustBias: true, epsMinus: 0.5, epsPlus: 0.2 })).toContain('epsMinus must not exceed epsPlus');
  });
});
