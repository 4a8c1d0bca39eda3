import { expect, test, type Page } from '@playwright/test';
import { appUrl, saveScreenshot, snapshot, tinyConfig, waitForState, waitReady } from './helpers';

/** Issue 9: finished runs are saved in IndexedDB; the History panel renames, compares, reopens and deletes them. */

async function runToDone(page: Page, seed: number): Promise<void> {
  // A fresh page load per experiment (a hash change alone would be taken as a pasted link).
  await page.goto('about:blank');
  await page.goto(appUrl(tinyConfig({ seed, maxSteps: 20, evalEvery: 10 }), 'wasm'));
  await waitReady(page);
  await page.getByTestId('play-pause').click();
  await waitForState(page, 'done');
}

const items = (page: Page) => page.getByTestId('history-item');

test('History: saved on done, renamed, compared, reopened and deleted', async ({ page }, info) => {
  await runToDone(page, 101);
  await expect(items(page)).toHaveCount(1);
  const first = items(page).first();
  const firstId = await first.getAttribute('data-run-id');
  await expect(first.getByTestId('history-name')).toContainText('20 steps');
  await expect(first.getByTestId('history-final')).toContainText('linear');

  // Rename: Escape cancels, Enter saves; the name survives a reload.
  await first.getByTestId('history-rename').click();
  const input = first.getByTestId('history-rename-input');
  await expect(input).toBeFocused();
  await input.fill('Throwaway');
  await input.press('Escape');
  await expect(first.getByTestId('history-name')).not.toHaveText('Throwaway');
  await expect(first.getByTestId('history-rename')).toBeFocused();
  await first.getByTestId('history-rename').click();
  await first.getByTestId('history-rename-input').fill('First run');
  await first.getByTestId('history-rename-input').press('Enter');
  await expect(first.getByTestId('history-name')).toHaveText('First run');
  await page.reload();
  await expect(items(page)).toHaveCount(1);
  await expect(items(page).first().getByTestId('history-name')).toHaveText('First run');

  // A second experiment, another seed.
  await runToDone(page, 202);
  await expect(items(page)).toHaveCount(2);
  const second = page.locator(`[data-testid="history-item"]:not([data-run-id="${firstId}"])`);
  const secondName = (await second.getByTestId('history-name').textContent()) ?? '';
  expect(secondName).toContain('20 steps');

  // Compare both: one line per run × ranker, one table row per run × ranker.
  await page.getByRole('checkbox', { name: 'Compare First run' }).check();
  await expect(page.getByText('Tick one more run to compare.')).toBeVisible();
  await second.getByTestId('history-compare').check();
  const chart = page.getByTestId('history-compare-chart');
  await expect(chart).toBeVisible();
  await expect(chart.locator('.recharts-line')).toHaveCount(4);
  const series = (await chart.getAttribute('data-series')) ?? '';
  expect(series).toContain('First run · linear');
  expect(series).toContain(`${secondName} · mlp`);
  await expect(chart.locator('.recharts-legend-item')).toHaveCount(4);
  const rows = page.getByTestId('history-compare-row');
  await expect(rows).toHaveCount(4);
  await expect(rows.filter({ hasText: 'First run · linear' })).toHaveCount(1);
  await expect(rows.filter({ hasText: `${secondName} · mlp` })).toHaveCount(1);
  // Exactly one best mark per column (five measures), unless two runs tie.
  expect(await page.getByTestId('history-compare-table').locator('td[data-best="true"]').count()).toBeGreaterThanOrEqual(5);
  await saveScreenshot(page, info);
  await page.getByTestId('history-panel').screenshot({ path: 'test-results/screenshots/history-panel.png' });

  // Open the first one: its config (seed) comes back.
  expect((await snapshot(page)).config.seed).toBe(202);
  await page.getByRole('button', { name: 'Open First run: reload its setup' }).click();
  await page.waitForFunction(() => window.__RANKPLAY__?.getState().config.seed === 101);
  expect((await snapshot(page)).config.seed).toBe(101);

  // Delete the second one (undo is offered); it stays gone after a reload.
  await second.getByTestId('history-delete').click();
  await expect(page.getByTestId('history-undo')).toBeVisible();
  await expect(items(page)).toHaveCount(1);
  await page.reload();
  await expect(items(page)).toHaveCount(1);
  await expect(items(page).first().getByTestId('history-name')).toHaveText('First run');
  await expect(page.getByText(secondName)).toHaveCount(0);
});

test('History: undo brings a deleted run back; Save run now saves a paused run', async ({ page }) => {
  await page.goto(appUrl(tinyConfig({ seed: 303, maxSteps: 400, evalEvery: 10 }), 'wasm'));
  await waitReady(page);
  await page.getByTestId('step').click();
  await waitForState(page, 'paused');
  await page.getByTestId('history-save-now').click();
  await expect(items(page)).toHaveCount(1);
  await items(page).first().getByTestId('history-delete').click();
  await expect(items(page)).toHaveCount(0);
  await page.getByTestId('history-undo-button').click();
  await expect(items(page)).toHaveCount(1);
  await page.reload();
  await expect(items(page)).toHaveCount(1);
});

test('History: IndexedDB failing shows a notice, not a blank page', async ({ page }) => {
  await page.addInitScript(() => {
    const failing = () => {
      throw new Error('simulated private mode');
    };
    Object.defineProperty(IDBFactory.prototype, 'open', { value: failing, configurable: true });
  });
  await page.goto(appUrl(tinyConfig({ seed: 404 }), 'wasm'));
  await expect(page.getByTestId('history-error')).toContainText('unavailable');
  await expect(page.getByTestId('ndcg-chart')).toBeVisible();
});
