import { expect, test, type Page } from '@playwright/test';
import { experimentConfigSchema, type ExperimentConfig } from '../src/core/experiment/config';
import { encodeConfig, HASH_KEY } from '../src/core/experiment/url-codec';
import { applyPreset } from '../src/core/experiment/presets';
import { appUrl, saveScreenshot, snapshot, tinyConfig, waitForState, waitReady } from './helpers';

test.afterEach(async ({ page }, info) => {
  await saveScreenshot(page, info);
});

/**
 * The teaching preset (naive, IPS, DLA, oracle on PBM η=1 clicks) shrunk to run in seconds on
 * wasm/SwiftShader: a small synthetic set, fewer sessions and steps, the preset's everything else.
 */
function smallTeachingConfig(): ExperimentConfig {
  const preset = applyPreset(experimentConfigSchema.parse({ version: 1, seed: 3 }), 'teaching');
  return experimentConfigSchema.parse({
    ...preset,
    data: { kind: 'synthetic', queries: 80, docsPerQuery: 10, features: 8 },
    clicks: { ...preset.clicks, sessions: 5000 },
    // A validation split and patience, so validation curves and early stopping show too.
    train: { ...preset.train, maxSteps: 200, evalEvery: 20, batchQueries: 16, validationFraction: 0.2, patience: 4 },
  });
}

async function cellValue(page: Page, testId: string): Promise<number> {
  const v = await page.getByTestId(testId).getAttribute('data-value');
  expect(v, `${testId} has a value`).not.toBeNull();
  return Number(v);
}

test('teaching preset: plays to done with a propensity chart, a full final table and ranked lists', async ({ page }) => {
  const config = smallTeachingConfig();
  await page.goto(appUrl(config));
  await waitReady(page);
  await expect(page.getByTestId('preset-select')).toHaveValue('custom');
  await expect(page.getByTestId('ranker-2-estimator')).toHaveValue('dla');

  await page.getByTestId('play-pause').click();
  const done = await waitForState(page, 'done', 150_000);
  expect(done.step).toBeGreaterThan(0);
  expect(done.step).toBeLessThanOrEqual(200);
  await expect(page.getByTestId('ndcg-chart').locator('figcaption')).toContainText('dashed: validation');

  // The propensity chart shows DLA's estimate against the true curve.
  const chart = page.getByTestId('propensity-chart');
  await expect(chart).toBeVisible();
  await expect(chart.locator('.recharts-legend-item-text', { hasText: /^dla$/ })).toBeVisible();
  await expect(chart.locator('.recharts-legend-item-text', { hasText: 'true examination' })).toBeVisible();
  await chart.getByText('Values').click();
  const dla2 = Number(await page.getByTestId('propensity-dla-2').textContent());
  expect(Number.isFinite(dla2), 'DLA estimates θ2/θ1').toBe(true);

  // Every ranker has finite final values in the table.
  await expect(page.getByTestId('latest-table')).toContainText('Final values');
  for (const r of config.rankers) {
    for (const id of [`ndcg-${r.id}`, `metric-${r.id}-ndcg@1`, `metric-${r.id}-ndcg@3`, `metric-${r.id}-ndcg@5`, `metric-${r.id}-err@10`]) {
      expect(Number.isFinite(await cellValue(page, id)), id).toBe(true);
    }
  }
  await expect(page.getByTestId('estimator-dla')).toHaveText('DLA');
  // Early stopping is on: each ranker either stopped at a step or ran to the end.
  for (const r of config.rankers) await expect(page.getByTestId(`stopped-${r.id}`)).toHaveText(/^(—|\d+ \(best \d+\))$/);
  // Labels beat clicks: the oracle is at least as good as naive on test nDCG@10.
  const oracle = await cellValue(page, 'ndcg-oracle');
  const naive = await cellValue(page, 'ndcg-naive');
  expect(oracle, `oracle ${oracle} vs naive ${naive}`).toBeGreaterThanOrEqual(naive);

  // The measure selector switches the chart to another measure.
  await page.getByTestId('measure-select').selectOption('err@10');
  await expect(page.getByTestId('ndcg-chart').locator('figcaption')).toContainText('ERR@10');

  // The inspector shows every ranker's ranking of a test query, then a training query with clicks.
  const inspector = page.getByTestId('inspector');
  await inspector.scrollIntoViewIfNeeded();
  for (const r of config.rankers) await expect(page.getByTestId(`inspector-ranking-${r.id}`)).toBeVisible();
  await expect(page.getByTestId('inspector-row-oracle')).toHaveCount(10);
  await page.getByTestId('inspector-split').selectOption('train');
  await page.getByTestId('inspector-query').fill('3');
  await page.getByTestId('inspector-query').press('Enter');
  await expect(page.getByTestId('inspector-summary')).toContainText('clicks/impressions');
  await expect(page.getByTestId('inspector-ranking-naive').locator('thead')).toContainText('Clicks');
  expect((await snapshot(page)).notices.filter((n) => n.level === 'error')).toEqual([]);
});

test('compare estimators with 2 seeds fills a table of six estimators with mean ± CI', async ({ page }) => {
  const base = tinyConfig({ maxSteps: 20, evalEvery: 10 });
  const config = experimentConfigSchema.parse({ ...base, clicks: { sessions: 2000 } });
  await page.goto(appUrl(config));
  await waitReady(page);
  const panel = page.getByTestId('compare-panel');
  await panel.scrollIntoViewIfNeeded();
  await expect(page.getByTestId('compare-seeds')).toHaveValue('3');
  await page.getByTestId('compare-seeds').fill('2');
  await page.getByTestId('compare-seeds').press('Enter');
  await page.getByTestId('compare-start').click();
  await expect(page.getByTestId('compare-start')).toBeDisabled();
  const table = page.getByTestId('compare-table');
  await expect(table).toBeVisible({ timeout: 120_000 });
  await expect(table.locator('tbody tr')).toHaveCount(6);
  await expect(table).toContainText('2 seeds');
  for (const e of ['naive', 'ips', 'dla', 'rem', 'paird', 'oracle']) {
    const cell = page.getByTestId(`compare-${e}-ndcg@10`);
    await expect(cell).toContainText('±');
    expect(Number.isFinite(Number(await cell.getAttribute('data-value'))), e).toBe(true);
  }
  // Exactly one best mark per column (unless two estimators tie).
  expect(await table.locator('td[data-best="true"]').count()).toBeGreaterThanOrEqual(5);
  await expect(page.getByTestId('compare-progress')).toHaveCount(0);
});

test('bad input: a link with an unknown estimator and an impossible setting give readable messages, never a blank page', async ({ page }) => {
  const config = tinyConfig();
  const bad = { ...config, rankers: [{ ...config.rankers[0], estimator: 'magic' }] };
  await page.goto(`/#${HASH_KEY}=${encodeConfig(bad as unknown as ExperimentConfig)}`);
  await waitReady(page);
  const notice = page.getByTestId('notice').filter({ hasText: 'estimator' });
  await expect(notice).toBeVisible();
  await expect(notice).toContainText("The link's settings could not be used");
  await expect(notice).toContainText('rankers.0.estimator');
  // The default experiment runs instead, and the whole page is there.
  await expect(page.getByTestId('latest-table')).toBeVisible();
  await expect(page.getByTestId('preset-select')).toHaveValue('labels');
  await expect(page.getByTestId('error-panel')).toHaveCount(0);
  await expect(page.getByTestId('panel-error')).toHaveCount(0);

  // ε+ below ε− is refused at the field, with the reason, and the old value stays in force.
  await page.getByTestId('cfg-click-eps-plus').fill('0.05');
  await page.getByTestId('cfg-click-eps-plus').press('Enter');
  await expect(page.getByTestId('cfg-click-eps-plus-error')).toContainText('must not exceed epsPlus');
  expect((await snapshot(page)).config.clicks.model.epsPlus).toBe(1);

  // Adding rankers stops at six, with unique ids named after their estimators.
  for (let i = 0; i < 6; i++) {
    const add = page.getByTestId('add-ranker');
    if (await add.isDisabled()) break;
    await add.click();
  }
  await expect(page.getByTestId('add-ranker')).toBeDisabled();
  const ids = (await snapshot(page)).config.rankers.map((r) => r.id);
  expect(ids).toHaveLength(6);
  expect(new Set(ids).size).toBe(6);
  expect(ids).toContain('naive');
  await expect(page.getByTestId('error-panel')).toHaveCount(0);
});
