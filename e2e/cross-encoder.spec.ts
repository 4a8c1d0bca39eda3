import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test, type Page } from '@playwright/test';
import type { RerankParityResult } from '../src/worker/rerank-hooks';
import { saveScreenshot } from './helpers';

/**
 * Cross-encoder parity in real Chromium: the same tiny random-weight model (written by
 * scripts/make-cross-encoder.ts) and the same pairs give the same scores on onnxruntime-web's
 * WebGPU EP (SwiftShader here) and on its wasm EP, and both match what Node computed.
 */
const FIXTURE = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'tiny-cross-encoder');
const expected = JSON.parse(readFileSync(join(FIXTURE, 'expected.json'), 'utf8')) as {
  maxLength: number;
  pairs: { query: string; passage: string }[];
  scores: { onnxWasmNode: number[]; tfjsCpu: number[] };
};

/** Serves the fixture folder under /e2e-models/<name>/ (the worker's fetches go through the page's routes), minus `drop`. */
async function serveModel(page: Page, name: string, drop: string[] = []): Promise<string> {
  await page.route(`**/e2e-models/${name}/**`, (route) => {
    const file = new URL(route.request().url()).pathname.replace(`/e2e-models/${name}/`, '');
    const path = join(FIXTURE, file);
    if (drop.includes(file) || file === 'expected.json' || !existsSync(path) || !statSync(path).isFile()) return route.fulfill({ status: 404, body: 'Entry not found' });
    return route.fulfill({ status: 200, contentType: 'application/octet-stream', body: readFileSync(path) });
  });
  return `/e2e-models/${name}/`;
}

async function parity(page: Page, base: string, batchSize: number): Promise<RerankParityResult> {
  await page.waitForFunction(() => Boolean(window.__RANKPLAY__?.rerankParity), null, { timeout: 90_000 });
  const opts = { batchSize, maxLength: expected.maxLength };
  return page.evaluate(([url, pairs, o]) => window.__RANKPLAY__!.rerankParity!(url, pairs, o), [base, expected.pairs, opts] as const);
}

const maxDiff = (a: number[], b: number[]) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

test.afterEach(async ({ page }, info) => {
  await saveScreenshot(page, info);
});

test('WebGPU and wasm give the same scores as each other and as Node (1e-4), offline, cached', async ({ page }) => {
  const wasmRequests: string[] = [];
  page.on('request', (r) => {
    if (/ort-wasm[^/]*\.wasm/.test(r.url())) wasmRequests.push(r.url());
  });
  const base = await serveModel(page, 'tiny');
  await page.goto('/');
  // At the fixture's maxLength (48, below the model's 64 positions), so one long passage is cut as Node cut it.
  const r = await parity(page, base, 5);
  console.log(JSON.stringify({ webgpu: r.webgpu.ok ? { ...r.webgpu, scores: undefined } : r.webgpu, wasm: r.wasm.ok ? { ...r.wasm, scores: undefined } : r.wasm, cacheBytes: r.cacheBytes }));

  expect(r.wasm).toMatchObject({ ok: true, backend: 'wasm', backendReason: 'wasm was asked for' });
  expect(r.webgpu).toMatchObject({ ok: true, backend: 'webgpu' });
  if (!r.webgpu.ok || !r.wasm.ok) throw new Error('unreachable');
  expect(r.webgpu.backendReason).toMatch(/^software WebGPU \(swiftshader\), as asked$/);
  expect(r.webgpu.notices).toEqual([]);
  expect(r.webgpu.scores).toHaveLength(expected.pairs.length);
  const diffs = { webgpuVsWasm: maxDiff(r.webgpu.scores, r.wasm.scores), wasmVsNode: maxDiff(r.wasm.scores, expected.scores.onnxWasmNode), webgpuVsTfjs: maxDiff(r.webgpu.scores, expected.scores.tfjsCpu) };
  console.log(`max |difference|: ${JSON.stringify(diffs)}`);
  expect(maxDiff(r.webgpu.scores, r.wasm.scores)).toBeLessThan(1e-4);
  expect(maxDiff(r.wasm.scores, expected.scores.onnxWasmNode)).toBeLessThan(1e-4);
  expect(maxDiff(r.webgpu.scores, expected.scores.onnxWasmNode)).toBeLessThan(1e-4);
  expect(maxDiff(r.webgpu.scores, expected.scores.tfjsCpu)).toBeLessThan(1e-4);

  // The model files were downloaded once and kept in Cache Storage.
  const files = ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model.onnx'];
  expect(r.cacheBytes).toBe(files.reduce((s, f) => s + statSync(join(FIXTURE, f)).size, 0));
  // Both onnxruntime binaries come from the app's own build, not from a CDN.
  expect(wasmRequests.length).toBeGreaterThanOrEqual(2);
  for (const url of wasmRequests) expect(url).toMatch(/^http:\/\/127\.0\.0\.1:4173\/assets\/ort-wasm-simd-threaded[^/]*\.wasm$/);
  expect(readdirSync(join(FIXTURE, 'onnx'))).toEqual(['model.onnx']);
});

test('a model folder without tokenizer.json is refused with the file named, on both backends', async ({ page }) => {
  const base = await serveModel(page, 'no-tokenizer', ['tokenizer.json']);
  await page.goto('/');
  const r = await parity(page, base, 4);
  for (const side of [r.webgpu, r.wasm]) {
    expect(side.ok).toBe(false);
    if (!side.ok) expect(side.error).toMatch(/^the model folder has no tokenizer\.json \(.*\) \(looked in http:\/\/127\.0\.0\.1:4173\/e2e-models\/no-tokenizer\/\)$/);
  }
});
