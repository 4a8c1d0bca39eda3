import { expect, test, type Page } from '@playwright/test';
import { experimentConfigSchema, type ExperimentConfig } from '../src/core/experiment/config';
import { appUrl, saveScreenshot, snapshot, waitForState, waitReady, type Snapshot } from './helpers';

test.afterEach(async ({ page }, info) => {
  await saveScreenshot(page, info);
});

/** Small, but with what a checkpoint must carry: an Adam-trained MLP, DLA's propensity model and REM's θ. */
function config(seed: number, maxSteps: number): ExperimentConfig {
  return experimentConfigSchema.parse({
    version: 1,
    seed,
    data: { kind: 'synthetic', queries: 40, docsPerQuery: 10, features: 8 },
    rankers: [
      { id: 'mlp', model: { kind: 'mlp', hidden: [16, 8] } },
      { id: 'dla', model: { kind: 'linear' }, estimator: 'dla' },
      { id: 'rem', model: { kind: 'linear' }, estimator: 'rem' },
    ],
    clicks: { sessions: 2000, model: { topK: 5 } },
    train: { maxSteps, evalEvery: 20, learningRate: 0.03, batchQueries: 8 },
  });
}

/**
 * The steps of the runs saved in this browser, read from the page (same origin as the worker).
 * Never creates the database: that is the worker's job, with its schema.
 */
async function savedSteps(page: Page): Promise<number[]> {
  return page.evaluate(
    () =>
      new Promise<number[]>((resolve) => {
        const req = indexedDB.open('rankplay-checkpoints');
        req.onupgradeneeded = () => req.transaction?.abort();
        req.onerror = () => resolve([]);
        req.onsuccess = () => {
          const db = req.result;
          if (!db.objectStoreNames.contains('runs')) {
            db.close();
            resolve([]);
            return;
          }
          const all = db.transaction('runs').objectStore('runs').getAll();
          all.onsuccess = () => {
            db.close();
            resolve((all.result as { checkpoint: { step: number } }[]).map((r) => r.checkpoint.step));
          };
          all.onerror = () => resolve([]);
        };
      }),
  );
}

/** After a reload: the run is back (paused or done, with its history) rather than fresh at idle. */
async function waitResumed(page: Page): Promise<Snapshot> {
  await page.waitForFunction(() => {
    const s = window.__RANKPLAY__?.getState();
    return Boolean(s?.backend) && (s!.runState === 'paused' || s!.runState === 'done') && s!.points.length > 1 && !s!.loading;
  }, null, { timeout: 90_000 });
  return snapshot(page);
}

const ndcgs = (s: Snapshot) => s.points.map((p) => ({ step: p.step, ...Object.fromEntries(Object.entries(p.rankers).map(([id, m]) => [id, [m.ndcg, m.loss]])) }));

test('a paused run survives a reload: step, chart and notice come back, and it ends on the numbers of an uninterrupted run', async ({ page, browser }) => {
  const c = config(31, 600);
  await page.goto(appUrl(c, 'wasm'));
  await waitReady(page);
  await page.getByTestId('play-pause').click();
  await page.waitForFunction(() => window.__RANKPLAY__!.getState().step >= 40);
  await page.getByTestId('play-pause').click();
  const paused = await waitForState(page, 'paused');
  expect(paused.step).toBeGreaterThan(0);
  expect(paused.step).toBeLessThan(600);
  await expect.poll(() => savedSteps(page)).toEqual([paused.step]);

  await page.reload();
  const back = await waitResumed(page);
  expect(back.runState).toBe('paused');
  expect(back.step).toBe(paused.step);
  expect(back.points).toEqual(paused.points);
  await expect(page.getByTestId('step-counter')).toContainText(String(paused.step));
  await expect(page.getByTestId('notice').filter({ hasText: `Resumed from step ${paused.step}` })).toBeVisible();
  await expect(page.getByTestId('ndcg-chart')).toBeVisible();
  // The restored chart and notice, before training goes on (the afterEach screenshot shows the end).
  await page.screenshot({ path: 'test-results/screenshots/checkpoint-resumed-after-reload.png' });

  await page.getByTestId('play-pause').click();
  const resumedEnd = await waitForState(page, 'done');
  expect(resumedEnd.step).toBe(600);

  // The same link in a fresh browser (no saved runs), played straight through.
  const fresh = await browser.newContext();
  const other = await fresh.newPage();
  await other.goto(appUrl(c, 'wasm'));
  await waitReady(other);
  await other.getByTestId('play-pause').click();
  const straight = await waitForState(other, 'done');
  await fresh.close();
  expect(straight.points.map((p) => p.step)).toEqual(resumedEnd.points.map((p) => p.step));
  expect(ndcgs(resumedEnd)).toEqual(ndcgs(straight));
});

test('reset discards the saved run: after it, a reload starts from step 0', async ({ page }) => {
  const c = config(32, 200);
  await page.goto(appUrl(c, 'wasm'));
  await waitReady(page);
  for (let i = 1; i <= 3; i++) {
    await page.getByTestId('step').click();
    await page.waitForFunction((n) => window.__RANKPLAY__!.getState().step === n && window.__RANKPLAY__!.getState().runState === 'paused', i);
  }
  await expect.poll(() => savedSteps(page)).toEqual([3]);
  await page.reload();
  const back = await waitResumed(page);
  expect(back.step).toBe(3);
  expect(back.points.map((p) => p.step)).toEqual([0, 1, 2, 3]);

  await page.getByTestId('reset').click();
  const reset = await waitForState(page, 'idle');
  expect(reset.step).toBe(0);
  expect(reset.points.map((p) => p.step)).toEqual([0]);
  await expect.poll(() => savedSteps(page)).toEqual([]);
  await page.reload();
  const fresh = await waitReady(page);
  expect(fresh.step).toBe(0);
  expect(fresh.notices.some((n) => n.message.startsWith('Resumed'))).toBe(false);
});

test('on WebGPU too, a resumed run ends on the numbers of an uninterrupted one', async ({ page, browser }) => {
  // Tiny: SwiftShader's WebGPU is slow. Linear rankers, one of them DLA (Adam state and the propensity model).
  const c = experimentConfigSchema.parse({
    ...config(33, 8),
    rankers: [
      { id: 'linear', model: { kind: 'linear' } },
      { id: 'dla', model: { kind: 'linear' }, estimator: 'dla' },
    ],
    train: { maxSteps: 8, evalEvery: 4, learningRate: 0.03, batchQueries: 8 },
  });
  await page.goto(appUrl(c, 'webgpu'));
  const ready = await waitReady(page);
  expect(ready.backend!.active, ready.backend!.failures.join('; ')).toBe('webgpu');
  for (let i = 1; i <= 3; i++) {
    await page.getByTestId('step').click();
    await page.waitForFunction((n) => window.__RANKPLAY__!.getState().step === n && window.__RANKPLAY__!.getState().runState === 'paused', i);
  }
  await expect.poll(() => savedSteps(page)).toEqual([3]);
  await page.reload();
  expect((await waitResumed(page)).step).toBe(3);
  await page.getByTestId('play-pause').click();
  const resumedEnd = await waitForState(page, 'done');

  const fresh = await browser.newContext();
  const other = await fresh.newPage();
  await other.goto(appUrl(c, 'webgpu'));
  await waitReady(other);
  await other.getByTestId('play-pause').click();
  const straight = await waitForState(other, 'done');
  await fresh.close();
  // Stepping by hand evaluates at steps 1-3 as well; the points at the shared steps must agree exactly.
  const at = (s: Snapshot, steps: number[]) => ndcgs(s).filter((p) => steps.includes(p.step));
  expect(at(resumedEnd, [0, 4, 8])).toEqual(at(straight, [0, 4, 8]));
});
