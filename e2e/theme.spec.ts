import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { demoLink } from '../src/core/share/demos';
import { encodeLink } from '../src/core/share/link';
import { appUrl, tinyConfig, waitReady } from './helpers';

/**
 * Issue 9, quality of the page: a dark theme that follows the system (dark background, light
 * text, no serious contrast findings), and a status bar that does not cover a phone's screen.
 */

/** Relative luminance of a computed `rgb(...)`/`rgba(...)` colour (WCAG definition). */
function luminance(css: string): number {
  const m = css.match(/rgba?\(([^)]+)\)/);
  if (!m) throw new Error(`not an rgb colour: ${css}`);
  const [r, g, b] = m[1].split(/[ ,/]+/).filter(Boolean).slice(0, 3).map(Number);
  const lin = (c: number) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

async function colours(page: Page): Promise<{ bg: string; ink: string; panel: string; panelInk: string }> {
  return page.evaluate(() => {
    const root = getComputedStyle(document.documentElement);
    const panel = document.querySelector('.chart') ?? document.body;
    const p = getComputedStyle(panel);
    return { bg: root.backgroundColor, ink: root.color, panel: p.backgroundColor, panelInk: p.color };
  });
}

async function expectNoSeriousViolations(page: Page, what: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
  expect(results.passes.length, 'axe ran rules').toBeGreaterThan(10);
  expect(
    [...results.passes, ...results.violations, ...results.incomplete].some((r) => r.id === 'color-contrast'),
    'the colour-contrast rule ran',
  ).toBe(true);
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const report = bad
    .map((v) => `[${v.impact}] ${v.id}: ${v.help}\n${v.nodes.slice(0, 8).map((n) => `  - ${n.target.join(' ')}\n    ${n.failureSummary ?? ''}`).join('\n')}`)
    .join('\n\n');
  expect(bad, `axe violations on ${what}:\n\n${report}`).toHaveLength(0);
}

test('dark theme follows the system: dark background, light text, no serious axe findings', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(appUrl(tinyConfig()));
  await waitReady(page);

  const c = await colours(page);
  expect(luminance(c.bg), `page background ${c.bg}`).toBeLessThan(0.05);
  expect(luminance(c.ink), `text ${c.ink}`).toBeGreaterThan(0.6);
  expect(luminance(c.panel), `panel background ${c.panel}`).toBeLessThan(0.05);
  expect(luminance(c.panelInk), `panel text ${c.panelInk}`).toBeGreaterThan(0.6);

  await expectNoSeriousViolations(page, 'the main page in dark mode');

  await page.screenshot({ path: 'test-results/screenshots/dark-1280x900.png', fullPage: false });
});

test('light theme stays light', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto(appUrl(tinyConfig()));
  await waitReady(page);
  const c = await colours(page);
  expect(luminance(c.bg)).toBeGreaterThan(0.8);
  expect(luminance(c.ink)).toBeLessThan(0.05);
});

test('on a 360-px phone the status bar does not cover the screen', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.setViewportSize({ width: 360, height: 740 });
  await page.goto(appUrl(tinyConfig()));
  await waitReady(page);

  const bar = page.getByTestId('status-bar');
  await expect(bar).toBeAttached();
  const { position, height } = await bar.evaluate((el) => ({ position: getComputedStyle(el).position, height: el.getBoundingClientRect().height }));
  const covers = position === 'fixed' || position === 'sticky';
  if (covers) expect(height, 'status bar height at 360×740').toBeLessThanOrEqual(64);
  // Its data and the backend selector still work.
  await expect(page.getByTestId('backend-label')).not.toHaveText('starting…');
  await expect(page.getByTestId('backend-select')).toBeEnabled();
  await page.screenshot({ path: 'test-results/screenshots/dark-360x740.png', fullPage: false });
  await bar.scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/screenshots/dark-360x740-status.png', fullPage: false });
});

test('dark theme: the Share and Python dialogs and a guided demo (KaTeX) stay readable', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(appUrl(tinyConfig()));
  await waitReady(page);

  await page.getByRole('button', { name: 'Share', exact: true }).click();
  const share = page.getByRole('dialog', { name: 'Share this experiment' });
  await expect(share).toBeVisible();
  await expectNoSeriousViolations(page, 'the Share dialog in dark mode');
  await page.screenshot({ path: 'test-results/screenshots/dark-share.png' });
  await page.keyboard.press('Escape');
  await expect(share).toBeHidden();

  await page.getByTestId('export-open').click();
  await page.getByRole('menuitem', { name: /Open in Python/ }).click();
  const python = page.getByRole('dialog', { name: 'Open in Python' });
  await expect(python).toBeVisible();
  await expectNoSeriousViolations(page, 'the Python dialog in dark mode');
  await page.screenshot({ path: 'test-results/screenshots/dark-python.png' });
  await page.keyboard.press('Escape');

  await page.goto(`/${encodeLink(demoLink('ips'))}`);
  await expect(page.getByTestId('demo-panel').locator('.katex').first()).toBeVisible();
  await page.waitForFunction(() => Boolean(window.__RANKPLAY__?.getState().backend) && window.__RANKPLAY__!.getState().points.length > 0, null, { timeout: 90_000 });
  const katexInk = await page.getByTestId('demo-panel').locator('.katex').first().evaluate((el) => getComputedStyle(el).color);
  expect(luminance(katexInk), `KaTeX text ${katexInk}`).toBeGreaterThan(0.6);
  await expectNoSeriousViolations(page, 'the IPS demo in dark mode');
  await page.screenshot({ path: 'test-results/screenshots/dark-demo-ips.png', fullPage: true });
});
