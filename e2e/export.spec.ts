import { readFile } from 'node:fs/promises';
import { strFromU8, unzipSync } from 'fflate';
import { expect, test, type Page } from '@playwright/test';
import { appUrl, saveScreenshot, snapshot, tinyConfig, waitForState, waitReady } from './helpers';

test.afterEach(async ({ page }, info) => {
  await saveScreenshot(page, info);
});

/** Opens the Export menu, picks `item`, and returns the download's name and bytes. */
async function exportFile(page: Page, item: string): Promise<{ name: string; body: Buffer }> {
  await page.getByTestId('export-open').click();
  const downloading = page.waitForEvent('download');
  await page.getByRole('menuitem', { name: item }).click();
  const download = await downloading;
  const name = download.suggestedFilename();
  const path = `test-results/exports/${name}`; // Kept for a look at what was exported.
  await download.saveAs(path);
  return { name, body: await readFile(path) };
}

test('the Export menu downloads the config, metrics, and the chart as SVG and PNG', async ({ page }) => {
  await page.goto(appUrl(tinyConfig({ maxSteps: 30, evalEvery: 10 })));
  await waitReady(page);
  await page.getByTestId('play-pause').click();
  const done = await waitForState(page, 'done');
  const rankerIds = await page.evaluate(() => window.__RANKPLAY__!.getState().rankerIds);

  const config = await exportFile(page, 'Config (JSON)');
  expect(config.name).toBe('rankplay-config.json');
  expect(JSON.parse(config.body.toString('utf8'))).toEqual(done.config);

  const metrics = await exportFile(page, 'Metrics (CSV)');
  expect(metrics.name).toBe('rankplay-metrics.csv');
  const lines = metrics.body.toString('utf8').split('\r\n').filter(Boolean);
  expect(lines[0]).toMatch(/^step,ranker,loss,test_ndcg@1,.*test_ndcg@10,test_err@10/);
  const expectedRows = done.points.reduce((n, p) => n + rankerIds.filter((id) => p.rankers[id]).length, 0);
  expect(expectedRows).toBeGreaterThan(rankerIds.length);
  expect(lines.length - 1).toBe(expectedRows);
  const last = done.points[done.points.length - 1];
  expect(lines[lines.length - 1].startsWith(`${last.step},`)).toBe(true);

  const chartLines = await page.locator('[data-testid="ndcg-chart"] svg.recharts-surface path.recharts-line-curve').count();
  expect(chartLines).toBeGreaterThan(0);
  const svg = await exportFile(page, 'Chart (SVG)');
  expect(svg.name).toBe('rankplay-chart.svg');
  const svgText = svg.body.toString('utf8');
  expect(svgText.startsWith('<svg')).toBe(true);
  expect(svgText).toContain('xmlns="http://www.w3.org/2000/svg"');
  const linePaths = svgText.match(/<path[^>]*recharts-line-curve[^>]*>/g) ?? [];
  expect(linePaths.length).toBe(chartLines);
  for (const path of linePaths) expect(path).toMatch(/ d="M[\d.\-]/);
  expect(linePaths[0]).toMatch(/stroke:\s*(#|rgb)/);

  const png = await exportFile(page, 'Chart (PNG)');
  expect(png.name).toBe('rankplay-chart.png');
  expect([...png.body.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  expect(png.body.length).toBeGreaterThan(2000);
  expect((await snapshot(page)).notices.filter((n) => n.level === 'error')).toEqual([]);
});

test('the Export menu works from the keyboard and shows the Python snippet', async ({ page }) => {
  await page.goto(appUrl(tinyConfig({ maxSteps: 20, evalEvery: 10 })));
  await waitReady(page);
  const button = page.getByTestId('export-open');
  await button.focus();
  await page.keyboard.press('ArrowDown');
  await expect(page.getByRole('menu', { name: 'Export' })).toBeVisible();
  await expect(page.getByRole('menuitem', { name: 'Config (JSON)' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('menu')).toHaveCount(0);
  await expect(button).toBeFocused();

  await page.keyboard.press('Enter');
  await page.keyboard.press('End');
  await expect(page.getByRole('menuitem', { name: /Open in Python/ })).toBeFocused();
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'Open in Python' });
  await expect(dialog).toBeVisible();
  const code = await page.getByTestId('python-snippet').textContent();
  expect(code).toContain('pd.read_csv("rankplay-metrics.csv")');
  expect(code).toContain('ir_measures');
  expect(code).toContain('pytrec_eval');
  expect(code).toContain('Export → TREC run of the test split');
  expect(code).toContain('np.asarray(w["values"]');
  expect(code).toContain('PeftModel.from_pretrained(base, "rankplay-lora-adapter")');
  await expect(dialog.getByRole('button', { name: 'Copy' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  await expect(button).toBeFocused();
});

/** Checks TREC run lines `qid Q0 docid rank score tag`: ranks 1..n per query, scores descending. */
function checkRun(text: string, tag: string): Map<string, number> {
  const perQuery = new Map<string, number>();
  let lastScore = Infinity;
  for (const line of text.trimEnd().split('\n')) {
    const parts = line.split(' ');
    expect(parts, line).toHaveLength(6);
    const [qid, q0, docId, rank, score, runTag] = parts;
    expect(q0).toBe('Q0');
    expect(docId).toMatch(/^\S+$/);
    expect(runTag).toBe(tag);
    const n = (perQuery.get(qid) ?? 0) + 1;
    if (n === 1) lastScore = Infinity;
    perQuery.set(qid, n);
    expect(Number(rank)).toBe(n);
    expect(Number(score)).toBeLessThanOrEqual(lastScore);
    lastScore = Number(score);
  }
  return perQuery;
}

test('the Export menu downloads TREC runs of the test split with qrels, and the trained rankers as JSON', async ({ page }) => {
  await page.goto(appUrl(tinyConfig({ maxSteps: 20, evalEvery: 10 })));
  await waitReady(page);
  await page.getByTestId('play-pause').click();
  await waitForState(page, 'done');
  const { rankerIds, testQueries } = await page.evaluate(() => {
    const s = window.__RANKPLAY__!.getState();
    return { rankerIds: s.rankerIds, testQueries: s.summary?.testQueries ?? 0 };
  });
  expect(testQueries).toBeGreaterThan(0);

  const runs = await exportFile(page, 'TREC run of the test split');
  const files: Record<string, string> = {};
  if (rankerIds.length === 1) {
    expect(runs.name).toBe(`${rankerIds[0]}.run`);
    files[runs.name] = runs.body.toString('utf8');
    files['qrels.txt'] = (await exportFile(page, 'Test qrels (TREC)')).body.toString('utf8');
  } else {
    expect(runs.name).toBe('rankplay-test-runs.zip');
    for (const [name, bytes] of Object.entries(unzipSync(new Uint8Array(runs.body)))) files[name] = strFromU8(bytes);
  }
  expect(Object.keys(files).sort()).toEqual([...rankerIds.map((id) => `${id}.run`), 'qrels.txt'].sort());
  const qrels = files['qrels.txt'].trimEnd().split('\n').map((l) => l.split(' '));
  for (const id of rankerIds) {
    const perQuery = checkRun(files[`${id}.run`], id);
    expect(perQuery.size).toBe(testQueries);
    expect(files[`${id}.run`].trimEnd().split('\n')).toHaveLength(qrels.length);
  }
  for (const q of qrels) expect(q).toEqual([expect.any(String), '0', expect.any(String), expect.stringMatching(/^\d+$/)]);

  const rankers = await exportFile(page, 'Trained rankers (JSON)');
  const docs: string[] = [];
  if (rankerIds.length === 1) docs.push(rankers.body.toString('utf8'));
  else {
    expect(rankers.name).toBe('rankplay-rankers.zip');
    docs.push(...Object.values(unzipSync(new Uint8Array(rankers.body))).map((b) => strFromU8(b)));
  }
  expect(docs).toHaveLength(rankerIds.length);
  for (const text of docs) {
    const doc = JSON.parse(text) as { format: string; version: number; id: string; step: number; weights: Record<string, { shape: number[]; values: number[] }> };
    expect([doc.format, doc.version, doc.step]).toEqual(['rankplay-ranker', 1, 20]);
    expect(rankerIds).toContain(doc.id);
    const weights = Object.values(doc.weights);
    expect(weights.length).toBeGreaterThan(0);
    for (const w of weights) expect(w.values).toHaveLength(w.shape.reduce((p, d) => p * d, 1));
  }
  expect((await snapshot(page)).notices.filter((n) => n.level === 'error')).toEqual([]);
});
