import { readFileSync } from 'node:fs';
import path from 'node:path';
import { unzipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { startBackend } from '../compute/backends';
import { locateWasmInNode } from '../compute/wasm-paths.node';
import type { AdaptTrainConfig } from '../core/text/adapt/types';
import { DEFAULT_ADAPTATION } from '../core/text/lora/adaptation';
import { readSafetensors } from '../core/text/model/safetensors';
import { AdaptService, adaptRunFactory, type AdaptTrainer, type AdaptTrainerFactory } from './adapt';
import { MemoryAdaptRunStore } from './adapt-store';
import type { AdaptProgressEvent, AdaptRunResult } from './adapt-types';

/** The service on the shipped demo corpus and model, read from public/ as the app serves them. */
const PUBLIC = path.resolve(__dirname, '../../public');
const corpusBase = 'http://app.test/demo/rankplay-demo/';
const modelBase = 'http://app.test/models/rankplay-demo-cross-encoder/';
const fetcher = async (url: string): Promise<Response> => {
  const rel = new URL(url).pathname.slice(1);
  try {
    return new Response(readFileSync(path.join(PUBLIC, rel)));
  } catch {
    return new Response('not here', { status: 404 });
  }
};

/** Small enough for the cpu backend: short pairs, shallow validation, a handful of steps. */
const cfg = (over: Partial<AdaptTrainConfig> = {}): AdaptTrainConfig => ({
  seed: 7,
  adaptation: { ...DEFAULT_ADAPTATION, r: 4, alpha: 8, dropout: 0 },
  signal: { kind: 'clicks', estimator: 'ips', sessionsPerQuery: 20, topK: 10, eta: 1, epsilonMinus: 0.1, epsilonPlus: 1, clip: 0 },
  loss: 'softmax',
  negatives: { kind: 'hard', skipTopUnlabelled: 3 },
  steps: 4,
  listsPerStep: 2,
  listSize: 4,
  learningRate: 0.003,
  warmupSteps: 1,
  clipNorm: 1,
  maxLength: 32,
  evalEvery: 2,
  patience: 0,
  rerankDepth: 6,
  rankMePairs: 0,
  ...over,
});

function service() {
  const events: AdaptProgressEvent[] = [];
  const store = new MemoryAdaptRunStore();
  const svc = new AdaptService((e) => events.push(e), { fetcher, store: async () => store });
  return { svc, events, store };
}

function ok<T extends { ok: boolean }>(outcome: T | { ok: false; error: string }): T {
  if (!outcome.ok) throw new Error(`expected success, got: ${(outcome as { error: string }).error}`);
  return outcome as T;
}

const file = (name: string, bytes: Uint8Array | string) => ({ name, blob: new Blob([typeof bytes === 'string' ? bytes : bytes.slice().buffer]) });

beforeAll(async () => {
  // wasm: the demo model's steps take seconds each on tfjs's cpu backend with 2 cores.
  await startBackend({ requested: 'wasm', locateWasm: locateWasmInNode });
});

describe('AdaptService on the demo corpus and model', () => {
  it('counts trainable parameters before training, from config.json alone', async () => {
    const { svc } = service();
    const r8 = ok(await svc.count({ ...DEFAULT_ADAPTATION, r: 8 }, modelBase));
    const r16 = ok(await svc.count({ ...DEFAULT_ADAPTATION, r: 16 }, modelBase));
    // 2 layers × 4 targets × r·(128 + 128).
    expect(r8.count.trainable).toBe(2 * 4 * 8 * 256);
    expect(r16.count.trainable).toBe(2 * r8.count.trainable);
    expect(r8.count.base).toBe(961153);
    expect(r8.count.percentOfModel).toBeCloseTo((100 * 16384) / 961153, 10);
    expect((await svc.count({ ...DEFAULT_ADAPTATION, r: 0 }, modelBase)).ok).toBe(false);
    const missing = await svc.count(DEFAULT_ADAPTATION, 'http://app.test/models/none/');
    expect(missing.ok || missing.error).toMatch(/HTTP 404/);
  });

  it('trains from IPS clicks with progress, lists before/after, and the adapter round-trips through PEFT files', async () => {
    const { svc, events, store } = service();
    const result = ok<AdaptRunResult>(await svc.start({ corpusBase, modelBase, cfg: cfg(), label: 'LoRA r=4', runId: 'r1' }));
    expect(result.ended).toBe('done');
    expect(result.info.data.trainQueries + result.info.data.validationQueries).toBe(43);
    expect(result.info.data.validationQueries).toBe(13);
    expect(events.filter((e) => e.type === 'adapt-step').map((e) => e.type === 'adapt-step' && e.report.step)).toEqual([1, 2, 3, 4]);
    expect(events.filter((e) => e.type === 'adapt-eval').map((e) => e.type === 'adapt-eval' && e.report.step)).toEqual([0, 2, 4]);
    expect(events.every((e) => e.runId === 'r1')).toBe(true);
    expect(result.summary.base.step).toBe(0);
    // A finished run is not offered for resuming.
    expect(await store.get()).toBeUndefined();

    const view = ok(await svc.query(0)).view;
    expect(view.base.rows.length).toBe(6);
    expect(view.adapted.rows.length).toBe(6);
    expect(view.base.rows.some((r) => r.label !== null)).toBe(true);
    expect(view.base.rows.every((r) => r.bm25Rank >= 1 && r.bm25Rank <= 6)).toBe(true);
    expect((await svc.query(99)).ok).toBe(false);

    const peft = ok(await svc.exportPeft());
    const config = JSON.parse(peft.configJson) as Record<string, unknown>;
    expect(config).toMatchObject({ peft_type: 'LORA', r: 4, lora_alpha: 8 });
    expect(readSafetensors(peft.safetensors).tensors.size).toBe(2 * 4 * 2);
    expect(Object.keys(unzipSync(peft.zip)).sort()).toEqual(['adapter_config.json', 'adapter_model.safetensors']);

    // Loaded back (zip, or the two files): the trained run's validation nDCG@10, exactly.
    const fromZip = ok(await svc.loadPeft({ corpusBase, modelBase, cfg: cfg(), files: [file(peft.fileName, peft.zip)] }));
    expect(fromZip.trainedNdcg10).toBe(result.summary.best.ndcg10);
    expect(fromZip.ndcg10).toBe(result.summary.best.ndcg10);
    expect(fromZip.baseNdcg10).toBe(result.summary.base.ndcg10);
    const fromFiles = ok(await svc.loadPeft({ corpusBase, modelBase, cfg: cfg(), files: [file('adapter_model.safetensors', peft.safetensors), file('adapter_config.json', peft.configJson)] }));
    expect(fromFiles.ndcg10).toBe(result.summary.best.ndcg10);

    // Bad files: each message names the file and says what is wrong.
    const load = (files: ReturnType<typeof file>[]) => svc.loadPeft({ corpusBase, modelBase, cfg: cfg(), files });
    expect(await load([file('adapter_config.json', '{oops'), file('adapter_model.safetensors', peft.safetensors)])).toMatchObject({ ok: false, error: expect.stringMatching(/^adapter_config\.json: not valid JSON/) });
    expect(await load([file('adapter_config.json', peft.configJson)])).toMatchObject({ ok: false, error: expect.stringMatching(/adapter_model\.safetensors is missing/) });
    expect(await load([file('adapter_config.json', peft.configJson), file('mine.safetensors', new Uint8Array([1, 2, 3]))])).toMatchObject({ ok: false, error: expect.stringMatching(/^mine\.safetensors: /) });
    const r8 = JSON.stringify({ ...config, r: 8 });
    expect(await load([file('adapter_config.json', r8), file('adapter_model.safetensors', peft.safetensors)])).toMatchObject({ ok: false, error: expect.stringMatching(/adapter_model\.safetensors: .* has shape \[4, 128\], expected \[8, 128\]/) });
    expect(await load([file('broken.zip', 'not a zip')])).toMatchObject({ ok: false, error: expect.stringMatching(/^broken\.zip: /) });

    const merged = ok(await svc.exportMerged());
    expect(merged.onnx.length).toBeGreaterThan(1_000_000);
    expect(Object.keys(unzipSync(merged.zip)).sort()).toEqual(['config.json', 'model.safetensors', 'onnx/model.onnx', 'tokenizer.json', 'tokenizer_config.json']);
  }, 240_000);

  it('saves at each validation; a cancelled run resumes from its last checkpoint to the end', async () => {
    const { svc, events } = service();
    const first = svc.start({ corpusBase, modelBase, cfg: cfg({ steps: 6 }), label: 'LoRA', runId: 'r2' });
    // Cancel once step 3 is reported: the checkpoint of step 2's validation is the latest.
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        if (events.some((e) => e.type === 'adapt-step' && e.report.step === 3)) {
          clearInterval(timer);
          svc.cancel();
          resolve();
        }
      }, 5);
    });
    const cancelled = ok<AdaptRunResult>(await first);
    expect(cancelled.ended).toBe('cancelled');
    const saved = await svc.saved();
    expect(saved).toMatchObject({ runId: 'r2', step: 2, steps: 6, label: 'LoRA' });
    expect(saved?.evalReports.map((e) => e.step)).toEqual([0, 2]);
    const resumed = ok<AdaptRunResult>(await svc.resume());
    expect(resumed.ended).toBe('done');
    expect(resumed.info.fromStep).toBe(2);
    expect(resumed.summary.steps).toBe(6);
    expect(await svc.saved()).toBeNull();
  }, 240_000);
});

/** The real run, with one step made to fail or hold: the service's own handling, without minutes of training. */
function wrappedFactory(change: (run: AdaptTrainer) => AdaptTrainer): AdaptTrainerFactory {
  return {
    create: async (...args) => change(await adaptRunFactory.create(...args)),
    resume: async (...args) => change(await adaptRunFactory.resume(...args)),
  };
}

describe('AdaptService, failures', () => {
  it('reports a NaN loss as the trainer says it, keeps the run for its files, and refuses PEFT for kinds PEFT cannot load', async () => {
    const nan = 'loss became NaN or infinite at step 1: lower the learning rate (or turn on gradient clipping)';
    // A proxy, so the run's own methods still run on the run itself.
    const factory = wrappedFactory(
      (run) =>
        new Proxy(run, {
          get(target, prop) {
            if (prop === 'step') return async () => Promise.reject(new Error(nan));
            const v: unknown = Reflect.get(target, prop, target);
            return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
          },
        }),
    );
    const svc = new AdaptService(() => {}, { fetcher, trainer: factory, store: async () => new MemoryAdaptRunStore() });
    expect(await svc.start({ corpusBase, modelBase, cfg: cfg(), label: 'x' })).toEqual({ ok: false, cancelled: false, error: nan });
    // The weights before the failed step stay: the adapter can still be downloaded.
    expect((await svc.exportPeft()).ok).toBe(true);

    const head = new AdaptService(() => {}, { fetcher, store: async () => new MemoryAdaptRunStore() });
    ok(await head.start({ corpusBase, modelBase, cfg: cfg({ adaptation: { ...DEFAULT_ADAPTATION, kind: 'head' }, steps: 1, evalEvery: 1 }), label: 'head' }));
    expect(await head.exportPeft()).toMatchObject({ ok: false, error: expect.stringMatching(/cannot be saved as a PEFT LoRA adapter.*download the merged model instead/) });
    expect((await head.exportMerged()).ok).toBe(true);
  }, 240_000);

  it('runs one adaptation at a time', async () => {
    const svc = new AdaptService(() => {}, { fetcher, store: async () => new MemoryAdaptRunStore() });
    const first = svc.start({ corpusBase, modelBase, cfg: cfg({ steps: 2 }), label: 'a' });
    expect(await svc.start({ corpusBase, modelBase, cfg: cfg(), label: 'b' })).toMatchObject({ ok: false, error: expect.stringMatching(/already running/) });
    svc.cancel();
    const outcome = await first;
    // Cancelled while loading (nothing to keep) or while training (best weights kept).
    expect(outcome.ok ? outcome.ended : outcome.cancelled).toBe(outcome.ok ? 'cancelled' : true);
  }, 240_000);
});
