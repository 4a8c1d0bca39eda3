/**
 * Shared by the browser benchmarks: serve the production build with `vite preview`, launch an
 * installed Chromium (CHROMIUM_PATH or Debian's) with WebGPU enabled, run, and clean up.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

async function waitForServer(url) {
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`preview server did not start at ${url}`);
}

/** Runs `fn(browser, baseUrl)` against the built app on `port`. */
export async function withAppInChromium(port, fn) {
  if (!existsSync(path.join(root, 'dist/index.html'))) throw new Error('no production build: run `npm run build` first');
  const server = spawn('npx', ['vite', 'preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort'], { cwd: root, stdio: 'ignore', detached: true });
  try {
    const baseUrl = `http://127.0.0.1:${port}/`;
    await waitForServer(baseUrl);
    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--enable-unsafe-webgpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    });
    try {
      return await fn(browser, baseUrl);
    } finally {
      await browser.close();
    }
  } finally {
    process.kill(-server.pid);
  }
}
