#!/usr/bin/env node
/**
 * Benchmark: what LoRA saves over full fine-tuning of the cross-encoder, per training step
 * (forward + backward + Adam through clippedStep, listwise softmax loss, dropout off), for the
 * demo model's shape and MiniLM-L6's (random weights: neither time nor memory depends on them):
 * ms/step, tfjs peak memory of a step (tf.profile's peakBytes) and the memory held between steps,
 * with the ratios LoRA ÷ full from this one run. LoRA: r = 8, α = 16 on query, key, value and
 * attention.output.dense. One implementation (src/core/text/adapt/bench-step.ts) measures:
 *   - Node: tfjs cpu and wasm (`rankplay bench --lora`);
 *   - Chromium, in the app's worker (window.__RANKPLAY__.adaptBench): wasm and WebGPU, each in a
 *     fresh page. Without a GPU, WebGPU is SwiftShader, a CPU emulation: those rows are labelled
 *     software and say nothing about GPU speed. WebGPU runs smaller batches (1 × 8 × 128 demo,
 *     1 × 4 × 128 MiniLM, one timed step): SwiftShader takes ~10 s a demo step, and MiniLM is
 *     skipped when a demo step takes longer than --max-demo-step-seconds (default 5; a MiniLM
 *     step is ~12× the work, ~10 min for both methods there).
 * Also Chromium wasm ÷ Node wasm for the same model, method and batch.
 * Not a test: nothing here asserts a time. Results also go to bench/results/lora.json.
 *
 * Needs `npm run build:cli` (and `npm run build` for the Chromium rows).
 * Usage: node bench/lora.mjs [--backends cpu,wasm|none] [--chromium-backends wasm,webgpu|none]
 *                            [--models demo,minilm] [--steps N] [--max-demo-step-seconds S]
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { root, withAppInChromium } from './browser.mjs';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
};
if (!existsSync(path.join(root, 'dist-cli/rankplay.cjs'))) {
  console.error('bench/lora.mjs: dist-cli/rankplay.cjs is missing; run `npm run build:cli` first.');
  process.exit(1);
}
const models = arg('--models', 'demo,minilm').split(',');
const steps = arg('--steps', undefined);
const chromiumBackends = arg('--chromium-backends', 'wasm,webgpu').split(',').filter((b) => b === 'wasm' || b === 'webgpu');
const maxDemoStepSeconds = Number(arg('--max-demo-step-seconds', '5'));

// Node: flags pass through to `rankplay bench --lora` unchanged.
const passed = [];
for (const name of ['--backends', '--models', '--steps']) {
  const v = arg(name, undefined);
  if (v) passed.push(name, v);
}
const demoConfig = path.join(root, 'public/models/rankplay-demo-cross-encoder/config.json');
const t0 = performance.now();
// Progress lines go to stderr (inherited), the JSON to stdout.
const runNode = () =>
  execFileSync(process.execPath, [path.join(root, 'bin/rankplay.mjs'), 'bench', '--lora', '--json', `--demo-config=${demoConfig}`, ...passed], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 1 << 22,
  });
const lora = { r: 8, alpha: 16, targetModules: ['query', 'key', 'value', 'attention.output.dense'] };
const node = arg('--backends', '') === 'none' ? { environment: 'node: not measured (--backends none)', lora, shapes: [], rows: [], notes: [] } : JSON.parse(runNode());
const rows = node.rows.map((row) => ({ env: 'node', where: `node ${row.backend}`, software: false, ...row }));
const skipped = [];
const chromium = { environment: null, runs: [], note: null };

/** One backend in a fresh page, so one run's memory (a wasm heap never shrinks) is gone before the next. */
async function chromiumRun(browser, baseUrl, backend) {
  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    page.on('console', (m) => m.text().startsWith('adapt-bench') && console.error(`  ${m.text()}`));
    await page.goto(baseUrl);
    await page.waitForFunction(() => Boolean(window.__RANKPLAY__?.adaptBench), null, { timeout: 120_000 });
    const opts = { backends: [backend], models, demoConfigUrl: new URL('models/rankplay-demo-cross-encoder/config.json', baseUrl).href, maxDemoStepSeconds };
    if (steps) opts.steps = Number(steps);
    return await page.evaluate((o) => window.__RANKPLAY__.adaptBench(o), opts);
  } catch (e) {
    return { error: `the page failed (${String(e.message ?? e).split('\n')[0]}); out of memory?` };
  } finally {
    await context.close().catch(() => {});
  }
}

if (!chromiumBackends.length) chromium.note = 'not measured (--chromium-backends none)';
else if (!existsSync(path.join(root, 'dist/index.html'))) chromium.note = 'not measured: no production build (run `npm run build`)';
else {
  await withAppInChromium(4179, async (browser, baseUrl) => {
    for (const backend of chromiumBackends) {
      console.error(`chromium ${backend} …`);
      const r = await chromiumRun(browser, baseUrl, backend);
      const run = r.runs?.[0];
      if (!run || run.error || r.error) {
        skipped.push({ env: 'chromium', backend, model: '*', reason: `not measured: ${r.error ?? run?.error ?? 'no result'}` });
        continue;
      }
      chromium.environment = r.environment;
      if (!node.shapes.length) node.shapes = r.shapes;
      chromium.runs.push({ backend, label: run.label, software: run.software, restored: r.restored });
      const where = backend === 'webgpu' ? (run.software ? 'chromium webgpu (software: SwiftShader, not a GPU)' : 'chromium webgpu (GPU)') : 'chromium wasm';
      for (const row of run.rows) rows.push({ env: 'chromium', where, software: run.software, ...row });
      for (const s of run.skipped) skipped.push({ env: 'chromium', backend, where, model: s.model, reason: s.reason });
    }
  });
}

const key = (x) => `${x.model}|${x.env}|${x.backend}`;
const ratios = [];
for (const r of rows.filter((x) => x.method === 'lora')) {
  const full = rows.find((x) => x.method === 'full' && key(x) === key(r));
  if (full) ratios.push({ model: r.model, env: r.env, backend: r.backend, where: r.where, time: r.msPerStep / full.msPerStep, peakMemory: r.peakMB / full.peakMB, heldMemory: r.afterMB / full.afterMB });
}
const sameBatch = (a, b) => a.lists === b.lists && a.listSize === b.listSize && a.seqLen === b.seqLen;
const chromiumVsNode = [];
for (const c of rows.filter((x) => x.env === 'chromium' && x.backend === 'wasm')) {
  const n = rows.find((x) => x.env === 'node' && x.backend === 'wasm' && x.model === c.model && x.method === c.method);
  if (n && sameBatch(n, c)) chromiumVsNode.push({ model: c.model, method: c.method, time: c.msPerStep / n.msPerStep, peakMemory: c.peakMB / n.peakMB, heldMemory: c.afterMB / n.afterMB });
}

const r = {
  date: new Date().toISOString(),
  seconds: (performance.now() - t0) / 1000,
  environment: { node: node.environment, chromium: chromium.environment ?? chromium.note },
  lora: node.lora,
  shapes: node.shapes,
  rows,
  skipped,
  ratios,
  chromiumWasmOverNodeWasm: chromiumVsNode,
  chromium,
  notes: [
    ...node.notes,
    'Chromium rows run in the app\'s worker with the same code as the Node rows; WebGPU there is SwiftShader (software) unless a GPU is present: "software" rows measure a CPU emulating a GPU.',
    'WebGPU rows are profiled like the others: tf.profile makes the webgpu backend end a compute pass per kernel, which adds a little to its times.',
  ],
};

const fmt = (n, d = 0) => n.toLocaleString('en', { maximumFractionDigits: d, minimumFractionDigits: d });
const x = (v) => `×${v.toFixed(2)}`;
console.log(`\nRankPlay adapter training: LoRA r=${r.lora.r} α=${r.lora.alpha} (${r.lora.targetModules.join(', ')}) vs full fine-tuning`);
console.log(`  ${r.environment.node}; ${r.environment.chromium}`);
for (const s of r.shapes) console.log(`  ${s.model}: ${s.label}, ${fmt(s.parameters)} parameters`);
console.log('\nwhere | model | batch (lists×pairs×tokens, timed steps) | method | trainable | ms/step | warm-up ms | peak MB | MB held | LoRA ÷ full: time, peak, held | ÷ node wasm: time, peak');
for (const row of rows) {
  const q = row.method === 'lora' ? ratios.find((y) => key(y) === key(row)) : undefined;
  const c = row.env === 'chromium' && row.backend === 'wasm' ? chromiumVsNode.find((y) => y.model === row.model && y.method === row.method) : undefined;
  const warm = row.warmupMs === undefined ? '—' : fmt(row.warmupMs);
  console.log(
    [row.where, row.model, `${row.lists}×${row.listSize}×${row.seqLen} (${row.steps})`, row.method, fmt(row.trainable), fmt(row.msPerStep), warm, fmt(row.peakMB, 1), fmt(row.afterMB, 1), q ? `${x(q.time)}, ${x(q.peakMemory)}, ${x(q.heldMemory)}` : '', c ? `${x(c.time)}, ${x(c.peakMemory)}` : ''].join(' | '),
  );
}
for (const s of skipped) console.log(`${s.where ?? `chromium ${s.backend}`} | ${s.model} | ${s.reason}`);
for (const n of r.notes) console.log(`note: ${n}`);
console.log(`(${fmt(r.seconds)} s)`);

mkdirSync(path.join(root, 'bench/results'), { recursive: true });
writeFileSync(path.join(root, 'bench/results/lora.json'), JSON.stringify(r, null, 2) + '\n');
