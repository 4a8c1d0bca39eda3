import { expect, type Page, type TestInfo } from '@playwright/test';
import { experimentConfigSchema, type ExperimentConfig } from '../src/core/experiment/config';
import { configToHash } from '../src/core/experiment/url-codec';

/** A config small enough that even SwiftShader WebGPU trains it in seconds. */
export function tinyConfig(over: { maxSteps?: number; evalEvery?: number; seed?: number } = {}): ExperimentConfig {
  return experimentConfigSchema.parse({
    version: 1,
    seed: over.seed ?? 11,
    data: { kind: 'synthetic', queries: 40, docsPerQuery: 10, features: 8 },
    train: { maxSteps: over.maxSteps ?? 40, evalEvery: over.evalEvery ?? 10, learningRate: 0.03, batchQueries: 8 },
  });
}

export function appUrl(config?: ExperimentConfig, backend?: string): string {
  const search = backend ? `?backend=${backend}` : '';
  return `/${search}${config ? configToHash(config) : ''}`;
}

/** What the tests read from the app's store (a read-only view the app exposes for them). */
export interface Snapshot {
  runState: string;
  step: number;
  backend: { active: string; label: string; reason: string; failures: string[]; capabilities: { webgpu: { available: boolean; isFallback: boolean } } } | null;
  config: ExperimentConfig;
  points: { step: number; rankers: Record<string, { loss: number | null; ndcg: number }> }[];
  notices: { level: string; message: string }[];
}

export async function snapshot(page: Page): Promise<Snapshot> {
  return page.evaluate(() => {
    const s = window.__RANKPLAY__!.getState();
    return JSON.parse(JSON.stringify({ runState: s.runState, step: s.step, backend: s.backend, config: s.config, points: s.points, notices: s.notices }));
  });
}

/** Waits until the backend is up and the run is loaded (step-0 evaluation done). */
export async function waitReady(page: Page): Promise<Snapshot> {
  await page.waitForFunction(() => {
    const s = window.__RANKPLAY__?.getState();
    return Boolean(s?.backend) && s!.runState === 'idle' && s!.points.length > 0 && !s!.loading;
  }, null, { timeout: 90_000 });
  return snapshot(page);
}

export async function waitForState(page: Page, state: string, timeout = 120_000): Promise<Snapshot> {
  await page.waitForFunction((wanted) => window.__RANKPLAY__?.getState().runState === wanted, state, { timeout });
  return snapshot(page);
}

/** A full-page screenshot per test, under test-results/, named after the test. */
export async function saveScreenshot(page: Page, info: TestInfo): Promise<void> {
  const name = info.title.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '').toLowerCase();
  await page.screenshot({ path: `test-results/screenshots/${name}.png`, fullPage: true });
}

export function lastPoint(s: Snapshot) {
  const p = s.points[s.points.length - 1];
  expect(p, 'at least one metrics point').toBeDefined();
  return p;
}
