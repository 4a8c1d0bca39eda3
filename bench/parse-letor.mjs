#!/usr/bin/env node
/**
 * Benchmark: LETOR parse throughput on an MSLR-shaped file (136 dense features, ≥ 200 MB), in
 * Node (the CLI) and in the Chromium worker (the real app, file picked as a user would), each
 * divided by a raw newline scan of the same bytes on the same reading path in the same run.
 * Also the memory the parsed set holds ÷ its Float32 feature size (Node, with --expose-gc).
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

const node = nodeRun();
const browser = await chromiumRun();
console.log(`LETOR parse — ${(bytes / 1e6).toFixed(0)} MB MSLR-shaped file, 136 dense features, ${node.docs.toLocaleString('en')} docs`);
console.log('env\tparse MB/s\traw scan MB/s\tparse ÷ scan');
console.log(`node\t${node.parseMBps.toFixed(0)}\t${node.scanMBps.toFixed(0)}\t${node.ratio.toFixed(2)}`);
console.log(`chromium worker\t${browser.parseMBps.toFixed(0)}\t${browser.scanMBps.toFixed(0)}\t${browser.ratio.toFixed(2)}`);
console.log(`memory held after parse ÷ Float32 size of the features (node): ${node.heldOverFloat32?.toFixed(2) ?? 'run node with --expose-gc'}`);
