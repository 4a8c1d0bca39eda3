import { describe, expect, it } from 'vitest';
import { modelSchema, parseConfig } from '../experiment/config';

/** The model part of the config schema (experiment/config.ts), tested beside the models it describes. */
describe('modelSchema', () => {
  it('an old MLP config parses to the very same object: no new keys, so links keep their meaning', () => {
    expect(modelSchema.parse({ kind: 'mlp', hidden: [8], activation: 'relu' })).toEqual({ kind: 'mlp', hidden: [8], activation: 'relu' });
    expect(modelSchema.parse({ kind: 'mlp' })).toEqual({ kind: 'mlp', hidden: [32, 16], activation: 'elu' });
    expect(modelSchema.parse({ kind: 'linear' })).toEqual({ kind: 'linear' });
  });

  it('an MLP takes layer norm and dropout in [0, 0.9)', () => {
    expect(modelSchema.parse({ kind: 'mlp', hidden: [512, 256, 128], layerNorm: true, dropout: 0.1 })).toEqual({
      kind: 'mlp',
      hidden: [512, 256, 128],
      activation: 'elu',
      layerNorm: true,
      dropout: 0.1,
    });
    expect(modelSchema.safeParse({ kind: 'mlp', dropout: 0 }).success).toBe(true);
    for (const dropout of [0.9, 1, -0.1]) expect(modelSchema.safeParse({ kind: 'mlp', dropout }).success, String(dropout)).toBe(false);
    expect(modelSchema.safeParse({ kind: 'linear', dropout: 0.1 }).success).toBe(false);
  });

  it('attention fills its defaults from the kind alone', () => {
    expect(modelSchema.parse({ kind: 'attention' })).toEqual({ kind: 'attention', dModel: 32, heads: 2, layers: 2, ffHidden: 64, dropout: 0 });
  });

  it('attention rejects a width the heads cannot split, naming the field', () => {
    const r = parseConfig({ version: 1, rankers: [{ id: 'att', model: { kind: 'attention', dModel: 30, heads: 4 } }] });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/rankers\.0\.model\.dModel: dModel must be a multiple of heads/);
    for (const bad of [{ heads: 0 }, { layers: 0 }, { dModel: 1.5 }, { dropout: 0.95 }, { positional: true }]) {
      expect(modelSchema.safeParse({ kind: 'attention', ...bad }).success, JSON.stringify(bad)).toBe(false);
    }
  });

  it('a whole config with an attention ranker parses', () => {
    const r = parseConfig({ version: 1, rankers: [{ id: 'att', model: { kind: 'attention', dModel: 16, heads: 4 } }] });
    expect(r.ok && r.config.rankers[0].model).toEqual({ kind: 'attention', dModel: 16, heads: 4, layers: 2, ffHidden: 64, dropout: 0 });
  });
});
