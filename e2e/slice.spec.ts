import { expect, test } from '@playwright/test';
import { defaultConfig } from '../src/core/experiment/config';
import { appUrl, lastPoint, saveScreenshot, snapshot, tinyConfig, waitForState, waitReady } from './helpers';

test.afterEach(async ({ page }, info) => {
  await saveScreenshot(page, info);
});

test('the page loads and the status bar names the backend it chose and why', async ({ page }) => {
  await page.goto('/');
  const s = await waitReady(page);
  const label = page.getByTestId('backend-label');
  await expect(label).toHaveText(s.backend!.label);
  expect(s.backend!.label.length).toBeGreaterThan(3);
  const caps = s.backend!.capabilities;
  if (caps.webgpu.available && caps.webgpu.isFallback) {
    // Here: SwiftShader only. wasm is far faster than a software GPU, and the bar says so.
    expect(['wasm', 'webgl']).toContain(s.backend!.active);
    if (s.backend!.active === 'wasm') await expect(label).toContainText('WebGPU is software-only here');
  }
  await expect(page.getByTestId('status-bar')).toBeVisible();
  await expect(page.getByRole('heading', { name: /RankPlay/ })).toBeVisible();
});

test('pressing play raises test nDCG@10 above its starting value', async ({ page }) => {
  const config = tinyConfig({ maxSteps: 60, evalEvery: 10 });
  await page.goto(appUrl(config));
  const start = await waitReady(page);
  await page.getByTestId('play-pause').click();
  const end = await waitForState(page, 'done');
  const first = start.points[0];
  const last = lastPoint(end);
  expect(last.step).toBe(60);
  for (const id of Object.keys(first.rankers)) {
    expect(last.rankers[id].ndcg, `${id} nDCG@10 after 60 steps`).toBeGreaterThan(first.rankers[id].ndcg + 0.02);
    const cell = page.getByTestId(`ndcg-${id}`);
    await expect(cell).toHaveAttribute('data-value', String(last.rankers[id].ndcg));
  }
  await expect(page.getByTestId('step-counter')).toContainText('60');
  await expect(page.getByTestId('play-pause')).toBeDisabled();
});

test('pause, step and reset control the run like the Playground', async ({ page }) => {
  await page.goto(appUrl(tinyConfig({ maxSteps: 5000, evalEvery: 10 })));
  await waitReady(page);
  await page.getByTestId('play-pause').click();
  await page.waitForFunction(() => window.__RANKPLAY__!.getState().step >= 20);
  await page.getByRole('button', { name: 'Pause' }).click();
  const paused = await waitForState(page, 'paused');
  // No training while paused.
  await page.waitForTimeout(500);
  expect((await snapshot(page)).step).toBe(paused.step);
  await page.getByTestId('step').click();
  await page.waitForFunction((s) => window.__RANKPLAY__!.getState().step === s + 1, paused.step);
  await page.getByTestId('reset').click();
  await page.waitForFunction(() => {
    const s = window.__RANKPLAY__!.getState();
    return s.step === 0 && s.runState === 'idle' && s.points.length === 1;
  });
  await expect(page.getByTestId('step-counter')).toContainText('0');
});

test('?backend=webgpu and ?backend=wasm run the slice on those backends and agree', async ({ page }) => {
  const config = tinyConfig({ maxSteps: 6, evalEvery: 3 });
  const finals: Record<string, ReturnType<typeof lastPoint>> = {};
  for (const backend of ['webgpu', 'wasm']) {
    await page.goto(appUrl(config, backend));
    const ready = await waitReady(page);
    expect(ready.backend!.active, `${backend}: ${ready.backend!.failures.join('; ')}`).toBe(backend);
    await expect(page.getByTestId('backend-label')).toContainText(backend === 'webgpu' ? 'WebGPU' : 'wasm');
    await page.getByTestId('play-pause').click();
    finals[backend] = lastPoint(await waitForState(page, 'done', 150_000));
  }
  for (const id of Object.keys(finals.wasm.rankers)) {
    const gpu = finals.webgpu.rankers[id];
    const cpu = finals.wasm.rankers[id];
    expect(Math.abs(gpu.ndcg - cpu.ndcg), `${id} nDCG webgpu vs wasm`).toBeLessThan(0.01);
    expect(Math.abs(gpu.loss! - cpu.loss!), `${id} loss webgpu vs wasm`).toBeLessThan(1e-3);
  }
});

test('the same seed and backend give the same metrics twice', async ({ browser }) => {
  const config = tinyConfig({ maxSteps: 30, evalEvery: 10, seed: 5 });
  const runs: unknown[] = [];
  for (let i = 0; i < 2; i++) {
    // A fresh browser each time: in the same one, the second visit would resume the finished first run.
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(appUrl(config, 'wasm'));
    await waitReady(page);
    await page.getByTestId('play-pause').click();
    runs.push((await waitForState(page, 'done')).points);
    await context.close();
  }
  expect(runs[1]).toEqual(runs[0]);
});

test('changing a setting updates the URL, and opening that URL restores it', async ({ page, context }) => {
  await page.goto('/');
  await waitReady(page);
  const before = page.url();
  await page.getByTestId('cfg-learning-rate').selectOption('0.1');
  const seed = page.getByTestId('cfg-seed');
  await seed.fill('1234');
  await seed.press('Enter');
  await page.waitForFunction(() => window.__RANKPLAY__!.getState().config.seed === 1234);
  await waitReady(page);
  const shared = page.url();
  expect(shared).not.toBe(before);
  // Share links are v2 now (#l=, core/share/link.ts); v1 #c= links still open (links.spec.ts).
  expect(shared).toContain('#l=');

  const visitor = await context.newPage();
  await visitor.goto(shared);
  const s = await waitReady(visitor);
  expect(s.config.seed).toBe(1234);
  expect(s.config.train.learningRate).toBe(0.1);
  await expect(visitor.getByTestId('cfg-seed')).toHaveValue('1234');
  await expect(visitor.getByTestId('cfg-learning-rate')).toHaveValue('0.1');
  expect(s.notices.filter((n) => n.level !== 'info')).toEqual([]);
  await visitor.close();
});

test('a garbage or hostile hash shows a message and the default experiment', async ({ page }) => {
  page.on('dialog', (d) => {
    throw new Error(`a dialog opened: ${d.message()}`);
  });
  await page.goto('/#c=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E');
  const s = await waitReady(page);
  expect(s.config).toEqual(defaultConfig());
  const notice = page.getByTestId('notice').filter({ hasText: 'could not be used' });
  await expect(notice).toBeVisible();
  await expect(page.locator('img[src="x"]')).toHaveCount(0);

  // Pasted into the same tab: only the hash changes, and the app follows it.
  await page.goto('/#c=not-a-config');
  const again = await waitReady(page);
  expect(again.config).toEqual(defaultConfig());
  await expect(page.getByTestId('notice').filter({ hasText: 'not valid compressed data' })).toBeVisible();
});

test('an unknown ?backend= value is named and the choice is automatic', async ({ page }) => {
  await page.goto('/?backend=quantum');
  const s = await waitReady(page);
  expect(['webgpu', 'webgl', 'wasm', 'cpu']).toContain(s.backend!.active);
  await expect(page.getByTestId('notice').filter({ hasText: 'quantum' })).toBeVisible();
});
