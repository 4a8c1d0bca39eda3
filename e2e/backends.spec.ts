import { expect, test } from '@playwright/test';
import { appUrl, saveScreenshot, tinyConfig, waitReady } from './helpers';

test.afterEach(async ({ page }, info) => {
  await saveScreenshot(page, info);
});

test('the backend selector switches backend, updates the URL and keeps the config', async ({ page }) => {
  const config = tinyConfig({ seed: 21 });
  await page.goto(appUrl(config));
  await waitReady(page);
  await page.getByTestId('backend-select').selectOption('cpu');
  await page.waitForFunction(() => window.__RANKPLAY__!.getState().backend?.active === 'cpu');
  const s = await waitReady(page);
  expect(new URL(page.url()).searchParams.get('backend')).toBe('cpu');
  expect(s.config.seed).toBe(21);
  await expect(page.getByTestId('backend-label')).toContainText('cpu');
  await page.getByTestId('step').click();
  await page.waitForFunction(() => window.__RANKPLAY__!.getState().step === 1);
});

test('a lost GPU device falls back to the next backend with a visible notice', async ({ page }) => {
  await page.goto(appUrl(tinyConfig({ maxSteps: 20, evalEvery: 5 }), 'webgpu'));
  const before = await waitReady(page);
  expect(before.backend!.active).toBe('webgpu');
  expect(await page.evaluate(() => window.__RANKPLAY__!.loseGpuDevice!())).toBe(true);
  await page.waitForFunction(() => {
    const b = window.__RANKPLAY__!.getState().backend;
    return b !== null && b.active !== 'webgpu';
  });
  await expect(page.getByTestId('notice').filter({ hasText: 'GPU device was lost' })).toBeVisible();
  const after = await waitReady(page);
  expect(after.backend!.active).not.toBe('webgpu');
  // The page still works: the rebuilt run trains on the new backend.
  await page.getByTestId('play-pause').click();
  await page.waitForFunction(() => window.__RANKPLAY__!.getState().runState === 'done', null, { timeout: 60_000 });
  await expect(page.getByTestId('backend-label')).not.toContainText('WebGPU ·');
});
