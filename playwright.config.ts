import { defineConfig } from '@playwright/test';

/**
 * End-to-end tests in a real Chromium against the production build (`vite build` then
 * `vite preview`). Playwright cannot download its own browser here: we launch an installed
 * Chromium (Debian's by default; set CHROMIUM_PATH to use another Chrome).
 */
const chromiumArgs = [
  '--no-sandbox',
  '--enable-unsafe-webgpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results/artifacts',
  timeout: 180_000,
  expect: { timeout: 30_000 },
  // Two cores: one browser at a time keeps the timings of training-heavy tests sane.
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  reporter: [['list']],
  use: {
    baseURL: 'http://127.0.0.1:4173',
    browserName: 'chromium',
    launchOptions: { executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: chromiumArgs },
    viewport: { width: 1280, height: 860 },
  },
  webServer: {
    command: 'npx vite preview --host 127.0.0.1 --port 4173 --strictPort',
    url: 'http://127.0.0.1:4173',
    reuseExistingServer: !process.env.CI,
    timeout: 60_000,
  },
});
