import { expect, test, type Page } from '@playwright/test';
import { defaultConfig } from '../src/core/experiment/config';
import { decodeLink, encodeLink } from '../src/core/share/link';
import { saveScreenshot, waitReady } from './helpers';

/**
 * The click, "Rerank text" and "Adapt the reranker" panels' settings travel in share links: a
 * visitor changes one thing in each panel, and the address (and the Share dialog's link, the
 * same) reproduces it for someone else.
 */

test.afterEach(async ({ page }, info) => {
  await saveScreenshot(page, info);
});

const MODEL_URL = 'https://huggingface.co/cross-encoder/ms-marco-MiniLM-L6-v2/resolve/main/';

/** The controls, found as a person finds them: by their labels, in their panels. */
function controls(page: Page) {
  const clicks = page.getByTestId('click-panel');
  const text = page.getByTestId('text-panel');
  const adapt = page.getByTestId('adapt-panel');
  return {
    clickEta: clicks.getByLabel('η (bias severity)', { exact: true }),
    textDepth: text.getByLabel('Rerank depth', { exact: true }),
    textModel: text.getByLabel('Model', { exact: true }),
    textModelUrl: text.getByLabel('URL base or Hugging Face id', { exact: true }),
    adaptRank: adapt.getByLabel('Rank r', { exact: true }),
  };
}

test('a click, a text and an adapt setting changed on the page travel in its link to a new page', async ({ page, context }) => {
  await page.goto('/');
  await waitReady(page);
  const c = controls(page);

  // Click panel: η, typed (the box applies each keystroke).
  await c.clickEta.fill('2.5');
  // Text panel: rerank depth (commits on Enter), and a model from a URL.
  await c.textDepth.fill('12');
  await c.textDepth.press('Enter');
  await c.textModel.selectOption('url');
  await c.textModelUrl.fill(MODEL_URL);
  // Adapt panel: the adapter's rank.
  await c.adaptRank.fill('16');
  await c.adaptRank.press('Enter');

  const expected = { clicks: { eta: 2.5 }, text: { depth: 12, model: 'url', modelUrl: MODEL_URL }, adapt: { r: 16 } };
  await expect.poll(() => decodeLink(new URL(page.url()).hash).link.panels).toEqual(expected);
  const shared = page.url();

  // The Share dialog offers the same link.
  await page.getByTestId('share-open').click();
  const dialog = page.getByRole('dialog', { name: 'Share this experiment' });
  await expect(dialog.getByTestId('share-link')).toHaveValue(shared);
  await page.keyboard.press('Escape');

  const visitor = await context.newPage();
  await visitor.goto(shared);
  const s = await waitReady(visitor);
  const v = controls(visitor);
  await expect(v.clickEta).toHaveValue('2.5');
  await expect(v.textDepth).toHaveValue('12');
  await expect(v.textModel).toHaveValue('url');
  await expect(v.textModelUrl).toHaveValue(MODEL_URL);
  await expect(v.adaptRank).toHaveValue('16');
  expect(s.notices.filter((n) => n.level !== 'info')).toEqual([]);
  // The visitor's address is the same link: sharing it on reproduces it again.
  expect(decodeLink(new URL(visitor.url()).hash).link.panels).toEqual(expected);
  // The three panels as the visitor sees them (the page itself is saved after the test).
  await visitor.getByTestId('click-panel').screenshot({ path: 'test-results/screenshots/panel-links-visitor-clicks.png' });
  await visitor.getByTestId('text-panel').screenshot({ path: 'test-results/screenshots/panel-links-visitor-text-adapt.png' });
  await visitor.close();
});

test('a link pasted into the same tab sets the panels; a files model arrives as its kind with a note', async ({ page }) => {
  await page.goto('/');
  await waitReady(page);
  const c = controls(page);
  await c.clickEta.fill('2');
  await expect(c.clickEta).toHaveValue('2');

  const pasted = encodeLink({ v: 2, experiment: defaultConfig(), view: {}, panels: { clicks: { eta: 3 }, text: { model: 'files' }, adapt: { r: 4 } } });
  await page.evaluate((hash) => (window.location.hash = hash), pasted);
  await expect(c.clickEta).toHaveValue('3');
  await expect(c.textModel).toHaveValue('files');
  await expect(c.adaptRank).toHaveValue('4');
  await expect(page.getByTestId('text-model-folder')).toBeAttached();
  await page.waitForFunction(() => window.__RANKPLAY__!.getState().notices.some((n) => n.message.includes('files never travel')));

  // A link without panels puts every panel back at its defaults.
  await page.evaluate((hash) => (window.location.hash = hash), encodeLink({ v: 2, experiment: defaultConfig(), view: {} }));
  await expect(c.clickEta).toHaveValue('1');
  await expect(c.textModel).toHaveValue('demo');
  await expect(c.adaptRank).toHaveValue('8');
});
