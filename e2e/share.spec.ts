import { expect, test, type Page } from '@playwright/test';
import { appUrl, snapshot, tinyConfig, waitReady } from './helpers';

/** Issue 9: the Share dialog (copy link, link size, QR code) and the refusal of oversized links. */

const ORIGIN = 'http://127.0.0.1:4173';

async function openShare(page: Page) {
  await page.getByTestId('share-open').click();
  const dialog = page.getByRole('dialog', { name: 'Share this experiment' });
  await expect(dialog).toBeVisible();
  return dialog;
}

/**
 * No valid experiment makes a link anywhere near 8,000 characters (the config's schema bounds it),
 * so the long-link cases stand the page at a very long path: the share link is origin + path +
 * `#l=…`, so it grows by `extra` characters.
 */
async function padAddress(page: Page, extra: number): Promise<string> {
  return page.evaluate((n) => {
    const url = new URL(window.location.href);
    url.pathname = '/' + 'x'.repeat(n);
    window.history.replaceState(window.history.state, '', url.href);
    return window.location.href;
  }, extra);
}

test('Share: copy the current link, its size, a QR code; the link restores the settings', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: ORIGIN });
  const config = tinyConfig({ maxSteps: 77, evalEvery: 7, seed: 1234 });
  await page.goto(appUrl(config));
  const before = await waitReady(page);

  const dialog = await openShare(page);
  const field = dialog.getByTestId('share-link');
  const href = page.url();
  expect(href).toMatch(/#l=[A-Za-z0-9_-]+$/);
  await expect(field).toHaveValue(href);
  await expect(field).toBeFocused();
  await expect(dialog.getByTestId('share-size')).toHaveText(`Link size: ${href.length.toLocaleString('en-US')} characters of 8,000`);

  const qr = dialog.getByTestId('share-qr');
  await expect(qr).toBeVisible();
  expect(await qr.evaluate((el) => el.tagName.toLowerCase())).toBe('svg');
  expect(Number(await qr.getAttribute('data-modules'))).toBeGreaterThanOrEqual(21);
  const box = await qr.boundingBox();
  expect(box!.width).toBeGreaterThanOrEqual(200);

  // Download gives a standalone SVG file.
  const [download] = await Promise.all([page.waitForEvent('download'), dialog.getByTestId('share-qr-download').click()]);
  expect(download.suggestedFilename()).toBe('rankplay-link-qr.svg');

  await page.setViewportSize({ width: 1280, height: 860 });
  await page.screenshot({ path: 'test-results/screenshots/share-dialog-1280.png' });
  await page.setViewportSize({ width: 360, height: 780 });
  await page.screenshot({ path: 'test-results/screenshots/share-dialog-360.png' });
  await page.setViewportSize({ width: 1280, height: 860 });

  await dialog.getByTestId('share-copy').click();
  await expect(dialog.getByTestId('share-status')).toHaveText('Copied');
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toBe(href);

  // Escape closes the dialog and focus returns to the Share button.
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('share-open')).toBeFocused();
  await page.setViewportSize({ width: 360, height: 780 });
  await expect(page.getByTestId('share-open')).toBeInViewport();
  await page.screenshot({ path: 'test-results/screenshots/share-button-360.png' });
  await page.setViewportSize({ width: 1280, height: 860 });

  // The copied link opens the same experiment in a fresh page.
  const other = await context.newPage();
  await other.goto(copied);
  const after = await waitReady(other);
  expect(after.config).toEqual(before.config);
  expect(after.config.train.maxSteps).toBe(77);
  expect(after.config.seed).toBe(1234);
  await other.close();
  expect((await snapshot(page)).config).toEqual(before.config);
});

test('Share: a link too long for a QR code is still offered; one over 8,000 characters is refused', async ({ page }) => {
  await page.goto(appUrl(tinyConfig()));
  await waitReady(page);

  const long = await padAddress(page, 4000);
  let dialog = await openShare(page);
  await expect(dialog.getByTestId('share-link')).toHaveValue(long);
  await expect(dialog.getByTestId('share-no-qr')).toContainText('too long for a QR code');
  await expect(dialog.getByTestId('share-qr')).toHaveCount(0);
  await expect(dialog.getByTestId('share-copy')).toBeEnabled();
  await dialog.getByRole('button', { name: 'Close share dialog' }).click();
  await expect(dialog).toBeHidden();

  const huge = await padAddress(page, 9000);
  dialog = await openShare(page);
  const refusal = dialog.getByTestId('share-refusal');
  await expect(refusal).toContainText(
    `This experiment is too large for a link (${huge.length.toLocaleString('en-US')} characters, browsers cut links beyond 8,000)`,
  );
  await expect(dialog.getByTestId('share-copy')).toBeDisabled();
  await expect(dialog.getByTestId('share-link')).toHaveCount(0);
  await expect(dialog.getByTestId('share-qr')).toHaveCount(0);
  await expect(dialog.getByTestId('share-size')).toContainText(`${huge.length.toLocaleString('en-US')} characters of 8,000`);
  await page.screenshot({ path: 'test-results/screenshots/share-dialog-refused.png' });
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
});
