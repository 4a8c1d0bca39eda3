import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { fileURLToPath } from 'node:url';
import type { ExperimentConfig } from '../src/core/experiment/config';
import type { DataSource } from '../src/core/data/source';
import { encodeLink } from '../src/core/share/link';
import { saveScreenshot, snapshot, tinyConfig, waitReady, type Snapshot } from './helpers';

/**
 * A link's data set (issue 9): a set loaded in one browser travels by its source — bundled name,
 * URL, or local files by SHA-256 — and another browser fetches it, or asks for the files and
 * checks them before anything runs.
 */

test.afterEach(async ({ page }, info) => {
  await saveScreenshot(page, info);
});

const fold1 = (name: string) => fileURLToPath(new URL(`./fixtures/Fold1/${name}`, import.meta.url));

function storedConfig(source: DataSource, name: string, id = 'someone-elses-id'): ExperimentConfig {
  const config = tinyConfig({ maxSteps: 20, evalEvery: 10 });
  config.data = { kind: 'stored', id, name, normalization: 'zscore', testFraction: 0.25, source };
  return config;
}

const firstPoint = (s: Snapshot) => s.points[0].rankers;

async function waitIdleNoData(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const s = window.__RANKPLAY__?.getState();
    return Boolean(s?.backend) && s!.datasetsKnown && s!.dataWaiting;
  });
}

test('a local-file link asks for the files, refuses a wrong one, and reproduces the run with the right ones', async ({ page, browser }) => {
  await page.goto('/');
  await waitReady(page);
  await page.getByTestId('dataset-file-input').setInputFiles([fold1('train.txt'), fold1('test.txt')]);
  await page.waitForFunction(() => !window.__RANKPLAY__!.getState().dataLoading, null, { timeout: 60_000 });
  await page.getByTestId('use-dataset').click();
  const made = await waitReady(page);
  expect(made.config.data).toMatchObject({ kind: 'stored', source: { from: 'files' } });
  const source = made.config.data.kind === 'stored' ? made.config.data.source : undefined;
  expect(source?.from === 'files' && source.files.map((f) => f.name).sort()).toEqual(['test.txt', 'train.txt']);
  const link = page.url();
  expect(link).toContain('#l=');

  // Someone else: a fresh browser profile, without the set.
  const other = await browser.newContext();
  const visitor = await other.newPage();
  await visitor.goto(link);
  await waitIdleNoData(visitor);
  const prompt = visitor.getByTestId('linked-data');
  await expect(prompt).toBeVisible();
  await expect(visitor.getByTestId('linked-data-expected')).toContainText('train.txt');
  await expect(visitor.getByTestId('linked-data-expected')).toContainText('SHA-256');
  await expect(visitor.getByTestId('play-pause')).toBeDisabled();
  const axe = await new AxeBuilder({ page: visitor }).include('[data-testid="linked-data"]').withTags(['wcag2a', 'wcag2aa']).analyze();
  expect(axe.violations.map((v) => `${v.id}: ${v.help}`)).toEqual([]);

  // The wrong file (vali.txt passed off as train.txt): refused before anything runs.
  await visitor.getByTestId('linked-data-files').setInputFiles([fold1('vali.txt'), fold1('test.txt')]);
  await expect(visitor.getByTestId('load-error-message')).toContainText('vali.txt is not one of');
  await expect(visitor.getByTestId('load-error-message')).toContainText('missing train.txt');
  let s = await snapshot(visitor);
  expect(s.points).toEqual([]);
  expect(await visitor.evaluate(() => window.__RANKPLAY__!.getState().datasets.length)).toBe(0);
  await visitor.screenshot({ path: 'test-results/screenshots/local-file-link-with-a-wrong-file.png', fullPage: true });

  // The right files, under other names order: the run is the link's, with the same numbers.
  await visitor.getByTestId('linked-data-files').setInputFiles([fold1('test.txt'), fold1('train.txt')]);
  s = await waitReady(visitor);
  await expect(prompt).toBeHidden();
  expect({ ...s.config, data: { ...s.config.data, id: '' } }).toEqual({ ...made.config, data: { ...made.config.data, id: '' } });
  expect(firstPoint(s)).toEqual(firstPoint(made));
  await other.close();
});

test('a bundled set opens from a link in any browser, and run: true still starts the run', async ({ page }) => {
  const config = storedConfig({ from: 'bundled', name: 'rankplay-demo-letor' }, 'RankPlay demo passages as LETOR features');
  await page.goto(`/${encodeLink({ v: 2, experiment: config, view: {}, run: true })}`);
  await page.waitForFunction(() => window.__RANKPLAY__!.getState().runState === 'done', null, { timeout: 120_000 });
  const s = await snapshot(page);
  expect(s.config.data).toMatchObject({ kind: 'stored', source: { from: 'bundled', name: 'rankplay-demo-letor' } });
  expect(s.config.data.kind === 'stored' && s.config.data.id).not.toBe('someone-elses-id');
  expect(s.points.at(-1)?.step).toBe(20);
  // The data panel offers the bundled set too, shown as in use.
  await expect(page.locator('[data-testid="use-bundled"][data-name="rankplay-demo-letor"]')).toHaveText('In use');
});

test('a URL link waits until the visitor asks, then loads from that address', async ({ page, baseURL }) => {
  const url = `${baseURL}/demo/rankplay-demo-letor/train.txt`;
  await page.goto(`/${encodeLink({ v: 2, experiment: storedConfig({ from: 'url', url }, 'train.txt'), view: {} })}`);
  await waitIdleNoData(page);
  await expect(page.getByTestId('linked-data')).toContainText(url);
  expect((await snapshot(page)).points).toEqual([]);
  await page.getByTestId('linked-data-fetch').click();
  const s = await waitReady(page);
  expect(s.config.data).toMatchObject({ kind: 'stored', source: { from: 'url', url } });
  await expect(page.getByTestId('linked-data')).toBeHidden();
});

test("a text-corpus link: the text panel asks for the passages, refuses a wrong file, and BM25 gives the sender's numbers", async ({ page, browser }) => {
  const demo = (name: string) => fileURLToPath(new URL(`../public/demo/rankplay-demo/${name}`, import.meta.url));
  const files = [demo('corpus.jsonl'), demo('queries.jsonl'), demo('qrels/test.tsv')];
  await page.goto('/');
  await waitReady(page);
  await page.getByTestId('dataset-file-input').setInputFiles(files);
  await page.waitForFunction(() => window.__RANKPLAY__!.getState().datasets.some((d) => d.kind === 'text'));
  const id = await page.evaluate(() => window.__RANKPLAY__!.getState().datasets.find((d) => d.kind === 'text')!.id);
  const panel = page.getByTestId('text-panel');
  await panel.getByTestId('text-corpus').selectOption(id);
  await panel.getByTestId('text-run-bm25').click();
  await page.waitForFunction(() => window.__RANKPLAY__!.getState().textBm25 !== null, null, { timeout: 120_000 });
  const sent = await panel.getByTestId('text-row-bm25-ndcg').textContent();
  const link = page.url();

  const other = await browser.newContext();
  const visitor = await other.newPage();
  await visitor.goto(link);
  const prompt = visitor.getByTestId('linked-corpus');
  await expect(prompt).toBeVisible({ timeout: 60_000 });
  await expect(prompt).toContainText('corpus.jsonl');
  // queries.jsonl passed off as the corpus: refused, nothing loaded.
  await visitor.getByTestId('linked-corpus-files').setInputFiles([demo('queries.jsonl'), demo('queries.jsonl').replace('queries.jsonl', 'qrels/test.tsv')]);
  await expect(prompt.getByTestId('load-error-message')).toContainText('do not match this link');
  await visitor.getByTestId('text-panel').screenshot({ path: 'test-results/screenshots/text-corpus-link-wrong-file.png' });
  expect(await visitor.evaluate(() => window.__RANKPLAY__!.getState().datasets.length)).toBe(0);

  await visitor.getByTestId('linked-corpus-files').setInputFiles(files);
  await expect(prompt).toBeHidden();
  const vpanel = visitor.getByTestId('text-panel');
  await expect(vpanel.getByTestId('text-split')).toHaveValue('judged');
  await vpanel.getByTestId('text-run-bm25').click();
  await expect(vpanel.getByTestId('text-row-bm25-ndcg')).toHaveText(sent ?? 'missing', { timeout: 120_000 });
  await other.close();
});
