#!/usr/bin/env node
/**
 * Benchmark: cross-encoder reranking throughput (query–passage pairs/s) on onnxruntime-web, for
 * the demo model (public/models/rankplay-demo-cross-encoder/, or the e2e fixture while the demo
 * model is not built) and a MiniLM-L6-shaped model (6 layers, hidden 384, 12 heads, intermediate
 * 1536, 22.7 M parameters, random weights: speed does not depend on them), at batch sizes 1, 8,
 * 32, 64 on pairs of exactly 256 tokens (the demo fixture: its 64). Measured in the same run:
 *   - Node: onnxruntime-web wasm, one thread (`rankplay rerank --bench`);
 *   - Chromium, in the app's worker: wasm (one thread) and WebGPU. Here WebGPU is SwiftShader, a
 *     CPU emulation of a GPU: those rows are labelled software and say nothing about GPU speed.
 * Ratios: each row ÷ Node wasm at the same batch size, and Chromium WebGPU ÷ Chromium wasm.
 * Not a test: nothing here asserts a time. Results also go to bench/results/rerank.json.
 *
 * Needs `npm run build` and `npm run build:cli`. Builds the MiniLM-shaped model into
 * bench/results/minilm-l6-random/ on first use (~90 MB, not committed).
 * Usage: node bench/rerank.mjs [--seconds S] [--max-batch-seconds S] [--models demo,minilm] [--backends wasm,webgpu]
 */
import { execFileSync } from 'node:child_process';
import { createReadStream, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import path from 'node:path';
import { root, withAppInChromium } from './browser.mjs';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
};
const seconds = Number(arg('--seconds', '4'));
const maxBatchSeconds = Number(arg('--max-batch-seconds', '90'));
const wantedModels = arg('--models', 'demo,minilm').split(',');
const wantedBackends = arg('--backends', 'wasm,webgpu').split(',');
const BATCH_SIZES = [1, 8, 32, 64];
const SEQ = 256;

for (const [file, how] of [['dist/index.html', 'npm run build'], ['dist-cli/rankplay.cjs', 'npm run build:cli']]) {
  if (!existsSync(path.join(root, file))) {
    console.error(`bench/rerank.mjs: ${file} is missing; run \`${how}\` first.`);
    process.exit(1);
  }
}

function minilmFolder() {
  const dir = path.join(root, 'bench/results/minilm-l6-random');
  if (!existsSync(path.join(dir, 'onnx/model.onnx'))) {
    console.error('building the MiniLM-L6-shaped model (random weights) into bench/results/minilm-l6-random/ …');
    execFileSync('npx', ['vite', 'build', '--config', 'vite.scripts.config.ts'], { cwd: root, env: { ...process.env, SCRIPT: 'make-cross-encoder' }, stdio: 'inherit' });
    execFileSync(process.execPath, ['node_modules/.cache/rankplay-scripts/make-cross-encoder.cjs', '--shape', 'minilm', '--out', dir], { cwd: root, stdio: 'inherit' });
  }
  return dir;
}

const demoDir = path.join(root, 'public/models/rankplay-demo-cross-encoder');
const models = [];
if (wantedModels.includes('demo')) {
  const built = existsSync(path.join(demoDir, 'onnx/model.onnx'));
  models.push({ key: 'demo', label: built ? 'demo model' : 'demo stand-in (e2e fixture: the demo model is not built)', dir: built ? demoDir : path.join(root, 'e2e/fixtures/tiny-cross-encoder') });
}
if (wantedModels.includes('minilm')) models.push({ key: 'minilm', label: 'MiniLM-L6 shape (random weights)', dir: minilmFolder() });

const results = { date: new Date().toISOString(), seq: SEQ, batchSizes: BATCH_SIZES, secondsPerSize: seconds, models: [] };

for (const m of models) {
  console.error(`node wasm: ${m.label} …`);
  const out = execFileSync(
    process.execPath,
    [path.join(root, 'bin/rankplay.mjs'), 'rerank', '--bench', '--model', m.dir, '--batch-sizes', BATCH_SIZES.join(','), '--seconds', String(seconds), '--max-batch-seconds', String(maxBatchSeconds), '--json'],
    { encoding: 'utf8', maxBuffer: 1 << 22 },
  );
  const node = JSON.parse(out);
  results.models.push({ ...m, parameters: node.model.parameters, maxLength: node.model.maxLength, runs: [{ env: 'node', backend: 'wasm', label: node.environment, rows: node.rows }] });
}

/**
 * The model folders over HTTP with CORS, as the Hub serves them (a page route cannot carry a 90 MB
 * body: Chromium drops the page).
 */
const server = createServer((req, res) => {
  const [key, ...rest] = new URL(req.url, 'http://x').pathname.split('/').filter(Boolean);
  const m = models.find((x) => x.key === key);
  const file = m && path.join(m.dir, ...rest);
  res.setHeader('access-control-allow-origin', '*');
  if (!file || !existsSync(file) || !statSync(file).isFile()) return void res.writeHead(404).end('not found');
  res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(statSync(file).size) });
  createReadStream(file).pipe(res);
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const modelServer = `http://127.0.0.1:${server.address().port}`;

/** One model on one backend in a fresh page (so one run's memory is gone before the next). */
async function chromiumRun(browser, baseUrl, r, backend) {
  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    page.on('console', (m) => m.text().startsWith('rerank-bench') && console.error(`  ${m.text()}`));
    await page.goto(baseUrl);
    await page.waitForFunction(() => Boolean(window.__RANKPLAY__?.rerankBench), null, { timeout: 120_000 });
    const opts = { backend, batchSizes: BATCH_SIZES, maxLength: Math.min(SEQ, r.maxLength), secondsPerSize: seconds, maxBatchSeconds };
    return await page.evaluate(([url, o]) => window.__RANKPLAY__.rerankBench(url, o), [`${modelServer}/${r.key}/`, opts]);
  } catch (e) {
    return { ok: false, error: `the page failed (${String(e.message ?? e).split('\n')[0]}); out of memory?` };
  } finally {
    await context.close().catch(() => {});
  }
}

await withAppInChromium(4178, async (browser, baseUrl) => {
  for (const r of results.models) {
    for (const backend of ['wasm', 'webgpu'].filter((b) => wantedBackends.includes(b))) {
      console.error(`chromium ${backend}: ${r.label} …`);
      const b = await chromiumRun(browser, baseUrl, r, backend);
      if (!b.ok) {
        r.runs.push({ env: 'chromium', backend, label: `chromium ${backend}: not measured: ${b.error}`, rows: [] });
        continue;
      }
      const software = /software|swiftshader|fallback/i.test(b.backendReason);
      const label = `chromium worker, ${b.backend === 'webgpu' ? (software ? 'WebGPU — SOFTWARE (SwiftShader), not GPU speed' : 'WebGPU') : 'wasm, 1 thread'}`;
      r.runs.push({ env: 'chromium', backend: b.backend, label, reason: b.backendReason, rows: b.rows });
    }
  }
});

server.close();

const fmt = (v) => (v === null || v === undefined ? '—' : v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));
for (const r of results.models) {
  console.log(`\n${r.label}: ${r.parameters?.toLocaleString('en')} parameters, ${r.maxLength} tokens per pair`);
  const base = r.runs.find((x) => x.env === 'node');
  const cwasm = r.runs.find((x) => x.env === 'chromium' && x.backend === 'wasm');
  const head = ['where', ...BATCH_SIZES.map((b) => `b=${b}`), '÷ node wasm (b=max measured)'];
  console.log(head.join(' | '));
  for (const run of r.runs) {
    const cells = BATCH_SIZES.map((b) => {
      const row = run.rows.find((x) => x.batchSize === b);
      return row ? (row.pairsPerSecond === null ? 'skipped' : fmt(row.pairsPerSecond)) : '—';
    });
    const measured = run.rows.filter((x) => x.pairsPerSecond !== null);
    const last = measured[measured.length - 1];
    const ref = last && base.rows.find((x) => x.batchSize === last.batchSize)?.pairsPerSecond;
    const ratio = last && ref ? `${(last.pairsPerSecond / ref).toFixed(2)} (b=${last.batchSize})` : '—';
    console.log([run.label, ...cells, ratio].join(' | '));
  }
  const gpu = r.runs.find((x) => x.env === 'chromium' && x.backend === 'webgpu');
  if (gpu && cwasm) {
    const both = BATCH_SIZES.map((b) => [b, gpu.rows.find((x) => x.batchSize === b)?.pairsPerSecond, cwasm.rows.find((x) => x.batchSize === b)?.pairsPerSecond]).filter(([, g, w]) => g && w);
    if (both.length) console.log(`WebGPU ÷ wasm in Chromium (software WebGPU here): ${both.map(([b, g, w]) => `b=${b} ${(g / w).toFixed(3)}`).join(', ')}`);
  }
  for (const run of r.runs) if (run.reason) console.log(`  ${run.backend}: ${run.reason}`);
}
console.log(
  '\n@huggingface/transformers (the ratio the issue asks for): not measured — `npm install @huggingface/transformers@4.3.1` fails here: ' +
    'its dependency onnxruntime-node runs an install script that downloads binaries from api.nuget.org, which this machine cannot reach.',
);
mkdirSync(path.join(root, 'bench/results'), { recursive: true });
writeFileSync(path.join(root, 'bench/results/rerank.json'), JSON.stringify(results, null, 2) + '\n');
