import { beforeAll, describe, expect, it } from 'vitest';
import { useCpuBackend } from '../../../test-support/cpu-backend';
import { DEMO_CONFIG } from '../model/config';
import { benchWeights, demoBenchShape, loraBenchShapes, loraRatios, measureLoraStep, type LoraBenchShape } from './bench-step';

beforeAll(useCpuBackend);

// A tiny shape on cpu: what is checked is the bookkeeping, not the speed.
const tiny: LoraBenchShape = {
  model: 'demo',
  label: 'tiny',
  config: { ...DEMO_CONFIG, vocab_size: 40, hidden_size: 16, num_hidden_layers: 1, num_attention_heads: 2, intermediate_size: 32, max_position_embeddings: 32 },
  plans: { cpu: { lists: 2, listSize: 3, seqLen: 20, warmupSteps: 1, steps: 1 } },
};

describe('bench-step', () => {
  it('measures LoRA and full steps on the active backend, and their ratios', async () => {
    const w = benchWeights(tiny);
    const lora = await measureLoraStep(tiny, w, 'lora');
    const full = await measureLoraStep(tiny, w, 'full');
    expect(lora.backend).toBe('cpu');
    expect(lora.trainable).toBeLessThan(full.trainable);
    expect(lora.msPerStep).toBeGreaterThan(0);
    expect(lora.peakMB).toBeGreaterThan(lora.afterMB);
    // Full fine-tuning holds a trained copy and Adam's two moments of every weight.
    expect(full.afterMB).toBeGreaterThan(lora.afterMB);
    const [r] = loraRatios([lora, full]);
    expect(r).toMatchObject({ model: 'demo', backend: 'cpu' });
    expect(r.heldMemory).toBeCloseTo(lora.afterMB / full.afterMB, 10);
  });

  it('has a plan for every backend the benchmarks run on, and a fallback demo shape', () => {
    const shapes = loraBenchShapes(demoBenchShape(null, 'nowhere'));
    for (const s of shapes) for (const b of ['cpu', 'wasm', 'webgpu'] as const) expect(s.plans[b]).toBeDefined();
    expect(shapes[0].label).toMatch(/no nowhere/);
    expect(loraBenchShapes(demoBenchShape(null, 'x'), 4)[1].plans.wasm?.steps).toBe(4);
  });
});
