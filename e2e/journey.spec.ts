import { expect, test, type Page } from '@playwright/test';
import { demoLink } from '../src/core/share/demos';
import { encodeLink } from '../src/core/share/link';
import { saveScreenshot, snapshot, waitReady, type Snapshot } from './helpers';

/**
 * Issue 9's "done when": a first-time visitor opens a demo link, changes one thing, and sends a
 * new link that reproduces it for someone else (same setup, same lesson, same numbers).
 */

test.afterEach(async ({ page }, info) => {
  await saveScreenshot(page, info);
});

async function stepThrice(page: Page): Promise<Snapshot> {
  for (let i = 1; i <= 3; i++) {
    await page.getByTestId('step').click();
    await page.waitForFunction((n) => window.__RANKPLAY__!.getState().step === n && window.__RANKPLAY__!.getState().runState !== 'playing', i);
  }
  await page.waitForFunction(() => window.__RANKPLAY__!.getState().points.at(-1)?.step === 3);
  return snapshot(page);
}

test('demo link → change η → Share → the new link gives someone else the same lesson, setting and numbers', async ({ page, browser }) => {
  await page.goto(`/${encodeLink(demoLink('position-bias'))}`);
  await expect(page.getByTestId('demo-panel')).toBeVisible();
  await expect(page.getByTestId('demo-changes')).toHaveCount(0);
  // The demo starts by itself; the visitor stops it and makes position bias stronger.
  await page.waitForFunction(() => window.__RANKPLAY__!.getState().step > 0, null, { timeout: 60_000 });
  const eta = page.getByTestId('cfg-click-eta');
  await eta.fill('2');
  await eta.press('Enter');
  await page.waitForFunction(() => window.__RANKPLAY__!.getState().config.clicks.model.eta === 2);
  const mine = await waitReady(page);
  expect(mine.step).toBe(0);
  // The lesson's text describes η = 1: the panel says what the visitor changed.
  await expect(page.getByTestId('demo-changes')).toContainText('clicks.model.eta 1 → 2');

  await page.getByTestId('share-open').click();
  const link = await page.getByTestId('share-dialog').getByTestId('share-link').inputValue();
  await page.keyboard.press('Escape');
  const mineAfter = await stepThrice(page);

  const other = await browser.newContext();
  const friend = await other.newPage();
  await friend.goto(link);
  await expect(friend.getByTestId('demo-panel')).toBeVisible();
  await expect(friend.getByTestId('cfg-click-eta')).toHaveValue('2');
  const theirs = await waitReady(friend);
  expect(theirs.config).toEqual(mine.config);
  expect(theirs.backend?.active).toBe(mine.backend?.active);
  const theirsAfter = await stepThrice(friend);
  expect(theirsAfter.points).toEqual(mineAfter.points);
  await expect(friend.getByTestId('demo-changes')).toContainText('clicks.model.eta 1 → 2');
  await friend.screenshot({ path: 'test-results/screenshots/journey-friend-opens-the-new-link.png', fullPage: true });
  await other.close();

  // And back: the demo's own settings again.
  await page.getByTestId('demo-restore').click();
  await expect(page.getByTestId('demo-changes')).toHaveCount(0);
  // (The demo's own run was checkpointed when η changed, so it may resume where it stopped.)
  await page.waitForFunction(() => {
    const s = window.__RANKPLAY__!.getState();
    return s.config.clicks.model.eta === 1 && !s.loading && s.points.length > 0;
  });
});
