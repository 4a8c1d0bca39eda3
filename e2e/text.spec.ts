import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test, type Page } from '@playwright/test';
import { appUrl, saveScreenshot } from './helpers';

/**
 * The text journey: the demo corpus, BM25 → nDCG@10, a cross-encoder rerank → a second nDCG@10 and
 * a query's two lists side by side; a bad model URL gives a readable error and the panel goes on.
 */
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
/** The demo model ships in public/ once its trainer has run; until then the runtime's test model stands in. */
const DEMO_MODEL = join(ROOT, 'public', 'models', 'rankplay-demo-cross-encoder');
const FIXTURE_MODEL = join(ROOT, 'e2e', 'fixtures', 'tiny-cross-encoder');
const hasDemoModel = existsSync(join(DEMO_MODEL, 'onnx', 'model.onnx'));

interface TextState {
  running: string | null;
  error: { stage: string; message: string } | null;
  bm25: number | null;
  rerank: number | null;
  backend: string | null;
  queries: number;
}

async function textState(page: Page): Promise<TextState> {
  return page.evaluate(() => {
    const s = window.__RANKPLAY__!.getState();
    return {
      running: s.textRunning,
      error: s.textError && { stage: s.textError.stage, message: s.textError.message },
      bm25: s.textBm25?.bm25.metrics?.ndcg10 ?? null,
      rerank: s.textRerank?.rerank.metrics?.ndcg10 ?? null,
      backend: s.textRerank?.model.backend ?? null,
      queries: s.textBm25?.queries.length ?? 0,
    };
  });
}

async function openPanel(page: Page) {
  await page.goto(appUrl());
  await page.waitForFunction(() => Boolean(window.__RANKPLAY__?.getState().backend));
  const panel = page.getByTestId('text-panel');
  await panel.scrollIntoViewIfNeeded();
  return panel;
}

/** The panel alone, beside the full-page screenshot: easier to read. */
const panelShot = (page: Page, name: string) => page.getByTestId('text-panel').screenshot({ path: `test-results/screenshots/text-panel-${name}.png` });

const idle = (page: Page, timeout = 120_000) => page.waitForFunction(() => window.__RANKPLAY__!.getState().textRunning === null, null, { timeout });

/** Serves a model folder from disk under `prefix` (the worker's fetches go through the page's routes). */
async function serveModel(page: Page, prefix: string, dir: string) {
  await page.route(`**${prefix}**`, (route) => {
    const rel = new URL(route.request().url()).pathname.split(prefix)[1] ?? '';
    const file = join(dir, rel);
    if (!rel || !existsSync(file)) return route.fulfill({ status: 404, body: 'not here' });
    return route.fulfill({ status: 200, contentType: rel.endsWith('.json') ? 'application/json' : 'application/octet-stream', body: readFileSync(file) });
  });
}

test('demo corpus: BM25, then a cross-encoder rerank, nDCG@10 of both and a query side by side', async ({ page }, info) => {
  test.setTimeout(240_000);
  if (!hasDemoModel) await serveModel(page, '/e2e-models/tiny/', FIXTURE_MODEL);
  const panel = await openPanel(page);
  await expect(panel.getByTestId('text-corpus')).toHaveValue('demo');
  await expect(panel.getByTestId('text-split')).toHaveValue('test');
  await expect(panel).toContainText("Anserini’s defaults");

  await panel.getByTestId('text-run-bm25').click();
  await idle(page);
  let s = await textState(page);
  expect(s.error).toBeNull();
  expect(s.queries).toBe(43);
  expect(s.bm25).toBeGreaterThan(0);
  expect(s.bm25).toBeLessThanOrEqual(1);
  await expect(panel.getByTestId('text-row-bm25-ndcg')).toHaveText(s.bm25!.toFixed(4));
  await expect(panel.getByTestId('text-list-bm25').locator('tbody tr')).toHaveCount(10);
  await expect(panel.getByTestId('text-list-rerank')).toHaveCount(0);
  await panelShot(page, 'bm25');

  if (hasDemoModel) {
    await panel.getByTestId('text-model').selectOption('demo');
  } else {
    await panel.getByTestId('text-model').selectOption('url');
    await panel.getByTestId('text-model-url').fill('/e2e-models/tiny/');
  }
  const depth = panel.getByTestId('text-depth');
  await depth.fill('20');
  await depth.press('Enter');
  await panel.getByTestId('text-run-rerank').click();
  await idle(page, 180_000);
  s = await textState(page);
  expect(s.error).toBeNull();
  expect(s.rerank).not.toBeNull();
  expect(s.rerank).toBeGreaterThanOrEqual(0);
  expect(s.rerank).toBeLessThanOrEqual(1);
  expect(['wasm', 'webgpu']).toContain(s.backend);
  await expect(panel.getByTestId('text-row-rerank-ndcg')).toHaveText(s.rerank!.toFixed(4));
  await expect(panel.getByTestId('text-delta')).toBeVisible();
  await expect(panel.getByTestId('text-cache-size')).not.toHaveText('0 B');

  // Another query, by keyboard: its two lists side by side, with labels, scores and moves.
  await panel.getByTestId('text-query').focus();
  await page.keyboard.press('ArrowDown');
  await expect(panel.getByTestId('text-query-text')).toContainText((await page.evaluate(() => window.__RANKPLAY__!.getState().textBm25!.queries[1].id)));
  const reranked = panel.getByTestId('text-list-rerank');
  await expect(reranked.locator('tbody tr')).toHaveCount(10);
  await expect(reranked.locator('.text-move').first()).toHaveText(/[▲▼=]/);
  await expect(reranked).toContainText('Reranked (top 20)');

  const download = page.waitForEvent('download');
  await panel.getByTestId('text-download-rerank').click();
  const file = await download;
  expect(file.suggestedFilename()).toBe('rankplay-demo-passages-test-rerank-d20.run');
  await saveScreenshot(page, info);
  await panelShot(page, 'reranked');
});

test('a bad model URL gives a readable error and the panel stays usable', async ({ page }, info) => {
  await page.route('**/no-such-model/**', (route) => route.fulfill({ status: 404, body: 'not here' }));
  const panel = await openPanel(page);
  await panel.getByTestId('text-run-bm25').click();
  await idle(page);
  await panel.getByTestId('text-model').selectOption('url');
  await panel.getByTestId('text-model-url').fill('http://127.0.0.1:4173/no-such-model/');
  await panel.getByTestId('text-run-rerank').click();
  await idle(page);
  const error = panel.getByTestId('text-error');
  await expect(error).toBeVisible();
  await expect(error).toContainText('Reranking failed');
  await expect(panel.getByTestId('text-error-message')).toContainText('no-such-model');
  await expect(panel.getByTestId('text-error-message')).toContainText('config.json');
  // BM25's numbers and lists are still there, and both buttons still work.
  await expect(panel.getByTestId('text-row-bm25-ndcg')).toHaveText(/^0\.\d{4}$|^1\.0000$/);
  await expect(panel.getByTestId('text-list-bm25')).toBeVisible();
  await expect(panel.getByTestId('text-run-rerank')).toBeEnabled();
  await panel.getByTestId('text-model-url').fill('not a url at all');
  await panel.getByTestId('text-run-rerank').click();
  await idle(page);
  await expect(panel.getByTestId('text-error-message')).toContainText('neither a URL');
  await saveScreenshot(page, info);
  await panelShot(page, 'bad-url');
  await panel.getByTestId('text-run-bm25').click();
  await idle(page);
  expect((await textState(page)).error).toBeNull();
  await expect(page.getByTestId('panel-error')).toHaveCount(0);
});

test('a stored text set, read back from IndexedDB after a reload, ranks like the bundled demo', async ({ page }) => {
  const demo = join(ROOT, 'public', 'demo', 'rankplay-demo');
  await openPanel(page);
  // The demo's files, loaded the way a person loads their own collection.
  await page.getByTestId('dataset-file-input').setInputFiles([join(demo, 'corpus.jsonl'), join(demo, 'queries.jsonl'), join(demo, 'qrels', 'test.tsv')]);
  await page.waitForFunction(() => {
    const s = window.__RANKPLAY__!.getState();
    return !s.dataLoading && s.datasets.some((d) => d.kind === 'text');
  });
  await page.reload();
  const panel = await openPanel(page);
  await page.waitForFunction(() => window.__RANKPLAY__!.getState().datasets.some((d) => d.kind === 'text'));
  const { id, where } = await page.evaluate(() => {
    const set = window.__RANKPLAY__!.getState().datasets.find((d) => d.kind === 'text')!;
    return { id: set.id, where: set.storage.where };
  });
  // After a reload the set can only come from IndexedDB, whose copy of the tables has no methods.
  expect(where).toBe('indexeddb');
  await panel.getByTestId('text-corpus').selectOption(id);
  await expect(panel.getByTestId('text-split')).toHaveValue('judged');
  await panel.getByTestId('text-run-bm25').click();
  await idle(page);
  const stored = await textState(page);
  expect(stored.error).toBeNull();
  expect(stored.queries).toBe(43);

  await panel.getByTestId('text-corpus').selectOption('demo');
  await panel.getByTestId('text-run-bm25').click();
  await idle(page);
  const bundled = await textState(page);
  expect(bundled.bm25).not.toBeNull();
  expect(stored.bm25).toBeCloseTo(bundled.bm25!, 12);
});

test('a cross-encoder from picked files reranks', async ({ page }) => {
  const panel = await openPanel(page);
  await panel.getByTestId('text-run-bm25').click();
  await idle(page);
  await panel.getByTestId('text-model').selectOption('files');
  const names = ['config.json', 'tokenizer.json', 'tokenizer_config.json', join('onnx', 'model.onnx')];
  await panel.getByTestId('text-model-files').setInputFiles(names.map((n) => join(hasDemoModel ? DEMO_MODEL : FIXTURE_MODEL, n)));
  await expect(panel.getByTestId('text-model-file-list')).toHaveText('config.json, tokenizer.json, tokenizer_config.json, onnx/model.onnx');
  await panel.getByTestId('text-run-rerank').click();
  await idle(page, 180_000);
  const s = await textState(page);
  expect(s.error).toBeNull();
  expect(s.rerank).not.toBeNull();
  await expect(panel.getByTestId('text-list-rerank')).toBeVisible();
});

test('candidates from a TREC run file: BM25\'s own run gives BM25\'s numbers; a run over another collection is refused', async ({ page }, info) => {
  const panel = await openPanel(page);
  await panel.getByTestId('text-run-bm25').click();
  await idle(page);
  const bm25 = (await textState(page)).bm25!;
  // Save BM25's run, then hand it back as the first stage.
  const download = page.waitForEvent('download');
  await panel.getByTestId('text-download-bm25').click();
  const runPath = await (await download).path();
  await panel.getByTestId('text-run-file').setInputFiles({ name: 'my-bm25.run', mimeType: 'text/plain', buffer: readFileSync(runPath!) });
  await expect(panel.getByTestId('text-run-file-name')).toContainText('my-bm25.run');
  await panel.getByTestId('text-run-bm25').click();
  await idle(page);
  const fromRun = await textState(page);
  expect(fromRun.error).toBeNull();
  expect(fromRun.bm25).toBeCloseTo(bm25, 10);
  await expect(panel.getByTestId('text-results')).toContainText('candidates from my-bm25.run');

  // A run naming documents this collection does not have.
  const foreign = 'q1 Q0 D000001 1 12.5 other\nq1 Q0 D000002 2 11.0 other\n';
  await panel.getByTestId('text-run-file').setInputFiles({ name: 'foreign.run', mimeType: 'text/plain', buffer: Buffer.from(foreign) });
  await panel.getByTestId('text-run-bm25').click();
  await idle(page);
  await expect(panel.getByTestId('text-error-message')).toContainText('foreign.run');
  await saveScreenshot(page, info);
  // Back to BM25: works again.
  await panel.getByTestId('text-run-file-clear').click();
  await panel.getByTestId('text-run-bm25').click();
  await idle(page);
  expect((await textState(page)).bm25).toBeCloseTo(bm25, 10);
});
