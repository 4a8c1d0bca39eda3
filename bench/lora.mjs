#!/usr/bin/env node
/**
 * Benchmark: what LoRA saves over full fine-tuning of the cross-encoder, per training step
 * (forward + backward + Adam through clippedStep, listwise softmax loss, dropout off), for the
 * demo model's shape and MiniLM-L6's (random weights: neither time nor memory depends on them),
 * on the tfjs backends Node has (cpu, wasm): ms/step, tfjs peak memory of a step (tf.profile's
 * peakBytes) and the memory held between steps, with the ratios LoRA ÷ full from this one run.
 * LoRA: r = 8, α = 16 on query, key, value and attention.output.dense. Not a test: nothing here
 * asserts a time. Results also go to bench/results/lora.json.
 *
 * Chromium is not measured: the app's worker has no hook that trains an adapter (only rerankBench
 * and rerankParity, which score with onnxruntime-web), and adding one is worker code. When it
 * exists, WebGPU there is SwiftShader, a software renderer: its rows must be labelled software.
 *
 * Needs `npm run build:cli`. Usage: node bench/lora.mjs [--backends cpu,wasm] [--models demo,minilm] [--steps N]
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
if (!existsSync(path.join(root, 'dist-cli/rankplay.cjs'))) {
  console.error('bench/lora.mjs: dist-cli/rankplay.cjs is missing; run `npm run build:cli` first.');
  process.exit(1);
}

// Flags pass through to `rankplay bench --lora` unchanged.
const passed = [];
for (const name of ['--backends', '--models', '--steps']) {
  const i = process.argv.indexOf(name);
  if (i > 0 && process.argv[i + 1]) passed.push(name, process.argv[i + 1]);
}
const demoConfig = path.join(root, 'public/models/rankplay-demo-cross-encoder/config.json');
const t0 = performance.now();
// Progress lines go to stderr (inherited), the JSON to stdout.
const out = execFileSync(process.execPath, [path.join(root, 'bin/rankplay.mjs'), 'bench', '--lora', '--json', `--demo-config=${demoConfig}`, ...passed], {
  encoding: 'utf8',
  stdio: ['ignore', 'pipe', 'inherit'],
  maxBuffer: 1 << 22,
});
const r = JSON.parse(out);
r.date = new Date().toISOString();
r.seconds = (performance.now() - t0) / 1000;
r.chromium = 'not measured: no way to run adapter training in the app worker without new worker code';

const fmt = (n, d = 0) => n.toLocaleString('en', { maximumFractionDigits: d, minimumFractionDigits: d });
console.log(`RankPlay adapter training: LoRA r=${r.lora.r} α=${r.lora.alpha} (${r.lora.targetModules.join(', ')}) vs full fine-tuning; ${r.environment}`);
for (const s of r.shapes) console.log(`  ${s.model}: ${s.label}, ${fmt(s.parameters)} parameters`);
console.log('env\tmodel\tbackend\tbatch\tmethod\ttrainable\tms/step\tpeak MB\tMB held');
for (const row of r.rows) {
  console.log(`node\t${row.model}\t${row.backend}\t${row.lists}×${row.listSize}×${row.seqLen} (${row.steps} timed)\t${row.method}\t${fmt(row.trainable)}\t${fmt(row.msPerStep)}\t${fmt(row.peakMB, 1)}\t${fmt(row.afterMB, 1)}`);
}
console.log('\nLoRA ÷ full (same model, backend and batch):');
console.log('model\tbackend\ttime\tpeak memory\theld memory');
for (const q of r.ratios) console.log(`${q.model}\t${q.backend}\t×${q.time.toFixed(2)}\t×${q.peakMemory.toFixed(2)}\t×${q.heldMemory.toFixed(2)}`);
for (const n of r.notes) console.log(`note: ${n}`);
console.log(`chromium: ${r.chromium}.`);
console.log(`(${fmt(r.seconds)} s)`);

mkdirSync(path.join(root, 'bench/results'), { recursive: true });
writeFileSync(path.join(root, 'bench/results/lora.json'), JSON.stringify(r, null, 2) + '\n');
