#!/usr/bin/env node
/**
 * Benchmark: click simulation throughput, PBM η=1 on the top 10 of a deterministic ranking,
 * single thread, on 10,000 queries × 50 documents (1M sessions = 10M impressions per run), in Node
 * (the CLI) and in a Chromium dedicated worker (the same core code, bundled by Vite for the
 * browser). Each environment divides by its own floor measured in the same run: a plain loop
 * drawing as many random numbers (one per session + one per impression) from the same inlined
 * generator. Other models and policies are extra rows against the same floor. Not a test: nothing
 * here asserts a time. The goal (DESIGN / issue): at least 30 million impressions/s in Node.
 *
 * Needs the CLI bundle (`npm run build:cli`) and Chromium (CHROMIUM_PATH or /usr/bin/chromium; the
 * browser part is skipped with a note when it cannot start). Usage: node bench/clicks.mjs [--node-only]
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
if (!existsSync(path.join(root, 'dist-cli/rankplay.cjs'))) {
  console.error('bench/clicks.mjs: the CLI is not built; run `npm run build:cli` first.');
  process.exit(1);
}

function nodeRun() {
  const out = execFileSync(process.execPath, [path.join(root, 'bin/rankplay.mjs'), 'bench', '--clicks', '--json'], { encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(out);
}

/** src/cli/bench-clicks.ts bundled as a classic worker script (it imports nothing from Node). */
async function workerBundle() {
  const { build } = await import('vite');
  const entry = '\0rankplay-bench-clicks-worker';
  const result = await build({
    configFile: false,
    root,
    logLevel: 'warn',
    plugins: [
      {
        name: 'bench-clicks-worker-entry',
        resolveId: (id) => (id === 'virtual:bench-clicks-worker' ? entry : null),
        load: (id) =>
          id === entry
            ? `import { benchClicks } from ${JSON.stringify(path.join(root, 'src/cli/bench-clicks.ts'))};
               self.onmessage = (e) => {
                 try { self.postMessage({ ok: true, result: benchClicks({ ...e.data, environment: 'chromium worker' }) }); }
                 catch (err) { self.postMessage({ ok: false, error: String(err && err.stack || err) }); }
               };`
            : null,
      },
    ],
    build: {
      write: false,
      minify: false,
      target: 'es2022',
      rollupOptions: { input: 'virtual:bench-clicks-worker', output: { format: 'iife', codeSplitting: false } },
    },
  });
  const outputs = (Array.isArray(result) ? result : [result]).flatMap((r) => r.output);
  const chunk = outputs.find((o) => o.type === 'chunk');
  if (!chunk) throw new Error('vite produced no worker bundle');
  return chunk.code;
}

async function chromiumRun() {
  const { chromium } = await import('@playwright/test');
  const code = await workerBundle();
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    const page = await browser.newPage();
    // A page and its worker served from one made-up origin: no server, nothing leaves the machine.
    await page.route('http://rankplay.bench/**', (route) => {
      const url = new URL(route.request().url());
      if (url.pathname === '/worker.js') return route.fulfill({ contentType: 'text/javascript', body: code });
      return route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>clicks bench</title>' });
    });
    await page.goto('http://rankplay.bench/');
    return await page.evaluate(
      () =>
        new Promise((resolve, reject) => {
          const w = new Worker('/worker.js');
          w.onmessage = (e) => (e.data.ok ? resolve(e.data.result) : reject(new Error(e.data.error)));
          w.onerror = (e) => reject(new Error(e.message));
          w.postMessage({});
        }),
      null,
    );
  } finally {
    await browser.close();
  }
}

const node = nodeRun();
let browser = null;
let browserNote = '';
if (!process.argv.includes('--node-only')) {
  try {
    browser = await chromiumRun();
  } catch (e) {
    browserNote = `chromium worker: not measured (${e instanceof Error ? e.message.split('\n')[0] : String(e)})`;
  }
}

console.log(
  `Click simulation — ${node.queries.toLocaleString('en')} queries × ${node.docsPerQuery} docs, ${node.sessions.toLocaleString('en')} sessions × top ${node.k} ` +
    `(${((node.sessions * node.k) / 1e6).toFixed(0)}M impressions), single thread, best of ${node.repeats}, node ${process.version}`,
);
const envs = [node, ...(browser ? [browser] : [])];
const head = ['task', ...envs.flatMap((e) => [`${e.environment} M impr/s`, '÷ floor'])];
const rows = [
  ['floor: plain loop drawing the same count of numbers (M draws/s)', ...envs.flatMap((e) => [(e.floor.drawsPerSecond / 1e6).toFixed(1), '1.00'])],
  ...node.rows.map((r, i) => [r.task, ...envs.flatMap((e) => [(e.rows[i].impressionsPerSecond / 1e6).toFixed(1), e.rows[i].ratioToFloor.toFixed(2)])]),
];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
const line = (cells) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
console.log(line(head));
for (const row of rows) console.log(line(row));
if (browserNote) console.log(browserNote);
const pbm = node.rows[0].impressionsPerSecond / 1e6;
console.log(`goal: ≥ 30 M impressions/s in Node for PBM top-10 — ${pbm >= 30 ? 'met' : 'NOT met'} (${pbm.toFixed(1)} M/s)`);
