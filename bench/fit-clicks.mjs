#!/usr/bin/env node
/**
 * Benchmark: click-model fitting on 1M simulated PBM sessions (k = 10, 10,000 queries × 20
 * docs): seconds per EM iteration for each model, and the ratio to one plain pass over the
 * same log in the same run (the floor: an iteration must at least read every impression).
 * Not a test: nothing here asserts a time. Needs the CLI bundle (`npm run build:cli`).
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = execFileSync(process.execPath, [path.join(root, 'bin/rankplay.mjs'), 'bench', '--fit', '--json'], { encoding: 'utf8' });
const r = JSON.parse(out);
console.log(`Click-model fitting — ${r.sessions.toLocaleString('en')} sessions, k = ${r.k}, ${r.pairs.toLocaleString('en')} query-doc pairs (pair index built in ${r.indexSeconds.toFixed(2)} s)`);
console.log('model\tmethod\ts/iteration\t÷ plain pass\tfit s\theld-out perplexity');
for (const row of r.rows) {
  const perIteration = row.secondsPerIteration === undefined || row.secondsPerIteration === null ? '-' : row.secondsPerIteration.toFixed(3);
  const ratio = row.ratioToScan === undefined || row.ratioToScan === null ? '-' : `×${row.ratioToScan.toFixed(1)}`;
  console.log(`${row.model}\t${row.method}\t${perIteration}\t${ratio}\t${row.fitSeconds.toFixed(2)}\t${row.perplexity.toFixed(4)}`);
}
