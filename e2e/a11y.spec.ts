import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { demoLink } from '../src/core/share/demos';
import { encodeLink } from '../src/core/share/link';
import { appUrl, tinyConfig, waitForState, waitReady } from './helpers';

/**
 * Issue 9, quality of the page: an axe-core scan (WCAG 2 A and AA) of the main page, a guided demo
 * and the Share dialog finds nothing serious or critical; the Content-Security-Policy is in place
 * and nothing the app does (training, a cross-encoder rerank) trips it.
 */

async function expectNoSeriousViolations(page: Page, what: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
  // Sanity: axe did run over the page (rules passed), and milder findings are recorded, not failed.
  expect(results.passes.length, 'axe ran rules').toBeGreaterThan(10);
  for (const v of results.violations) {
    test.info().annotations.push({ type: `axe ${v.impact}`, description: `${what}: ${v.id} (${v.nodes.length} nodes)` });
  }
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const report = bad
    .map((v) => {
      const nodes = v.nodes
        .slice(0, 8)
        .map((n) => `    - ${n.target.join(' ')}\n      ${n.failureSummary?.replace(/\n/g, '\n      ') ?? ''}`)
        .join('\n');
      const more = v.nodes.length > 8 ? `\n    … and ${v.nodes.length - 8} more` : '';
      return `[${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})\n${nodes}${more}`;
    })
    .join('\n\n');
  expect(bad, `axe violations on ${what}:\n\n${report}`).toHaveLength(0);
}

test('axe: the main page after the first evaluation', async ({ page }) => {
  await page.goto(appUrl(tinyConfig()));
  await waitReady(page);
  await expectNoSeriousViolations(page, 'the main page');
});

test('axe: the IPS guided demo', async ({ page }) => {
  await page.goto(`/${encodeLink(demoLink('ips'))}`);
  await expect(page.getByTestId('demo-panel').locator('.katex').first()).toBeVisible();
  await page.waitForFunction(() => Boolean(window.__RANKPLAY__?.getState().backend) && window.__RANKPLAY__!.getState().points.length > 0, null, { timeout: 90_000 });
  await expectNoSeriousViolations(page, 'the IPS demo');
});

test('axe: the Share dialog open', async ({ page }) => {
  await page.goto(appUrl(tinyConfig()));
  await waitReady(page);
  await page.getByRole('button', { name: 'Share', exact: true }).click();
  await expect(page.getByRole('dialog', { name: 'Share this experiment' })).toBeVisible();
  await expectNoSeriousViolations(page, 'the Share dialog');
});

test('CSP: the meta policy is present, and training + a rerank of the demo corpus violate nothing', async ({ page }) => {
  test.setTimeout(240_000);
  await page.addInitScript(() => {
    const w = window as unknown as { __cspViolations: string[] };
    w.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      w.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI} (${e.sourceFile}:${e.lineNumber})`);
    });
  });
  const violations = () => page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations);

  await page.goto(appUrl(tinyConfig()));
  const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  expect(csp).toContain("default-src 'self'");
  expect(csp).toContain("'wasm-unsafe-eval'");
  await waitReady(page);

  await page.getByTestId('play-pause').click();
  await waitForState(page, 'done');

  const panel = page.getByTestId('text-panel');
  await panel.scrollIntoViewIfNeeded();
  const idle = () => page.waitForFunction(() => window.__RANKPLAY__!.getState().textRunning === null, null, { timeout: 180_000 });
  await panel.getByTestId('text-run-bm25').click();
  await idle();
  await panel.getByTestId('text-model').selectOption('demo');
  const depth = panel.getByTestId('text-depth');
  await depth.fill('20');
  await depth.press('Enter');
  await panel.getByTestId('text-run-rerank').click();
  await idle();
  const rerank = await page.evaluate(() => window.__RANKPLAY__!.getState().textRerank?.rerank.metrics?.ndcg10 ?? null);
  expect(rerank, 'the rerank finished').not.toBeNull();

  expect(await violations()).toEqual([]);
});
