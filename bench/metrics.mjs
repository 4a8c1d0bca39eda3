#!/usr/bin/env node
/**
 * Benchmark: list-mode evaluation (the code behind the app's nDCG chart and the CLI) on 30,000
 * queries × 1,000 documents, seeded random Float32 scores and Int8 labels 0..4. Prints ms per
 * million documents for nDCG@10 alone and for six measures at once, each divided by a plain
 * sort of the same scores query by query (the floor: ranking a list cannot cost less than
 * sorting it) measured in the same run. Not a test: nothing here asserts a time.
 *
 * Needs the CLI bundle (`npm run build:cli`). Usage: node bench/metrics.mjs
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
if (!existsSync(path.join(root, 'dist-cli/rankplay.cjs'))) {
  console.error('bench/metrics.mjs: the CLI is not built; run `npm run build:cli` first.');
  process.exit(1);
}
const out = execFileSync(process.execPath, [path.join(root, 'bin/rankplay.mjs'), 'bench', '--metrics', '--json'], {
  encoding: 'utf8',
  maxBuffer: 1 << 20,
});
const r = JSON.parse(out);

console.log(
  `List-mode metrics — ${r.queries.toLocaleString('en')} queries × ${r.docsPerQuery.toLocaleString('en')} docs ` +
    `(${(r.docs / 1e6).toFixed(0)}M docs), node ${process.version}, best of ${r.repeats}`,
);
const rows = r.rows.map((x) => [x.task, x.msPerMillionDocs.toFixed(1), (x.ms / 1000).toFixed(2), x.ratioToSort.toFixed(2)]);
const head = ['task', 'ms / M docs', 'total s', '÷ sort'];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
const line = (cells) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
console.log(line(head));
for (const row of rows) console.log(line(row));
console.log('means: ' + Object.entries(r.means).map(([k, v]) => `${k} ${v.toFixed(4)}`).join(', '));
