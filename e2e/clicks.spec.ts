import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test, type Page } from '@playwright/test';
import { saveScreenshot, waitReady } from './helpers';

const FOLD1_TRAIN = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'Fold1', 'train.txt');

interface ClickState {
  running: boolean;
  error: string | null;
  result: {
    sessions: number;
    clicks: number;
    k: number;
    ctrByRank: number[];
    trueExamination: number[];
    relevanceCtr: number[];
    fitted?: { examination: number[]; perplexity: number };
    sampleSessions: { query: string; docs: { label: number; clicked: boolean }[] }[];
    dataName: string;
  } | null;
}

async function clickState(page: Page): Promise<ClickState> {
  return page.evaluate(() => {
    const s = window.__RANKPLAY__!.getState();
    return JSON.parse(JSON.stringify({ running: s.clickRunning, error: s.clickError, result: s.clickResult }));
  });
}

/** Presses Simulate clicks and waits for the worker's answer. */
async function simulate(page: Page): Promise<ClickState> {
  await page.getByTestId('simulate-clicks').click();
  await page.waitForFunction(() => !window.__RANKPLAY__!.getState().clickRunning, null, { timeout: 60_000 });
  return clickState(page);
}

test.afterEach(async ({ page }, info) => {
  await saveScreenshot(page, info);
});

test('PBM η=1 on synthetic data: CTR falls with rank and the PBM fit recovers 1/r', async ({ page }) => {
  await page.goto('/');
  await waitReady(page);
  const panel = page.getByTestId('click-panel');
  await expect(panel.getByRole('heading', { name: 'Clicks: position bias' })).toBeVisible();
  await expect(page.getByTestId('click-model')).toHaveValue('pbm');
  await expect(page.getByTestId('click-sessions')).toHaveValue('20000');
  await expect(page.getByTestId('fit-pbm')).toBeChecked();
  await page.getByTestId('click-eta').fill('1');

  const state = await simulate(page);
  expect(state.error).toBeNull();
  const r = state.result!;
  expect(r.sessions).toBe(20_000);
  expect(r.k).toBe(10);
  expect(r.ctrByRank[0]).toBeGreaterThan(r.ctrByRank[9]);
  expect(r.trueExamination[1]).toBeCloseTo(0.5, 6);
  expect(r.fitted).toBeDefined();
  expect(Math.abs(r.fitted!.examination[0] - 1)).toBeLessThan(0.1);
  expect(Math.abs(r.fitted!.examination[1] - 0.5)).toBeLessThan(0.1);

  const chart = page.getByTestId('ctr-chart');
  await expect(chart).toBeVisible();
  await expect(chart.locator('.recharts-line')).toHaveCount(4);
  await expect(page.getByTestId('click-summary')).toContainText('20,000 sessions');
  await expect(page.getByTestId('click-summary')).toContainText('perplexity');

  const viewer = page.getByTestId('session-viewer');
  await expect(viewer.getByTestId('session')).toHaveCount(5);
  const clicked = r.sampleSessions.reduce((n, s) => n + s.docs.filter((d) => d.clicked).length, 0);
  await expect(viewer.locator('tr[data-clicked="true"]')).toHaveCount(clicked);
  if (clicked > 0) await expect(viewer.locator('tr[data-clicked="true"]').first()).toContainText('●');
  await page.mouse.move(0, 0);
});

test('a bad parameter (η = -1) shows the worker message inline', async ({ page }) => {
  await page.goto('/');
  await waitReady(page);
  await page.getByTestId('click-eta').fill('-1');
  const state = await simulate(page);
  expect(state.error).toContain('eta');
  const alert = page.getByTestId('click-panel').getByRole('alert');
  await expect(alert).toContainText('eta must be ≥ 0, got -1');
  await page.getByTestId('click-eta').fill('1');
  await page.getByTestId('fit-pbm').uncheck();
  const ok = await simulate(page);
  expect(ok.error).toBeNull();
  expect(ok.result!.fitted).toBeUndefined();
  await expect(alert).toHaveCount(0);
});

test('clicks on a loaded LETOR data set', async ({ page }) => {
  await page.goto('/');
  await waitReady(page);
  await page.waitForFunction(() => window.__RANKPLAY__!.getState().datasetsKnown);
  await page.getByTestId('dataset-file-input').setInputFiles([FOLD1_TRAIN]);
  await page.waitForFunction(() => !window.__RANKPLAY__!.getState().dataLoading, null, { timeout: 60_000 });
  await page.getByTestId('use-dataset').first().click();
  await page.waitForFunction(() => window.__RANKPLAY__!.getState().config.data.kind === 'stored');
  await waitReady(page);

  await page.getByTestId('click-sessions').fill('5000');
  const state = await simulate(page);
  expect(state.error).toBeNull();
  const r = state.result!;
  expect(r.dataName).toContain('training split');
  expect(r.dataName).not.toContain('synthetic');
  expect(r.sessions).toBe(5000);
  expect(r.clicks).toBeGreaterThan(0);
  expect(r.ctrByRank[0]).toBeGreaterThan(r.ctrByRank[r.ctrByRank.length - 1]);
  await expect(page.getByTestId('ctr-chart')).toBeVisible();
  await expect(page.getByTestId('session-viewer').getByTestId('session')).toHaveCount(5);
  await page.mouse.move(0, 0);
});
