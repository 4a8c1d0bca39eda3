#!/usr/bin/env node
/**
 * Benchmark: training throughput on MSLR-shaped data (136 features, 120 documents per query,
 * batches of 64 queries = 7,680 documents a step; listwise softmax loss, Adam) for the linear model
 * and the MLP 512-256-128 (ELU), one ranker per run: in Node (the CLI: cpu, wasm) and in Chromium
 * (the real app and its worker: wasm, webgl, webgpu; cpu with --with-cpu). Prints steps/s, docs/s,
 * the ratio to Node wasm of the same model, and the ratio to PyTorch: to the figures issue 6 gives
 * (2 cores), and to PyTorch measured in this run by bench/pytorch_reference.py with 2 threads and
 * with 1 when torch is installed. Not a test: nothing here asserts a time.
 *
 * Each run times from the evaluation that ends its warm-up to its last evaluation, the way the app
 * reports speed (evaluation, every `warm-up` steps on a 32-query test split, is inside the span:
 * the Node rows say how much of it). Slow backends get fewer steps and a time cap: a run stops at
 * the first evaluation after `--seconds` timed seconds.
 *
 * Needs the production build (`npm run build`), the CLI (`npm run build:cli`) and Chromium
 * (CHROMIUM_PATH or /usr/bin/chromium). Takes about 5 minutes on 2 cores.
 * Usage: node bench/train-mslr.mjs [--seconds S] [--with-cpu] [--no-browser] [--no-pytorch]
 *                                  [--models linear,mlp] [--browser-backends wasm,webgl,webgpu]
 *                                  [--no-stock-wasm] [--json FILE]
 * Node and Chromium wasm run RankPlay's replacements for four slow tfjs-wasm kernels
 * (src/compute/wasm-kernels.ts), as the app does; `wasm-stock` rows run tfjs's own kernels, for the ratio.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { root, withAppInChromium } from './browser.mjs';

const argv = process.argv.slice(2);
const flag = (name) => argv.includes(name);
const value = (name, fallback) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : fallback;
};
const SECONDS = Number(value('--seconds', 15));
const MODELS = value('--models', 'linear,mlp').split(',');
const PORT = 4181;
const bin = path.join(root, 'bin/rankplay.mjs');
const resultsDir = path.join(root, 'bench/results');
mkdirSync(resultsDir, { recursive: true });

/**
 * Warm-up steps (also the evaluation interval) and timed steps per backend and model, sized so the
 * whole bench fits in about 5 minutes on 2 cores; the time cap ends slower runs sooner.
 * SwiftShader (WebGL, WebGPU) emulates a GPU on the CPU: the MLP gets a couple of steps there.
 */
const PLAN = {
  'node cpu linear': [10, 40],
  'node cpu mlp': [1, 2],
  'node wasm linear': [10, 100],
  'node wasm mlp': [5, 20],
  'chromium cpu linear': [10, 40],
  'chromium cpu mlp': [1, 2],
  'chromium wasm linear': [10, 100],
  'chromium wasm mlp': [5, 20],
  'chromium webgl linear': [5, 40],
  'chromium webgl mlp': [2, 4],
  'chromium webgpu linear': [5, 40],
  'chromium webgpu mlp': [1, 2],
};

/** One CLI process per run: fresh memory, and replaced wasm kernels (a process-wide change) stay in theirs. */
function nodeRun(backend, model, stockWasm = false) {
  const [warmup, steps] = PLAN[`node ${backend} ${model}`];
  const out = execFileSync(
    process.execPath,
    [
      bin, 'bench', '--train-mslr', '--json', '--backends', backend, '--models', model,
      '--warmup', String(warmup), '--steps', String(steps), '--seconds', String(SECONDS), ...(stockWasm ? ['--stock-wasm'] : []),
    ],
    { encoding: 'utf8', maxBuffer: 64 << 20 },
  );
  const r = JSON.parse(out);
  const row = r.rows[0];
  return { bench: r, row: { env: 'node', ...row, backend: stockWasm ? 'wasm-stock' : backend } };
}

function appLink(config, backend, model, warmup, steps) {
  const file = path.join(resultsDir, `mslr-${model}-${backend}.json`);
  writeFileSync(file, JSON.stringify({ ...config, train: { ...config.train, maxSteps: warmup + steps, evalEvery: warmup } }));
  return execFileSync(process.execPath, [bin, 'link', file, '--base', `http://127.0.0.1:${PORT}/?backend=${backend}`], { encoding: 'utf8' }).trim();
}

async function browserRun(browser, config, backend, model) {
  const [warmup, steps] = PLAN[`chromium ${backend} ${model}`];
  const page = await browser.newPage();
  try {
    await page.goto(appLink(config, backend, model, warmup, steps));
    await page.waitForFunction(() => window.__RANKPLAY__?.getState().backend && window.__RANKPLAY__.getState().runState === 'idle', null, { timeout: 180_000 });
    const active = await page.evaluate(() => ({ name: window.__RANKPLAY__.getState().backend.active, label: window.__RANKPLAY__.getState().backend.label }));
    if (active.name !== backend) return { env: 'chromium', backend, model, skipped: `fell back to ${active.label}` };
    await page.getByTestId('play-pause').click();
    // Done, or past the time cap at an evaluation after the warm-up: then pause and keep what was measured.
    const capped = await page.waitForFunction(
      ({ warmup, capMs }) => {
        const s = window.__RANKPLAY__.getState();
        if (s.runState === 'done' || s.runState === 'error') return s.runState;
        const warm = s.points.findIndex((p) => p.step === warmup);
        const last = s.points.length - 1;
        return warm >= 0 && last > warm && s.pointElapsedMs[last] - s.pointElapsedMs[warm] > capMs ? 'capped' : false;
      },
      { warmup, capMs: SECONDS * 1000 },
      { timeout: (SECONDS + 240) * 1000, polling: 200 },
    ).then((h) => h.jsonValue());
    if (capped === 'error') return { env: 'chromium', backend, model, skipped: 'the run stopped with an error' };
    if (capped === 'capped') {
      await page.getByTestId('play-pause').click();
      await page.waitForFunction(() => ['paused', 'done'].includes(window.__RANKPLAY__.getState().runState), null, { timeout: 120_000 });
    }
    const timeline = await page.evaluate(() => {
      const s = window.__RANKPLAY__.getState();
      return s.points.map((p, i) => ({ step: p.step, elapsedMs: s.pointElapsedMs[i] }));
    });
    const warm = timeline.find((t) => t.step === warmup);
    const last = timeline[timeline.length - 1];
    const measured = last.step - warm.step;
    const seconds = (last.elapsedMs - warm.elapsedMs) / 1000;
    const stepsPerSecond = measured / seconds;
    return { env: 'chromium', backend, model, label: active.label, warmupSteps: warmup, steps: measured, seconds, stepsPerSecond, docsPerSecond: stepsPerSecond * DOCS_PER_STEP, capped: capped === 'capped' };
  } finally {
    await page.close();
  }
}

function pytorchRuns() {
  if (flag('--no-pytorch')) return null;
  // PYTHON, else the first python3 that has torch (a pyenv shim may hide Debian's python3-torch).
  const candidates = [process.env.PYTHON, 'python3', '/usr/bin/python3'].filter(Boolean);
  const python = candidates.find((p) => spawnSync(p, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0) ?? candidates[0];
  const byThreads = {};
  for (const threads of [2, 1]) {
    const r = spawnSync(python, [path.join(root, 'bench/pytorch_reference.py'), '--threads', String(threads), '--seconds', '5'], { encoding: 'utf8' });
    if (r.status !== 0) {
      console.error(`PyTorch not measured here (${python}: ${(r.stderr || r.error?.message || '').trim().split('\n').pop()}); only issue 6's figures`);
      return null;
    }
    byThreads[threads] = JSON.parse(r.stdout);
  }
  return byThreads;
}

const fmt = (n, digits = 0) => n.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits });

// --- run ---------------------------------------------------------------------------------------
const started = performance.now();
// PyTorch first, while no Chromium or CLI process shares the 2 cores with its threads.
const torch = pytorchRuns();
const rows = [];
const configs = {};
let DOCS_PER_STEP = 7680;
let issuePytorch = null;
for (const model of MODELS) {
  for (const backend of ['cpu', 'wasm']) {
    const { bench, row } = nodeRun(backend, model);
    configs[model] = bench.configs[model];
    DOCS_PER_STEP = bench.docsPerStep;
    issuePytorch = bench.pytorchDocsPerSecond;
    rows.push(row);
  }
  // tfjs's own wasm kernels, for the ratio to ours (src/compute/wasm-kernels.ts).
  if (!flag('--no-stock-wasm')) rows.push(nodeRun('wasm', model, true).row);
}
if (!flag('--no-browser')) {
  const backends = [...(flag('--with-cpu') ? ['cpu'] : []), ...value('--browser-backends', 'wasm,webgl,webgpu').split(',')];
  rows.push(
    ...(await withAppInChromium(PORT, async (browser) => {
      const out = [];
      for (const model of MODELS) for (const backend of backends) out.push(await browserRun(browser, configs[model], backend, model));
      return out;
    })),
  );
}
const pytorch = {};
for (const model of MODELS) {
  const measured = (threads) => torch?.[threads].rows.find((r) => r.model === model)?.docsPerSecond ?? null;
  pytorch[model] = { issue: issuePytorch[model], two: measured(2), one: measured(1), source: torch ? `torch ${torch[2].torch}, ${torch[2].blas}` : null };
}

// --- report ------------------------------------------------------------------------------------
console.log(`RankPlay training throughput — MSLR-shaped: 136 features × 120 docs/query, batch 64 queries (${fmt(DOCS_PER_STEP)} docs/step), softmax loss, Adam`);
console.log('models: linear; MLP 512-256-128 (ELU). One ranker per run. Ratios from this run.');
for (const model of MODELS) {
  const p = pytorch[model];
  const here = p.source ? `; measured here (${p.source}): ${fmt(p.two)} with 2 threads, ${fmt(p.one)} with 1` : '; not measured here (no torch)';
  console.log(`PyTorch ${model}: issue 6 gives ${fmt(p.issue)} docs/s on 2 cores${here}`);
}
console.log('');
console.log('env\tbackend\tmodel\tsteps/s\tdocs/s\t÷ node wasm\t÷ PyTorch (issue)\t÷ PyTorch 2 thr\t÷ PyTorch 1 thr\tnote');
for (const r of rows) {
  if (r.skipped) {
    console.log(`${r.env}\t${r.backend}\t${r.model}\t-\t-\t-\t-\t-\t-\tnot measured: ${r.skipped}`);
    continue;
  }
  const wasm = rows.find((w) => w.env === 'node' && w.backend === 'wasm' && w.model === r.model);
  const p = pytorch[r.model];
  const notes = [];
  if (r.env === 'chromium' && (r.backend === 'webgl' || r.backend === 'webgpu')) notes.push(`${r.label}: not measured on a GPU`);
  if (r.backend === 'wasm-stock') notes.push("tfjs's own wasm kernels (the others run src/compute/wasm-kernels.ts)");
  notes.push(`${r.steps} step${r.steps === 1 ? "" : "s"} after ${r.warmupSteps} warm-up${r.capped ? `, ${SECONDS} s cap` : ''}`);
  if (r.evalShare !== undefined) notes.push(`evaluation ${(100 * r.evalShare).toFixed(1)} %`);
  console.log(
    [
      r.env,
      r.backend,
      r.model,
      fmt(r.stepsPerSecond, 2),
      fmt(r.docsPerSecond),
      wasm ? `×${(r.docsPerSecond / wasm.docsPerSecond).toFixed(2)}` : '-',
      `×${(r.docsPerSecond / p.issue).toFixed(3)}`,
      p.two ? `×${(r.docsPerSecond / p.two).toFixed(3)}` : '-',
      p.one ? `×${(r.docsPerSecond / p.one).toFixed(3)}` : '-',
      notes.join('; '),
    ].join('\t'),
  );
}
console.log('');
console.log('Target (issue 6): wasm within 2× of PyTorch, i.e. ÷ PyTorch ≥ ×0.5. The wasm backend runs single-threaded (SIMD, no threads):');
console.log('÷ PyTorch 1 thr compares like with like; 2 threads suffer most when other work shares the 2 cores.');
console.log('WebGL/WebGPU here are SwiftShader (software): those rows say nothing about GPU speed; real-GPU WebGPU: not measured on a GPU.');
console.log(`Whole bench: ${((performance.now() - started) / 1000).toFixed(0)} s.`);
const jsonOut = value('--json', null);
if (jsonOut) writeFileSync(jsonOut, JSON.stringify({ docsPerStep: DOCS_PER_STEP, pytorch, rows }, null, 2));
