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
    fitted?: { model: string; examination: number[]; perplexity: number; truePerplexity: number };
    intervention?: { kind: string; n: number; intervened: number; estimates: { rank: number; propensity: number; low: number; high: number }[] };
    sampleSessions: { query: string; docs: { label: number; clicked: boolean; doc: string }[] }[];
    hasDocIds: boolean;
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
  await expect(page.getByTestId('click-fit')).toBeChecked();
  await expect(page.getByTestId('click-fit-model')).toHaveValue('pbm');
  await expect(page.getByTestId('click-top-k')).toHaveValue('10');
  await expect(page.getByTestId('click-ymax')).toHaveValue('');
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
  // CTR, CTR from relevance alone, the fitted model's prediction.
  await expect(chart.locator('.recharts-line')).toHaveCount(3);
  // True examination and the fitted PBM's, both ÷ rank 1.
  await expect(page.getByTestId('examination-chart').locator('.recharts-line')).toHaveCount(2);
  await expect(page.getByTestId('fit-perplexity')).toHaveText(/^\d+\.\d{4}$/);
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
  await page.getByTestId('click-fit').uncheck();
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
  // The fixture's lines carry '#docid = tr-Q-N': the viewer names documents by those ids.
  expect(r.hasDocIds).toBe(true);
  expect(r.sampleSessions[0].docs[0].doc).toMatch(/^tr-\d+-\d+$/);
  await expect(page.getByTestId('session-doc').first()).toHaveText(/^tr-\d+-\d+$/);
  await page.mouse.move(0, 0);
});

test('eye-tracking examination with RandTop-n: estimated propensities with intervals covering the truth', async ({ page }) => {
  await page.goto('/');
  await waitReady(page);
  await page.getByTestId('click-examination').selectOption('eye-tracking');
  await page.getByTestId('click-intervention').selectOption('randtop');
  await page.getByTestId('click-sessions').fill('60000');
  await page.getByTestId('click-fit').uncheck();
  const state = await simulate(page);
  expect(state.error).toBeNull();
  const iv = state.result!.intervention!;
  expect(iv).toMatchObject({ kind: 'randtop', n: 10, intervened: 60_000 });
  const truth2 = 0.61 / 0.68;
  expect(state.result!.trueExamination[1] / state.result!.trueExamination[0]).toBeCloseTo(truth2, 6);
  expect(iv.estimates[1].low).toBeLessThan(truth2);
  expect(iv.estimates[1].high).toBeGreaterThan(truth2);

  const table = page.getByTestId('propensity-table');
  await expect(table).toBeVisible();
  await expect(table).toContainText('RandTop-10 on 60,000 sessions');
  await expect(table.getByTestId('propensity-row')).toHaveCount(10);
  await expect(table.locator('[data-testid="propensity-row"][data-rank="2"]')).toHaveAttribute('data-covers', 'true');
  // Error bars on the examination chart, one per estimated rank (rank 1's has no height: it is the reference).
  await expect(page.getByTestId('examination-chart').locator('.recharts-errorBar')).toHaveCount(10);
  await expect(page.getByTestId('examination-chart').locator('.recharts-errorBar').nth(1)).toBeVisible();
  await expect(page.getByTestId('session').first()).toContainText('top 10 shuffled');

  // The eye-tracking table covers 10 ranks: asking for 12 names the problem at once.
  await page.getByTestId('click-top-k').fill('12');
  await expect(page.getByTestId('click-error')).toHaveText("click model: table 'eye-tracking' covers ranks 1..10 but topK is 12");
  await page.getByTestId('click-top-k').fill('10');
  await expect(page.getByTestId('click-error')).toHaveCount(0);
  await page.mouse.move(0, 0);
});

test('fit DBN to a DBN log: held-out perplexity next to the simulating model', async ({ page }) => {
  await page.goto('/');
  await waitReady(page);
  await page.getByTestId('click-model').selectOption('dbn');
  await page.getByTestId('click-fit-model').selectOption('dbn');
  await page.getByTestId('click-sessions').fill('10000');
  const state = await simulate(page);
  expect(state.error).toBeNull();
  const f = state.result!.fitted!;
  expect(f.model).toBe('dbn');
  expect(f.perplexity).toBeGreaterThan(1);
  expect(Math.abs(f.perplexity - f.truePerplexity)).toBeLessThan(0.05);
  await expect(page.getByTestId('fit-perplexity')).toHaveText(f.perplexity.toFixed(4));
  await expect(page.getByTestId('fit-summary')).toContainText('DBN fitted on 7,500 sessions');
  await expect(page.getByTestId('fit-table')).toContainText('continuation γ');
  await expect(page.getByTestId('click-summary')).toContainText('Fitted DBN: held-out perplexity');
  await page.mouse.move(0, 0);
});

test('parameters only the data can refuse, and a bad intervention, show a message', async ({ page }) => {
  await page.goto('/');
  await waitReady(page);
  // Synthetic grades go up to 4: ymax 2 passes the form check but the worker refuses it.
  await page.getByTestId('click-ymax').fill('2');
  await expect(page.getByTestId('click-error')).toHaveCount(0);
  const state = await simulate(page);
  expect(state.error).toMatch(/outside the click model's grades 0\.\.2/);
  await expect(page.getByTestId('click-error')).toContainText('set ymax to the data\'s top grade');
  await page.getByTestId('click-ymax').fill('');

  await page.getByTestId('click-intervention').selectOption('swap');
  await page.getByTestId('click-swap-fraction').fill('1');
  await expect(page.getByTestId('click-error')).toContainText('must be below 1 for swap');
  const refused = await simulate(page);
  expect(refused.error).toContain('must be below 1 for swap');
  await page.getByTestId('click-swap-fraction').fill('0.5');
  await page.getByTestId('click-fit').uncheck();
  const ok = await simulate(page);
  expect(ok.error).toBeNull();
  expect(ok.result!.intervention!.kind).toBe('swap');
  await expect(page.getByTestId('click-error')).toHaveCount(0);
  await expect(page.getByTestId('propensity-table')).toContainText('Swap (rank 1 ↔ k ≤ 10, 50% of sessions)');
  await page.mouse.move(0, 0);
});
