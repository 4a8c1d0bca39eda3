#!/usr/bin/env node
/**
 * Benchmark: LETOR parse throughput on an MSLR-shaped file (136 dense features, ≥ 200 MB), in
 * Node (the CLI) and in the Chromium worker (the real app, file picked as a user would), each
 * divided by a raw newline scan of the same bytes on the same reading path in the same run.
 * Also the memory the parsed set holds ÷ its Float32 feature size (Node, with --expose-gc), and the
 * SHA-256 speed a link's file reference costs (the app hashes on a worker of its own while it parses,
 * so the Chromium figure includes that).
 * Not a test: nothing here asserts a time.
 *
 * Usage: node bench/parse-letor.mjs [--mb 210]   (needs `npm run build` and Chromium)
 */
import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { root, withAppInChromium } from './browser.mjs';

const mbArg = process.argv.indexOf('--mb');
const MB = mbArg > 0 ? Number(process.argv[mbArg + 1]) : 210;
const file = path.join(root, `bench/results/mslr-like-${MB}.txt`);
const PORT = 4178;

if (!existsSync(file)) execFileSync(process.execPath, [path.join(root, 'bench/make-mslr-like.mjs'), file, String(MB)], { stdio: 'inherit' });
const bytes = statSync(file).size;

function nodeRun() {
  const out = execFileSync(process.execPath, ['--expose-gc', path.join(root, 'bin/rankplay.mjs'), 'bench', '--parse', file, '--json'], { encoding: 'utf8' });
  return JSON.parse(out);
}

async function chromiumRun() {
  return withAppInChromium(PORT, async (browser, baseUrl) => {
    const page = await browser.newPage();
    await page.goto(`${baseUrl}?backend=cpu`);
    await page.waitForFunction(() => window.__RANKPLAY__?.getState().backend !== null, null, { timeout: 60_000 });
    const input = page.getByTestId('dataset-file-input');
    await input.setInputFiles(file);
    await page.waitForFunction(
      (name) => window.__RANKPLAY__.getState().datasets.some((d) => d.files.some((f) => f.name === name)),
      path.basename(file),
      { timeout: 600_000 },
    );
    const parsed = await page.evaluate((name) => {
      const d = window.__RANKPLAY__.getState().datasets.find((x) => x.files.some((f) => f.name === name));
      return d.files.find((f) => f.name === name);
    }, path.basename(file));
    // The app clears its own input after a load; hand the same file to the worker's raw scan
    // through an input of the benchmark's own.
    await page.evaluate(() => {
      const input = document.createElement('input');
      input.type = 'file';
      input.id = 'bench-scan';
      input.hidden = true;
      document.body.append(input);
    });
    await page.setInputFiles('#bench-scan', file);
    const scan = await page.evaluate(() => window.__RANKPLAY__.scanFile(document.getElementById('bench-scan').files[0]));
    const mb = bytes / 1e6;
    return { parseMBps: mb / parsed.seconds, scanMBps: mb / (scan.ms / 1000), ratio: scan.ms / 1000 / parsed.seconds, docs: parsed.rows };
  });
}

/** SHA-256 of the same file in Node with hash-wasm (what the app's hash worker runs), streamed in 4 MB reads. */
async function hashRun() {
  const { createSHA256 } = await import('hash-wasm');
  const { openSync, readSync, closeSync } = await import('node:fs');
  const hasher = await createSHA256();
  hasher.init();
  const chunk = new Uint8Array(4 << 20);
  const fd = openSync(file, 'r');
  const t0 = performance.now();
  for (let n; (n = readSync(fd, chunk, 0, chunk.length, null)) > 0; ) hasher.update(chunk.subarray(0, n));
  hasher.digest('hex');
  const ms = performance.now() - t0;
  closeSync(fd);
  return bytes / 1e6 / (ms / 1000);
}

const node = nodeRun();
const hashMBps = await hashRun();
const browser = await chromiumRun();
console.log(`LETOR parse — ${(bytes / 1e6).toFixed(0)} MB MSLR-shaped file, 136 dense features, ${node.docs.toLocaleString('en')} docs`);
console.log('env\tparse MB/s\traw scan MB/s\tparse ÷ scan');
console.log(`node\t${node.parseMBps.toFixed(0)}\t${node.scanMBps.toFixed(0)}\t${node.ratio.toFixed(2)}`);
console.log(`chromium worker\t${browser.parseMBps.toFixed(0)}\t${browser.scanMBps.toFixed(0)}\t${browser.ratio.toFixed(2)}`);
console.log(`node SHA-256 (hash-wasm, the app's hash worker): ${hashMBps.toFixed(0)} MB/s = ${(hashMBps / node.scanMBps).toFixed(2)} × the raw scan, ${(hashMBps / node.parseMBps).toFixed(2)} × the parse`);
console.log(`memory held after parse ÷ Float32 size of the features (node): ${node.heldOverFloat32?.toFixed(2) ?? 'run node with --expose-gc'}`);
