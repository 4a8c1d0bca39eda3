#!/usr/bin/env node
/**
 * Writes an MSLR-WEB10K-shaped LETOR file: 136 dense features per line, labels 0–4, ~120 docs
 * per query, values in MSLR's styles (small integers, counts, 6-decimal fractions, large
 * PageRank-like numbers). Usage: node bench/make-mslr-like.mjs OUT MEGABYTES [--gzip]
 */
import { createWriteStream, statSync } from 'node:fs';
import { createGzip } from 'node:zlib';
import { once } from 'node:events';

const [out, megabytes = '200'] = process.argv.slice(2);
if (!out) throw new Error('usage: make-mslr-like.mjs OUT MEGABYTES [--gzip]');
const target = Number(megabytes) * 1e6;
let seed = 12345;
const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296);

function value(f) {
  const kind = f % 5;
  if (kind === 0) return String(Math.floor(rnd() * 6));
  if (kind === 1) return String(Math.floor(rnd() * 400));
  if (kind === 2) return (rnd()).toFixed(6);
  if (kind === 3) return (rnd() * 30).toFixed(4);
  return String(Math.floor(rnd() * 60000));
}

const file = createWriteStream(out);
const sink = process.argv.includes('--gzip') ? createGzip() : null;
if (sink) sink.pipe(file);
const stream = sink ?? file;
let written = 0;
let qid = 1;
while (written < target) {
  const docs = 60 + Math.floor(rnd() * 120);
  let chunk = '';
  for (let d = 0; d < docs; d++) {
    let line = `${Math.floor(rnd() * rnd() * 5)} qid:${qid}`;
    for (let f = 1; f <= 136; f++) line += ` ${f}:${value(f)}`;
    chunk += line + '\n';
  }
  written += chunk.length;
  qid++;
  if (!stream.write(chunk)) await once(stream, 'drain');
}
stream.end();
await once(file, 'close');
console.log(`${out}: ${(statSync(out).size / 1e6).toFixed(1)} MB, ${qid - 1} queries`);
