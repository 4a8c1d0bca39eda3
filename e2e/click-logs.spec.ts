import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test, type Page } from '@playwright/test';
import { saveScreenshot, waitReady } from './helpers';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'clicks');
const LOG = join(FIXTURES, 'pbm-clicks.tsv');
const BROKEN = join(FIXTURES, 'broken-clicks.tsv');

interface ClickLogState {
  running: boolean;
  error: { error: string; file?: string; line?: number; cancelled: boolean } | null;
  result: {
    best: string;
    summary: { files: { name: string; format: string; sessions: number; k: number }[]; trainSessions: number; testSessions: number };
    models: { model: string; perplexity: number; logLikelihood: number; perplexityAtRank: (number | null)[]; params: { examinationRelative: number[] | null } }[];
  } | null;
}

async function clickLogState(page: Page): Promise<ClickLogState> {
  return page.evaluate(() => {
    const s = window.__RANKPLAY__!.getState();
    return JSON.parse(JSON.stringify({ running: s.clickLogRunning, error: s.clickLogError, result: s.clickLogResult }));
  });
}

/** Picks files in the click-log panel and waits for the worker's answer. */
async function fitFiles(page: Page, files: string[]): Promise<ClickLogState> {
  await page.getByTestId('click-log-file-input').setInputFiles(files);
  await page.waitForFunction(() => !window.__RANKPLAY__!.getState().clickLogRunning, null, { timeout: 90_000 });
  return clickLogState(page);
}

test.afterEach(async ({ page }, info) => {
  await saveScreenshot(page, info);
});

test('a real click log: five click models fitted and compared by held-out perplexity', async ({ page }) => {
  await page.goto('/');
  await waitReady(page);
  const panel = page.getByTestId('click-log-panel');
  await expect(panel.getByRole('heading', { name: 'Fit click models to a real log' })).toBeVisible();
  for (const m of ['pbm', 'cascade', 'dcm', 'dbn', 'ubm']) await expect(page.getByTestId(`click-log-model-${m}`)).toBeChecked();

  const state = await fitFiles(page, [LOG]);
  expect(state.error).toBeNull();
  const r = state.result!;
  expect(r.summary.files[0]).toMatchObject({ name: 'pbm-clicks.tsv', format: 'plain-tsv', sessions: 2000, k: 10 });
  expect(r.summary).toMatchObject({ trainSessions: 1500, testSessions: 500 });
  expect(r.models.map((m) => m.model)).toEqual(['pbm', 'cascade', 'dcm', 'dbn', 'ubm']);
  for (const m of r.models) {
    expect(Number.isFinite(m.perplexity)).toBe(true);
    expect(m.perplexity).toBeGreaterThanOrEqual(1);
    expect(m.logLikelihood).toBeLessThan(0);
  }
  expect(r.best).toBe(r.models.reduce((a, b) => (b.perplexity < a.perplexity ? b : a)).model);
  // The log was simulated with PBM (η = 1): its examination comes back close to 1/r at the top.
  const pbm = r.models.find((m) => m.model === 'pbm')!;
  expect(Math.abs(pbm.params.examinationRelative![1] - 0.5)).toBeLessThan(0.15);

  await expect(panel.getByTestId('click-log-format')).toContainText('RankPlay click log');
  const rows = panel.getByTestId('click-log-row');
  await expect(rows).toHaveCount(5);
  for (const cell of await panel.getByTestId('click-log-perplexity').allTextContents()) {
    const v = Number(cell);
    expect(Number.isFinite(v) && v >= 1, `perplexity cell '${cell}'`).toBe(true);
  }
  const bestRow = panel.locator(`[data-testid="click-log-row"][data-model="${r.best}"]`);
  await expect(bestRow).toHaveAttribute('data-best', 'true');
  await expect(panel.locator('[data-best="true"]')).toHaveCount(1);
  await expect(bestRow).toContainText('lowest perplexity');
  await expect(panel.getByTestId('perplexity-chart').locator('.recharts-line')).toHaveCount(5);
  await expect(panel.getByTestId('examination-chart')).toBeVisible();
  await expect(panel.getByTestId('click-log-split')).toContainText('25% of the sessions held out');
  await panel.scrollIntoViewIfNeeded();
  await page.mouse.move(0, 0);
});

test('a broken click log: the alert names the file, the line and the reason, and the page stays', async ({ page }) => {
  await page.goto('/');
  await waitReady(page);
  const panel = page.getByTestId('click-log-panel');
  expect((await fitFiles(page, [LOG])).error).toBeNull();
  await expect(panel.getByTestId('click-log-row')).toHaveCount(5);

  const state = await fitFiles(page, [BROKEN]);
  expect(state.result).toBeNull();
  expect(state.error).toMatchObject({ cancelled: false, file: 'broken-clicks.tsv', line: 1234 });
  const alert = panel.getByRole('alert');
  await expect(alert).toContainText('broken-clicks.tsv, line 1,234: click must be 0 or 1');
  await expect(alert).toContainText('Skip bad lines');
  // The old table does not stay next to the new file's error; the rest of the app is still there.
  await expect(panel.getByTestId('click-log-row')).toHaveCount(0);
  await expect(page.getByTestId('click-panel')).toBeVisible();
  await expect(page.getByTestId('click-log-file-input')).toBeEnabled();
  await panel.scrollIntoViewIfNeeded();
});
