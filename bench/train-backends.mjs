#!/usr/bin/env node
/**
 * Benchmark: steps/s of the vertical slice (linear + MLP, listwise softmax, 200 queries × 20
 * docs × 16 features, batch 16 queries) on every backend, in Node (the CLI) and in Chromium (the
 * real app, through its worker). Prints each backend's ratio to the cpu backend of the same
 * environment, measured in this one run. Not a test: nothing here asserts a time.
 *
 * Needs the production build (`npm run build`) and Chromium (CHROMIUM_PATH or /usr/bin/chromium).
 * Usage: node bench/train-backends.mjs [--steps N] [--webgpu-steps N]
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { root, withAppInChromium } from './browser.mjs';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const STEPS = arg('--steps', 200);
// SwiftShader WebGPU is a software GPU, 15–70× slower than wasm: fewer steps keep the bench short.
const WEBGPU_STEPS = arg('--webgpu-steps', 30);
const WARMUP_STEPS = 10;
const PORT = 4179;
const bin = path.join(root, 'bin/rankplay.mjs');

function node() {
  const out = execFileSync(process.execPath, [bin, 'bench', '--json', '--steps', String(STEPS), '--backends', 'cpu,wasm'], { encoding: 'utf8' });
  return JSON.parse(out).results.map((r) => ({ env: 'node', backend: r.backend, stepsPerSecond: r.stepsPerSecond, steps: STEPS }));
}

function appLink(steps, backend) {
  const dir = path.join(root, 'bench/results');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `config-${steps}.json`);
  // The default slice; evaluation every 10 steps as in the app.
  writeFileSync(file, JSON.stringify({ version: 1, train: { maxSteps: steps + WARMUP_STEPS, evalEvery: WARMUP_STEPS } }));
  return execFileSync(process.execPath, [bin, 'link', file, '--base', `http://127.0.0.1:${PORT}/?backend=${backend}`], { encoding: 'utf8' }).trim();
}

async function browserRun(browser, backend, steps) {
  const page = await browser.newPage();
  try {
    await page.goto(appLink(steps, backend));
    await page.waitForFunction(() => window.__RANKPLAY__?.getState().backend && window.__RANKPLAY__.getState().runState === 'idle', null, { timeout: 120_000 });
    const active = await page.evaluate(() => ({ name: window.__RANKPLAY__.getState().backend.active, label: window.__RANKPLAY__.getState().backend.label }));
    if (active.name !== backend) return { env: 'chromium', backend, skipped: `fell back to ${active.label}` };
    await page.getByTestId('play-pause').click();
    await page.waitForFunction(() => window.__RANKPLAY__.getState().runState === 'done', null, { timeout: 600_000 });
    // Rate over the steps after warm-up (shader compilation, first allocations), from the
    // worker's cumulative training time recorded at each evaluation point.
    const timeline = await page.evaluate(() => {
      const s = window.__RANKPLAY__.getState();
      return s.points.map((p, i) => ({ step: p.step, elapsedMs: s.pointElapsedMs[i] }));
    });
    const warm = timeline.find((t) => t.step === WARMUP_STEPS);
    const last = timeline[timeline.length - 1];
    const measuredSteps = last.step - warm.step;
    return { env: 'chromium', backend, label: active.label, steps: measuredSteps, stepsPerSecond: measuredSteps / ((last.elapsedMs - warm.elapsedMs) / 1000) };
  } finally {
    await page.close();
  }
}

async function chromiumRuns() {
  return withAppInChromium(PORT, async (browser) => {
    const rows = [];
    for (const backend of ['cpu', 'wasm', 'webgl', 'webgpu']) {
      rows.push(await browserRun(browser, backend, backend === 'webgpu' || backend === 'webgl' ? WEBGPU_STEPS : STEPS));
    }
    return rows;
  });
}

const rows = [...node(), ...(await chromiumRuns())];
console.log(`RankPlay training speed — slice: 200 q × 20 docs × 16 features, linear + MLP 32-16, batch 16 queries`);
console.log('env\tbackend\tsteps/s\tratio to cpu (same env)\tnote');
for (const r of rows) {
  if (r.skipped) {
    console.log(`${r.env}\t${r.backend}\t-\t-\tnot measured: ${r.skipped}`);
    continue;
  }
  const cpu = rows.find((c) => c.env === r.env && c.backend === 'cpu' && !c.skipped);
  const note = r.label ?? '';
  console.log(`${r.env}\t${r.backend}\t${r.stepsPerSecond.toFixed(1)}\t×${cpu ? (r.stepsPerSecond / cpu.stepsPerSecond).toFixed(2) : '-'}\t${note}`);
}
const nodeWasm = rows.find((r) => r.env === 'node' && r.backend === 'wasm');
const browserWasm = rows.find((r) => r.env === 'chromium' && r.backend === 'wasm' && !r.skipped);
if (nodeWasm && browserWasm) console.log(`chromium wasm ÷ node wasm: ×${(browserWasm.stepsPerSecond / nodeWasm.stepsPerSecond).toFixed(2)}`);
console.log('SwiftShader WebGPU/WebGL are software renderers on the CPU: their figures say nothing about GPU speed.');
