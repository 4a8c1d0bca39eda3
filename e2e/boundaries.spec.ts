import { expect, test } from '@playwright/test';
import { appUrl, saveScreenshot, tinyConfig, waitForState, waitReady } from './helpers';

/**
 * An error boundary per section (issue 9): one section failing to render shows its own message
 * with "Try again", and the rest of the page keeps working.
 */

test.afterEach(async ({ page }, info) => {
  await saveScreenshot(page, info);
});

test('a malformed stored-set record breaks only the data list: the run still trains and the list comes back', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(appUrl(tinyConfig({ maxSteps: 20 })));
  await waitReady(page);
  // A record as a future version (or a corrupted IndexedDB) might hand over: no files, no splits.
  await page.evaluate(() => {
    const bad = { id: 'broken', name: 'broken set', kind: 'features', createdAt: 1 } as never;
    window.__RANKPLAY__!.getState().applyWorkerEvent({ type: 'datasets', list: [bad] });
  });
  const failed = page.getByTestId('panel-error');
  await expect(failed.first()).toBeVisible();
  await expect(failed.filter({ hasText: 'list of stored data sets could not be shown' })).toHaveCount(1);
  // Everything else is still there and works.
  await expect(page.getByTestId('error-panel')).toHaveCount(0);
  await expect(page.getByRole('heading', { name: 'Your data' })).toBeVisible();
  await expect(page.getByTestId('cfg-seed')).toBeVisible();
  await page.getByTestId('play-pause').click();
  const done = await waitForState(page, 'done');
  expect(done.step).toBe(20);

  // The data is fixed (the worker lists it again): Try again shows the list.
  await page.evaluate(() => window.__RANKPLAY__!.getState().applyWorkerEvent({ type: 'datasets', list: [] }));
  const broken = await failed.count();
  expect(broken).toBeLessThanOrEqual(2); // the list, and the summary that shows the newest set
  for (let i = 0; i < broken; i++) await failed.first().getByRole('button', { name: 'Try again' }).click();
  await expect(failed).toHaveCount(0);
  expect(errors).toEqual([]);
});
