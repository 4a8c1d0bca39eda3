import { describe, expect, it } from 'vitest';
import { clickModel, parseClickModel } from './config';

const error = (input: unknown) => {
  const r = parseClickModel(input);
  if (r.ok) throw new Error(`expected an error for ${JSON.stringify(input)}`);
  return r.error;
};

describe('click-model config', () => {
  it("defaults to PBM η = 1 with ULTRA's mapping on the top 10", () => {
    const c = clickModel();
    expect(c).toMatchObject({ model: 'pbm', eta: 1, epsMinus: 0.1, epsPlus: 1, ymax: 4, topK: 10 });
    expect(c.table).toBeUndefined();
    expect(c.dbn).toEqual({ gamma: 0.9, satisfaction: 'err' });
    expect(c.dcm).toEqual({ lambda: 0.5 });
    expect(c.ubm).toEqual({ gamma: 'distance' });
  });

  it('accepts the eye-tracking preset and explicit tables', () => {
    expect(clickModel({ table: 'eye-tracking' }).table).toBe('eye-tracking');
    expect(clickModel({ table: [1, 0.5, 0.2], topK: 3 }).table).toEqual([1, 0.5, 0.2]);
  });

  it('η < 0: "eta must be ≥ 0"', () => {
    expect(error({ eta: -1 })).toBe('eta must be ≥ 0, got -1');
    expect(error({ eta: 'x' })).toContain("eta must be a number, got 'x'");
  });

  it('probabilities outside [0, 1] name the field and the value', () => {
    expect(error({ epsPlus: 1.5 })).toBe('epsPlus must be a probability in [0, 1], got 1.5');
    expect(error({ epsMinus: -0.1 })).toBe('epsMinus must be a probability in [0, 1], got -0.1');
    expect(error({ table: [1, 0.5, 2], topK: 3 })).toBe('table[2] must be a probability in [0, 1], got 2');
    expect(error({ trustBias: { epsPlus: [1, 1.2], epsMinus: [0, 0] }, topK: 2 })).toBe('trustBias.epsPlus[1] must be a probability in [0, 1], got 1.2');
    expect(error({ model: 'dbn', dbn: { gamma: 1.1 } })).toBe('dbn.gamma must be a probability in [0, 1], got 1.1');
    expect(error({ model: 'dbn', dbn: { satisfaction: [0, 0.2, 0.4, 0.6, -1] } })).toBe('dbn.satisfaction[4] must be a probability in [0, 1], got -1');
    expect(error({ model: 'dcm', dcm: { lambda: 3 } })).toContain('dcm.lambda');
    expect(error({ model: 'ubm', ubm: { gamma: [[0.5], [0.5, 7]] }, topK: 2 })).toBe('ubm.gamma[1][1] must be a probability in [0, 1], got 7');
  });

  it('refuses inconsistent shapes with a reason', () => {
    expect(error({ table: [1, 0.5] })).toBe('table has 2 ranks but topK is 10 (give one value per rank shown)');
    expect(error({ table: 'eye-tracking', topK: 20 })).toBe("table 'eye-tracking' covers ranks 1..10 but topK is 20");
    expect(error({ trustBias: { epsPlus: [1], epsMinus: [0.1] } })).toContain('trustBias.epsPlus has 1 ranks but topK is 10');
    expect(error({ trustBias: { epsPlus: [0.5], epsMinus: [0.6] }, topK: 1 })).toBe('trustBias.epsMinus[0] must not exceed trustBias.epsPlus[0] (0.5)');
    expect(error({ epsMinus: 0.6, epsPlus: 0.5 })).toBe('epsMinus must not exceed epsPlus (0.5)');
    expect(error({ dbn: { satisfaction: [0, 1] } })).toBe('dbn.satisfaction needs one value per grade 0..4 (5), has 2');
    expect(error({ ubm: { gamma: [[1], [1]] }, topK: 2 })).toBe('ubm.gamma[1] needs 2 values (distances 1..2 for rank 2), has 1');
  });

  it('refuses bad enums, integers and unknown fields', () => {
    expect(error({ model: 'sdbn' })).toBe("model must be one of pbm, cascade, dcm, dbn, ubm, got 'sdbn'");
    expect(error({ topK: 0 })).toBe('topK must be ≥ 1, got 0');
    expect(error({ topK: 2.5 })).toBe('topK must be an integer, got 2.5');
    expect(error({ ymax: 0 })).toBe('ymax must be ≥ 1, got 0');
    expect(error({ etaa: 1 })).toBe("config: unknown field(s) 'etaa'");
  });

  it('clickModel throws the same message', () => {
    expect(() => clickModel({ eta: -2 })).toThrow('click model: eta must be ≥ 0, got -2');
  });
});
