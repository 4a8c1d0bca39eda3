import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import type { ExperimentConfig } from '../src/core/experiment/config';
import { defaultConfig } from '../src/core/experiment/config';
import { encodeJsonPayload } from '../src/core/experiment/url-codec';
import { encodeLink } from '../src/core/share/link';
import type { ShareLink } from '../src/core/share/types';
import { saveScreenshot, snapshot, tinyConfig, waitReady } from './helpers';

/** Share links (issue 9): `#l=` v2 links with the view, and v1 `#c=` links still opening. */

test.afterEach(async ({ page }, info) => {
  await saveScreenshot(page, info);
});

// Read as text: Playwright's loader wants an import attribute for JSON modules.
const linksV1 = JSON.parse(readFileSync(new URL('../src/core/share/fixtures/links-v1.json', import.meta.url), 'utf8')) as {
  links: { name: string; hash: string; expected: ExperimentConfig }[];
};

const linkPath = (link: ShareLink): string => `/${encodeLink(link)}`;

test('a changed setting and chart metric travel in the #l= link to a new page', async ({ page, context }) => {
  await page.goto('/');
  await waitReady(page);
  const seed = page.getByTestId('cfg-seed');
  await seed.fill('4321');
  await seed.press('Enter');
  await page.waitForFunction(() => window.__RANKPLAY__!.getState().config.seed === 4321);
  await waitReady(page);
  await page.getByTestId('measure-select').selectOption('ndcg@3');
  await expect.poll(() => page.url()).toContain('#l=');
  const shared = page.url();

  const visitor = await context.newPage();
  await visitor.goto(shared);
  const s = await waitReady(visitor);
  expect(s.config.seed).toBe(4321);
  await expect(visitor.getByTestId('cfg-seed')).toHaveValue('4321');
  await expect(visitor.getByTestId('measure-select')).toHaveValue('ndcg@3');
  expect(await visitor.evaluate(() => window.__RANKPLAY__!.getState().shareView)).toEqual({ metric: 'ndcg@3' });
  expect(s.notices.filter((n) => n.level !== 'info')).toEqual([]);
  // Opening a shared page does not start training by itself.
  expect(s.runState).toBe('idle');
  await visitor.close();
});

test('a stored v1 (#c=) link opens with its settings and the address is rewritten as #l=', async ({ page }) => {
  const example = linksV1.links.find((l) => l.name.startsWith('click settings'));
  expect(example).toBeDefined();
  await page.goto(`/${example!.hash}`);
  const s = await waitReady(page);
  expect(s.config).toEqual(example!.expected);
  expect(s.notices.filter((n) => n.level !== 'info')).toEqual([]);
  await expect.poll(() => new URL(page.url()).hash.slice(0, 3)).toBe('#l=');
  expect(page.url()).not.toContain('#c=');
});

test('a link with run: true starts training without pressing Play', async ({ page }) => {
  await page.goto(linkPath({ v: 2, experiment: tinyConfig({ maxSteps: 5000, evalEvery: 10 }), view: {}, run: true }));
  await page.waitForFunction(() => window.__RANKPLAY__!.getState().step > 0, null, { timeout: 90_000 });
  await expect(page.getByTestId('step-counter')).not.toContainText('step 0 /');
  // The address it leaves behind does not start training again when shared on.
  await expect.poll(() => page.url()).toContain('#l=');
  const hash = new URL(page.url()).hash;
  expect(hash).toBe(encodeLink({ v: 2, experiment: tinyConfig({ maxSteps: 5000, evalEvery: 10 }), view: {}, run: false }));
  await page.getByTestId('play-pause').click();
});

test('a link with view.metric err@10 shows that metric in the main chart', async ({ page }) => {
  await page.goto(linkPath({ v: 2, experiment: tinyConfig(), view: { metric: 'err@10' } }));
  await waitReady(page);
  await expect(page.getByTestId('measure-select')).toHaveValue('err@10');
  await expect(page.getByTestId('ndcg-chart')).toContainText('Test ERR@10');
});

test('a link from a newer RankPlay says so and shows the default experiment', async ({ page }) => {
  const future = `#l=${encodeJsonPayload({ v: 3, experiment: { version: 2, seed: 1 }, view: { hologram: true } })}`;
  await page.goto(`/${future}`);
  const s = await waitReady(page);
  expect(s.config).toEqual(defaultConfig());
  await expect(page.getByTestId('notice').filter({ hasText: 'made by a newer RankPlay (link version 3)' })).toBeVisible();
  expect((await snapshot(page)).config).toEqual(defaultConfig());
});
