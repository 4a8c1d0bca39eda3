import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { appUrl, saveScreenshot } from './helpers';

/**
 * "Adapt the reranker (LoRA)" in the Text panel: the trainable count before training, LoRA trained
 * from IPS-debiased simulated clicks beating the base model on validation, the adapter downloaded and
 * loaded back to the same nDCG@10, and a bad adapter file giving a readable error.
 */

interface AdaptState {
  busy: string | null;
  error: { stage: string; message: string } | null;
  status: string | null;
  base: number | null;
  best: number | null;
  evals: number;
  steps: number;
}

async function adaptState(page: Page): Promise<AdaptState> {
  return page.evaluate(() => {
    const s = window.__RANKPLAY__!.getState();
    const run = s.adaptRuns.at(-1);
    return {
      busy: s.adaptBusy,
      error: s.adaptError && { stage: s.adaptError.stage, message: s.adaptError.message },
      status: run?.status ?? null,
      base: run?.result?.summary.base.ndcg10 ?? null,
      best: run?.result?.summary.best.ndcg10 ?? null,
      evals: run?.evals.length ?? 0,
      steps: run?.steps.length ?? 0,
    };
  });
}

async function openPanel(page: Page) {
  await page.goto(appUrl());
  await page.waitForFunction(() => Boolean(window.__RANKPLAY__?.getState().backend));
  const panel = page.getByTestId('adapt-panel');
  await panel.scrollIntoViewIfNeeded();
  // The count arrives once the worker has read the model's config.json.
  await expect(panel.getByTestId('adapt-trainable')).toHaveAttribute('data-trainable', /\d+/);
  return panel;
}

/** Types into a number field and commits it (the field commits on change, as on blur). */
async function setNumber(page: Page, testId: string, value: number) {
  const input = page.getByTestId(testId);
  await input.fill(String(value));
  await input.press('Enter');
  await input.blur();
}

const trainable = async (page: Page) => Number(await page.getByTestId('adapt-trainable').getAttribute('data-trainable'));

test('the trainable parameter count shows before training and follows r', async ({ page }) => {
  await openPanel(page);
  const r8 = await trainable(page);
  // LoRA r=8 on query, key, value and attention output of 2 layers: 2 × 4 × 8 × (128 + 128).
  expect(r8).toBe(16384);
  await expect(page.getByTestId('adapt-trainable')).toContainText('% of the model');
  await setNumber(page, 'adapt-r', 16);
  await expect.poll(() => trainable(page)).toBe(2 * r8);
  // Fewer target layers, fewer parameters.
  await page.getByTestId('adapt-target-key').uncheck();
  await expect.poll(() => trainable(page)).toBe((3 * 2 * r8) / 4);
  // An invalid r is refused beside the field; the count stays that of the last valid settings.
  await setNumber(page, 'adapt-r', 0);
  await expect(page.getByTestId('adapt-settings')).toContainText(/r must be|at least 1|≥ 1/);
});

test('LoRA r=8 from IPS clicks beats the base model on validation; the downloaded adapter loads back to the same nDCG@10', async ({ page }, info) => {
  test.setTimeout(300_000);
  const panel = await openPanel(page);
  await expect(page.getByTestId('adapt-signal')).toHaveValue('clicks');
  await expect(page.getByTestId('adapt-estimator')).toHaveValue('ips');
  await setNumber(page, 'adapt-steps', 40);
  await setNumber(page, 'adapt-evalEvery', 10);
  await page.getByTestId('adapt-train').click();
  await expect(page.getByTestId('adapt-progress')).toBeVisible();
  await page.waitForFunction(() => {
    const run = window.__RANKPLAY__!.getState().adaptRuns.at(-1);
    return run !== undefined && run.status !== 'running';
  }, null, { timeout: 240_000 });
  const s = await adaptState(page);
  expect(s.error).toBeNull();
  expect(s.status).toBe('done');
  expect(s.steps).toBe(40);
  expect(s.evals).toBe(5);
  expect(s.best!).toBeGreaterThan(s.base!);
  await expect(panel.getByTestId('adapt-outcome')).toBeVisible();
  await expect(panel.getByTestId('adapt-chart-ndcg')).toBeVisible();
  await expect(panel.getByTestId('adapt-chart-compare')).toContainText('LoRA r=8 · clicks IPS');
  await expect(panel.getByTestId('adapt-list-adapted')).toBeVisible();
  await panel.screenshot({ path: 'test-results/screenshots/adapt-panel-trained.png' });

  const downloadPromise = page.waitForEvent('download');
  await page.getByTestId('adapt-download-peft').click();
  const download = await downloadPromise;
  expect(download.suggestedFilename()).toBe('rankplay-lora-adapter.zip');
  const zipPath = test.info().outputPath('rankplay-lora-adapter.zip');
  await download.saveAs(zipPath);
  await page.getByTestId('adapt-load-file').setInputFiles({ name: 'rankplay-lora-adapter.zip', mimeType: 'application/zip', buffer: readFileSync(zipPath) });
  const loaded = page.getByTestId('adapt-loaded-ndcg');
  await expect(loaded).toBeVisible({ timeout: 60_000 });
  expect(Number(await loaded.getAttribute('data-value'))).toBe(s.best);
  await expect(page.getByTestId('adapt-loaded')).toContainText('the same');

  // The merged model: a model folder (ONNX + safetensors + config + tokenizer) in one zip.
  const mergedPromise = page.waitForEvent('download');
  await page.getByTestId('adapt-download-merged').click();
  const merged = await mergedPromise;
  expect(merged.suggestedFilename()).toBe('rankplay-merged-cross-encoder.zip');
  const mergedPath = test.info().outputPath('merged.zip');
  await merged.saveAs(mergedPath);
  expect(readFileSync(mergedPath).length).toBeGreaterThan(7_000_000);
  await saveScreenshot(page, info);
});

test('a bad adapter file shows a readable error and the page keeps working', async ({ page }) => {
  await openPanel(page);
  await page.getByTestId('adapt-load-file').setInputFiles([
    { name: 'adapter_config.json', mimeType: 'application/json', buffer: Buffer.from('{"peft_type": "LORA", "r": 8,') },
    { name: 'adapter_model.safetensors', mimeType: 'application/octet-stream', buffer: Buffer.from([1, 2, 3]) },
  ]);
  const alert = page.getByTestId('adapt-error');
  await expect(alert).toBeVisible({ timeout: 30_000 });
  await expect(alert).toHaveAttribute('role', 'alert');
  await expect(page.getByTestId('adapt-error-message')).toContainText('adapter_config.json: not valid JSON');
  // A zip with the wrong contents names what is missing.
  await page.getByTestId('adapt-load-file').setInputFiles({ name: 'adapter.zip', mimeType: 'application/zip', buffer: Buffer.from('PK not really') });
  await expect(page.getByTestId('adapt-error-message')).toContainText('adapter.zip');
  // Still working: the settings answer, the text panel's buttons are live, nothing went blank.
  await setNumber(page, 'adapt-r', 4);
  await expect.poll(() => trainable(page)).toBe(8192);
  await expect(page.getByTestId('text-run-bm25')).toBeEnabled();
  await expect(page.getByTestId('panel-error')).toHaveCount(0);
});

test('a run saved at a validation is offered after a reload and resumes to the end', async ({ page }) => {
  test.setTimeout(240_000);
  await openPanel(page);
  await setNumber(page, 'adapt-steps', 12);
  await setNumber(page, 'adapt-evalEvery', 4);
  await page.getByTestId('adapt-train').click();
  // The checkpoint of step 4's validation is written right after its event.
  await page.waitForFunction(() => (window.__RANKPLAY__!.getState().adaptRuns.at(-1)?.evals.length ?? 0) >= 2, null, { timeout: 120_000 });
  await page.waitForTimeout(1000);
  await page.reload();
  await openPanel(page);
  const resume = page.getByTestId('adapt-resume');
  await expect(resume).toHaveText(/Resume from step (4|8)/);
  await resume.click();
  await page.waitForFunction(() => {
    const run = window.__RANKPLAY__!.getState().adaptRuns.at(-1);
    return run !== undefined && run.status !== 'running';
  }, null, { timeout: 180_000 });
  const s = await adaptState(page);
  expect(s.error).toBeNull();
  expect(s.status).toBe('done');
  // The charts continue the saved series: validations at 0, 4, 8, 12.
  expect(s.evals).toBe(4);
  await expect(page.getByTestId('adapt-saved')).toHaveCount(0);
});

test('variants compare on one chart; DyLoRA reports nDCG@10 per inference rank, SoRA its ranks left', async ({ page }) => {
  test.setTimeout(240_000);
  const panel = await openPanel(page);
  const train = async (kind: string) => {
    await page.getByTestId('adapt-kind').selectOption(kind);
    await setNumber(page, 'adapt-r', 4);
    await setNumber(page, 'adapt-steps', 4);
    await setNumber(page, 'adapt-evalEvery', 2);
    const before = await page.evaluate(() => window.__RANKPLAY__!.getState().adaptRuns.length);
    await page.getByTestId('adapt-train').click();
    await page.waitForFunction((n) => {
      const s = window.__RANKPLAY__!.getState();
      return s.adaptRuns.length > n && s.adaptRuns.at(-1)!.status !== 'running';
    }, before, { timeout: 150_000 });
    expect((await adaptState(page)).error).toBeNull();
  };
  await train('dylora');
  await expect(panel.getByTestId('adapt-rank-sweep').locator('tbody tr')).toHaveCount(4);
  await train('sora');
  await expect(panel.getByTestId('adapt-sora-ranks').locator('tbody tr')).toHaveCount(8);
  const legend = panel.getByTestId('adapt-chart-compare');
  await expect(legend).toContainText('1. DyLoRA r=4');
  await expect(legend).toContainText('2. SoRA r=4');
  await panel.screenshot({ path: 'test-results/screenshots/adapt-panel-variants.png' });
});
