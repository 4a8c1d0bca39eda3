import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { saveScreenshot, waitReady } from './helpers';

/**
 * The click panel's long runs: a million Plackett–Luce sessions and a DBN fit take seconds in the
 * worker. The panel shows which pass is running with a bar that advances, Cancel stops the run
 * within a slice of work, the panel says it was cancelled, and the next run works as before.
 */

const PHASES = ['sessions', 'ranking', 'intervention', 'clicks', 'summary', 'fit'];

/** Where the run is, as one number that only grows: phase index, then the share of it done. */
async function position(page: Page): Promise<number | null> {
  return page.evaluate((phases) => {
    const p = window.__RANKPLAY__!.getState().clickProgress;
    if (!p) return null;
    return phases.indexOf(p.phase) + (p.total > 0 ? p.done / p.total : 0) * 0.999;
  }, PHASES);
}

test.afterEach(async ({ page }, info) => {
  await saveScreenshot(page, info);
});

test('Simulate clicks shows a progress bar that advances, Cancel stops the run, and the panel works on', async ({ page }) => {
  await page.goto('/');
  await waitReady(page);
  await page.getByTestId('click-policy').selectOption('pl');
  await page.getByTestId('click-sessions').fill('1000000');
  await page.getByTestId('click-fit-model').selectOption('dbn');
  await expect(page.getByTestId('click-error')).toHaveCount(0);

  await page.getByTestId('simulate-clicks').click();
  const progress = page.getByTestId('click-progress');
  await expect(progress).toBeVisible();
  await expect(page.getByTestId('simulate-clicks')).toBeDisabled();
  const bar = page.getByTestId('click-progress-bar');
  await expect(bar).toHaveAttribute('aria-label', /progress/);

  // The bar shows a known size and moves on: its value grows within the ranking pass (seconds of
  // Plackett–Luce draws), and the run goes on through the later phases.
  await expect(progress).toHaveAttribute('data-phase', 'ranking', { timeout: 20_000 });
  const firstValue = Number(await bar.getAttribute('value'));
  const max = Number(await bar.getAttribute('max'));
  expect(max).toBe(1_000_000);
  await expect.poll(async () => Number((await bar.getAttribute('value')) ?? Number.POSITIVE_INFINITY), { timeout: 20_000 }).toBeGreaterThan(firstValue);
  const first = await position(page);
  expect(first).not.toBeNull();
  await expect.poll(() => position(page), { timeout: 20_000 }).toBeGreaterThan(first!);
  await expect(page.getByTestId('click-progress-phase')).toHaveText(/Simulating sessions|Ranking \(policy\)|Clicks|Summarising|Fitting DBN/);

  // The running panel is labelled and keyboard reachable: axe finds nothing serious in it.
  const scan = await new AxeBuilder({ page }).include('[data-testid="click-panel"]').withTags(['wcag2a', 'wcag2aa']).analyze();
  expect(scan.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);

  // Cancel, from the keyboard: the run stops soon (well before it would have finished).
  const cancel = page.getByTestId('click-cancel');
  await cancel.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('click-cancelled')).toBeVisible({ timeout: 5_000 });
  await expect(page.getByTestId('click-cancelled')).toHaveAttribute('role', 'status');
  await expect(page.getByTestId('click-cancelled')).toContainText('Simulation cancelled');
  await expect(page.getByTestId('simulate-clicks')).toBeFocused();
  await expect(progress).toHaveCount(0);
  await expect(page.getByTestId('click-error')).toHaveCount(0);
  const state = await page.evaluate(() => {
    const s = window.__RANKPLAY__!.getState();
    return { running: s.clickRunning, progress: s.clickProgress, result: s.clickResult, cancelled: s.clickCancelled };
  });
  expect(state).toEqual({ running: false, progress: null, result: null, cancelled: true });

  // The page still works: a small run gives a result, and the notice goes.
  await page.getByTestId('click-sessions').fill('2000');
  await page.getByTestId('simulate-clicks').click();
  await expect(page.getByTestId('click-summary')).toContainText('2,000 sessions', { timeout: 30_000 });
  await expect(page.getByTestId('click-cancelled')).toHaveCount(0);
  await expect(page.getByTestId('click-summary')).toContainText('Fitted DBN');

  // A cancelled run keeps the result before it.
  await page.getByTestId('click-sessions').fill('1000000');
  await page.getByTestId('simulate-clicks').click();
  await expect(page.getByTestId('click-progress-bar')).toBeVisible();
  await page.getByTestId('click-cancel').click();
  await expect(page.getByTestId('click-cancelled')).toContainText('the results below are from the run before');
  await expect(page.getByTestId('click-summary')).toContainText('2,000 sessions');
});
