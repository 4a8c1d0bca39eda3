import { closeSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test, type Page } from '@playwright/test';
import { decodeLink } from '../src/core/share/link';
import { appUrl, lastPoint, saveScreenshot, tinyConfig, waitForState, waitReady } from './helpers';

/** The fixtures are made by e2e/fixtures/make-fixtures.mjs, which also writes their counts. */
const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');
const fixture = (...parts: string[]) => join(FIXTURES, ...parts);

interface SplitCounts {
  queries: number;
  docs: number;
  features: number;
  noRelevantQueries: number;
  labels: Record<string, number>;
}
const expected = JSON.parse(readFileSync(fixture('expected.json'), 'utf8')) as {
  fold1: Record<'train' | 'vali' | 'test', SplitCounts>;
  broken: { file: string; line: number; token: string; docsWhenSkipped: number; queries: number };
  beir: { documents: number; queries: number; judgements: number; labels: Record<string, number> };
};

const FOLD1 = ['train.txt', 'vali.txt', 'test.txt'].map((f) => fixture('Fold1', f));

interface DataState {
  datasets: { id: string; name: string; kind: string; storage: { where: string; note?: string }; warnings: string[] }[];
  loadError: { cancelled: boolean; error: string; file?: string; line?: number } | null;
  dataLoading: boolean;
  data: { kind: string; id?: string; normalization?: string };
}

async function dataState(page: Page): Promise<DataState> {
  return page.evaluate(() => {
    const s = window.__RANKPLAY__!.getState();
    return JSON.parse(
      JSON.stringify({
        datasets: s.datasets.map((d) => ({ id: d.id, name: d.name, kind: d.kind, storage: d.storage, warnings: d.warnings })),
        loadError: s.loadError,
        dataLoading: s.dataLoading,
        data: s.config.data,
      }),
    );
  });
}

/** Picks files in the panel's file input and waits until the worker has answered. */
async function pickFiles(page: Page, paths: string[]): Promise<DataState> {
  await page.getByTestId('dataset-file-input').setInputFiles(paths);
  await page.waitForFunction(() => !window.__RANKPLAY__!.getState().dataLoading, null, { timeout: 60_000 });
  return dataState(page);
}

/** The app is up, its stored data sets listed (boot asks the worker once). */
async function openApp(page: Page, url = appUrl(tinyConfig({ maxSteps: 60, evalEvery: 10 }))): Promise<void> {
  await page.goto(url);
  await waitReady(page);
  await page.waitForFunction(() => window.__RANKPLAY__!.getState().datasetsKnown);
}

async function expectSplitCounts(page: Page, split: 'train' | 'vali' | 'test', counts: SplitCounts): Promise<void> {
  await expect(page.getByTestId(`summary-queries-${split}`)).toHaveAttribute('data-value', String(counts.queries));
  await expect(page.getByTestId(`summary-docs-${split}`)).toHaveAttribute('data-value', String(counts.docs));
  await expect(page.getByTestId(`summary-features-${split}`)).toHaveAttribute('data-value', String(counts.features));
  await expect(page.getByTestId(`summary-norel-${split}`)).toHaveAttribute('data-value', String(counts.noRelevantQueries));
}

test.afterEach(async ({ page }, info) => {
  await saveScreenshot(page, info);
});

test('Fold1 train/vali/test load with the right counts, survive a reload, and train', async ({ page }) => {
  await openApp(page);
  await expect(page.getByTestId('dataset-list-empty')).toBeVisible();

  const state = await pickFiles(page, FOLD1);
  expect(state.loadError).toBeNull();
  expect(state.datasets).toHaveLength(1);
  const id = state.datasets[0].id;
  expect(state.datasets[0].storage.where).toBe('indexeddb');

  const summary = page.getByTestId('dataset-summary');
  await expect(summary).toHaveAttribute('data-id', id);
  for (const split of ['train', 'vali', 'test'] as const) await expectSplitCounts(page, split, expected.fold1[split]);
  // One bar per label present in train, one row per feature.
  await expect(page.getByTestId('label-histogram').locator('.recharts-bar-rectangle')).toHaveCount(Object.keys(expected.fold1.train.labels).length);
  await expect(page.getByTestId('dpq-histogram').locator('.recharts-bar-rectangle').first()).toBeVisible();
  await expect(page.getByTestId('feature-stats').locator('tbody tr')).toHaveCount(expected.fold1.train.features);
  // Feature 7 is left out of about half the lines: its "missing" count is not zero.
  await expect(page.getByTestId('feature-stats').locator('tbody tr').nth(6).locator('td').last()).not.toHaveText('0');
  await page.getByTestId('summary-split-test').click();
  await expect(page.getByTestId('label-histogram')).toContainText('(test)');

  const row = page.getByTestId('dataset-row');
  await expect(row).toHaveCount(1);
  await expect(row.getByTestId('dataset-splits')).toHaveText('train, vali, test');
  await expect(row.getByTestId('dataset-storage')).toContainText('IndexedDB');

  await page.reload();
  await waitReady(page);
  await expect(page.getByTestId('dataset-row')).toHaveCount(1);
  await expect(page.getByTestId('dataset-row')).toHaveAttribute('data-id', id);
  await expect(page.getByTestId('dataset-summary')).toHaveAttribute('data-id', id);
  await expectSplitCounts(page, 'train', expected.fold1.train);

  await page.getByTestId('use-dataset').click();
  const start = await waitReady(page);
  expect(start.config.data).toMatchObject({ kind: 'stored', id, normalization: 'zscore' });
  const fromUrl = decodeLink(new URL(page.url()).hash);
  expect(fromUrl.error).toBeUndefined();
  expect(fromUrl.link.experiment.data).toMatchObject({ kind: 'stored', id });
  await expect(page.getByTestId('cfg-dataset-name')).toHaveText(state.datasets[0].name);
  await expect(page.getByTestId('cfg-normalization')).toHaveValue('zscore');
  // The set has its own test file: no test fraction to choose.
  await expect(page.getByTestId('cfg-test-fraction')).toHaveCount(0);
  await expect(page.getByTestId('dataset-row')).toHaveAttribute('data-in-use', 'true');

  await page.getByTestId('play-pause').click();
  const end = await waitForState(page, 'done');
  const first = start.points[0];
  const last = lastPoint(end);
  expect(last.step).toBe(60);
  for (const rankerId of Object.keys(first.rankers)) {
    expect(last.rankers[rankerId].ndcg, `${rankerId} nDCG@10 after 60 steps on Fold1`).toBeGreaterThan(first.rankers[rankerId].ndcg + 0.02);
  }

  // Normalisation is part of the config, hence of the link.
  await page.getByTestId('cfg-normalization').selectOption('minmax');
  await waitReady(page);
  expect(decodeLink(new URL(page.url()).hash).link.experiment.data).toMatchObject({ kind: 'stored', normalization: 'minmax' });
});

test('a gzipped LETOR file loads like the plain one', async ({ page }) => {
  await openApp(page);
  const state = await pickFiles(page, [fixture('gz', 'train.txt.gz')]);
  expect(state.loadError).toBeNull();
  expect(state.datasets).toHaveLength(1);
  await expectSplitCounts(page, 'train', expected.fold1.train);
  await expect(page.getByTestId('summary-queries-test')).toHaveCount(0);
  // Train only: the held-out queries are a seeded share of train, so the fraction is offered.
  await page.getByTestId('use-dataset').click();
  await waitReady(page);
  await expect(page.getByTestId('cfg-test-fraction')).toHaveValue('0.25');
});

test('a broken file names the file and line, and nothing loaded before is lost', async ({ page }) => {
  await openApp(page);
  const before = await pickFiles(page, FOLD1);
  expect(before.datasets).toHaveLength(1);

  const state = await pickFiles(page, [fixture('broken', expected.broken.file)]);
  expect(state.loadError).not.toBeNull();
  expect(state.loadError!.cancelled).toBe(false);
  expect(state.loadError!.line).toBe(expected.broken.line);
  const error = page.getByTestId('load-error');
  await expect(error).toBeVisible();
  await expect(error).toHaveAttribute('role', 'alert');
  await expect(error).toContainText(expected.broken.file);
  await expect(error).toContainText(`line ${expected.broken.line}`);
  await expect(error).toContainText(expected.broken.token);

  await expect(page.getByTestId('error-panel')).toHaveCount(0);
  await expect(page.getByTestId('dataset-row')).toHaveCount(1);
  expect(state.datasets.map((d) => d.id)).toEqual([before.datasets[0].id]);
  await expectSplitCounts(page, 'train', expected.fold1.train);
});

test('"skip bad lines" loads the broken file and reports the line it left out', async ({ page }) => {
  await openApp(page);
  await page.getByTestId('skip-bad-lines').check();
  const state = await pickFiles(page, [fixture('broken', expected.broken.file)]);
  expect(state.loadError).toBeNull();
  expect(state.datasets).toHaveLength(1);
  await expect(page.getByTestId('summary-docs-train')).toHaveAttribute('data-value', String(expected.broken.docsWhenSkipped));
  await expect(page.getByTestId('summary-queries-train')).toHaveAttribute('data-value', String(expected.broken.queries));
  const warnings = page.getByTestId('dataset-warnings');
  await expect(warnings).toBeVisible();
  // "line 7" or "line(s) 7": the report names the line it left out.
  const names = new RegExp(`\\bline(\\(s\\))? ${expected.broken.line}\\b`);
  await expect(warnings).toContainText(names);
  expect(state.datasets[0].warnings.join('\n')).toMatch(names);
});

test('delete removes a data set, also after a reload; deleting the one in use goes back to synthetic data', async ({ page }) => {
  await openApp(page);
  const fold = (await pickFiles(page, FOLD1)).datasets[0];
  const gz = (await pickFiles(page, [fixture('gz', 'train.txt.gz')])).datasets.find((d) => d.id !== fold.id)!;
  await expect(page.getByTestId('dataset-row')).toHaveCount(2);

  await page.locator(`[data-testid="dataset-row"][data-id="${gz.id}"]`).getByTestId('delete-dataset').click();
  await expect(page.getByTestId('dataset-row')).toHaveCount(1);
  await expect(page.getByTestId('dataset-row')).toHaveAttribute('data-id', fold.id);

  await page.reload();
  await waitReady(page);
  await page.waitForFunction(() => window.__RANKPLAY__!.getState().datasetsKnown);
  await expect(page.getByTestId('dataset-row')).toHaveCount(1);
  await expect(page.getByTestId('dataset-row')).toHaveAttribute('data-id', fold.id);

  await page.getByTestId('use-dataset').click();
  await waitReady(page);
  await page.getByTestId('delete-dataset').click();
  await expect(page.getByTestId('dataset-row')).toHaveCount(0);
  await page.waitForFunction(() => window.__RANKPLAY__!.getState().config.data.kind === 'synthetic');
  const back = await waitReady(page);
  expect(back.config.data.kind).toBe('synthetic');
  await expect(page.getByTestId('cfg-queries')).toBeVisible();

  await page.reload();
  await waitReady(page);
  await page.waitForFunction(() => window.__RANKPLAY__!.getState().datasetsKnown);
  await expect(page.getByTestId('dataset-list-empty')).toBeVisible();
});

test('a BEIR folder dropped on the panel shows its document, query and judgement counts', async ({ page }) => {
  await openApp(page);
  const files = [
    { name: 'corpus.jsonl', text: readFileSync(fixture('beir', 'corpus.jsonl'), 'utf8') },
    { name: 'queries.jsonl', text: readFileSync(fixture('beir', 'queries.jsonl'), 'utf8') },
    { name: 'test.tsv', text: readFileSync(fixture('beir', 'qrels', 'test.tsv'), 'utf8') },
  ];
  // A drop, as from a file manager: a DataTransfer built in the page carries the files.
  const transfer = await page.evaluateHandle((list) => {
    const dt = new DataTransfer();
    for (const f of list) dt.items.add(new File([f.text], f.name, { type: '' }));
    return dt;
  }, files);
  const panel = page.getByTestId('dataset-panel');
  await panel.dispatchEvent('dragenter', { dataTransfer: transfer });
  await expect(panel).toHaveAttribute('data-dragover', 'true');
  await panel.dispatchEvent('drop', { dataTransfer: transfer });
  await expect(panel).not.toHaveAttribute('data-dragover', 'true');
  await page.waitForFunction(() => {
    const s = window.__RANKPLAY__!.getState();
    return !s.dataLoading && (s.datasets.length > 0 || s.loadError !== null);
  });
  const state = await dataState(page);
  expect(state.loadError).toBeNull();
  expect(state.datasets).toHaveLength(1);
  expect(state.datasets[0].kind).toBe('text');

  await expect(page.getByTestId('summary-text-documents')).toHaveAttribute('data-value', String(expected.beir.documents));
  await expect(page.getByTestId('summary-text-queries')).toHaveAttribute('data-value', String(expected.beir.queries));
  await expect(page.getByTestId('summary-text-judgements')).toHaveAttribute('data-value', String(expected.beir.judgements));
  await expect(page.getByTestId('label-histogram').locator('.recharts-bar-rectangle')).toHaveCount(Object.keys(expected.beir.labels).length);
  const row = page.getByTestId('dataset-row');
  await expect(row.getByTestId('dataset-kind')).toHaveText('text');
  // Text sets are for the reranker; the feature rankers cannot use them.
  await expect(row.getByTestId('use-dataset')).toHaveCount(0);
});

test('a URL is fetched as a stream and loads like a picked file', async ({ page }) => {
  // Served by the test itself, so no network is needed: the worker's fetch goes through the page's routes.
  await page.route('**/remote/Fold1/train.txt.gz', (route) =>
    route.fulfill({ status: 200, contentType: 'application/octet-stream', body: readFileSync(fixture('gz', 'train.txt.gz')) }),
  );
  await openApp(page);

  const url = page.getByTestId('dataset-url');
  await url.fill('/remote/Fold1/train.txt.gz');
  await page.getByTestId('load-url').click();
  await page.waitForFunction(() => !window.__RANKPLAY__!.getState().dataLoading);
  const state = await dataState(page);
  expect(state.loadError).toBeNull();
  expect(state.datasets).toHaveLength(1);
  await expectSplitCounts(page, 'train', expected.fold1.train);
  await expect(page.getByTestId('load-error')).toHaveCount(0);
});

test('a URL that answers 404 says so, naming the status', async ({ page }) => {
  await page.route('**/remote/missing.txt', (route) => route.fulfill({ status: 404, body: 'not here' }));
  await openApp(page);
  await page.getByTestId('dataset-url').fill('/remote/missing.txt');
  await page.getByTestId('load-url').click();
  await expect(page.getByTestId('load-error')).toContainText('404', { timeout: 10_000 });
});

/** An MSLR-shaped file (136 features) of about `megabytes` MB, written with Node in chunks. */
function writeLargeLetor(path: string, megabytes: number): void {
  mkdirSync(dirname(path), { recursive: true });
  const fd = openSync(path, 'w');
  let state = 12345;
  const rand = () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 4294967296;
  };
  try {
    let bytes = 0;
    for (let doc = 0; bytes < megabytes * 1e6; ) {
      const lines: string[] = [];
      for (let i = 0; i < 1000; i++, doc++) {
        const feats = Array.from({ length: 136 }, (_, j) => `${j + 1}:${(rand() * 100).toFixed(3)}`).join(' ');
        lines.push(`${Math.floor(rand() * 5)} qid:${1 + Math.floor(doc / 100)} ${feats}\n`);
      }
      const chunk = lines.join('');
      writeSync(fd, chunk);
      bytes += chunk.length;
    }
  } finally {
    closeSync(fd);
  }
}

test('cancel during a large load shows a cancelled state, not an error', async ({ page }, info) => {
  // Parsing runs at 100+ MB/s here: the file must be large enough that Cancel lands mid-way.
  const big = info.outputPath('big', 'train.txt');
  writeLargeLetor(big, 120);
  await openApp(page);
  await page.getByTestId('dataset-file-input').setInputFiles(big);

  const progress = page.getByTestId('load-progress');
  await expect(progress).toBeVisible();
  await page.waitForFunction(() => (window.__RANKPLAY__!.getState().loadProgress?.bytesRead ?? 0) > 0, null, { timeout: 30_000 });
  await expect(progress).toContainText('train.txt');
  await expect(page.getByTestId('load-figures')).toContainText(/ of 12\d MB/);
  await expect(page.getByTestId('load-rows-per-second')).toContainText(/\d+ (k |M )?rows\/s/);
  await expect(page.getByTestId('load-bar')).toHaveAttribute('max', /^\d{9}$/);
  await progress.screenshot({ path: 'test-results/screenshots/load-progress-mid-load.png' });
  await page.getByTestId('cancel-load').click();

  await page.waitForFunction(() => !window.__RANKPLAY__!.getState().dataLoading, null, { timeout: 30_000 });
  const state = await dataState(page);
  expect(state.datasets, 'the load finished before Cancel reached it: make the file larger').toHaveLength(0);
  expect(state.loadError?.cancelled).toBe(true);
  await expect(page.getByTestId('load-cancelled')).toBeVisible();
  await expect(page.getByTestId('load-error')).toHaveCount(0);
  await expect(page.getByTestId('load-progress')).toHaveCount(0);
  await expect(page.getByTestId('error-panel')).toHaveCount(0);
  // The page still works: the synthetic run steps.
  await page.getByTestId('step').click();
  await page.waitForFunction(() => window.__RANKPLAY__!.getState().step === 1);
});
