#!/usr/bin/env node
/**
 * Benchmark: BM25 first stage (src/core/text) on a generated MS MARCO-shaped collection — 200,000
 * passages of 40–80 words (mean 60) from a Zipfian vocabulary of 200,000 words whose top ranks are
 * English function words. Prints index build passages/s, the build time divided by a tokenise-only
 * pass over the same text in the same run (lowercase + token boundaries: the floor of any indexer),
 * the index size, and query latency (1,000 queries of 2–6 content words, top 1,000, term at a time).
 * Not a test: nothing here asserts a time.
 *
 * Needs the CLI bundle (`npm run build:cli`). Usage: node bench/bm25.mjs [--passages N] [--queries N] [--k K]
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
if (!existsSync(path.join(root, 'dist-cli/rankplay.cjs'))) {
  console.error('bench/bm25.mjs: the CLI is not built; run `npm run build:cli` first.');
  process.exit(1);
}
const out = execFileSync(process.execPath, [path.join(root, 'bin/rankplay.mjs'), 'bm25', '--bench', '--json', ...process.argv.slice(2)], {
  encoding: 'utf8',
  maxBuffer: 1 << 20,
});
const r = JSON.parse(out);
const n = (x) => Math.round(x).toLocaleString('en');

console.log(
  `BM25 first stage — ${n(r.passages)} generated passages (${n(r.words)} words, ${(r.chars / 1e6).toFixed(1)} M chars), ` +
    `${n(r.terms)} terms, ${n(r.postings)} postings, node ${r.node}`,
);
const rows = [
  ['tokenise only (floor)', r.tokenizeSeconds.toFixed(2), n(r.passages / r.tokenizeSeconds), '1.00'],
  ['index build', r.indexSeconds.toFixed(2), n(r.passagesPerSecond), r.indexOverTokenize.toFixed(2)],
];
const head = ['pass', 's', 'passages/s', '÷ tokenise'];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
const line = (cells) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
console.log(line(head));
for (const row of rows) console.log(line(row));
console.log(`index: ${(r.indexBytes / 2 ** 20).toFixed(1)} MB of typed arrays (${(r.indexBytes / r.postings).toFixed(2)} bytes/posting); heap after the run ${r.heapUsedMB.toFixed(0)} MB`);
console.log(
  `queries: ${n(r.queries)} × top ${n(r.k)}, mean ${r.meanQueryMs.toFixed(2)} ms, p50 ${r.p50QueryMs.toFixed(2)} ms, ` +
    `p95 ${r.p95QueryMs.toFixed(2)} ms (${n(r.meanPostingsPerQuery)} postings scored per query)`,
);
